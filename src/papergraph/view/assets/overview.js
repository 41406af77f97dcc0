// papergraph map overview inset (bottom left of the map): where the main view is in the whole
// graph. Uses only the GraphCanvas API of canvas.js (nodes, order, visible, colour, bounds,
// panTo, the "draw" event).
(function () {
  "use strict";

  /** The overview inset: every shown node as a dot, and the main view's extent as a box; click
   *  or drag in it to move the main view there. */
  class Overview {
    constructor(container, gc) {
      this.gc = gc;
      this.box = document.createElement("div");
      this.box.className = "pg-overview";
      this.canvas = document.createElement("canvas");
      this.canvas.width = 180; this.canvas.height = 120;
      this.frame = document.createElement("div");  // the main view's extent; moving it costs no redraw
      this.frame.className = "pg-overview-frame";
      this.box.append(this.canvas, this.frame);
      container.append(this.box);
      this.ctx = this.canvas.getContext("2d");
      this.stale = true;
      gc.on("draw", () => this.draw());
      let dragging = false;
      const go = (ev) => {
        const b = this.canvas.getBoundingClientRect(), s = this.scale;
        if (!s) return;
        gc.panTo((ev.clientX - b.left - s.ox) / s.k, (ev.clientY - b.top - s.oy) / s.k);
      };
      this.box.addEventListener("pointerdown", (ev) => { dragging = true; this.box.setPointerCapture(ev.pointerId); go(ev); });
      this.box.addEventListener("pointermove", (ev) => { if (dragging) go(ev); });
      this.box.addEventListener("pointerup", () => { dragging = false; });
    }

    /** Redraw the dots on the next frame (after a colour or filter change). */
    invalidate() { this.stale = true; }

    _dots() {
      const gc = this.gc, W = this.canvas.width, H = this.canvas.height, b = gc.bounds() || [-1, -1, 1, 1];
      const k = Math.min((W - 8) / Math.max(b[2] - b[0], 1e-9), (H - 8) / Math.max(b[3] - b[1], 1e-9));
      this.scale = { k, ox: W / 2 - (b[0] + b[2]) / 2 * k, oy: H / 2 - (b[1] + b[3]) / 2 * k };
      const ctx = this.ctx, paths = new Map();
      gc.order.forEach((i) => {
        if (!gc.visible[i]) return;
        const n = gc.nodes[i], c = gc.colour(i);
        if (!paths.has(c)) paths.set(c, new Path2D());
        paths.get(c).rect(n.x * k + this.scale.ox - 0.75, n.y * k + this.scale.oy - 0.75, 1.5, 1.5);
      });
      ctx.clearRect(0, 0, W, H);
      ctx.fillStyle = "rgba(255,255,255,0.92)"; ctx.fillRect(0, 0, W, H);
      paths.forEach((path, c) => { ctx.fillStyle = c; ctx.fill(path); });
      this.stale = false;
    }

    draw() {
      if (this.stale) this._dots();
      const gc = this.gc, s = this.scale, W = this.canvas.width, H = this.canvas.height;
      const x0 = (-gc.tx / gc.k) * s.k + s.ox, y0 = (-gc.ty / gc.k) * s.k + s.oy;
      const ax = Math.max(x0, 0), ay = Math.max(y0, 0);
      const bx = Math.min(x0 + gc.width / gc.k * s.k, W), by = Math.min(y0 + gc.height / gc.k * s.k, H);
      const st = this.frame.style;
      st.display = bx > ax && by > ay ? "block" : "none";
      st.left = ax + "px"; st.top = ay + "px"; st.width = Math.max(bx - ax - 2, 0) + "px"; st.height = Math.max(by - ay - 2, 0) + "px";
    }
  }

  window.PgOverview = Overview;
})();
