// E-service forms: add table rows to a formset, and preview the TKDN-IK value while typing.
// The server recomputes every figure; this only helps the user see it before saving.
(function () {
  "use strict";

  function addRow(fieldset) {
    var table = fieldset.querySelector(".js-formset");
    var template = fieldset.querySelector(".js-formset-template");
    var prefix = table.dataset.prefix;
    var total = fieldset.querySelector("input[name='" + prefix + "-TOTAL_FORMS']");
    var index = parseInt(total.value, 10);
    var html = template.innerHTML.replace(/__prefix__/g, String(index));
    table.querySelector("tbody").insertAdjacentHTML("beforeend", html);
    total.value = String(index + 1);
  }

  function number(input) {
    var value = parseFloat((input && input.value || "").replace(",", "."));
    return isNaN(value) ? 0 : value;
  }

  function previewTkdnIk(form) {
    var out = document.getElementById("tkdn-ik-preview");
    if (!out) { return; }
    var domestic = 0;
    var foreign = 0;
    form.querySelectorAll("tr.js-formset-row").forEach(function (row) {
      var del = row.querySelector("input[name$='-DELETE']");
      if (del && del.checked) { return; }
      domestic += number(row.querySelector("input[name$='-domestic_cost']"));
      foreign += number(row.querySelector("input[name$='-foreign_cost']"));
    });
    var total = domestic + foreign;
    out.textContent = total > 0 ? (Math.round(domestic / total * 10000) / 100).toFixed(2).replace(".", ",") + "%" : "—";
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest(".js-formset-add") : null;
    if (button) {
      addRow(button.closest("fieldset"));
    }
  });

  var form = document.getElementById("service-form");
  if (form && form.dataset.service === "tkdn-ik") {
    form.addEventListener("input", function () { previewTkdnIk(form); });
    form.addEventListener("change", function () { previewTkdnIk(form); });
    previewTkdnIk(form);
  }
})();
