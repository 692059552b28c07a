// Ask before leaving a page with unsaved edits; saving the form (any submit button) leaves without asking.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const form = document.querySelector("#content-main form");
  if (!form) {
    return;
  }
  let unsaved = false;
  form.addEventListener("input", () => {
    unsaved = true;
  });
  form.addEventListener("change", () => {
    unsaved = true;
  });
  form.addEventListener("submit", () => {
    unsaved = false;
  });
  window.addEventListener("beforeunload", (event) => {
    if (unsaved) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
});
