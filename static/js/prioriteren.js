/* The running total on the ballot page (templates/prioritering/stembiljet_form.html). The form works
   without it: the server counts again and says what is wrong. The total is a polite live region, so a
   screen reader hears the new sum after each change without losing its place. */
document.addEventListener("DOMContentLoaded", function () {
  var form = document.querySelector("form.ballot[data-budget]");
  var output = document.getElementById("puntentotaal");
  if (!form || !output) {
    return;
  }
  var budget = parseInt(form.getAttribute("data-budget"), 10);
  var inputs = form.querySelectorAll("input.punten-invoer");
  output.setAttribute("aria-live", "polite");

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (match, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? String(values[key]) : match;
    });
  }

  function update() {
    var total = 0;
    for (var i = 0; i < inputs.length; i++) {
      var value = parseInt(inputs[i].value, 10);
      if (!isNaN(value) && value > 0) {
        total += value;
      }
    }
    var over = total - budget;
    var values = { total: total, budget: budget, left: Math.max(budget - total, 0), over: Math.max(over, 0) };
    var text = over > 0 ? output.getAttribute("data-text-over") : output.getAttribute("data-text");
    output.textContent = fill(text, values);
    output.classList.toggle("is-over", over > 0);
  }

  for (var i = 0; i < inputs.length; i++) {
    inputs[i].addEventListener("input", update);
  }
  update();
});
