// How the photograph looks on screen: in colour, as its green channel (red-free: vessels are
// darkest there), or contrast-enhanced (CLAHE of the green channel), each through brightness,
// contrast and gamma. Only the display changes; the mask and what is saved never do.
// window.loupeLook publishes the mode, the settings and how long the last enhancement took.

import { clahe } from './clahe.js';

export const LOOK_MODES = ['colour', 'green', 'enhanced'];
export const LOOK_DEFAULTS = Object.freeze({ brightness: 0, contrast: 100, gamma: 100 });

export class ImageLook {
  constructor() {
    this.mode = 'colour';
    this.settings = { ...LOOK_DEFAULTS };
    this.canvas = null;         // what the view draws: image-sized, in the current look
    this.rgba = null;           // the photograph's pixels
    this.channels = {};         // per mode, one byte a pixel (grey modes only), made on first use
    this.enhanceMs = null;
  }

  /** Takes the pixels of a new photograph (ImageBitmap). */
  setImage(bitmap) {
    const { width, height } = bitmap;
    this.canvas = document.createElement('canvas');
    this.canvas.width = width;
    this.canvas.height = height;
    const ctx = this.canvas.getContext('2d', { willReadFrequently: true });
    ctx.drawImage(bitmap, 0, 0);
    this.rgba = ctx.getImageData(0, 0, width, height);
    this.channels = {};
    this.enhanceMs = null;
    this.render();
  }

  /**
   * Changes the mode and any of the settings: brightness -100..100 (% of full scale added),
   * contrast and gamma in % (100 = unchanged).
   */
  set({ mode = this.mode, ...settings }) {
    if (!LOOK_MODES.includes(mode)) throw new Error(`no view mode ${mode}`);
    this.mode = mode;
    Object.assign(this.settings, settings);
    this.render();
  }

  render() {
    if (!this.rgba) { this.publish(); return; }
    const { width, height, data } = this.rgba;
    const lut = toneCurve(this.settings);
    const out = new ImageData(width, height);
    const px = out.data;
    if (this.mode === 'colour') {
      for (let k = 0; k < px.length; k += 4) {
        px[k] = lut[data[k]]; px[k + 1] = lut[data[k + 1]]; px[k + 2] = lut[data[k + 2]]; px[k + 3] = 255;
      }
    } else {
      const grey = this.channel(this.mode);
      for (let i = 0, k = 0; i < grey.length; i++, k += 4) {
        const v = lut[grey[i]];
        px[k] = v; px[k + 1] = v; px[k + 2] = v; px[k + 3] = 255;
      }
    }
    this.canvas.getContext('2d').putImageData(out, 0, 0);
    this.publish();
  }

  channel(mode) {
    const { width, height, data } = this.rgba;
    if (!this.channels.green) {
      const green = new Uint8Array(width * height);
      for (let i = 0; i < green.length; i++) green[i] = data[4 * i + 1];
      this.channels.green = green;
    }
    if (mode === 'enhanced' && !this.channels.enhanced) {
      const t0 = performance.now();
      this.channels.enhanced = clahe(this.channels.green, width, height);
      this.enhanceMs = performance.now() - t0;
    }
    return this.channels[mode];
  }

  publish() {
    window.loupeLook = { mode: this.mode, ...this.settings, enhanceMs: this.enhanceMs };
  }
}

/** 0..255 -> 0..255: contrast about mid-grey, then brightness, then gamma (>100 lightens). */
function toneCurve({ brightness, contrast, gamma }) {
  const lut = new Uint8ClampedArray(256);
  const c = contrast / 100, b = brightness / 100, g = 100 / Math.max(gamma, 1);
  for (let v = 0; v < 256; v++) {
    const x = Math.min(1, Math.max(0, (v / 255 - 0.5) * c + 0.5 + b));
    lut[v] = Math.round(255 * Math.pow(x, g));
  }
  return lut;
}
