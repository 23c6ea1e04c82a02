// ti serve: the only script — a change in a filter of the action table applies it at once. The pages
// work without it (the Filtrer button does the same).
document.addEventListener("DOMContentLoaded", () => {
  for (const form of document.querySelectorAll("form.filters")) {
    for (const field of form.querySelectorAll("select, input[type=checkbox]")) {
      field.addEventListener("change", () => form.submit());
    }
  }
});
