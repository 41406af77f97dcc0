// papergraph map: wires the embedded graph (the JSON in the script element #pg-data) to
// the canvas renderer (canvas.js) and its overview inset (overview.js), the concept search, the
// type filter, the colour switch, the tooltip, the details panel and the papers tab. Every
// string from the data reaches the page through textContent or canvas text, never innerHTML.
//
// State for tests and curious users: window.pgView ({ready, total, shown, links, highlighted,
// selected, search(q), select(i), searchPapers(q), openPaper(j), labels(), screenPos(i), canvas})
// and data-* attributes on #pg-graph (data-shown, data-total, data-links, data-highlighted =
// JSON list of concept ids, data-selected).
(function () {
  "use strict";
  const data = JSON.parse(document.getElementById("pg-data").textContent);
  const concepts = data.concepts, papers = data.papers;
  const $ = (id) => document.getElementById(id);
  const graphBox = $("pg-graph");
  const OTHER_TYPE = "#787878", START_CORE = 60, MAX_PAPERS_LISTED = 200;

  function el(tag, text, cls) {
    const e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }
  const plural = (n, one, many) => n + " " + (n === 1 ? one : many || one + "s");
  const typeColour = (c) => data.type_colors[c.type] || OTHER_TYPE;
  const groupColour = (c) => (data.groups[c.group] || { color: OTHER_TYPE }).color;
  let colourOf = typeColour;

  // the concepts each paper names: paper index -> [[concept index, role], ...]
  const paperConcepts = papers.map(() => []);
  concepts.forEach((c, i) => c.named.forEach(([pi, role]) => paperConcepts[pi].push([i, role])));

  const gc = new window.PgGraphCanvas(graphBox, {
    nodes: concepts.map((c) => ({ x: c.x, y: c.y, r: 2.5 + 1.8 * Math.log2(1 + c.papers), label: c.name })),
    links: data.links.map((l) => ({ a: l.a, b: l.b, w: l.w, from: l.rels.length ? l.rels[0][0] : -1 })),
  });
  gc.colour = (i) => colourOf(concepts[i]);
  const overview = new window.PgOverview(graphBox, gc);
  function reserve() {  // keep labels off the overview inset and the zoom buttons
    const at = gc.canvas.getBoundingClientRect();
    gc.reserved = [overview.box, $("pg-zoom")].map((e) => {
      const b = e.getBoundingClientRect();
      return [b.left - at.left - 4, b.top - at.top - 4, b.right - at.left + 4, b.bottom - at.top + 4];
    });
  }
  reserve();
  new ResizeObserver(() => { reserve(); gc.requestDraw(); }).observe(graphBox);

  const view = { ready: false, total: concepts.length, shown: concepts.length, links: data.links.length,
                 highlighted: [], selected: -1, canvas: gc, screenPos: (i) => gc.screenPos(i) };
  window.pgView = view;
  /** The labels the last frame drew: [{id, name, box: [left, top, right, bottom]}] in viewport px. */
  view.labels = () => {
    const b = gc.canvas.getBoundingClientRect();
    return gc.labels.map(({ i, box }) => ({ id: concepts[i].id, name: concepts[i].name,
      box: [box[0] + b.left, box[1] + b.top, box[2] + b.left, box[3] + b.top] }));
  };

  function publish() {
    graphBox.dataset.total = String(view.total);
    graphBox.dataset.shown = String(view.shown);
    graphBox.dataset.links = String(view.links);
    graphBox.dataset.highlighted = JSON.stringify(view.highlighted.map((i) => concepts[i].id));
    graphBox.dataset.selected = view.selected >= 0 ? concepts[view.selected].id : "";
  }

  // --- type filter, doubling as the legend, and the counts of shown concepts and links ---
  const hiddenTypes = new Set();
  const typeCounts = {};
  concepts.forEach((c) => { typeCounts[c.type] = (typeCounts[c.type] || 0) + 1; });
  function applyFilter() {
    concepts.forEach((c, i) => { gc.visible[i] = !hiddenTypes.has(c.type); });
    view.shown = gc.visible.filter(Boolean).length;
    view.links = data.links.filter((l) => gc.visible[l.a] && gc.visible[l.b]).length;
    $("pg-count").textContent = "Showing " + view.shown + " of " + plural(view.total, "concept")
      + ", " + plural(view.links, "link");
    if (view.selected >= 0 && !gc.visible[view.selected]) select(-1);
    view.highlighted = view.highlighted.filter((i) => gc.visible[i]);
    gc.marked = new Set(view.highlighted);
    overview.invalidate();
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
    colourOf = ev.target.value === "community" ? groupColour : typeColour;
    document.querySelectorAll("#pg-filters .pg-swatch").forEach((s) => {
      s.style.visibility = ev.target.value === "community" ? "hidden" : "visible";
    });
    overview.invalidate();
    if (view.selected < 0) showOverview();
    gc.requestDraw();
  });

  // --- search ranking, shared by concepts and papers: 0 exact, 1 starts with, 2 a word starts with ---
  const escapeRe = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  function matcher(q) {
    const word = new RegExp("(^|[^\\p{L}\\p{N}])" + escapeRe(q), "u");
    return (texts) => {
      let best = -1;
      for (const s of texts) {
        const r = s === q ? 0 : s.startsWith(q) ? 1 : word.test(s) ? 2 : -1;
        if (r >= 0 && (best < 0 || r < best)) best = r;
      }
      return best;
    };
  }
  const lowerNames = concepts.map((c) => [c.name].concat(c.aliases).map((s) => s.toLowerCase()));

  // --- concept search: exact name/alias, then prefix, then word prefix; by paper count within ---
  function search(q) {
    q = q.trim().toLowerCase();
    const hits = [];
    if (q) {
      const rank = matcher(q);
      concepts.forEach((c, i) => {
        if (!gc.visible[i]) return;
        const r = rank(lowerNames[i]);
        if (r >= 0) hits.push([r, i]);
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
  let cycle = 0;  // Enter goes to highlighted[cycle]: the best match first, then the next ones
  $("pg-search").addEventListener("input", (ev) => { cycle = 0; search(ev.target.value); });
  $("pg-search").addEventListener("keydown", (ev) => {
    if (ev.key === "Enter" && view.highlighted.length) {
      const i = view.highlighted[cycle % view.highlighted.length];
      cycle = (cycle + 1) % view.highlighted.length;
      gc.centreOn(i, 3);
      select(i);
    } else if (ev.key === "Escape") {
      ev.target.value = "";
      search("");
    }
  });

  // --- details panel and tabs ---
  function showTab(name) {
    document.querySelectorAll("#pg-tabs button").forEach((b) => b.setAttribute("aria-selected", String(b.value === name)));
    $("pg-details").hidden = name !== "details";
    $("pg-papers").hidden = name !== "papers";
  }
  document.querySelectorAll("#pg-tabs button").forEach((b) => b.addEventListener("click", () => showTab(b.value)));

  function select(i) {
    view.selected = i;
    gc.selected = i;
    if (i >= 0) { showConcept(i); showTab("details"); } else showOverview();
    publish();
    gc.requestDraw();
  }
  view.select = select;

  function conceptButton(j, note) {
    const b = el("button", concepts[j].name + (note ? " (" + note + ")" : ""), "pg-link");
    b.type = "button";
    b.addEventListener("click", () => { gc.centreOn(j, 1); select(j); });
    return b;
  }

  function paperTitle(p) {
    if (/^https?:\/\//i.test(p.url)) {
      const a = el("a", p.title || p.id);
      a.href = p.url; a.target = "_blank"; a.rel = "noopener noreferrer";
      return a;
    }
    return el("span", p.title || p.id, "pg-title");
  }

  function paperButton(pi) {
    const b = el("button", "details", "pg-link");
    b.type = "button";
    b.addEventListener("click", () => openPaper(pi));
    return b;
  }

  function showConcept(i) {
    const c = concepts[i], box = $("pg-details");
    box.replaceChildren(el("h2", c.name));
    let meta = c.type + " \u00b7 " + plural(c.papers, "paper");
    const group = data.groups[c.group];
    if (group) meta += " \u00b7 " + (group.community >= 0 ? "community: " + group.label : "other community");
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
      li.append(el("span", role.toLowerCase().replace(/_/g, " "), "pg-role"), paperTitle(p));
      if (p.date) li.append(el("span", " (" + p.date + ")", "pg-meta"));
      li.append(" ", paperButton(pi));
      if (evidence) li.append(el("p", evidence, "pg-evidence"));
      list.append(li);
    });
    box.append(list);
  }

  function showOverview() {
    const box = $("pg-details");
    box.replaceChildren(el("p", "Click a concept to list its papers. Drag to pan, scroll to zoom; "
      + "the inset shows where you are, \u201cfit\u201d shows everything.", "pg-hint"));
    if (data.groups.length <= 1 && !data.communities.length) return;
    box.append(el("h2", "Communities"));
    const list = el("ol", null, "pg-communities");
    data.groups.forEach((g) => {
      const li = el("li"), swatch = el("span", null, "pg-swatch");
      swatch.style.background = g.color;
      li.append(swatch, el("span", " " + g.label + " (" + g.size + ")"));
      list.append(li);
    });
    box.append(list);
  }

  // --- papers tab: search titles and ids, open a paper (its concepts marked on the map) ---
  const paperTexts = papers.map((p) => [p.title.toLowerCase(), p.id.toLowerCase()]);
  function searchPapers(q) {
    q = q.trim().toLowerCase();
    let hits = papers.map((_, j) => [0, j]);
    if (q) {
      const rank = matcher(q);
      hits = hits.map(([, j]) => [rank(paperTexts[j]), j]).filter((h) => h[0] >= 0);
      hits.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    }
    $("pg-paper-count").textContent = plural(hits.length, "paper") + (hits.length > MAX_PAPERS_LISTED
      ? ", the first " + MAX_PAPERS_LISTED + " listed" : "");
    const list = $("pg-paper-list");
    list.replaceChildren(...hits.slice(0, MAX_PAPERS_LISTED).map(([, j]) => {
      const p = papers[j], li = el("li");
      li.append(paperTitle(p), el("span", " " + [p.id, p.date].filter(Boolean).join(" \u00b7 "), "pg-meta"),
                " ", paperButton(j));
      return li;
    }));
    return hits.map(([, j]) => papers[j].id);
  }
  view.searchPapers = searchPapers;
  $("pg-paper-search").addEventListener("input", (ev) => searchPapers(ev.target.value));

  function openPaper(j) {
    const p = papers[j], named = paperConcepts[j].filter(([i]) => gc.visible[i]);
    select(-1);
    view.highlighted = named.map(([i]) => i);
    gc.marked = new Set(view.highlighted);
    if (named.length) gc.fitTo(view.highlighted);
    const box = $("pg-details");
    box.replaceChildren(el("h2", p.title || p.id));
    box.append(el("p", [p.id, p.date].filter(Boolean).join(" \u00b7 "), "pg-meta"));
    if (/^https?:\/\//i.test(p.url)) { const a = paperTitle(p); a.textContent = p.url; box.append(el("p", null, "pg-meta")); box.lastChild.append(a); }
    box.append(el("h3", plural(named.length, "concept") + " (marked on the map)"));
    const near = el("p", null, "pg-near");
    named.forEach(([i, role]) => near.append(conceptButton(i, role.toLowerCase().replace(/_/g, " "))));
    box.append(near);
    showTab("details");
    publish();
    gc.requestDraw();
  }
  view.openPaper = openPaper;

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
  searchPapers("");
  showTab("details");
  // Start on the most important concepts (the dense middle), not on the whole spread.
  gc.fitTo(concepts.slice(0, START_CORE).map((_, i) => i));
  gc.draw();
  view.ready = true;
})();
