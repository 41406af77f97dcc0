// papergraph map renderer: circles and lines on a canvas element at positions computed in Python
// (papergraph.layout), with pan (drag), zoom (wheel, buttons), hit testing and non-overlapping
// labels. It knows nothing about papers; app.js wires it to the page. Labels are drawn with
// fillText, which never interprets markup.
//
// Node index = importance rank (0 = most important): labels are placed in that order, at most
// labelBudget() of them, each at the first of nine spots (right, left, above, below, on, diagonal) that
// overlaps no label already placed; `labels` lists what the last frame drew ({i, box}). For
// tens of thousands of nodes: a grid index for hit testing; when many nodes are on screen, discs
// written into one pixel buffer; links strongest first up to a budget, in short paths
// (software rasterising slows down a lot on long ones). The bulk drawing and the label placement
// are in canvas_draw.js, which adds them to this class.
(function () {
  "use strict";
  const MIN_ZOOM = 0.2, MAX_ZOOM = 60;  // relative to the zoom that fits every shown node
  const MAX_RINGS = 200;
  const BATCH_ABOVE = 3000, LINK_BUDGET = 2500, PATH_CHUNK = 200, GRID = 96;

  class GraphCanvas {
    /**
     * @param {HTMLElement} container  element the canvas fills
     * @param {{nodes: {x:number, y:number, r:number, label:string}[],
     *          links: {a:number, b:number, w:number, from:number}[]}} graph
     *        node x/y in world units, r in pixels at the fitted zoom; link.from = -1 or the
     *        index of the node an arrow starts from
     */
    constructor(container, graph) {
      this.container = container;
      this.nodes = graph.nodes;
      this.links = graph.links;
      this.canvas = document.createElement("canvas");
      this.canvas.tabIndex = 0;
      container.append(this.canvas);
      this.ctx = this.canvas.getContext("2d", { willReadFrequently: true });
      this.visible = this.nodes.map(() => true);
      this.colour = () => "#888888";
      this.marked = new Set();
      this.selected = -1;
      this.hovered = -1;
      this.k = 1; this.fitK = 1; this.tx = 0; this.ty = 0;  // screen = world * k + t
      this.frames = 0; this.drawn = 0; this.labelled = 0; this.labels = [];
      this.reserved = [];  // screen boxes no label may cover (the inset, the zoom buttons)
      this.listeners = { click: [], hover: [], draw: [] };
      this.adj = this.nodes.map(() => []);
      this.links.forEach((l) => { this.adj[l.a].push(l.b); this.adj[l.b].push(l.a); });
      // Small nodes first, so big ones are drawn on top and hit first.
      this.order = this.nodes.map((_, i) => i).sort((a, b) => this.nodes[a].r - this.nodes[b].r || b - a);
      this.linkOrder = this.links.map((_, j) => j).sort((a, b) => this.links[b].w - this.links[a].w || a - b);
      this.maxR = this.nodes.reduce((m, n) => Math.max(m, n.r), 0);
      this._buildGrid();
      this._pending = false;
      this._bindEvents();
      this.resize();
      this.fit();
      new ResizeObserver(() => { this.resize(); this.requestDraw(); }).observe(container);
    }

    on(event, fn) { this.listeners[event].push(fn); }
    _emit(event, ...args) { this.listeners[event].forEach((fn) => fn(...args)); }

    resize() {
      const dpr = window.devicePixelRatio || 1, w = this.container.clientWidth, h = this.container.clientHeight;
      if (this.width) { this.tx += (w - this.width) / 2; this.ty += (h - this.height) / 2; }
      this.width = w; this.height = h; this.dpr = dpr;
      this.canvas.width = Math.max(1, Math.round(w * dpr));
      this.canvas.height = Math.max(1, Math.round(h * dpr));
      this.canvas.style.width = w + "px";
      this.canvas.style.height = h + "px";
    }

    _buildGrid() {
      let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
      this.nodes.forEach((n) => { x0 = Math.min(x0, n.x); x1 = Math.max(x1, n.x); y0 = Math.min(y0, n.y); y1 = Math.max(y1, n.y); });
      if (x0 === Infinity) { x0 = y0 = 0; x1 = y1 = 1; }
      this.grid = { x0, y0, cw: Math.max(x1 - x0, 1e-9) / GRID, ch: Math.max(y1 - y0, 1e-9) / GRID, cells: new Map() };
      this.nodes.forEach((n, i) => {
        const key = this._cell(n.x, n.y);
        if (!this.grid.cells.has(key)) this.grid.cells.set(key, []);
        this.grid.cells.get(key).push(i);
      });
    }

    _cell(x, y) {
      const g = this.grid, cx = Math.min(Math.max(Math.floor((x - g.x0) / g.cw), 0), GRID - 1);
      return cx * GRID + Math.min(Math.max(Math.floor((y - g.y0) / g.ch), 0), GRID - 1);
    }

    /** World-coordinate box of the shown nodes among `indices` (all nodes if omitted). */
    bounds(indices) {
      let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
      (indices || this.nodes.map((_, i) => i)).forEach((i) => {
        if (!this.visible[i]) return;
        const n = this.nodes[i];
        x0 = Math.min(x0, n.x); x1 = Math.max(x1, n.x); y0 = Math.min(y0, n.y); y1 = Math.max(y1, n.y);
      });
      return x0 === Infinity ? null : [x0, y0, x1, y1];
    }

    /** Zoom and pan so that every shown node is in view (this zoom is the reference `fitK`). */
    fit() {
      const b = this.bounds() || [-1, -1, 1, 1];
      this.k = this.fitK = this._zoomFor(b);
      this._centreBox(b);
    }

    /** Show the shown nodes among `indices` as large as fits (at least the fit zoom). */
    fitTo(indices) {
      const b = this.bounds(indices);
      if (!b) return;
      this.k = Math.min(Math.max(this._zoomFor(b), this.fitK), this.fitK * MAX_ZOOM);
      this._centreBox(b);
    }

    _zoomFor(b) {
      const m = 40, w = Math.max(this.width - 2 * m, 10), h = Math.max(this.height - 2 * m, 10);
      const k = Math.min(w / Math.max(b[2] - b[0], 1e-9), h / Math.max(b[3] - b[1], 1e-9), 1e6);
      return !isFinite(k) || (b[2] - b[0] < 1e-9 && b[3] - b[1] < 1e-9) ? 1 : k;
    }

    _centreBox(b) {
      this.tx = this.width / 2 - (b[0] + b[2]) / 2 * this.k;
      this.ty = this.height / 2 - (b[1] + b[3]) / 2 * this.k;
      this.requestDraw();
    }

    /** Centre the view on world point (x, y), keeping the zoom. */
    panTo(x, y) {
      this.tx = this.width / 2 - x * this.k;
      this.ty = this.height / 2 - y * this.k;
      this.requestDraw();
    }

    zoomAt(factor, sx, sy) {
      const k = Math.min(Math.max(this.k * factor, this.fitK * MIN_ZOOM), this.fitK * MAX_ZOOM);
      this.tx = sx - (sx - this.tx) * (k / this.k);
      this.ty = sy - (sy - this.ty) * (k / this.k);
      this.k = k;
      this.requestDraw();
    }

    /** Put node i in the middle of the view, zooming in to at least `zoom` times the fit. */
    centreOn(i, zoom) {
      const n = this.nodes[i];
      this.k = Math.min(Math.max(this.k, this.fitK * (zoom || 1)), this.fitK * MAX_ZOOM);
      this.tx = this.width / 2 - n.x * this.k;
      this.ty = this.height / 2 - n.y * this.k;
      this.requestDraw();
    }

    /** Position of node i in canvas pixels (CSS px from the canvas's top-left corner). */
    screenPos(i) { const n = this.nodes[i]; return { x: n.x * this.k + this.tx, y: n.y * this.k + this.ty }; }
    radius(i) { return this.nodes[i].r * Math.min(Math.max(Math.sqrt(this.k / this.fitK), 0.7), 4); }

    /** The shown node under canvas point (sx, sy), or -1. */
    nodeAt(sx, sy) {
      const g = this.grid, wx = (sx - this.tx) / this.k, wy = (sy - this.ty) / this.k;
      const reach = (this.maxR * 4 + 3) / this.k;
      const cx0 = Math.floor((wx - reach - g.x0) / g.cw), cx1 = Math.floor((wx + reach - g.x0) / g.cw);
      const cy0 = Math.floor((wy - reach - g.y0) / g.ch), cy1 = Math.floor((wy + reach - g.y0) / g.ch);
      let best = -1, bestR = -1;
      for (let cx = Math.max(cx0, 0); cx <= Math.min(cx1, GRID - 1); cx++) {
        for (let cy = Math.max(cy0, 0); cy <= Math.min(cy1, GRID - 1); cy++) {
          for (const i of g.cells.get(cx * GRID + cy) || []) {
            if (!this.visible[i]) continue;
            const p = this.screenPos(i), r = this.radius(i) + 3;
            // the biggest node under the point wins (it is drawn on top), then the most important
            if ((p.x - sx) ** 2 + (p.y - sy) ** 2 <= r * r && (r > bestR || (r === bestR && i < best))) { best = i; bestR = r; }
          }
        }
      }
      return best;
    }

    requestDraw() {
      if (this._pending) return;
      this._pending = true;
      requestAnimationFrame(() => { this._pending = false; this.draw(); });
    }

    _focus() {
      const f = new Set(this.marked);
      if (this.selected >= 0) { f.add(this.selected); this.adj[this.selected].forEach((j) => f.add(j)); }
      return f;
    }

    draw() {
      const t0 = performance.now();
      const ctx = this.ctx, W = this.width, H = this.height, focus = this._focus(), dim = focus.size > 0;
      ctx.setTransform(this.dpr, 0, 0, this.dpr, 0, 0);
      ctx.clearRect(0, 0, W, H);
      const on = (i) => { const p = this.screenPos(i); return p.x > -50 && p.x < W + 50 && p.y > -50 && p.y < H + 50; };
      // Links: plain ones strongest first up to a budget, in one path per width; then the ones
      // touching the focus (and arrows) on top.
      // Many nodes on screen: every plain link 1 px wide, its weight shown by opacity instead
      // (wider lines rasterise some 20 times slower without a GPU).
      const shown = this.order.filter((i) => this.visible[i] && on(i)), thin = shown.length > BATCH_ABOVE;
      const paths = new Map(), strong = [];  // style -> list of short paths (long ones rasterise slowly)
      let plain = 0;
      for (const j of this.linkOrder) {
        const l = this.links[j];
        if (!this.visible[l.a] || !this.visible[l.b]) continue;
        const hot = this.selected === l.a || this.selected === l.b || (this.marked.has(l.a) && this.marked.has(l.b));
        if (!hot && plain >= LINK_BUDGET) continue;
        if (!on(l.a) && !on(l.b)) continue;
        if (hot || l.from >= 0) { strong.push([l, hot]); continue; }
        const level = Math.round(2 * Math.min(0.5 + 0.4 * Math.log2(1 + l.w), 3)) / 2;  // 0.5 .. 3
        if (!paths.has(level)) paths.set(level, [new Path2D(), 0]);
        const entry = paths.get(level);
        if (entry[entry.length - 1] >= PATH_CHUNK) entry.push(new Path2D(), 0);
        const path = entry[entry.length - 2], p = this.screenPos(l.a), q = this.screenPos(l.b);
        path.moveTo(p.x, p.y); path.lineTo(q.x, q.y);
        entry[entry.length - 1]++;
        plain++;
      }
      paths.forEach((entry, level) => {
        const alpha = (thin ? 0.12 + 0.12 * level : 0.45) * (dim ? 0.33 : 1);
        ctx.strokeStyle = "rgba(150,150,150," + alpha.toFixed(3) + ")";
        ctx.lineWidth = thin ? 1 : level;
        for (let k = 0; k < entry.length; k += 2) ctx.stroke(entry[k]);
      });
      // links drawn one by one: the selected node's first, then the strongest, at most MAX_RINGS
      const sel = (l) => (l.a === this.selected || l.b === this.selected ? 0 : 1);
      strong.sort((x, y) => sel(x[0]) - sel(y[0])).slice(0, MAX_RINGS).forEach(([l, hot]) => this._drawLink(l, hot, dim));
      // Nodes, then labels, then the marked/selected/hovered nodes on top of everything.
      // (the selected node last, so nothing covers it)
      // (at most MAX_RINGS marked nodes get a ring: the most important; the rest stay undimmed)
      const ringed = [...this.marked].filter((i) => this.visible[i] && on(i)).sort((a, b) => a - b).slice(0, MAX_RINGS);
      const top = [...new Set([...ringed.reverse(), this.hovered, this.selected].reverse())].reverse()
        .filter((i) => i >= 0 && this.visible[i] && on(i));
      if (thin) this._drawBatched(shown, focus, dim);
      else {
        for (const i of shown) {
          ctx.globalAlpha = dim && !focus.has(i) ? 0.2 : 1;
          this._drawNode(i);
        }
      }
      ctx.globalAlpha = 1;
      this.labels = this._drawLabels(top, focus, on);
      this.labelled = this.labels.length;
      for (const i of top) {
        const p = this.screenPos(i);
        this._drawNode(i);
        ctx.beginPath(); ctx.arc(p.x, p.y, this.radius(i) + 4, 0, 2 * Math.PI);
        ctx.lineWidth = i === this.selected ? 3 : 2.5;
        ctx.strokeStyle = i === this.selected ? "#000000" : "#ffbf00"; ctx.stroke();
      }
      for (const i of top) {
        if (i === this.selected || i === this.hovered) this._drawLabel(i, this._labelBox(i, 0), "#000000");
      }
      this.drawn = shown.length;
      this.frames++;
      this.frameMs = performance.now() - t0;
      this._emit("draw");
    }

    _drawNode(i) {
      const ctx = this.ctx, p = this.screenPos(i);
      ctx.beginPath(); ctx.arc(p.x, p.y, this.radius(i), 0, 2 * Math.PI);
      ctx.fillStyle = this.colour(i); ctx.fill();
      ctx.lineWidth = 1; ctx.strokeStyle = "#ffffff"; ctx.stroke();
    }

    _drawLink(l, hot, dim) {
      const ctx = this.ctx, p = this.screenPos(l.a), q = this.screenPos(l.b);
      ctx.globalAlpha = dim && !hot ? 0.2 : 1;
      ctx.strokeStyle = hot ? "#333333" : "#777777";
      ctx.lineWidth = hot ? 1.5 : 1;
      ctx.beginPath(); ctx.moveTo(p.x, p.y); ctx.lineTo(q.x, q.y); ctx.stroke();
      if (l.from >= 0) {  // arrowhead at the edge of the target circle
        const [s, t] = l.from === l.a ? [p, q] : [q, p], to = l.from === l.a ? l.b : l.a;
        const a = Math.atan2(t.y - s.y, t.x - s.x), r = this.radius(to) + 1;
        const x = t.x - r * Math.cos(a), y = t.y - r * Math.sin(a);
        ctx.beginPath(); ctx.moveTo(x, y);
        ctx.lineTo(x - 8 * Math.cos(a - 0.4), y - 8 * Math.sin(a - 0.4));
        ctx.lineTo(x - 8 * Math.cos(a + 0.4), y - 8 * Math.sin(a + 0.4));
        ctx.closePath(); ctx.fillStyle = ctx.strokeStyle; ctx.fill();
      }
      ctx.globalAlpha = 1;
    }

    _bindEvents() {
      const c = this.canvas;
      let down = null;
      const local = (ev) => { const b = c.getBoundingClientRect(); return [ev.clientX - b.left, ev.clientY - b.top]; };
      c.addEventListener("pointerdown", (ev) => {
        const [x, y] = local(ev);
        down = { x, y, tx: this.tx, ty: this.ty, moved: false };
        c.setPointerCapture(ev.pointerId);
      });
      c.addEventListener("pointermove", (ev) => {
        const [x, y] = local(ev);
        if (down) {
          if (Math.abs(x - down.x) + Math.abs(y - down.y) > 4) down.moved = true;
          if (down.moved) { this.tx = down.tx + x - down.x; this.ty = down.ty + y - down.y; this.requestDraw(); }
          return;
        }
        const i = this.nodeAt(x, y);
        if (i !== this.hovered) { this.hovered = i; this.requestDraw(); }
        c.style.cursor = i >= 0 ? "pointer" : "grab";
        this._emit("hover", i, ev.clientX, ev.clientY);
      });
      c.addEventListener("pointerup", (ev) => {
        const [x, y] = local(ev), d = down;
        down = null;
        if (d && !d.moved) this._emit("click", this.nodeAt(x, y));
      });
      c.addEventListener("pointerleave", () => {
        if (this.hovered >= 0) { this.hovered = -1; this.requestDraw(); }
        this._emit("hover", -1, 0, 0);
      });
      c.addEventListener("wheel", (ev) => {
        ev.preventDefault();
        const [x, y] = local(ev);
        this.zoomAt(Math.exp(-ev.deltaY * (ev.deltaMode === 1 ? 0.05 : 0.0015)), x, y);
      }, { passive: false });
      c.addEventListener("keydown", (ev) => {
        const keys = { "+": 1.25, "=": 1.25, "-": 0.8 };
        if (keys[ev.key]) this.zoomAt(keys[ev.key], this.width / 2, this.height / 2);
        else if (ev.key === "0") this.fit();
      });
    }
  }

  window.PgGraphCanvas = GraphCanvas;

})();
