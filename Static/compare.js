// Two annotators' masks of one image side by side, their disagreement highlighted: each panel
// shows its annotator's mask, cyan where the other agrees, orange (left) or magenta (right)
// where only this one marked vessel. window.loupeCompare publishes the counts for the browser test.

import * as api from './api.js';
import { enc } from './api.js';
import { binaryMask } from './editor.js';
import { $ } from './ui.js';

const BOTH = [63, 182, 216], ONLY_A = [255, 140, 0], ONLY_B = [230, 60, 220];

/** The annotators with a correction of the image, each once, latest correction's order. */
export function annotatorsOf(detail) {
  const seen = [];
  for (const c of detail.corrections || []) {
    const name = c.annotator || 'local';
    const at = seen.indexOf(name);
    if (at >= 0) seen.splice(at, 1);
    seen.push(name);
  }
  return seen;
}

/** Opens the comparison of the two most recent annotators (or `a` and `b`). */
export async function openCompare(id, name, detail, pick = {}) {
  const names = annotatorsOf(detail);
  const a = pick.a || names[names.length - 2];
  const b = pick.b || names[names.length - 1];
  fillChoices($('compare-a-name'), names, a);
  fillChoices($('compare-b-name'), names, b);
  const path = (who) => `/images/${enc(id)}/correction.png?annotator=${enc(who)}`;
  const [image, left, right] = await Promise.all([
    api.bitmap(`/images/${enc(id)}/image.png`), api.bitmap(path(a)), api.bitmap(path(b)),
  ]);
  const { width, height } = image.bitmap;
  const ma = binaryMask(left.bitmap, width, height), mb = binaryMask(right.bitmap, width, height);
  let both = 0, onlyA = 0, onlyB = 0;
  for (let i = 0; i < ma.length; i++) {
    if (ma[i] && mb[i]) both++;
    else if (ma[i]) onlyA++;
    else if (mb[i]) onlyB++;
  }
  const dice = both + onlyA + onlyB === 0 ? 1 : (2 * both) / (2 * both + onlyA + onlyB);
  $('compare-title').textContent = `${name}: ${a} and ${b}`;
  $('compare-a-label').textContent = `${a}: ${both + onlyA} vessel px, ${onlyA} only ${a}'s`;
  $('compare-b-label').textContent = `${b}: ${both + onlyB} vessel px, ${onlyB} only ${b}'s`;
  $('compare-summary').textContent = `They agree on ${both} vessel pixels and differ on ${onlyA + onlyB} `
    + `(agreement ${dice.toFixed(2)}, where 1 is identical).`;
  $('compare').hidden = false;
  draw($('compare-a'), image.bitmap, ma, mb, ONLY_A);
  draw($('compare-b'), image.bitmap, mb, ma, ONLY_B);
  window.loupeCompare = { image: id, a, b, both, onlyA, onlyB, dice };
  document.body.dataset.compare = `${a}|${b}`;
}

export function closeCompare() {
  $('compare').hidden = true;
  document.body.dataset.compare = '';
}

function fillChoices(select, names, chosen) {
  select.replaceChildren(...names.map((n) => {
    const o = document.createElement('option');
    o.value = n;
    o.textContent = n;
    o.selected = n === chosen;
    return o;
  }));
}

/** The image, then `own` over it: agreed pixels cyan, its own disagreements in `alone`. */
function draw(canvas, bitmap, own, other, alone) {
  const { width, height } = bitmap;
  canvas.width = width;
  canvas.height = height;
  const g = canvas.getContext('2d');
  g.drawImage(bitmap, 0, 0);
  const pixels = g.getImageData(0, 0, width, height);
  const d = pixels.data;
  for (let i = 0; i < own.length; i++) {
    if (!own[i]) continue;
    const colour = other[i] ? BOTH : alone;
    // Disagreements opaque, agreement half-transparent: the eye goes to what differs.
    const alpha = colour === BOTH ? 0.45 : 0.95;
    for (let c = 0; c < 3; c++) d[i * 4 + c] = Math.round(d[i * 4 + c] * (1 - alpha) + colour[c] * alpha);
  }
  g.putImageData(pixels, 0, 0);
}
