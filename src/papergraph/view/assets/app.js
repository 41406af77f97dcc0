// papergraph map: draws the embedded concept graph with vis-network.
// Data is read from <script id="pg-data" type="application/json">; every string from the data
// reaches the page through textContent or the canvas, never through innerHTML.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("pg-data").textContent);
  var concepts = data.concepts, papers = data.papers;
  var $ = function (id) { return document.getElementById(id); };
  var NO_COMMUNITY = "#bbbbbb";

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }
  function typeColour(c) { return data.type_colors[c.type] || "#787878"; }
  function communityColour(c) {
    return c.community < 0 ? NO_COMMUNITY : data.community_colors[c.community % data.community_colors.length];
  }
  var colourOf = typeColour;

  var nodes = new vis.DataSet(concepts.map(function (c, i) {
    return { id: i, label: c.name, x: c.x, y: c.y, color: typeColour(c),
             size: 6 + 4 * Math.log2(1 + c.papers) };
  }));
  var edges = new vis.DataSet(data.links.map(function (l, i) {
    var e = { id: i, from: l.a, to: l.b, width: 0.5 + Math.log2(1 + l.w), color: { color: "#cfcfcf" } };
    if (l.rels.length) {
      if (l.rels[0][0] !== l.a) { e.from = l.b; e.to = l.a; }
      e.color = { color: "#666666" };
      e.arrows = { to: { enabled: true, scaleFactor: 0.5 } };
    }
    return e;
  }));
  var network = new vis.Network($("pg-graph"), { nodes: nodes, edges: edges }, {
    physics: false,
    layout: { improvedLayout: false },
    interaction: { hover: true, hideEdgesOnDrag: concepts.length > 2000, tooltipDelay: 200 },
    nodes: { shape: "dot", font: { size: 12 }, borderWidth: 1 },
    edges: { smooth: false, selectionWidth: 2 }
  });

  // --- type filter and the count of shown concepts ---
  var hiddenTypes = {};
  function shown(c) { return !hiddenTypes[c.type]; }
  function updateCount() {
    var n = concepts.filter(shown).length;
    $("pg-count").textContent = "Showing " + n + " of " + concepts.length + " concepts";
    $("pg-count").dataset.shown = String(n);
    $("pg-count").dataset.total = String(concepts.length);
  }
  var typeCounts = {};
  concepts.forEach(function (c) { typeCounts[c.type] = (typeCounts[c.type] || 0) + 1; });
  Object.keys(typeCounts).sort().forEach(function (t) {
    var label = el("label"), box = el("input"), swatch = el("span", null, "pg-swatch");
    box.type = "checkbox"; box.checked = true; box.value = t;
    swatch.style.background = data.type_colors[t] || "#787878";
    box.addEventListener("change", function () {
      hiddenTypes[t] = !box.checked;
      nodes.update(concepts.map(function (c, i) { return { id: i, hidden: !shown(c) }; }));
      updateCount();
    });
    label.append(box, swatch, el("span", t + " (" + typeCounts[t] + ")"));
    $("pg-filters").append(label);
  });

  // --- colour by type or community ---
  $("pg-colour").addEventListener("change", function (ev) {
    colourOf = ev.target.value === "community" ? communityColour : typeColour;
    nodes.update(concepts.map(function (c, i) { return { id: i, color: colourOf(c) }; }));
  });

  // --- search ---
  var view = { network: network, highlighted: [] };
  window.pgView = view;
  function search(q) {
    q = q.trim().toLowerCase();
    var hits = [];
    if (q) {
      concepts.forEach(function (c, i) {
        if (!shown(c)) return;
        var names = [c.name].concat(c.aliases).map(function (s) { return s.toLowerCase(); });
        var exact = names.indexOf(q) >= 0;
        if (exact || names.some(function (s) { return s.indexOf(q) >= 0; })) hits.push([exact ? 0 : 1, i]);
      });
    }
    hits.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; });
    view.highlighted = hits.map(function (h) { return h[1]; });
    network.selectNodes(view.highlighted, false);
    $("pg-matches").textContent = q ? view.highlighted.length + " match" + (view.highlighted.length === 1 ? "" : "es") : "";
    if (view.highlighted.length) {
      network.focus(view.highlighted[0], { scale: 1.2, animation: false });
      showConcept(view.highlighted[0]);
    }
  }
  $("pg-search").addEventListener("input", function (ev) { search(ev.target.value); });

  // --- details panel ---
  function showConcept(i) {
    var c = concepts[i], box = $("pg-details");
    box.replaceChildren();
    box.dataset.concept = c.id;
    box.append(el("h2", c.name));
    var meta = c.type + " \u00b7 " + c.papers + " paper" + (c.papers === 1 ? "" : "s");
    var com = data.communities[c.community];
    if (c.community >= 0 && com) meta += " \u00b7 community " + c.community + ": " + com.label;
    box.append(el("p", meta, "pg-meta"));
    if (c.aliases.length) box.append(el("p", "Also: " + c.aliases.join("; "), "pg-meta"));
    var list = el("ol");
    c.named.forEach(function (t) {
      var p = papers[t[0]], li = el("li"), title;
      if (p.url) { title = el("a", p.title); title.href = p.url; title.target = "_blank"; title.rel = "noopener"; }
      else { title = el("span", p.title); }
      li.append(el("span", t[1].toLowerCase().replace(/_/g, " "), "pg-role"), title);
      if (p.date) li.append(el("span", " (" + p.date + ")", "pg-meta"));
      if (t[2]) li.append(el("p", t[2], "pg-evidence"));
      list.append(li);
    });
    box.append(list);
  }
  function showOverview() {
    var box = $("pg-details");
    box.replaceChildren(el("p", "Click a concept to list its papers.", "pg-hint"));
    if (!data.communities.length) return;
    box.append(el("h2", "Largest communities"));
    var list = el("ol");
    data.communities.slice(0, 15).forEach(function (m) { list.append(el("li", m.label + " (" + m.size + ")")); });
    box.append(list);
  }
  network.on("click", function (params) {
    if (params.nodes.length) showConcept(params.nodes[0]); else showOverview();
  });

  // --- hover: name, type and aliases ---
  var tip = $("pg-tooltip");
  network.on("hoverNode", function (params) {
    var c = concepts[params.node], rect = $("pg-graph").getBoundingClientRect();
    tip.replaceChildren(el("strong", c.name), el("div", c.type + ", " + c.papers + " paper(s)"));
    if (c.aliases.length) tip.append(el("div", "Aliases: " + c.aliases.join("; ")));
    tip.style.left = (rect.left + params.pointer.DOM.x + 12) + "px";
    tip.style.top = (rect.top + params.pointer.DOM.y + 12) + "px";
    tip.hidden = false;
  });
  network.on("blurNode", function () { tip.hidden = true; });

  $("pg-title").textContent = data.title;
  updateCount();
  showOverview();
  view.ready = true;
})();
