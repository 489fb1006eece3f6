// A table wider than the screen scrolls inside its DSFR wrapper. A keyboard user scrolls
// it once it can take the focus: the scrolling box is made focusable, and named after the
// table's caption, only while it does scroll (RGAA 7.3, WCAG 2.1.1). A table that scrolls
// itself (the older `.fr-table > table` markup) keeps its role and its caption as name.
(function () {
  "use strict";
  var SCROLLERS = ".fr-table__container, .fr-table > table";

  function update() {
    document.querySelectorAll(SCROLLERS).forEach(function (box) {
      var scrolls = box.scrollWidth > box.clientWidth;
      var isTable = box.tagName === "TABLE";
      if (scrolls && !box.hasAttribute("tabindex")) {
        box.setAttribute("tabindex", "0");
        if (isTable) return;
        var caption = box.querySelector("caption");
        box.setAttribute("role", "region");
        box.setAttribute(
          "aria-label",
          (caption ? caption.textContent.trim() + " : " : "") + "tableau défilant horizontalement"
        );
      } else if (!scrolls && box.getAttribute("tabindex") === "0") {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
      }
    });
  }

  update();
  window.addEventListener("load", update);
  var pending = null;
  window.addEventListener("resize", function () {
    window.clearTimeout(pending);
    pending = window.setTimeout(update, 100);
  });
})();
