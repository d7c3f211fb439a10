// The tools and panning: pointer gestures on the canvas turned into edits of `editor`'s mask.
// Brush and eraser paint along a drag; the polylines paint or erase along clicked points; the
// lassos fill or clear the inside of a drag; the component tool clears the vessel component
// under a click (regions.js). Every gesture is one undoable edit.
// Pixel (i, j) covers [i, i+1) x [j, j+1); the brush sets every pixel
// whose centre lies within radius = max(size / 2, 0.71) of the segment the pointer moved along
// (0.71 > sqrt(2)/2, so even size 1 always covers the pixel under the pointer). Nothing is
// anti-aliased, so the saved PNG holds exactly 0 or 255.

import { grow } from './history.js';
import { addPoint, strokeNote } from './making.js';
import { clearComponent, fillPolygon } from './regions.js';

/** Tools that set pixels to background rather than vessel. */
const ERASING = new Set(['eraser', 'polyline-erase', 'lasso-erase', 'component']);
const POLYLINES = new Set(['polyline', 'polyline-erase']);
const LASSOS = new Set(['lasso', 'lasso-erase']);
/** How far (canvas CSS pixels) a component click may miss a thin vessel and still take it. */
const COMPONENT_REACH_PX = 6;

export function isPolyline(tool) { return POLYLINES.has(tool); }
export function isLasso(tool) { return LASSOS.has(tool); }
export function isErasing(tool) { return ERASING.has(tool); }

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
    this.lasso = null;          // {points, value}: the lasso being dragged, in image points
    this.pointer = null;        // last pointer position in canvas CSS pixels
    this.stroke = null;         // {snapshot, value, last, box}
    this.pan = null;            // {x, y, offsetX, offsetY}
    this.spaceDown = false;
  }

  setTool(tool) {
    // A polyline in progress is drawn, with the tool it was started with, before the switch:
    // the points clicked are never thrown away silently.
    if (tool !== this.tool) this.finishPolyline();
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
    const pts = this.polyline, value = isErasing(this.tool) ? 0 : 1;
    edit.meta = strokeNote(this.tool, this.brushSize, pts[0]);
    for (const p of pts.slice(1)) addPoint(edit.meta, p);
    for (let k = 0; k < pts.length; k++) {
      const a = pts[Math.max(0, k - 1)], b = pts[k];
      this.paint(a.x, a.y, b.x, b.y, value, edit.box);
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
    c.addEventListener('dblclick', (e) => { if (isPolyline(this.tool)) { e.preventDefault(); this.finishPolyline(); } });
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
    if (isPolyline(this.tool)) {
      this.polyline.push(q);
      editor.requestDraw();
      return;
    }
    if (this.tool === 'component') {
      this.apply((mask) => clearComponent(mask, editor.width, editor.height, q.x, q.y, COMPONENT_REACH_PX / editor.view.scale));
      return;
    }
    this.canvas.setPointerCapture(e.pointerId);
    if (isLasso(this.tool)) {
      this.lasso = { points: [q], value: isErasing(this.tool) ? 0 : 1 };
      return;
    }
    const edit = editor.beginEdit();
    this.stroke = { ...edit, value: isErasing(this.tool) ? 0 : 1, last: q, meta: strokeNote(this.tool, this.brushSize, q) };
    this.paint(q.x, q.y, q.x, q.y, this.stroke.value, this.stroke.box);
  }

  pointerMove(e) {
    const p = this.local(e);
    this.pointer = p;
    if (this.pan) {
      this.editor.view.panTo(this.pan.offsetX + p.x - this.pan.x, this.pan.offsetY + p.y - this.pan.y);
      return;
    }
    if (this.stroke || this.lasso) {
      const events = e.getCoalescedEvents ? e.getCoalescedEvents() : [];
      for (const ev of events.length ? events : [e]) this.moveTo(this.local(ev));
    }
    this.editor.requestDraw();
  }

  moveTo(p) {
    if (this.lasso) this.lasso.points.push(this.editor.view.toImage(p.x, p.y));
    else this.strokeTo(p);
  }

  strokeTo(p) {
    const q = this.editor.view.toImage(p.x, p.y), s = this.stroke;
    this.paint(s.last.x, s.last.y, q.x, q.y, s.value, s.box);
    addPoint(s.meta, q);
    s.last = q;
  }

  /** A drag in progress: the view must hold still under it. */
  get dragging() {
    return Boolean(this.pan || this.stroke || this.lasso);
  }

  pointerUp(e) {
    try {
      this.endGesture(e);
    } finally {
      this.editor.view.settle();
    }
  }

  endGesture(e) {
    if (this.pan) {
      this.pan = null;
      this.canvas.classList.remove('panning');
      return;
    }
    if (this.lasso) {
      if (e.type === 'pointerup') this.moveTo(this.local(e));
      const { points, value } = this.lasso, { editor } = this;
      this.lasso = null;
      if (e.type === 'pointerup') this.apply((mask) => fillPolygon(mask, editor.width, editor.height, points, value));
      editor.requestDraw();
      return;
    }
    if (this.stroke) {
      if (e.type === 'pointerup') this.strokeTo(this.local(e));
      const stroke = this.stroke;
      this.stroke = null;
      this.editor.endEdit(stroke);
    }
  }

  /** Runs `change(mask)` (which returns the box it changed, or null) as one undoable edit. */
  apply(change) {
    const { editor } = this;
    const edit = editor.beginEdit();
    const box = change(editor.mask);
    if (!box) return;
    grow(edit.box, box.x0, box.y0, box.x1, box.y1);
    editor.refreshOverlay(box.x0, box.y0, box.x1, box.y1);
    editor.endEdit(edit);
  }
}
