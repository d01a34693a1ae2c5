// The admin's autocomplete (Select2) draws its own search box without a label, which screen readers
// then announce as a nameless field (axe: "label"). Name each box after the field it belongs to; Select2
// redraws the box after every choice, so keep watching.
(function () {
  "use strict";
  function labelSearchBoxes(root) {
    root.querySelectorAll(".select2-container .select2-search__field:not([aria-label])").forEach(function (box) {
      var container = box.closest(".select2-container");
      var select = container && container.previousElementSibling;
      var label = select && select.id && document.querySelector("label[for='" + select.id + "']");
      box.setAttribute("aria-label", label ? label.textContent.replace(/:\s*$/, "").trim() : "Zoeken");
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    labelSearchBoxes(document);
    new MutationObserver(function () { labelSearchBoxes(document); })
      .observe(document.body, { childList: true, subtree: true });
  });
})();
