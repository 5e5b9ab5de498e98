// The read edition: the language switch keeps the reader's place (the
// paragraph in the address, or else the first one on screen), and a
// paragraph's ¶ link also copies its address.
(function () {
  "use strict";
  function placeOnScreen() {
    if (location.hash) return location.hash;
    var paragraphs = document.querySelectorAll(".para[id]");
    for (var i = 0; i < paragraphs.length; i++) {
      if (paragraphs[i].getBoundingClientRect().bottom > 0) return "#" + paragraphs[i].id;
    }
    return "";
  }
  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a") : null;
    if (!link) return;
    if (link.hasAttribute("data-keep-place")) {
      link.href = link.href.split("#")[0] + placeOnScreen();
    } else if (link.classList.contains("copy-link") && navigator.clipboard) {
      navigator.clipboard.writeText(link.href).catch(function () {});
    }
  });
})();
