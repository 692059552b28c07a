// One tab per language version of the article form. Without JavaScript the sections simply stack.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const sections = Array.from(document.querySelectorAll("fieldset.language-version"));
  if (sections.length < 2) {
    return;
  }
  const codeOf = (section) =>
    Array.from(section.classList).find((name) => name.startsWith("language-") && name !== "language-version").slice(9);
  const list = document.createElement("div");
  list.className = "language-tabs";
  list.setAttribute("role", "tablist");
  const buttons = sections.map((section) => {
    const code = codeOf(section);
    const legend = section.querySelector("summary, h2");
    const button = document.createElement("button");
    button.type = "button";
    button.setAttribute("role", "tab");
    button.id = `tab-${code}`;
    button.textContent = legend ? legend.textContent.trim() : code;
    if (section.querySelector(".errorlist")) {
      button.classList.add("has-errors");
    }
    if (section.classList.contains("read-only")) {
      button.classList.add("read-only");
    }
    section.setAttribute("role", "tabpanel");
    section.setAttribute("aria-labelledby", button.id);
    button.addEventListener("click", () => select(code, true));
    list.appendChild(button);
    return button;
  });
  sections[0].parentNode.insertBefore(list, sections[0]);
  function select(code, remember) {
    sections.forEach((section, index) => {
      const chosen = codeOf(section) === code;
      section.hidden = !chosen;
      buttons[index].setAttribute("aria-selected", String(chosen));
      const details = section.querySelector("details");
      if (chosen && details) {
        details.open = true;
      }
    });
    if (remember) {
      history.replaceState(null, "", `#language-${code}`);
    }
  }
  const linked = () => {
    const wanted = location.hash.startsWith("#language-") ? location.hash.slice(10) : null;
    return sections.find((section) => codeOf(section) === wanted);
  };
  const withErrors = sections.find((section) => section.querySelector(".errorlist"));
  select(codeOf(withErrors || linked() || sections[0]), false);
  // Links to another tab of the same page (coverage, fixes) change only the hash.
  window.addEventListener("hashchange", () => {
    const section = linked();
    if (section) {
      select(codeOf(section), false);
    }
  });
});
