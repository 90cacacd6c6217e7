// IKI series chart: data comes from a json_script element (no inline script, CSP 'self').
(function () {
  "use strict";
  var canvas = document.getElementById("iki-series-chart");
  var source = document.getElementById("iki-series-data");
  if (!canvas || !source || typeof window.Chart === "undefined") {
    return;
  }
  var series = JSON.parse(source.textContent);
  var labels = series.map(function (s) { return s.label || s.period; });
  function line(label, key, color, hidden) {
    return {
      label: label,
      data: series.map(function (s) { return s[key]; }),
      borderColor: color,
      backgroundColor: color,
      hidden: !!hidden,
      spanGaps: false,
      tension: 0.2
    };
  }
  var isEnglish = document.documentElement.lang === "en";
  new window.Chart(canvas, {
    type: "line",
    data: {
      labels: labels,
      datasets: [
        line("IKI", "iki", "#0b3d91"),
        line(isEnglish ? "New orders (V1)" : "Pesanan baru (V1)", "v_orders", "#2e7d32", true),
        line(isEnglish ? "Production (V2)" : "Produksi (V2)", "v_production", "#ef6c00", true),
        line(isEnglish ? "Inventory (V3)" : "Persediaan (V3)", "v_stock", "#6a1b9a", true),
        {
          label: isEnglish ? "Threshold 50" : "Batas 50",
          data: labels.map(function () { return 50; }),
          borderColor: "#b02a37",
          borderDash: [6, 4],
          pointRadius: 0,
          borderWidth: 1
        }
      ]
    },
    options: {
      maintainAspectRatio: false,
      interaction: { mode: "index", intersect: false },
      scales: { y: { suggestedMin: 40, suggestedMax: 60 } }
    }
  });
})();
