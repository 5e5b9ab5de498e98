// A table wider than the screen scrolls within itself (see parasat.css): such a
// table takes a place in the Tab order, so it can be scrolled from the keyboard.
"use strict";

(function () {
  function follow() {
    document.querySelectorAll("table.table").forEach(function (table) {
      if (table.scrollWidth > table.clientWidth + 1) {
        table.tabIndex = 0;
        table.dataset.scrolls = "1";
      } else if (table.dataset.scrolls) {
        table.removeAttribute("tabindex");
        delete table.dataset.scrolls;
      }
    });
  }
  window.addEventListener("resize", follow);
  document.addEventListener("htmx:afterSettle", follow);
  follow();
})();
