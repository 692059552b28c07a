// Live preview of a language's body, rendered by the same code as the site (POST to an admin-only endpoint) and
// shown with the reader's stylesheet. The preview lives in a shadow root, so site.css styles it and nothing else:
// its rules for the page (:root) apply to the preview box (:host), and the admin's rules stay outside.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const token = document.querySelector("input[name=csrfmiddlewaretoken]");
  const sheets = new Map();
  const readerSheet = (url) => {
    if (!sheets.has(url)) {
      sheets.set(
        url,
        fetch(url, { credentials: "same-origin" })
          .then((response) => response.text())
          .then((text) => {
            const sheet = new CSSStyleSheet();
            sheet.replaceSync(text.replaceAll(":root", ":host"));
            return sheet;
          }),
      );
    }
    return sheets.get(url);
  };
  document.querySelectorAll(".live-preview").forEach((panel) => {
    const field = document.getElementById(panel.dataset.field);
    if (!field || !token) {
      return;
    }
    const root = panel.attachShadow({ mode: "open" });
    const box = document.createElement("div");
    box.className = "article-body";
    box.lang = panel.lang;
    root.appendChild(box);
    if (panel.dataset.stylesheet) {
      readerSheet(panel.dataset.stylesheet).then((sheet) => {
        root.adoptedStyleSheets = [sheet];
      });
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
        box.innerHTML = data.html; // sanitised on the server by the site's own allow-list
      }
    };
    field.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(refresh, 400);
    });
    refresh();
  });
});
