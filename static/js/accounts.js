// Accounts pages: add a row to a formset table (Kapasitas Produksi). The page works without it
// (one empty row is always rendered); this only saves a round trip.
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target.closest(".js-add-row");
    if (!button) { return; }
    var prefix = button.dataset.prefix;
    var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
    var template = document.getElementById(button.dataset.template);
    var target = document.getElementById(button.dataset.target);
    if (!total || !template || !target) { return; }
    var index = parseInt(total.value, 10);
    var html = template.innerHTML.replace(/__prefix__/g, String(index));
    target.insertAdjacentHTML("beforeend", html);
    total.value = String(index + 1);
  });
})();
