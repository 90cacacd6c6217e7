// Repeating tables of the report sections: add a row from the formset's empty form, and grey out a
// row marked for deletion. The page works without this (one blank row can be added per save).
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target.closest(".js-add-row");
    if (!button) { return; }
    var prefix = button.dataset.prefix;
    var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
    var template = document.getElementById(prefix + "-template");
    var body = document.querySelector('table[data-formset="' + prefix + '"] tbody');
    if (!total || !template || !body) { return; }
    var index = parseInt(total.value, 10);
    var html = template.innerHTML.replace(/__prefix__/g, String(index));
    body.insertAdjacentHTML("beforeend", html);
    total.value = String(index + 1);
    var first = body.lastElementChild && body.lastElementChild.querySelector("input, select, textarea");
    if (first) { first.focus(); }
  });
  document.addEventListener("change", function (event) {
    var box = event.target;
    if (box.name && /-DELETE$/.test(box.name)) {
      var row = box.closest("tr");
      if (row) {
        // Struck through on a light red, not faded: the text keeps its contrast (WCAG AA).
        row.classList.toggle("table-danger", box.checked);
        row.classList.toggle("text-decoration-line-through", box.checked);
      }
    }
  });
})();
