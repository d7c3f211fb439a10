// The tools (brush, eraser, polyline) and panning: pointer gestures on the canvas turned into
// strokes on `editor`'s mask. Pixel (i, j) covers [i, i+1) x [j, j+1); the brush sets every pixel
// whose centre lies within radius = max(size / 2, 0.71) of the segment the pointer moved along
// (0.71 > sqrt(2)/2, so even size 1 always covers the pixel under the pointer). Nothing is
// anti-aliased, so the saved PNG holds exactly 0 or 255.

import { grow } from './history.js';
import { addPoint, strokeNote } from './making.js';

export function brushRadius(size) {
  return Math.max(size / 2, 0.71);
}

/** Sets every pixel whose centre is within `radius` of segment a-b (image coords) to value. */
function paintSegment(mask, w, h, ax, ay, bx, by, radius, value) {
  const x0 = Math.max(0, Math.floor(Math.min(ax, bx) - radius));
  const x1 = Math.min(w - 1, Math.ceil(Math.max(ax, bx) + radius));
  const y0 = Math.max(0, Math.floor(Math.min(ay, by) - radius));
  const y1 = Math.min(h - 1, Math.ceil(Math.max(ay, by) + radius));
  if (x0 > x1 || y0 > y1) return null;
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
  return { x0, y0, x1: x1 + 1, y1: y1 + 1 };
}

export class Tools {
  constructor(editor) {
    this.editor = editor;
    this.canvas = editor.canvas;
    this.tool = 'brush';
    this.brushSize = 5;
    this.polyline = [];         // image points of the polyline being drawn
    this.pointer = null;        // last pointer position in canvas CSS pixels
    this.stroke = null;         // {snapshot, value, last, box}
    this.pan = null;            // {x, y, offsetX, offsetY}
    this.spaceDown = false;
  }

  setTool(tool) {
    if (tool !== 'polyline') this.polyline = [];
    this.tool = tool;
    this.editor.changed();
    this.editor.requestDraw();
  }

  setBrushSize(size) {
    this.brushSize = Math.max(1, Math.min(64, Math.round(size)));
    this.editor.changed();
    this.editor.view.publish();
    this.editor.requestDraw();
  }

  paint(ax, ay, bx, by, value, box) {
    const { editor } = this;
    const painted = paintSegment(editor.mask, editor.width, editor.height, ax, ay, bx, by, brushRadius(this.brushSize), value);
    if (!painted) return;
    grow(box, painted.x0, painted.y0, painted.x1, painted.y1);
    editor.refreshOverlay(painted.x0, painted.y0, painted.x1, painted.y1);
  }

  finishPolyline() {
    const { editor } = this;
    if (editor.readOnly || this.polyline.length === 0 || !editor.mask) { this.polyline = []; editor.requestDraw(); return; }
    const edit = editor.beginEdit();
    const pts = this.polyline;
    edit.meta = strokeNote('polyline', this.brushSize, pts[0]);
    for (const p of pts.slice(1)) addPoint(edit.meta, p);
    for (let k = 0; k < pts.length; k++) {
      const a = pts[Math.max(0, k - 1)], b = pts[k];
      this.paint(a.x, a.y, b.x, b.y, 1, edit.box);
    }
    this.polyline = [];
    editor.endEdit(edit);
    editor.requestDraw();
  }

  cancelPolyline() {
    this.polyline = [];
    this.editor.requestDraw();
  }

  setSpace(down) {
    this.spaceDown = down;
    this.canvas.classList.toggle('pan-ready', down);
    this.editor.requestDraw();
  }

  local(event) {
    const rect = this.canvas.getBoundingClientRect();
    return { x: event.clientX - rect.left, y: event.clientY - rect.top };
  }

  listen() {
    const c = this.canvas, editor = this.editor;
    c.addEventListener('contextmenu', (e) => e.preventDefault());
    c.addEventListener('pointerdown', (e) => this.pointerDown(e));
    c.addEventListener('pointermove', (e) => this.pointerMove(e));
    c.addEventListener('pointerup', (e) => this.pointerUp(e));
    c.addEventListener('pointercancel', (e) => this.pointerUp(e));
    c.addEventListener('pointerleave', () => { this.pointer = null; editor.requestDraw(); });
    c.addEventListener('dblclick', (e) => { if (this.tool === 'polyline') { e.preventDefault(); this.finishPolyline(); } });
    c.addEventListener('wheel', (e) => {
      e.preventDefault();
      if (!editor.image) return;
      const p = this.local(e);
      const delta = e.deltaMode === 1 ? e.deltaY * 16 : e.deltaY;
      editor.zoomAt(p.x, p.y, Math.exp(-delta * 0.0015));
    }, { passive: false });
  }

  pointerDown(e) {
    const { editor } = this;
    if (!editor.image) return;
    this.canvas.parentElement.focus({ preventScroll: true });
    const p = this.local(e);
    if (e.button === 1 || (e.button === 0 && this.spaceDown)) {
      e.preventDefault();
      this.pan = { x: p.x, y: p.y, offsetX: editor.view.offsetX, offsetY: editor.view.offsetY };
      this.canvas.setPointerCapture(e.pointerId);
      this.canvas.classList.add('panning');
      return;
    }
    if (e.button !== 0 || editor.readOnly) return;
    // The hint tool's clicks are hints.js's.
    if (this.tool === 'hint') return;
    const q = editor.view.toImage(p.x, p.y);
    if (this.tool === 'polyline') {
      this.polyline.push(q);
      editor.requestDraw();
      return;
    }
    this.canvas.setPointerCapture(e.pointerId);
    const edit = editor.beginEdit();
    this.stroke = { ...edit, value: this.tool === 'eraser' ? 0 : 1, last: q, meta: strokeNote(this.tool, this.brushSize, q) };
    this.paint(q.x, q.y, q.x, q.y, this.stroke.value, this.stroke.box);
  }

  pointerMove(e) {
    const p = this.local(e);
    this.pointer = p;
    if (this.pan) {
      this.editor.view.panTo(this.pan.offsetX + p.x - this.pan.x, this.pan.offsetY + p.y - this.pan.y);
      return;
    }
    if (this.stroke) {
      const events = e.getCoalescedEvents ? e.getCoalescedEvents() : [];
      for (const ev of events.length ? events : [e]) this.strokeTo(this.local(ev));
    }
    this.editor.requestDraw();
  }

  strokeTo(p) {
    const q = this.editor.view.toImage(p.x, p.y), s = this.stroke;
    this.paint(s.last.x, s.last.y, q.x, q.y, s.value, s.box);
    addPoint(s.meta, q);
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
      this.editor.endEdit(stroke);
    }
  }
}
