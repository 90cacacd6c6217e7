// Pemda dashboard charts. Data comes from a json_script element (CSP: no inline script), only
// aggregates that passed the n >= 3 rule on the server. Each chart: {title, labels, values} or
// {title, type: "line", labels, series: [{label, values}]}.
(function () {
  "use strict";
  var PALETTE = ["#0b3d91", "#1565c0", "#2e7d32", "#f9a825", "#c62828", "#6a1b9a", "#00838f", "#5d4037"];

  function datasetsOf(chart) {
    if (chart.series) {
      return chart.series.map(function (s, i) {
        return { label: s.label, data: s.values, borderColor: PALETTE[i % PALETTE.length],
                 backgroundColor: PALETTE[i % PALETTE.length], spanGaps: false };
      });
    }
    return [{ label: chart.title, data: chart.values, backgroundColor: PALETTE[0] }];
  }

  function render(area, chart, index) {
    var col = document.createElement("div");
    col.className = "col-lg-6";
    var figure = document.createElement("figure");
    figure.className = "chart-box border rounded p-2";
    var caption = document.createElement("figcaption");
    caption.className = "small fw-semibold";
    caption.textContent = chart.title;
    var canvas = document.createElement("canvas");
    canvas.id = area.id + "-" + index;
    canvas.setAttribute("role", "img");
    canvas.setAttribute("aria-label", chart.title);
    figure.appendChild(caption);
    figure.appendChild(canvas);
    col.appendChild(figure);
    area.appendChild(col);
    new window.Chart(canvas, {
      type: chart.type || "bar",
      data: { labels: chart.labels, datasets: datasetsOf(chart) },
      options: { responsive: true, maintainAspectRatio: false, animation: false,
                 plugins: { legend: { display: !!chart.series } },
                 scales: { y: { beginAtZero: true, ticks: { precision: chart.series ? undefined : 0 } } } }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (!window.Chart) { return; }
    document.querySelectorAll("[data-source]").forEach(function (area) {
      var source = document.getElementById(area.dataset.source);
      if (!source) { return; }
      JSON.parse(source.textContent).forEach(function (chart, i) { render(area, chart, i); });
    });
  });
})();
