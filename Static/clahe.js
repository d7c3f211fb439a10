// Contrast-limited adaptive histogram equalisation (CLAHE, Zuiderveld 1994) of one 8-bit
// channel: each tile of a grid gets its own equalising curve, with the histogram clipped so
// that flat regions do not turn into noise, and each pixel blends the curves of the four tiles
// around it so that no tile edge shows. On the green channel of a fundus photograph this is
// the usual way to make thin vessels stand out.

/**
 * `values` (Uint8Array, width x height) equalised on a `tiles` x `tiles` grid; `clipLimit` is
 * how many times the uniform share one histogram bin may hold before the excess is spread.
 */
export function clahe(values, width, height, { tiles = 8, clipLimit = 2.5 } = {}) {
  const tw = width / tiles, th = height / tiles;
  const curves = new Uint8Array(tiles * tiles * 256);
  const histogram = new Uint32Array(256);
  for (let ty = 0; ty < tiles; ty++) {
    for (let tx = 0; tx < tiles; tx++) {
      const x0 = Math.round(tx * tw), x1 = Math.round((tx + 1) * tw);
      const y0 = Math.round(ty * th), y1 = Math.round((ty + 1) * th);
      histogram.fill(0);
      for (let y = y0; y < y1; y++) {
        for (let x = x0, k = y * width + x0; x < x1; x++, k++) histogram[values[k]]++;
      }
      equalise(histogram, (x1 - x0) * (y1 - y0), clipLimit, curves.subarray((ty * tiles + tx) * 256, (ty * tiles + tx + 1) * 256));
    }
  }
  return interpolate(values, width, height, tiles, curves);
}

/** Writes into `curve` the clipped histogram's cumulative distribution, scaled to 0..255. */
function equalise(histogram, pixels, clipLimit, curve) {
  const limit = Math.max(1, Math.floor(clipLimit * pixels / 256));
  let excess = 0;
  for (let v = 0; v < 256; v++) {
    if (histogram[v] > limit) { excess += histogram[v] - limit; histogram[v] = limit; }
  }
  const share = Math.floor(excess / 256), rest = excess - share * 256;
  let sum = 0;
  const scale = 255 / Math.max(1, pixels);
  for (let v = 0; v < 256; v++) {
    sum += histogram[v] + share + (v < rest ? 1 : 0);
    curve[v] = Math.min(255, Math.round(sum * scale));
  }
}

/** Each pixel through the curves of the (up to) four tiles whose centres surround it. */
function interpolate(values, width, height, tiles, curves) {
  const out = new Uint8Array(width * height);
  const tw = width / tiles, th = height / tiles;
  // Per column: the left tile, the right tile and the weight of the right one.
  const left = new Int32Array(width), right = new Int32Array(width), wx = new Float32Array(width);
  for (let x = 0; x < width; x++) {
    const f = Math.min(Math.max((x + 0.5) / tw - 0.5, 0), tiles - 1);
    left[x] = Math.floor(f);
    right[x] = Math.min(left[x] + 1, tiles - 1);
    wx[x] = f - left[x];
  }
  for (let y = 0; y < height; y++) {
    const f = Math.min(Math.max((y + 0.5) / th - 0.5, 0), tiles - 1);
    const top = Math.floor(f), bottom = Math.min(top + 1, tiles - 1), wy = f - top;
    const rowTop = top * tiles * 256, rowBottom = bottom * tiles * 256;
    for (let x = 0, k = y * width; x < width; x++, k++) {
      const v = values[k];
      const a = curves[rowTop + left[x] * 256 + v], b = curves[rowTop + right[x] * 256 + v];
      const c = curves[rowBottom + left[x] * 256 + v], d = curves[rowBottom + right[x] * 256 + v];
      const upper = a + (b - a) * wx[x], lower = c + (d - c) * wx[x];
      out[k] = upper + (lower - upper) * wy + 0.5;
    }
  }
  return out;
}
