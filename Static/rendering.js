// What the canvas shows: the photograph in its look (look.js), the mask overlay or the heat map,
// and the tool's cursor, through the view transform (zoom and pan). A point at canvas CSS pixel
// (cx, cy) is image point
//   x = (cx - offsetX) / scale,  y = (cy - offsetY) / scale
// window.loupeView publishes the transform for the browser test.

import { brushRadius, isErasing, isLasso, isPolyline } from './tools.js';

const FILL_RGBA = [0, 230, 255, 255];
// The changes overlay: what the expert added, what they removed, and what they kept (fainter,
// so that the changes stand out). Yellow against magenta reads for most colour-blind eyes too.
const ADDED_RGBA = [255, 205, 0, 255];
const REMOVED_RGBA = [255, 0, 200, 255];
const KEPT_RGBA = [0, 230, 255, 110];
const NONE_RGBA = [0, 0, 0, 0];
export const OVERLAY_MODES = ['fill', 'outline', 'changes'];
const OUTLINE = 2;               // the outline's thickness, image pixels
const HEAT_STOPS = [ // value 0..1 -> colour, roughly "inferno"
  [0.0, [0, 0, 4]], [0.25, [87, 16, 110]], [0.5, [188, 55, 84]], [0.75, [249, 142, 9]], [1.0, [252, 255, 164]],
];
const MIN_SCALE = 0.05;
const MAX_SCALE = 64;

/**
 * The mask in colour, an image-sized canvas kept up to date box by box as the mask changes:
 * filled, as its outline (isEdge), or as the changes
 * against `base`, the mask the page started from.
 */
export class MaskOverlay {
  constructor(width, height) {
    this.canvas = document.createElement('canvas');
    this.canvas.width = width;
    this.canvas.height = height;
    this.data = this.canvas.getContext('2d').createImageData(width, height);
    this.mode = 'fill';
    this.base = null;
  }

  refresh(mask, x0, y0, x1, y1) {
    const w = this.canvas.width, h = this.canvas.height;
    // An edge pixel depends on its neighbours: one changed pixel can change the outline beside it.
    if (this.mode === 'outline') {
      x0 = Math.max(0, x0 - OUTLINE); y0 = Math.max(0, y0 - OUTLINE); x1 = Math.min(w, x1 + OUTLINE); y1 = Math.min(h, y1 + OUTLINE);
    }
    const px = this.data.data;
    for (let j = y0; j < y1; j++) {
      for (let i = x0; i < x1; i++) {
        const k = j * w + i;
        const rgba = this.colour(mask, k, i, j, w, h);
        px[4 * k] = rgba[0]; px[4 * k + 1] = rgba[1]; px[4 * k + 2] = rgba[2]; px[4 * k + 3] = rgba[3];
      }
    }
    this.canvas.getContext('2d').putImageData(this.data, 0, 0, x0, y0, x1 - x0, y1 - y0);
  }

  colour(mask, k, i, j, w, h) {
    const on = mask[k];
    if (this.mode === 'changes' && this.base) {
      const was = this.base[k];
      return on ? (was ? KEPT_RGBA : ADDED_RGBA) : (was ? REMOVED_RGBA : NONE_RGBA);
    }
    if (!on) return NONE_RGBA;
    if (this.mode === 'outline') return isEdge(mask, k, i, j, w, h) ? FILL_RGBA : NONE_RGBA;
    return FILL_RGBA;
  }
}

/**
 * A vessel pixel with background within OUTLINE pixels straight left, right, up or down: an
 * edge two pixels thick, so that at the fitted view (often 50-60%) no row of it falls between
 * the screen's pixels.
 */
function isEdge(mask, k, i, j, w, h) {
  if (i < OUTLINE || j < OUTLINE || i >= w - OUTLINE || j >= h - OUTLINE) return true;
  for (let d = 1; d <= OUTLINE; d++) {
    if (!mask[k - d] || !mask[k + d] || !mask[k - d * w] || !mask[k + d * w]) return true;
  }
  return false;
}

/** Probabilities (one byte a pixel) as a colour heat map canvas, more opaque where more likely. */
export function heatCanvas(values, width, height) {
  const c = document.createElement('canvas');
  c.width = width;
  c.height = height;
  const cctx = c.getContext('2d');
  const data = cctx.createImageData(width, height);
  const lut = heatTable();
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    data.data[4 * i] = lut[3 * v];
    data.data[4 * i + 1] = lut[3 * v + 1];
    data.data[4 * i + 2] = lut[3 * v + 2];
    data.data[4 * i + 3] = v;
  }
  cctx.putImageData(data, 0, 0);
  return c;
}

/** The view transform and the drawing of `editor`'s content through it. */
export class View {
  constructor(editor) {
    this.editor = editor;
    this.canvas = editor.canvas;
    this.ctx = this.canvas.getContext('2d');
    this.scale = 1;
    this.offsetX = 0;
    this.offsetY = 0;
    this.fitted = true;
    this.frame = 0;
  }

  toImage(cx, cy) {
    return { x: (cx - this.offsetX) / this.scale, y: (cy - this.offsetY) / this.scale };
  }

  fit() {
    const { width, height } = this.editor;
    const { clientWidth: cw, clientHeight: ch } = this.canvas;
    if (!width || !cw || !ch) { this.publish(); return; }
    // The whole canvas: the image touches two of its edges (a fundus has its own black margin).
    this.scale = Math.max(MIN_SCALE, Math.min(MAX_SCALE, Math.min(cw / width, ch / height)));
    this.offsetX = Math.round((cw - width * this.scale) / 2);
    this.offsetY = Math.round((ch - height * this.scale) / 2);
    this.fitted = true;
    this.publish();
    this.requestDraw();
  }

  zoomAt(cx, cy, factor) {
    const scale = Math.max(MIN_SCALE, Math.min(MAX_SCALE, this.scale * factor));
    const k = scale / this.scale;
    this.offsetX = cx - (cx - this.offsetX) * k;
    this.offsetY = cy - (cy - this.offsetY) * k;
    this.scale = scale;
    this.fitted = false;
    this.publish();
    this.requestDraw();
  }

  panTo(offsetX, offsetY) {
    this.offsetX = offsetX;
    this.offsetY = offsetY;
    this.fitted = false;
    this.publish();
    this.requestDraw();
  }

  resize() {
    const dpr = window.devicePixelRatio || 1;
    const { clientWidth: cw, clientHeight: ch } = this.canvas;
    this.canvas.width = Math.max(1, Math.round(cw * dpr));
    this.canvas.height = Math.max(1, Math.round(ch * dpr));
    // A bar that wraps or unwraps beside the canvas must not move the image under a drag: the
    // fit waits for the gesture's end (settle).
    this.fitPending = this.fitted && this.editor.tools.dragging;
    if (this.fitted && !this.fitPending) this.fit();
    else this.publish();
    this.draw();
  }

  /** After a gesture: the fit a resize during it put off. */
  settle() {
    if (!this.fitPending) return;
    this.fitPending = false;
    if (this.fitted) this.fit();
    this.draw();
  }

  publish() {
    const { editor } = this;
    const rect = this.canvas.getBoundingClientRect();
    window.loupeView = {
      scale: this.scale, offsetX: this.offsetX, offsetY: this.offsetY,
      canvasLeft: rect.left, canvasTop: rect.top,
      width: editor.width, height: editor.height,
      tool: editor.tool, brushSize: editor.brushSize, brushRadius: brushRadius(editor.brushSize),
    };
    editor.onView(editor);
  }

  requestDraw() {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => { this.frame = 0; this.draw(); });
  }

  draw() {
    const { editor, ctx } = this, dpr = window.devicePixelRatio || 1;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, this.canvas.width, this.canvas.height);
    if (!editor.image) return;
    ctx.setTransform(dpr * this.scale, 0, 0, dpr * this.scale, dpr * this.offsetX, dpr * this.offsetY);
    ctx.imageSmoothingEnabled = this.scale < 1;
    ctx.drawImage(editor.look.canvas, 0, 0);
    ctx.imageSmoothingEnabled = false;
    if (editor.showHeat && editor.heat) {
      ctx.globalAlpha = Math.max(editor.opacity, 0.15);
      ctx.drawImage(editor.heat, 0, 0);
    } else if (editor.showMask && editor.overlay) {
      ctx.globalAlpha = editor.opacity;
      ctx.drawImage(editor.overlay.canvas, 0, 0);
    }
    ctx.globalAlpha = 1;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    this.drawTool(ctx);
  }

  drawTool(ctx) {
    const tools = this.editor.tools;
    const r = brushRadius(tools.brushSize) * this.scale;
    const erasing = isErasing(tools.tool);
    const toCanvas = (p) => [this.offsetX + p.x * this.scale, this.offsetY + p.y * this.scale];
    ctx.lineWidth = 1;
    if (isPolyline(tools.tool) && tools.polyline.length) {
      const pts = tools.polyline.map(toCanvas);
      if (tools.pointer) pts.push([tools.pointer.x, tools.pointer.y]);
      ctx.strokeStyle = erasing ? 'rgba(255, 90, 90, 0.9)' : 'rgba(255, 220, 80, 0.9)';
      ctx.lineWidth = Math.max(1, 2 * r);
      ctx.lineCap = 'round';
      ctx.lineJoin = 'round';
      ctx.globalAlpha = 0.5;
      tracePath(ctx, pts);
      ctx.stroke();
      ctx.globalAlpha = 1;
      ctx.lineWidth = 1;
    }
    if (tools.lasso) {
      ctx.strokeStyle = erasing ? 'rgba(255, 90, 90, 0.95)' : 'rgba(255, 220, 80, 0.95)';
      ctx.setLineDash([4, 3]);
      tracePath(ctx, tools.lasso.points.map(toCanvas));
      ctx.closePath();
      ctx.stroke();
      ctx.setLineDash([]);
    }
    if (tools.pointer && !tools.pan && !tools.spaceDown) {
      ctx.strokeStyle = erasing ? 'rgba(255, 120, 120, 0.95)' : 'rgba(255, 255, 255, 0.9)';
      ctx.beginPath();
      // Lasso and component clicks have no brush: a small ring marks the pointer.
      const ring = isLasso(tools.tool) || tools.tool === 'component' ? 3 : Math.max(r, 2);
      ctx.arc(tools.pointer.x, tools.pointer.y, ring, 0, 2 * Math.PI);
      ctx.stroke();
    }
  }
}

function tracePath(ctx, pts) {
  ctx.beginPath();
  pts.forEach(([x, y], k) => (k ? ctx.lineTo(x, y) : ctx.moveTo(x, y)));
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
