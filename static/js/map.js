// Province choropleth (SVG) drawn with the vendored d3-geo + topojson-client. Each figure
// [data-province-map] names a json_script with {title, highlight, regions: [{code, label, value?,
// hidden}], labels}; only cells shown by the server's disclosure control carry a value, hidden ones
// are hatched ("tidak ditampilkan"), provinces absent from the list are grey ("tidak ada data").
// The table next to the map is the accessible form of the same figures.
(function () {
  "use strict";
  var NS = "http://www.w3.org/2000/svg";
  var COLOURS = ["#deebf7", "#9ecae1", "#6baed6", "#3182bd", "#08519c"];
  var NONE = "#dee2e6";
  var topologies = {};

  function el(name, attrs) {
    var node = document.createElementNS(NS, name);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    return node;
  }

  // Class limits: quantiles of the shown values, each limit once (few provinces give few classes).
  function breaks(values) {
    var sorted = values.slice().sort(function (a, b) { return a - b; });
    var out = [];
    for (var i = 1; i < COLOURS.length; i++) {
      var cut = sorted[Math.floor((i * sorted.length) / COLOURS.length)];
      if (cut > sorted[0] && out.indexOf(cut) < 0) { out.push(cut); }
    }
    return out;
  }

  // The colour of class ``i`` of ``cuts.length + 1`` classes, spread over the whole ramp.
  function classColour(i, cuts) {
    return COLOURS[cuts.length ? Math.round((i * (COLOURS.length - 1)) / cuts.length) : COLOURS.length - 1];
  }

  function colourOf(value, cuts) {
    var i = 0;
    while (i < cuts.length && value >= cuts[i]) { i++; }
    return classColour(i, cuts);
  }

  function fmt(value) { return Number(value).toLocaleString("id-ID"); }

  function legendItem(legend, fill, text) {
    var item = document.createElement("span");
    item.className = "me-3 d-inline-flex align-items-center";
    var swatch = document.createElement("span");
    swatch.className = "province-map-swatch me-1";
    if (fill === "hatch") { swatch.classList.add("province-map-hatch"); } else { swatch.style.background = fill; }
    item.appendChild(swatch);
    item.appendChild(document.createTextNode(text));
    legend.appendChild(item);
  }

  function draw(figure, topology, data) {
    var canvas = figure.querySelector(".province-map-canvas");
    var width = 800, height = 340;
    var features = window.topojson.feature(topology, topology.objects.provinces).features;
    var projection = window.d3.geoMercator().fitSize([width, height], { type: "FeatureCollection", features: features });
    var path = window.d3.geoPath(projection);
    var byCode = {};
    data.regions.forEach(function (r) { byCode[r.code] = r; });
    var values = data.regions.filter(function (r) { return !r.hidden; }).map(function (r) { return r.value; });
    var cuts = breaks(values);

    var svg = el("svg", { viewBox: "0 0 " + width + " " + height, class: "province-map-svg", role: "img",
                          "aria-label": data.labels.map + ": " + data.title });
    var defs = el("defs");
    var pattern = el("pattern", { id: figure.dataset.provinceMap + "-hatch", width: 6, height: 6,
                                  patternUnits: "userSpaceOnUse", patternTransform: "rotate(45)" });
    pattern.appendChild(el("rect", { width: 6, height: 6, fill: "#f8f9fa" }));
    pattern.appendChild(el("line", { x1: 0, y1: 0, x2: 0, y2: 6, stroke: "#868e96", "stroke-width": 2 }));
    defs.appendChild(pattern);
    svg.appendChild(defs);

    features.forEach(function (feature) {
      var code = String(feature.id);
      var region = byCode[code];
      var name = region ? region.label : feature.properties.PROVINSI;
      var fill = NONE, text = data.labels.none;
      if (region && region.hidden) {
        fill = "url(#" + figure.dataset.provinceMap + "-hatch)"; text = data.labels.hidden;
      } else if (region) {
        fill = colourOf(region.value, cuts); text = fmt(region.value);
      }
      var shape = el("path", { d: path(feature), fill: fill, stroke: code === data.highlight ? "#212529" : "#ffffff",
                               "stroke-width": code === data.highlight ? 1.5 : 0.5, "data-code": code });
      var title = el("title");
      title.textContent = name + ": " + text;
      shape.appendChild(title);
      svg.appendChild(shape);
    });
    canvas.appendChild(svg);

    var legend = document.createElement("div");
    legend.className = "small mt-1 province-map-legend";
    if (values.length) {
      var lower = Math.min.apply(null, values);
      [lower].concat(cuts).forEach(function (cut, i) {
        legendItem(legend, classColour(i, cuts), "≥ " + fmt(cut));
      });
    }
    legendItem(legend, "hatch", data.labels.hidden);
    legendItem(legend, NONE, data.labels.none);
    canvas.appendChild(legend);
  }

  function load(url) {
    if (!topologies[url]) {
      topologies[url] = fetch(url, { credentials: "same-origin" }).then(function (r) { return r.json(); });
    }
    return topologies[url];
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (!window.d3 || !window.topojson) { return; }
    document.querySelectorAll("[data-province-map]").forEach(function (figure) {
      var source = document.getElementById(figure.dataset.provinceMap);
      if (!source) { return; }
      var data = JSON.parse(source.textContent);
      load(figure.dataset.topology).then(function (topology) { draw(figure, topology, data); });
    });
  });
})();
