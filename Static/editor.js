// The mask editor: one visible canvas showing the image, the editable mask (or the probability
// heat map) and the tool's cursor, through a view transform (zoom and pan). The mask itself is a
// Uint8Array of 0/1, one byte per image pixel, rasterised here without anti-aliasing, so the
// saved PNG holds exactly 0 or 255.
//
// Screen <-> image: a point at canvas CSS pixel (cx, cy) is image point
//   x = (cx - offsetX) / scale,  y = (cy - offsetY) / scale
// and pixel (i, j) covers [i, i+1) x [j, j+1). The brush sets every pixel whose centre lies
// within radius = max(size / 2, 0.71) of the segment the pointer moved along (0.71 > sqrt(2)/2,
// so even size 1 always covers the pixel under the pointer). window.loupeView publishes the
// transform for the browser test.

const MASK_RGB = [0, 230, 255];
const HEAT_STOPS = [ // value 0..1 -> colour, roughly "inferno"
  [0.0, [0, 0, 4]], [0.25, [87, 16, 110]], [0.5, [188, 55, 84]], [0.75, [249, 142, 9]], [1.0, [252, 255, 164]],
];
const MIN_SCALE = 0.05;
const MAX_SCALE = 64;
const UNDO_LIMIT = 200;

export function brushRadius(size) {
  return Math.max(size / 2, 0.71);
}

export class Editor {
  constructor(canvas, { onChange = () => {}, onView = () => {} } = {}) {
    this.canvas = canvas;
    this.ctx = canvas.getContext('2d');
    this.onChange = onChange;
    this.onView = onView;
    this.width = 0;
    this.height = 0;
    this.image = null;          // ImageBitmap
    this.mask = null;           // Uint8Array(width * height), 0 or 1
    this.overlay = null;        // canvas width x height, the mask in colour
    this.overlayData = null;    // its ImageData
    this.heat = null;           // canvas width x height, or null
    this.scale = 1;
    this.offsetX = 0;
    this.offsetY = 0;
    this.fitted = true;
    this.tool = 'brush';
    this.brushSize = 5;
    this.opacity = 0.55;
    this.showMask = true;
    this.showHeat = false;
    this.readOnly = false;
    this.undoStack = [];
    this.redoStack = [];
    this.savedDepth = 0;
    this.polyline = [];         // image points of the polyline being drawn
    this.pointer = null;        // last pointer position in canvas CSS pixels
    this.stroke = null;         // {snapshot, value, last, box}
    this.pan = null;            // {x, y, offsetX, offsetY}
    this.spaceDown = false;
    this.frame = 0;
    this.listen();
    new ResizeObserver(() => this.resize()).observe(canvas.parentElement);
    this.resize();
  }

  // ---- content -------------------------------------------------------------------------

  /** Shows `image` (ImageBitmap) with `mask` (Uint8Array 0/1 or null for empty). */
  load(image, mask) {
    this.image = image;
    this.width = image.width;
    this.height = image.height;
    this.overlay = document.createElement('canvas');
    this.overlay.width = this.width;
    this.overlay.height = this.height;
    const octx = this.overlay.getContext('2d');
    this.overlayData = octx.createImageData(this.width, this.height);
    this.heat = null;
    this.undoStack = [];
    this.redoStack = [];
    this.savedDepth = 0;
    this.polyline = [];
    this.stroke = null;
    this.setMask(mask || new Uint8Array(this.width * this.height));
    this.fit();
  }

  /** Replaces the whole mask, forgetting the edit history (a new baseline). */
  setMask(mask) {
    if (mask.length !== this.width * this.height) throw new Error('mask size differs from the image');
    this.mask = mask;
    this.undoStack = [];
    this.redoStack = [];
    this.savedDepth = 0;
    this.refreshOverlay(0, 0, this.width, this.height);
    this.changed();
  }

  unload() {
    this.image = null;
    this.mask = null;
    this.overlay = null;
    this.heat = null;
    this.width = this.height = 0;
    this.undoStack = [];
    this.redoStack = [];
    this.polyline = [];
    this.changed();
    this.publishView();
    this.draw();
  }

  /** A probability map (ImageBitmap of 0..255 grey) as a colour heat map; null removes it. */
  setHeat(bitmap) {
    if (!bitmap) { this.heat = null; this.requestDraw(); return; }
    const values = maskValues(bitmap, this.width, this.height);
    const c = document.createElement('canvas');
    c.width = this.width;
    c.height = this.height;
    const cctx = c.getContext('2d');
    const data = cctx.createImageData(this.width, this.height);
    const lut = heatTable();
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      data.data[4 * i] = lut[3 * v];
      data.data[4 * i + 1] = lut[3 * v + 1];
      data.data[4 * i + 2] = lut[3 * v + 2];
      data.data[4 * i + 3] = v;
    }
    cctx.putImageData(data, 0, 0);
    this.heat = c;
    this.requestDraw();
  }

  get edited() { return this.undoStack.length > 0; }
  get unsaved() { return this.undoStack.length !== this.savedDepth; }
  markSaved() { this.savedDepth = this.undoStack.length; this.changed(); }

  /** The mask as an opaque 8-bit RGBA PNG: 255 vessel, 0 background, alpha 255 everywhere. */
  toPNG() {
    const c = document.createElement('canvas');
    c.width = this.width;
    c.height = this.height;
    const cctx = c.getContext('2d');
    const data = cctx.createImageData(this.width, this.height);
    const px = data.data;
    for (let i = 0; i < this.mask.length; i++) {
      const v = this.mask[i] ? 255 : 0;
      px[4 * i] = v; px[4 * i + 1] = v; px[4 * i + 2] = v; px[4 * i + 3] = 255;
    }
    cctx.putImageData(data, 0, 0);
    return new Promise((resolve, reject) => {
      c.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('the browser could not encode the mask'))), 'image/png');
    });
  }

  vesselPixels() {
    let n = 0;
    for (let i = 0; i < this.mask.length; i++) n += this.mask[i];
    return n;
  }

  // ---- painting ------------------------------------------------------------------------

  /** Sets every pixel whose centre is within `radius` of segment a-b (image coords) to value. */
  paintSegment(ax, ay, bx, by, radius, value, box) {
    const w = this.width, h = this.height, mask = this.mask;
    const x0 = Math.max(0, Math.floor(Math.min(ax, bx) - radius));
    const x1 = Math.min(w - 1, Math.ceil(Math.max(ax, bx) + radius));
    const y0 = Math.max(0, Math.floor(Math.min(ay, by) - radius));
    const y1 = Math.min(h - 1, Math.ceil(Math.max(ay, by) + radius));
    if (x0 > x1 || y0 > y1) return;
    const dx = bx - ax, dy = by - ay, len2 = dx * dx + dy * dy, r2 = radius * radius;
    for (let j = y0; j <= y1; j++) {
      const py = j + 0.5;
      for (let i = x0; i <= x1; i++) {
        const px = i + 0.5;
        let t = len2 > 0 ? ((px - ax) * dx + (py - ay) * dy) / len2 : 0;
        t = t < 0 ? 0 : t > 1 ? 1 : t;
        const ex = px - ax - t * dx, ey = py - ay - t * dy;
        if (ex * ex + ey * ey <= r2) mask[j * w + i] = value;
      }
    }
    grow(box, x0, y0, x1 + 1, y1 + 1);
    this.refreshOverlay(x0, y0, x1 + 1, y1 + 1);
  }

  beginEdit() {
    return { snapshot: this.mask.slice(), box: { x0: Infinity, y0: Infinity, x1: -Infinity, y1: -Infinity } };
  }

  /** Records what an edit changed (the box around it, before and after) for undo. */
  endEdit(edit) {
    const { snapshot, box } = edit;
    if (!(box.x1 > box.x0)) return;
    const bw = box.x1 - box.x0, bh = box.y1 - box.y0;
    const before = new Uint8Array(bw * bh), after = new Uint8Array(bw * bh);
    let same = true;
    for (let j = 0; j < bh; j++) {
      const row = (box.y0 + j) * this.width + box.x0;
      before.set(snapshot.subarray(row, row + bw), j * bw);
      after.set(this.mask.subarray(row, row + bw), j * bw);
    }
    for (let k = 0; k < before.length && same; k++) same = before[k] === after[k];
    if (same) return;
    this.undoStack.push({ ...box, before, after });
    if (this.undoStack.length > UNDO_LIMIT) {
      this.undoStack.shift();
      this.savedDepth -= 1;
    }
    this.redoStack = [];
    this.changed();
  }

  apply(record, which) {
    const bw = record.x1 - record.x0, bh = record.y1 - record.y0, src = record[which];
    for (let j = 0; j < bh; j++) {
      this.mask.set(src.subarray(j * bw, (j + 1) * bw), (record.y0 + j) * this.width + record.x0);
    }
    this.refreshOverlay(record.x0, record.y0, record.x1, record.y1);
  }

  undo() {
    if (this.stroke || !this.undoStack.length) return;
    const record = this.undoStack.pop();
    this.apply(record, 'before');
    this.redoStack.push(record);
    this.changed();
  }

  redo() {
    if (this.stroke || !this.redoStack.length) return;
    const record = this.redoStack.pop();
    this.apply(record, 'after');
    this.undoStack.push(record);
    this.changed();
  }

  setTool(tool) {
    if (tool !== 'polyline') this.polyline = [];
    this.tool = tool;
    this.changed();
    this.requestDraw();
  }

  setBrushSize(size) {
    this.brushSize = Math.max(1, Math.min(64, Math.round(size)));
    this.changed();
    this.publishView();
    this.requestDraw();
  }

  finishPolyline() {
    if (this.readOnly || this.polyline.length === 0 || !this.mask) { this.polyline = []; this.requestDraw(); return; }
    const edit = this.beginEdit();
    const r = brushRadius(this.brushSize), pts = this.polyline;
    for (let k = 0; k < pts.length; k++) {
      const a = pts[Math.max(0, k - 1)], b = pts[k];
      this.paintSegment(a.x, a.y, b.x, b.y, r, 1, edit.box);
    }
    this.polyline = [];
    this.endEdit(edit);
    this.requestDraw();
  }

  cancelPolyline() {
    this.polyline = [];
    this.requestDraw();
  }

  refreshOverlay(x0, y0, x1, y1) {
    if (!this.overlayData) return;
    const px = this.overlayData.data, w = this.width, mask = this.mask;
    for (let j = y0; j < y1; j++) {
      for (let i = x0; i < x1; i++) {
        const k = j * w + i, on = mask[k];
        px[4 * k] = MASK_RGB[0]; px[4 * k + 1] = MASK_RGB[1]; px[4 * k + 2] = MASK_RGB[2];
        px[4 * k + 3] = on ? 255 : 0;
      }
    }
    this.overlay.getContext('2d').putImageData(this.overlayData, 0, 0, x0, y0, x1 - x0, y1 - y0);
    this.requestDraw();
  }

  // ---- view ----------------------------------------------------------------------------

  toImage(cx, cy) {
    return { x: (cx - this.offsetX) / this.scale, y: (cy - this.offsetY) / this.scale };
  }

  fit() {
    const { clientWidth: cw, clientHeight: ch } = this.canvas;
    if (!this.width || !cw || !ch) { this.publishView(); return; }
    this.scale = Math.max(MIN_SCALE, Math.min(MAX_SCALE, Math.min(cw / this.width, ch / this.height) * 0.96));
    this.offsetX = Math.round((cw - this.width * this.scale) / 2);
    this.offsetY = Math.round((ch - this.height * this.scale) / 2);
    this.fitted = true;
    this.publishView();
    this.requestDraw();
  }

  zoomAt(cx, cy, factor) {
    const scale = Math.max(MIN_SCALE, Math.min(MAX_SCALE, this.scale * factor));
    const k = scale / this.scale;
    this.offsetX = cx - (cx - this.offsetX) * k;
    this.offsetY = cy - (cy - this.offsetY) * k;
    this.scale = scale;
    this.fitted = false;
    this.publishView();
    this.requestDraw();
  }

  resize() {
    const dpr = window.devicePixelRatio || 1;
    const { clientWidth: cw, clientHeight: ch } = this.canvas;
    this.canvas.width = Math.max(1, Math.round(cw * dpr));
    this.canvas.height = Math.max(1, Math.round(ch * dpr));
    if (this.fitted) this.fit();
    else this.publishView();
    this.draw();
  }

  publishView() {
    const rect = this.canvas.getBoundingClientRect();
    window.loupeView = {
      scale: this.scale, offsetX: this.offsetX, offsetY: this.offsetY,
      canvasLeft: rect.left, canvasTop: rect.top,
      width: this.width, height: this.height,
      tool: this.tool, brushSize: this.brushSize, brushRadius: brushRadius(this.brushSize),
    };
    this.onView(this);
  }

  changed() {
    this.publishView();
    this.onChange(this);
  }

  requestDraw() {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => { this.frame = 0; this.draw(); });
  }

  draw() {
    const ctx = this.ctx, dpr = window.devicePixelRatio || 1;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, this.canvas.width, this.canvas.height);
    if (!this.image) return;
    ctx.setTransform(dpr * this.scale, 0, 0, dpr * this.scale, dpr * this.offsetX, dpr * this.offsetY);
    ctx.imageSmoothingEnabled = this.scale < 1;
    ctx.drawImage(this.image, 0, 0);
    ctx.imageSmoothingEnabled = false;
    if (this.showHeat && this.heat) {
      ctx.globalAlpha = Math.max(this.opacity, 0.15);
      ctx.drawImage(this.heat, 0, 0);
    } else if (this.showMask && this.overlay) {
      ctx.globalAlpha = this.opacity;
      ctx.drawImage(this.overlay, 0, 0);
    }
    ctx.globalAlpha = 1;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    this.drawTool(ctx);
  }

  drawTool(ctx) {
    const r = brushRadius(this.brushSize) * this.scale;
    ctx.lineWidth = 1;
    if (this.tool === 'polyline' && this.polyline.length) {
      const pts = this.polyline.map((p) => [this.offsetX + p.x * this.scale, this.offsetY + p.y * this.scale]);
      if (this.pointer) pts.push([this.pointer.x, this.pointer.y]);
      ctx.strokeStyle = 'rgba(255, 220, 80, 0.9)';
      ctx.lineWidth = Math.max(1, 2 * r);
      ctx.lineCap = 'round';
      ctx.lineJoin = 'round';
      ctx.globalAlpha = 0.5;
      ctx.beginPath();
      pts.forEach(([x, y], k) => (k ? ctx.lineTo(x, y) : ctx.moveTo(x, y)));
      ctx.stroke();
      ctx.globalAlpha = 1;
      ctx.lineWidth = 1;
    }
    if (this.pointer && !this.pan && !this.spaceDown) {
      ctx.strokeStyle = this.tool === 'eraser' ? 'rgba(255, 120, 120, 0.95)' : 'rgba(255, 255, 255, 0.9)';
      ctx.beginPath();
      ctx.arc(this.pointer.x, this.pointer.y, Math.max(r, 2), 0, 2 * Math.PI);
      ctx.stroke();
    }
  }

  // ---- input ---------------------------------------------------------------------------

  local(event) {
    const rect = this.canvas.getBoundingClientRect();
    return { x: event.clientX - rect.left, y: event.clientY - rect.top };
  }

  listen() {
    const c = this.canvas;
    c.addEventListener('contextmenu', (e) => e.preventDefault());
    c.addEventListener('pointerdown', (e) => this.pointerDown(e));
    c.addEventListener('pointermove', (e) => this.pointerMove(e));
    c.addEventListener('pointerup', (e) => this.pointerUp(e));
    c.addEventListener('pointercancel', (e) => this.pointerUp(e));
    c.addEventListener('pointerleave', () => { this.pointer = null; this.requestDraw(); });
    c.addEventListener('dblclick', (e) => { if (this.tool === 'polyline') { e.preventDefault(); this.finishPolyline(); } });
    c.addEventListener('wheel', (e) => {
      e.preventDefault();
      if (!this.image) return;
      const p = this.local(e);
      const delta = e.deltaMode === 1 ? e.deltaY * 16 : e.deltaY;
      this.zoomAt(p.x, p.y, Math.exp(-delta * 0.0015));
    }, { passive: false });
  }

  pointerDown(e) {
    if (!this.image) return;
    this.canvas.parentElement.focus({ preventScroll: true });
    const p = this.local(e);
    if (e.button === 1 || (e.button === 0 && this.spaceDown)) {
      e.preventDefault();
      this.pan = { x: p.x, y: p.y, offsetX: this.offsetX, offsetY: this.offsetY };
      this.canvas.setPointerCapture(e.pointerId);
      this.canvas.classList.add('panning');
      return;
    }
    if (e.button !== 0 || this.readOnly) return;
    const q = this.toImage(p.x, p.y);
    if (this.tool === 'polyline') {
      this.polyline.push(q);
      this.requestDraw();
      return;
    }
    this.canvas.setPointerCapture(e.pointerId);
    const edit = this.beginEdit();
    this.stroke = { ...edit, value: this.tool === 'eraser' ? 0 : 1, last: q };
    this.paintSegment(q.x, q.y, q.x, q.y, brushRadius(this.brushSize), this.stroke.value, this.stroke.box);
  }

  pointerMove(e) {
    const p = this.local(e);
    this.pointer = p;
    if (this.pan) {
      this.offsetX = this.pan.offsetX + p.x - this.pan.x;
      this.offsetY = this.pan.offsetY + p.y - this.pan.y;
      this.fitted = false;
      this.publishView();
      this.requestDraw();
      return;
    }
    if (this.stroke) {
      const events = e.getCoalescedEvents ? e.getCoalescedEvents() : [];
      for (const ev of events.length ? events : [e]) this.strokeTo(this.local(ev));
    }
    this.requestDraw();
  }

  strokeTo(p) {
    const q = this.toImage(p.x, p.y), s = this.stroke;
    this.paintSegment(s.last.x, s.last.y, q.x, q.y, brushRadius(this.brushSize), s.value, s.box);
    s.last = q;
  }

  pointerUp(e) {
    if (this.pan) {
      this.pan = null;
      this.canvas.classList.remove('panning');
      return;
    }
    if (this.stroke) {
      if (e.type === 'pointerup') this.strokeTo(this.local(e));
      const stroke = this.stroke;
      this.stroke = null;
      this.endEdit(stroke);
    }
  }

  setSpace(down) {
    this.spaceDown = down;
    this.canvas.classList.toggle('pan-ready', down);
    this.requestDraw();
  }
}

function grow(box, x0, y0, x1, y1) {
  box.x0 = Math.min(box.x0, x0);
  box.y0 = Math.min(box.y0, y0);
  box.x1 = Math.max(box.x1, x1);
  box.y1 = Math.max(box.y1, y1);
}

/** The red channel of a grey bitmap, one byte a pixel; it must be width x height. */
export function maskValues(bitmap, width, height) {
  if (bitmap.width !== width || bitmap.height !== height) {
    throw new Error(`mask is ${bitmap.width}x${bitmap.height}, the image ${width}x${height}`);
  }
  const c = document.createElement('canvas');
  c.width = width;
  c.height = height;
  const cctx = c.getContext('2d', { willReadFrequently: true });
  cctx.imageSmoothingEnabled = false;
  cctx.drawImage(bitmap, 0, 0);
  const px = cctx.getImageData(0, 0, width, height).data;
  const out = new Uint8Array(width * height);
  for (let i = 0; i < out.length; i++) out[i] = px[4 * i];
  return out;
}

/** A 0/255 grey bitmap as a 0/1 mask (threshold at 128). */
export function binaryMask(bitmap, width, height) {
  const values = maskValues(bitmap, width, height);
  for (let i = 0; i < values.length; i++) values[i] = values[i] >= 128 ? 1 : 0;
  return values;
}

let heatLut = null;
function heatTable() {
  if (heatLut) return heatLut;
  heatLut = new Uint8Array(256 * 3);
  for (let v = 0; v < 256; v++) {
    const t = v / 255;
    let k = 1;
    while (k < HEAT_STOPS.length - 1 && HEAT_STOPS[k][0] < t) k++;
    const [t0, c0] = HEAT_STOPS[k - 1], [t1, c1] = HEAT_STOPS[k];
    const f = (t - t0) / (t1 - t0);
    for (let ch = 0; ch < 3; ch++) heatLut[3 * v + ch] = Math.round(c0[ch] + (c1[ch] - c0[ch]) * f);
  }
  return heatLut;
}
