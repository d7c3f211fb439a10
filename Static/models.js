// The models panel: validation Dice of every trained model, oldest first, as a small SVG plot,
// the serving model ringed. Built with DOM calls (the page's CSP allows no inline styles).

const NS = 'http://www.w3.org/2000/svg';
const W = 240, H = 130, L = 30, R = 8, T = 8, B = 20;

function el(name, attrs = {}, text) {
  const e = document.createElementNS(NS, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text != null) e.textContent = text;
  return e;
}

export function renderModels(plot, legend, models, current) {
  const svg = el('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img' });
  // The contract names the model in service 'serving'; early servers said 'current'.
  const servingSha = (models.find((m) => m.state === 'serving' || m.state === 'current') || current || {}).sha;
  const scored = models.filter((m) => m.validationDice != null);
  svg.append(el('title', {}, 'Validation Dice by training run'));
  if (!scored.length) {
    svg.append(el('text', { x: W / 2, y: H / 2, 'text-anchor': 'middle', class: 'tick' }, 'no trained model yet'));
    plot.replaceChildren(svg);
    legend.textContent = models.length ? `${models.length} model${models.length === 1 ? '' : 's'}, none checked on held-back images yet` : '';
    return;
  }
  const dice = scored.map((m) => Number(m.validationDice));
  let lo = Math.min(...dice), hi = Math.max(...dice);
  lo = Math.max(0, Math.floor((lo - 0.05) * 10) / 10);
  hi = Math.min(1, Math.ceil((hi + 0.05) * 10) / 10);
  if (hi - lo < 0.1) hi = Math.min(1, lo + 0.1);
  const n = models.length;
  const x = (k) => L + (n === 1 ? (W - L - R) / 2 : (k * (W - L - R)) / (n - 1));
  const y = (v) => T + (1 - (v - lo) / (hi - lo)) * (H - T - B);

  svg.append(el('line', { class: 'axis', x1: L, y1: T, x2: L, y2: H - B }));
  svg.append(el('line', { class: 'axis', x1: L, y1: H - B, x2: W - R, y2: H - B }));
  for (const v of [lo, (lo + hi) / 2, hi]) {
    svg.append(el('text', { class: 'tick', x: L - 3, y: y(v) + 3, 'text-anchor': 'end' }, v.toFixed(2)));
  }
  svg.append(el('text', { class: 'tick', x: L, y: H - 6 }, `run ${models[0].run}`));
  svg.append(el('text', { class: 'tick', x: W - R, y: H - 6, 'text-anchor': 'end' }, `run ${models[n - 1].run}`));

  const points = [];
  models.forEach((m, k) => { if (m.validationDice != null) points.push([x(k), y(Number(m.validationDice)), m]); });
  svg.append(el('polyline', { class: 'curve', points: points.map(([px, py]) => `${px.toFixed(1)},${py.toFixed(1)}`).join(' ') }));
  for (const [px, py, m] of points) {
    const dot = el('circle', { class: `pt ${m.state}`, cx: px, cy: py, r: 2.5 });
    const when = m.promotedAt || m.trainedAt;
    dot.append(el('title', {}, `run ${m.run} · ${m.state} · Dice ${Number(m.validationDice).toFixed(3)}`
      + ` · ${String(m.sha).slice(0, 8)}${when ? ' · ' + when : ''}`));
    svg.append(dot);
    if (m.sha === servingSha) {
      const ring = el('circle', { class: 'serving', cx: px, cy: py, r: 5.5 });
      ring.append(el('title', {}, `serving: run ${m.run}`));
      svg.append(ring);
    }
  }
  plot.replaceChildren(svg);
  const serving = models.find((m) => m.sha === servingSha);
  legend.textContent = serving
    ? `In use: the model of training ${serving.run}`
      + (serving.validationDice == null ? '' : `, agreement ${Number(serving.validationDice).toFixed(2)} with the held-back corrections`)
      + ` · ${n} model${n === 1 ? '' : 's'} so far`
    : `${n} model${n === 1 ? '' : 's'}, none in use`;
  legend.title = serving ? `model ${serving.sha}` : '';
}

/**
 * The operator's controls on models: pin the serving model (or unpin it), and go back to an
 * earlier one. `act(kind, model)` does it; kind is pin, unpin or rollback.
 */
export function renderModelControls(list, models, { pinned, act }) {
  const serving = models.find((m) => m.state === 'serving' || m.state === 'current');
  const rows = models.slice().reverse().filter((m) => m.state !== 'rejected' || m === serving).slice(0, 8).map((m) => {
    const li = document.createElement('li');
    li.dataset.model = m.sha;
    const label = document.createElement('span');
    label.textContent = `training ${m.run}` + (m.validationDice == null ? '' : ` · ${Number(m.validationDice).toFixed(2)}`)
      + (m === serving ? ' · in use' : '') + (pinned === m.sha ? ' · pinned' : '');
    label.title = `model ${m.sha}`;
    li.append(label);
    const button = (text, title, kind) => {
      const b = document.createElement('button');
      b.type = 'button';
      b.className = 'small';
      b.textContent = text;
      b.title = title;
      b.dataset.action = kind;
      b.addEventListener('click', () => act(kind, m.sha));
      li.append(' ', b);
    };
    if (m === serving && pinned === m.sha) button('Unpin', 'Let better models replace this one again', 'unpin');
    else if (m === serving) button('Pin', 'Keep this model in use: new models are trained but not used until unpinned', 'pin');
    else button('Use again', 'Go back to this earlier model', 'rollback');
    return li;
  });
  list.replaceChildren(...rows);
}
