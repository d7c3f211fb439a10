// Whole-region edits of a 0/1 mask (one byte a pixel, row-major): the connected component under
// a click and the inside of a lasso. Each returns the box it changed ({x0, y0, x1, y1}, x1 and
// y1 exclusive) so the caller can refresh the overlay and record the edit for undo, or null.

/**
 * Clears the 8-connected vessel component that holds pixel (x, y), or, when (x, y) is
 * background, the one holding the nearest vessel pixel within `reach` pixels (a click need not
 * land exactly on a one-pixel speck).
 */
export function clearComponent(mask, width, height, x, y, reach) {
  const seed = nearestVessel(mask, width, height, Math.floor(x), Math.floor(y), Math.ceil(reach));
  if (seed < 0) return null;
  const box = { x0: width, y0: height, x1: 0, y1: 0 };
  const stack = [seed];
  mask[seed] = 0;
  while (stack.length) {
    const k = stack.pop();
    const i = k % width, j = (k - i) / width;
    if (i < box.x0) box.x0 = i;
    if (i >= box.x1) box.x1 = i + 1;
    if (j < box.y0) box.y0 = j;
    if (j >= box.y1) box.y1 = j + 1;
    for (let dj = -1; dj <= 1; dj++) {
      const nj = j + dj;
      if (nj < 0 || nj >= height) continue;
      for (let di = -1; di <= 1; di++) {
        const ni = i + di;
        if (ni < 0 || ni >= width) continue;
        const n = nj * width + ni;
        if (mask[n]) { mask[n] = 0; stack.push(n); }
      }
    }
  }
  return box;
}

/** The index of the vessel pixel nearest to (x, y) within `reach`, or -1. */
function nearestVessel(mask, width, height, x, y, reach) {
  let best = -1, bestD = Infinity;
  for (let j = Math.max(0, y - reach); j <= Math.min(height - 1, y + reach); j++) {
    for (let i = Math.max(0, x - reach); i <= Math.min(width - 1, x + reach); i++) {
      const d = (i - x) * (i - x) + (j - y) * (j - y);
      if (mask[j * width + i] && d < bestD && d <= reach * reach) { bestD = d; best = j * width + i; }
    }
  }
  return best;
}

/**
 * Sets to `value` every pixel whose centre lies inside the closed polygon through `points`
 * (image coordinates; even-odd rule, so a lasso that crosses itself leaves the crossed part out).
 */
export function fillPolygon(mask, width, height, points, value) {
  if (points.length < 3) return null;
  let top = Infinity, bottom = -Infinity;
  for (const p of points) { top = Math.min(top, p.y); bottom = Math.max(bottom, p.y); }
  const box = { x0: width, y0: height, x1: 0, y1: 0 };
  const crossings = [];
  for (let j = Math.max(0, Math.floor(top)); j <= Math.min(height - 1, Math.ceil(bottom)); j++) {
    const cy = j + 0.5;
    crossings.length = 0;
    for (let k = 0; k < points.length; k++) {
      const a = points[k], b = points[(k + 1) % points.length];
      // Half-open in y, so a vertex exactly on the scan line counts once.
      if ((a.y <= cy) !== (b.y <= cy)) crossings.push(a.x + (cy - a.y) * (b.x - a.x) / (b.y - a.y));
    }
    crossings.sort((p, q) => p - q);
    for (let c = 0; c + 1 < crossings.length; c += 2) {
      // Pixel i is inside when its centre i + 0.5 lies in [left, right).
      const i0 = Math.max(0, Math.ceil(crossings[c] - 0.5));
      const i1 = Math.min(width, Math.ceil(crossings[c + 1] - 0.5));
      if (i1 <= i0) continue;
      mask.fill(value, j * width + i0, j * width + i1);
      box.x0 = Math.min(box.x0, i0); box.x1 = Math.max(box.x1, i1);
      box.y0 = Math.min(box.y0, j); box.y1 = Math.max(box.y1, j + 1);
    }
  }
  return box.x1 > box.x0 ? box : null;
}
