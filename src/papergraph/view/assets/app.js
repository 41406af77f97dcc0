// papergraph map: wires the embedded graph (the JSON in the script element #pg-data) to
// the canvas renderer (canvas.js), the search box, the type filter, the colour switch, the hover
// tooltip and the details panel. Every string from the data reaches the page through
// textContent or canvas text, never through innerHTML.
//
// State for tests and curious users: window.pgView ({ready, total, shown, highlighted, selected,
// search(q), select(i), screenPos(i), canvas}) and data-* attributes on #pg-graph
// (data-shown, data-total, data-highlighted = JSON list of concept ids, data-selected).
(function () {
  "use strict";
  const data = JSON.parse(document.getElementById("pg-data").textContent);
  const concepts = data.concepts, papers = data.papers;
  const $ = (id) => document.getElementById(id);
  const graphBox = $("pg-graph");
  const NO_COMMUNITY = "#bbbbbb", OTHER_TYPE = "#787878";

  function el(tag, text, cls) {
    const e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }
  const plural = (n, one, many) => n + " " + (n === 1 ? one : many || one + "s");
  const typeColour = (c) => data.type_colors[c.type] || OTHER_TYPE;
  const communityColour = (c) =>
    c.community < 0 ? NO_COMMUNITY : data.community_colors[c.community % data.community_colors.length];
  let colourOf = typeColour;

  const gc = new window.PgGraphCanvas(graphBox, {
    nodes: concepts.map((c) => ({ x: c.x, y: c.y, r: 3 + 2.2 * Math.log2(1 + c.papers), label: c.name })),
    links: data.links.map((l) => ({ a: l.a, b: l.b, w: l.w, from: l.rels.length ? l.rels[0][0] : -1 })),
  });
  gc.colour = (i) => colourOf(concepts[i]);

  const view = { ready: false, total: concepts.length, shown: concepts.length, highlighted: [], selected: -1,
                 canvas: gc, screenPos: (i) => gc.screenPos(i) };
  window.pgView = view;

  function publish() {
    graphBox.dataset.total = String(view.total);
    graphBox.dataset.shown = String(view.shown);
    graphBox.dataset.highlighted = JSON.stringify(view.highlighted.map((i) => concepts[i].id));
    graphBox.dataset.selected = view.selected >= 0 ? concepts[view.selected].id : "";
  }

  // --- type filter, doubling as the legend, and the count of shown concepts ---
  const hiddenTypes = new Set();
  const typeCounts = {};
  concepts.forEach((c) => { typeCounts[c.type] = (typeCounts[c.type] || 0) + 1; });
  function applyFilter() {
    concepts.forEach((c, i) => { gc.visible[i] = !hiddenTypes.has(c.type); });
    view.shown = gc.visible.filter(Boolean).length;
    $("pg-count").textContent = "Showing " + view.shown + " of " + plural(view.total, "concept")
      + ", " + plural(data.links.length, "link");
    if (view.selected >= 0 && !gc.visible[view.selected]) select(-1);
    view.highlighted = view.highlighted.filter((i) => gc.visible[i]);
    gc.marked = new Set(view.highlighted);
    publish();
    gc.requestDraw();
  }
  Object.keys(typeCounts).sort().forEach((t) => {
    const label = el("label"), box = el("input"), swatch = el("span", null, "pg-swatch");
    box.type = "checkbox"; box.checked = true; box.value = t;
    swatch.style.background = data.type_colors[t] || OTHER_TYPE;
    box.addEventListener("change", () => {
      if (box.checked) hiddenTypes.delete(t); else hiddenTypes.add(t);
      applyFilter();
    });
    label.append(box, swatch, el("span", t + " (" + typeCounts[t] + ")"));
    $("pg-filters").append(label);
  });

  // --- colour by type or community ---
  $("pg-colour").addEventListener("change", (ev) => {
    colourOf = ev.target.value === "community" ? communityColour : typeColour;
    document.querySelectorAll("#pg-filters .pg-swatch").forEach((s) => {
      s.style.visibility = ev.target.value === "community" ? "hidden" : "visible";
    });
    if (view.selected < 0) showOverview();
    gc.requestDraw();
  });

  // --- search: name or alias, exact matches first, then by paper count ---
  function search(q) {
    q = q.trim().toLowerCase();
    const hits = [];
    if (q) {
      concepts.forEach((c, i) => {
        if (!gc.visible[i]) return;
        const names = [c.name].concat(c.aliases).map((s) => s.toLowerCase());
        if (names.includes(q)) hits.push([0, i]);
        else if (names.some((s) => s.includes(q))) hits.push([1, i]);
      });
    }
    hits.sort((a, b) => a[0] - b[0] || concepts[b[1]].papers - concepts[a[1]].papers || a[1] - b[1]);
    view.highlighted = hits.map((h) => h[1]);
    gc.marked = new Set(view.highlighted);
    $("pg-matches").textContent = q ? plural(hits.length, "match", "matches") : "";
    if (hits.length) { gc.centreOn(hits[0][1], 3); select(hits[0][1]); } else { select(-1); }
    publish();
    gc.requestDraw();
    return view.highlighted.map((i) => concepts[i].id);
  }
  view.search = search;
  let cycle = 0;
  $("pg-search").addEventListener("input", (ev) => { cycle = 0; search(ev.target.value); });
  $("pg-search").addEventListener("keydown", (ev) => {
    if (ev.key === "Enter" && view.highlighted.length) {  // Enter: go to the next match
      cycle = (cycle + 1) % view.highlighted.length;
      gc.centreOn(view.highlighted[cycle], 3);
      select(view.highlighted[cycle]);
    } else if (ev.key === "Escape") {
      ev.target.value = "";
      search("");
    }
  });

  // --- details panel ---
  function select(i) {
    view.selected = i;
    gc.selected = i;
    if (i >= 0) showConcept(i); else showOverview();
    publish();
    gc.requestDraw();
  }
  view.select = select;

  function conceptButton(j) {
    const b = el("button", concepts[j].name, "pg-link");
    b.type = "button";
    b.addEventListener("click", () => { gc.centreOn(j, 1); select(j); });
    return b;
  }

  function showConcept(i) {
    const c = concepts[i], box = $("pg-details");
    box.replaceChildren(el("h2", c.name));
    let meta = c.type + " \u00b7 " + plural(c.papers, "paper");
    const com = data.communities[c.community];
    if (c.community >= 0 && com) meta += " \u00b7 community " + c.community + ": " + com.label;
    box.append(el("p", meta, "pg-meta"));
    if (c.aliases.length) box.append(el("p", "Also: " + c.aliases.join("; "), "pg-meta"));
    const near = gc.adj[i].filter((j) => gc.visible[j])
      .sort((a, b) => concepts[b].papers - concepts[a].papers).slice(0, 12);
    if (near.length) {
      const p = el("p", "Linked: ", "pg-near");
      near.forEach((j) => p.append(conceptButton(j)));
      box.append(p);
    }
    box.append(el("h3", "Papers"));
    const list = el("ol", null, "pg-papers");
    c.named.forEach(([pi, role, evidence]) => {
      const p = papers[pi], li = el("li");
      let title;
      if (/^https?:\/\//i.test(p.url)) {
        title = el("a", p.title); title.href = p.url; title.target = "_blank"; title.rel = "noopener noreferrer";
      } else {
        title = el("span", p.title, "pg-title");
      }
      li.append(el("span", role.toLowerCase().replace(/_/g, " "), "pg-role"), title);
      if (p.date) li.append(el("span", " (" + p.date + ")", "pg-meta"));
      if (evidence) li.append(el("p", evidence, "pg-evidence"));
      list.append(li);
    });
    box.append(list);
  }

  function showOverview() {
    const box = $("pg-details");
    box.replaceChildren(el("p", "Click a concept to list its papers. Drag to pan, scroll to zoom.", "pg-hint"));
    if (!data.communities.length) return;
    box.append(el("h2", "Largest communities"));
    const list = el("ol", null, "pg-communities");
    data.communities.slice(0, 15).forEach((m) => {
      const li = el("li"), swatch = el("span", null, "pg-swatch");
      swatch.style.background = communityColour({ community: m.id });
      li.append(swatch, el("span", " " + m.label + " (" + m.size + ")"));
      list.append(li);
    });
    box.append(list);
  }

  gc.on("click", (i) => select(i));

  // --- hover: name, type and aliases ---
  const tip = $("pg-tooltip");
  gc.on("hover", (i, x, y) => {
    if (i < 0) { tip.hidden = true; return; }
    const c = concepts[i];
    tip.replaceChildren(el("strong", c.name), el("div", c.type + ", " + plural(c.papers, "paper")));
    if (c.aliases.length) tip.append(el("div", "Aliases: " + c.aliases.join("; ")));
    tip.style.left = (x + 14) + "px";
    tip.style.top = (y + 14) + "px";
    tip.hidden = false;
  });

  // --- zoom buttons ---
  const zoom = (f) => gc.zoomAt(f, gc.width / 2, gc.height / 2);
  $("pg-zoom-in").addEventListener("click", () => zoom(1.4));
  $("pg-zoom-out").addEventListener("click", () => zoom(1 / 1.4));
  $("pg-fit").addEventListener("click", () => gc.fit());

  $("pg-title").textContent = data.title;
  applyFilter();
  showOverview();
  gc.draw();
  view.ready = true;
})();
