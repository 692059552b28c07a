// Live preview of a language's body, rendered by the same code as the site (POST to an admin-only endpoint).
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const token = document.querySelector("input[name=csrfmiddlewaretoken]");
  document.querySelectorAll(".live-preview").forEach((panel) => {
    const field = document.getElementById(panel.dataset.field);
    if (!field || !token) {
      return;
    }
    let timer = null;
    const refresh = async () => {
      const title = document.getElementById(panel.dataset.titleField);
      const body = new URLSearchParams({ body: field.value, title: title ? title.value : "" });
      const response = await fetch(panel.dataset.url, {
        method: "POST",
        headers: { "X-CSRFToken": token.value },
        body,
        credentials: "same-origin",
      });
      if (response.ok) {
        const data = await response.json();
        panel.innerHTML = data.html; // sanitised on the server by the site's own allow-list
      }
    };
    field.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(refresh, 400);
    });
    refresh();
  });
});
