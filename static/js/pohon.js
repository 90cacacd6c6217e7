// Pohon Industri graph, drawn with the vendored cytoscape. The page's json_script (#pohon-graph-data)
// holds {start, nodes: [{id, name, hs_code, level, factories, directory}], edges: [{source, target,
// factories, origin}]}; counts arrive already protected as text ("<3"). Nodes are laid out in columns
// by level (upstream left, the chosen product in the middle, downstream right). Clicking a node browses
// from it, keeping the direction and depth. The tables under the graph carry the same content.
(function () {
  "use strict";
  var box = document.getElementById("pohon-graph");
  var source = box && document.getElementById(box.dataset.source);
  if (!box || !source || typeof cytoscape !== "function") { return; }
  var data = JSON.parse(source.textContent);
  var columns = {};
  var elements = [];
  data.nodes.forEach(function (n) {
    var row = (columns[n.level] = (columns[n.level] || 0) + 1) - 1;
    elements.push({
      group: "nodes",
      data: { id: n.id, label: n.name + "\n(" + n.factories + ")", start: data.start.indexOf(n.id) >= 0 ? 1 : 0 },
      position: { x: n.level * 260, y: row * 90 }
    });
  });
  data.edges.forEach(function (e, i) {
    elements.push({ group: "edges", data: { id: "e" + i, source: e.source, target: e.target, label: e.factories === "–" ? "" : e.factories, origin: e.origin } });
  });
  var cy = cytoscape({
    container: box,
    elements: elements,
    layout: { name: "preset", fit: true, padding: 30 },
    wheelSensitivity: 0.3,
    style: [
      { selector: "node", style: {
        "shape": "round-rectangle", "width": 170, "height": 50, "background-color": "#e7f1ff", "border-width": 1,
        "border-color": "#0d6efd", "label": "data(label)", "text-wrap": "wrap", "text-max-width": 160,
        "text-valign": "center", "text-halign": "center", "font-size": 11, "color": "#212529"
      } },
      { selector: "node[start = 1]", style: { "background-color": "#0d6efd", "color": "#fff", "border-width": 2 } },
      { selector: "edge", style: {
        "curve-style": "bezier", "target-arrow-shape": "triangle", "width": 2, "line-color": "#495057",
        "target-arrow-color": "#495057", "label": "data(label)", "font-size": 10, "text-background-color": "#fff",
        "text-background-opacity": 1
      } },
      { selector: "edge[origin = 'curated']", style: { "line-style": "dashed", "line-color": "#6f42c1", "target-arrow-color": "#6f42c1" } },
      { selector: "edge[origin = 'both']", style: { "line-color": "#6f42c1", "target-arrow-color": "#6f42c1" } }
    ]
  });
  cy.on("tap", "node", function (event) {
    var params = new URLSearchParams(window.location.search);
    params.delete("cari");
    params.delete("kbli");
    params.set("produk", event.target.id());
    window.location.search = params.toString();
  });
})();
