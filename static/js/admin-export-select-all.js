// "Alle kolommen" on the admin's export screens (templates/admin/import_export/export_nl.html):
// ticks or clears every column checkbox. A file of its own, so the Content-Security-Policy needs no
// inline handler for it.
document.addEventListener("DOMContentLoaded", function () {
  var toggle = document.getElementById("select-all-toggle");
  if (!toggle) return;
  var boxes = document.querySelectorAll("input[type=checkbox][data-export-column]");
  toggle.addEventListener("change", function () {
    boxes.forEach(function (box) { box.checked = toggle.checked; });
  });
});
