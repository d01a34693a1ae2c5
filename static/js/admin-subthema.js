// Sub-topic choices follow the chosen theme in the obstacle forms of the admin.
// Each sub-topic <option> carries data-thema (rendered by belemmeringen.forms.SubthemaSelect); the
// theme select is the field with the same name minus "sub" (e.g. belemmeringen-0-subthema ->
// belemmeringen-0-thema). The server checks the pair as well; this only makes a wrong pair hard to pick.
(function () {
  "use strict";

  function themaSelectFor(subSelect) {
    var name = subSelect.name.replace(/subthema$/, "thema");
    return subSelect.form ? subSelect.form.elements.namedItem(name) : null;
  }

  function filter(subSelect) {
    var themaSelect = themaSelectFor(subSelect);
    if (!themaSelect) { return; }
    var thema = themaSelect.value;
    Array.prototype.forEach.call(subSelect.options, function (option) {
      if (!option.value) { return; }  // the empty choice stays available
      var fits = !thema || option.getAttribute("data-thema") === thema;
      option.hidden = !fits;
      option.disabled = !fits;
      if (!fits && option.selected) { subSelect.value = ""; }
    });
  }

  function filterAll(root) {
    Array.prototype.forEach.call((root || document).querySelectorAll("select[data-subthema]"), filter);
  }

  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target.tagName !== "SELECT" || !/(^|-)thema$/.test(target.name)) { return; }
    var sub = target.form && target.form.elements.namedItem(target.name.replace(/thema$/, "subthema"));
    if (sub && sub.hasAttribute("data-subthema")) { filter(sub); }
  });
  // Rows added with "Nog een ... toevoegen" in an inline.
  document.addEventListener("formset:added", function (event) { filterAll(event.target); });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { filterAll(); });
  } else {
    filterAll();
  }
})();
