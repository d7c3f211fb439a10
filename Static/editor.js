// The mask editor: one visible canvas showing the image, the editable mask (or the probability
// heat map) and the tool's cursor. The mask itself is a Uint8Array of 0/1, one byte per image
// pixel. This class is what the page talks to; the work is in tools.js (gestures into edits),
// regions.js (component and lasso edits), history.js (undo and redo), look.js (how the
// photograph is shown) and rendering.js (the canvas, the overlay and the view transform).

import { History } from './history.js';
import { ImageLook } from './look.js';
import { maskPNG } from './png.js';
import { MaskOverlay, OVERLAY_MODES, View, heatCanvas } from './rendering.js';
import { Tools } from './tools.js';

export class Editor {
  constructor(canvas, { onChange = () => {}, onView = () => {} } = {}) {
    this.canvas = canvas;
    this.onChange = onChange;
    this.onView = onView;
    this.width = 0;
    this.height = 0;
    this.image = null;          // ImageBitmap
    this.mask = null;           // Uint8Array(width * height), 0 or 1
    this.base = null;           // the mask as set (loaded), for the changes overlay
    this.look = new ImageLook();
    this.overlayMode = 'fill';
    this.overlay = null;        // MaskOverlay
    this.heat = null;           // canvas width x height, or null
    this.opacity = 0.55;
    this.showMask = true;
    this.showHeat = false;
    this.readOnly = false;
    this.history = new History();
    this.tools = new Tools(this);
    this.view = new View(this);
    this.tools.listen();
    new ResizeObserver(() => this.view.resize()).observe(canvas.parentElement);
    this.view.resize();
  }

  /** Shows `image` (ImageBitmap) with `mask` (Uint8Array 0/1 or null for empty). */
  load(image, mask) {
    this.image = image;
    this.width = image.width;
    this.height = image.height;
    this.look.setImage(image);
    this.overlay = new MaskOverlay(this.width, this.height);
    this.overlay.mode = this.overlayMode;
    this.heat = null;
    this.tools.polyline = [];
    this.tools.stroke = null;
    this.setMask(mask || new Uint8Array(this.width * this.height));
    this.fit();
  }

  /** Replaces the whole mask, forgetting the edit history (a new baseline). */
  setMask(mask) {
    if (mask.length !== this.width * this.height) throw new Error('mask size differs from the image');
    this.mask = mask;
    this.base = mask.slice();
    this.overlay.base = this.base;
    this.history.clear();
    this.refreshOverlay(0, 0, this.width, this.height);
    this.changed();
  }

  /** A probability map (ImageBitmap of 0..255 grey) as a colour heat map; null removes it. */
  setHeat(bitmap) {
    this.heat = bitmap ? heatCanvas(maskValues(bitmap, this.width, this.height), this.width, this.height) : null;
    this.requestDraw();
  }

  /** Unsaved: an edit since the last save, or a polyline being drawn. */
  get unsaved() { return this.history.unsaved || this.tools.polyline.length > 0; }
  get undoStack() { return this.history.undoStack; }
  get redoStack() { return this.history.redoStack; }
  /** Which state of the mask toPNG() would encode now (history.js). */
  get version() { return this.history.version; }
  markSaved(version) { this.history.markSaved(version); this.changed(); }

  /** Sets the overlay mode (rendering.js OVERLAY_MODES) and redraws the whole overlay. */
  setOverlayMode(mode) {
    if (!OVERLAY_MODES.includes(mode)) throw new Error(`no overlay mode ${mode}`);
    this.overlayMode = mode;
    if (this.overlay) this.overlay.mode = mode;
    this.refreshOverlay(0, 0, this.width, this.height);
  }

  /** How the photograph is shown: {mode, brightness, contrast, gamma}, any of them (look.js). */
  setLook(changes) {
    this.look.set(changes);
    this.requestDraw();
  }

  /** The mask as an 8-bit grey PNG, 255 vessel and 0 background (png.js), as it is now. */
  toPNG() {
    return maskPNG(this.mask, this.width, this.height);
  }

  vesselPixels() {
    let n = 0;
    for (let i = 0; i < this.mask.length; i++) n += this.mask[i];
    return n;
  }

  beginEdit() {
    return this.history.begin(this.mask);
  }

  endEdit(edit) {
    if (this.history.record(edit, this.mask, this.width)) this.changed();
  }

  undo() {
    if (this.tools.stroke) return;
    this.restored(this.history.undo(this.mask, this.width));
  }

  redo() {
    if (this.tools.stroke) return;
    this.restored(this.history.redo(this.mask, this.width));
  }

  restored(record) {
    if (!record) return;
    this.refreshOverlay(record.x0, record.y0, record.x1, record.y1);
    this.changed();
  }

  refreshOverlay(x0, y0, x1, y1) {
    if (!this.overlay) return;
    this.overlay.refresh(this.mask, x0, y0, x1, y1);
    this.requestDraw();
  }

  get tool() { return this.tools.tool; }
  get brushSize() { return this.tools.brushSize; }
  setTool(tool) { this.tools.setTool(tool); }
  setBrushSize(size) { this.tools.setBrushSize(size); }
  finishPolyline() { this.tools.finishPolyline(); }
  cancelPolyline() { this.tools.cancelPolyline(); }
  setSpace(down) { this.tools.setSpace(down); }

  fit() { this.view.fit(); }
  zoomAt(cx, cy, factor) { this.view.zoomAt(cx, cy, factor); }
  requestDraw() { this.view.requestDraw(); }

  changed() {
    this.view.publish();
    this.onChange(this);
  }
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
