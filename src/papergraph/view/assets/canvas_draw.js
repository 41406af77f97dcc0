// papergraph map renderer, part two: bulk node drawing and label placement, added to the
// GraphCanvas class of canvas.js (loaded first) as methods. See canvas.js for the whole picture.
(function () {
  "use strict";
  const MAX_LABELS = 160, LABELS_AT_FIT = 30, LABEL_SCAN = 4000;

  /** "#rrggbb" as one RGBA pixel (little-endian Uint32), faded towards white when asked. */
  function packColour(hex, faded) {
    let [r, g, b] = [1, 3, 5].map((k) => parseInt(hex.slice(k, k + 2), 16));
    if (faded) [r, g, b] = [r, g, b].map((v) => Math.round(v * 0.2 + 252 * 0.8));
    return ((255 << 24) | (b << 16) | (g << 8) | r) >>> 0;
  }

  Object.assign(window.PgGraphCanvas.prototype, {
    /** Many nodes: filled discs written straight into a pixel buffer (one image per frame, fast
     *  even without a GPU; no outlines or anti-aliasing), bigger nodes over smaller ones. */
    _drawBatched(shown, focus, dim) {
      const W = this.canvas.width, H = this.canvas.height, dpr = this.dpr;
      if (!this._dots || this._dots.width !== W || this._dots.height !== H) {
        this._dots = document.createElement("canvas");
        this._dots.width = W; this._dots.height = H;
        this._dotImage = new ImageData(W, H);
      }
      const px = new Uint32Array(this._dotImage.data.buffer), rgba = this._rgba || (this._rgba = new Map());
      px.fill(0);
      for (const i of shown) {
        const faded = dim && !focus.has(i), key = this.colour(i) + (faded ? "|d" : "");
        if (!rgba.has(key)) rgba.set(key, packColour(this.colour(i), faded));
        const value = rgba.get(key), p = this.screenPos(i), r = Math.max(this.radius(i) * 0.8 * dpr, 1);
        const cx = p.x * dpr, cy = p.y * dpr;
        const y0 = Math.max(Math.ceil(cy - r), 0), y1 = Math.min(Math.floor(cy + r), H - 1);
        for (let y = y0; y <= y1; y++) {
          const half = Math.sqrt(Math.max(r * r - (y - cy) ** 2, 0));
          const x0 = Math.max(Math.round(cx - half), 0), x1 = Math.min(Math.round(cx + half) + 1, W);
          if (x1 > x0) px.fill(value, y * W + x0, y * W + x1);
        }
      }
      this._dots.getContext("2d", { willReadFrequently: true }).putImageData(this._dotImage, 0, 0);
      const ctx = this.ctx;
      ctx.save(); ctx.setTransform(1, 0, 0, 1, 0, 0); ctx.drawImage(this._dots, 0, 0); ctx.restore();
    },

    /** Label box of node i at spot 0 (right), 1 (left), 2 (above), 3 (below), 4 (on the node),
     *  5-8 (the four diagonals): [x0, y0, x1, y1]. */
    _labelBox(i, spot) {
      const n = this.nodes[i], p = this.screenPos(i), r = this.radius(i);
      if (n.textWidth === undefined) n.textWidth = this.ctx.measureText(n.label).width + 2;  // 12px font
      const w = n.textWidth;
      const d = r * 0.7 + 2;
      switch (spot) {
        case 1: return [p.x - r - 5 - w, p.y - 8, p.x - r - 3, p.y + 8];
        case 2: return [p.x - w / 2, p.y - r - 19, p.x + w / 2, p.y - r - 3];
        case 3: return [p.x - w / 2, p.y + r + 3, p.x + w / 2, p.y + r + 19];
        case 4: return [p.x - w / 2, p.y - 8, p.x + w / 2, p.y + 8];
        case 5: return [p.x + d, p.y - d - 16, p.x + d + w, p.y - d];
        case 6: return [p.x + d, p.y + d, p.x + d + w, p.y + d + 16];
        case 7: return [p.x - d - w, p.y - d - 16, p.x - d, p.y - d];
        case 8: return [p.x - d - w, p.y + d, p.x - d, p.y + d + 16];
        default: return [p.x + r + 3, p.y - 8, p.x + r + 5 + w, p.y + 8];
      }
    },

    _drawLabel(i, box, colour) {
      const ctx = this.ctx, y = (box[1] + box[3]) / 2;
      ctx.lineWidth = 3; ctx.strokeStyle = "rgba(255,255,255,0.9)";
      ctx.strokeText(this.nodes[i].label, box[0] + 1, y);
      ctx.fillStyle = colour;
      ctx.fillText(this.nodes[i].label, box[0] + 1, y);
    },

    /** How many labels the current zoom may show: few when zoomed out, more when zoomed in. */
    labelBudget() { return Math.min(MAX_LABELS, Math.round(LABELS_AT_FIT * Math.max(this.k / this.fitK, 1))); },

    /** Labels that overlap no other label: marked, linked, then the most important nodes. */
    _drawLabels(top, focus, on) {
      const ctx = this.ctx, own = top.filter((i) => i === this.selected || i === this.hovered);
      ctx.font = "12px system-ui, sans-serif";
      ctx.textBaseline = "middle";
      const boxes = own.map((i) => this._labelBox(i, 0)).concat(this.reserved);
      const placed = [];
      const tryPlace = (i, colour) => {
        if (own.includes(i) || !this.visible[i] || !on(i)) return;
        for (let spot = 0; spot < 9; spot++) {
          const box = this._labelBox(i, spot);
          if (boxes.some((b) => b[0] < box[2] && box[0] < b[2] && b[1] < box[3] && box[1] < b[3])) continue;
          boxes.push(box);
          this._drawLabel(i, box, colour);
          placed.push({ i, box });
          return;
        }
      };
      const firstMarked = [...this.marked].sort((a, b) => a - b).slice(0, MAX_LABELS);
      firstMarked.forEach((i) => tryPlace(i, "#000000"));
      [...focus].filter((i) => !this.marked.has(i)).sort((a, b) => a - b).slice(0, MAX_LABELS)
        .forEach((i) => tryPlace(i, "#222222"));
      const budget = this.labelBudget() + placed.length, muted = focus.size ? "#888888" : "#222222";
      for (let i = 0, scanned = 0; i < this.nodes.length && placed.length < budget && scanned < LABEL_SCAN; i++) {
        if (focus.has(i) || !this.visible[i] || !on(i)) continue;
        scanned++;
        tryPlace(i, muted);
      }
      return own.map((i) => ({ i, box: this._labelBox(i, 0) })).concat(placed);
    }
  });
})();
