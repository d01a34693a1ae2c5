/* Moves keyboard and screen-reader focus to the error summary when a form comes back with errors,
   so the list of problems is the first thing announced (WCAG 3.3.1). */
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.getElementById("foutoverzicht");
  if (summary) {
    summary.focus();
  }
});
