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

// Registration: "Cek NIB di OSS" swaps in a result line carrying what OSS said; copy the company name into its
// field (never the NPWP: anyone may ask, see accounts/views/registration.py). Without JavaScript the server fills them in itself (accounts/views/registration.py).
(function () {
  "use strict";
  document.addEventListener("htmx:afterSwap", function () {
    var result = document.getElementById("nib-check-result");
    if (!result || result.dataset.state !== "found") { return; }
    var pairs = [["id_company_name", result.dataset.companyName]];
    pairs.forEach(function (pair) {
      var input = document.getElementById(pair[0]);
      if (input && pair[1]) { input.value = pair[1]; }
    });
  });
})();
