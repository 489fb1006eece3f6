// Warn before leaving a page whose form (marked data-warn-unsaved) has unsaved changes.
// A form whose draft its own script saved (event "bpp:draft-saved") has none left.
(function () {
  document.querySelectorAll("form[data-warn-unsaved]").forEach(function (form) {
    var dirty = false;
    form.addEventListener("input", function () { dirty = true; });
    form.addEventListener("change", function () { dirty = true; });
    form.addEventListener("submit", function () { dirty = false; });
    form.addEventListener("bpp:draft-saved", function () { dirty = false; });
    window.addEventListener("beforeunload", function (event) {
      if (dirty) {
        event.preventDefault();
        event.returnValue = "";
      }
    });
  });
})();
