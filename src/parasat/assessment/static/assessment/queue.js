// The queue of submitted answers: a box in each questionnaire's table head
// selects or clears all of its answers at once. Without script the box stays
// hidden and each answer is ticked on its own.
"use strict";

document.querySelectorAll("[data-pick-all]").forEach((all) => {
  const table = all.closest("table");
  const boxes = () => Array.from(table.querySelectorAll('tbody input[name="answers"]'));
  const follow = () => {
    const picked = boxes().filter((box) => box.checked).length;
    all.checked = picked > 0 && picked === boxes().length;
    all.indeterminate = picked > 0 && !all.checked;
  };
  all.hidden = false;
  all.addEventListener("change", () => {
    boxes().forEach((box) => {
      box.checked = all.checked;
    });
  });
  table.addEventListener("change", (event) => {
    if (event.target !== all) follow();
  });
  follow();
});
