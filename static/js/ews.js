// "Peringatan dini" charts. One json_script element (CSP: no inline script) maps each canvas's
// data-chart key to {title, type, labels, series: [{label, values}]}: aggregates only, built on the server.
(function () {
  "use strict";
  var PALETTE = ["#c62828", "#0b3d91", "#9e9e9e"];

  document.addEventListener("DOMContentLoaded", function () {
    var source = document.getElementById("ews-charts");
    if (!window.Chart || !source) { return; }
    var charts = JSON.parse(source.textContent);
    document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      var chart = charts[canvas.dataset.chart];
      if (!chart) { return; }
      new window.Chart(canvas, {
        type: chart.type || "line",
        data: {
          labels: chart.labels,
          datasets: chart.series.map(function (s, i) {
            return { label: s.label, data: s.values, borderColor: PALETTE[i % PALETTE.length],
                     backgroundColor: PALETTE[i % PALETTE.length], pointRadius: i === 0 ? 2 : 0,
                     borderDash: i === 0 ? [] : [4, 4] };
          })
        },
        options: { responsive: true, maintainAspectRatio: false, animation: false,
                   plugins: { legend: { display: chart.series.length > 1 } },
                   scales: { y: { beginAtZero: chart.type === "bar" } } }
      });
    });
  });
})();
