// Apply fix: the fix is computed on the text in the form, and its answer goes into the form, never into the database.
// Edits in every tab stay as typed; the editor saves the fix with everything else.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const token = document.querySelector("input[name=csrfmiddlewaretoken]");
  const form = document.querySelector("#article_form");
  if (!token || !form) {
    return;
  }
  const fieldNames = ["title", "description", "keywords", "body"];
  const say = (list, text, failed) => {
    let note = list.querySelector(".fix-note");
    if (!note) {
      note = document.createElement("p");
      note.setAttribute("role", "status");
      list.appendChild(note);
    }
    note.className = `fix-note ${failed ? "errornote" : "fix-applied"}`;
    note.textContent = text;
  };
  document.querySelectorAll("ul.findings[data-url]").forEach((list) => {
    const suffix = list.dataset.language.replaceAll("-", "_");
    list.addEventListener("click", async (event) => {
      const button = event.target.closest("button.apply-fix");
      if (!button) {
        return;
      }
      const body = new URLSearchParams({ fix: button.dataset.fix });
      fieldNames.forEach((name) => {
        const field = form.elements[`${name}_${suffix}`];
        body.append(name, field ? field.value : "");
      });
      button.disabled = true;
      let data = null;
      try {
        const response = await fetch(list.dataset.url, {
          method: "POST",
          headers: { "X-CSRFToken": token.value },
          body,
          credentials: "same-origin",
        });
        data = await response.json();
      } catch (error) {
        data = { error: String(error) };
      }
      if (data.error) {
        button.disabled = false;
        say(list, data.error, true);
        return;
      }
      Object.entries(data.fields).forEach(([name, value]) => {
        const field = form.elements[name];
        if (field) {
          field.value = value;
          field.classList.add("changed-by-fix");
          // Tells the preview to render again and the page that there are unsaved edits.
          field.dispatchEvent(new Event("input", { bubbles: true }));
        }
      });
      button.closest("li").classList.add("fixed");
      button.remove();
      say(list, data.message, false);
    });
  });
});
