// Loupe's page: the queue, the open image with its editable mask, the live status, the models.
// Talks to the HTTP API v1 only (api.js); the editor (editor.js) knows nothing of HTTP.

import * as api from './api.js';
import { ApiError, enc } from './api.js';
import { Editor, binaryMask } from './editor.js';
import { Hints } from './hints.js';
import { correctionBody } from './making.js';
import { renderModels } from './models.js';
import { installShortcuts } from './shortcuts.js';
import { $, message, notice, failed, formatTime, duration } from './ui.js';

const CLAIM_RENEW_MS = 120_000;
const LEDGER_EVENTS = [
  'ImageIngested', 'ImageNamed', 'ImageRejected', 'CorrectionRejected', 'PredictionMade', 'CorrectionAccepted',
  'TrainingStarted', 'ModelTrained', 'TrainingFailed', 'TrainingAborted', 'ModelPromoted', 'ModelRejected',
  'DaemonStarted', 'DaemonStopped', 'AnnotatorAdded', 'TrainingRequested', 'TrainingPaused',
  'TrainingResumed', 'ModelPinned', 'ModelUnpinned', 'LabelStudioTaskLinked',
];

const state = {
  session: null,       // {annotator, tokensRequired}
  queue: [],           // ImageSummary[]
  status: null,
  open: null,          // {id, name, width, height, model, maskSource, claimed, readOnly}
  claimTimer: 0,
  loadSeq: 0,
  saving: false,
  events: null,
};

const editor = new Editor($('view'), { onChange: updateEditControls, onView: updateZoom });
const hints = new Hints(editor, { openImage: () => (state.open && !state.open.readOnly ? state.open.id : null), notice });

// ---- session ----------------------------------------------------------------------------

async function loadSession() {
  try {
    state.session = await api.json('/session');
  } catch (e) {
    if (e instanceof ApiError && e.status === 401 && api.token()) {
      api.setToken('');
      failed('token refused', e);
      state.session = await api.json('/session').catch(() => null);
    } else {
      failed('session', e);
    }
  }
  renderSession();
}

function renderSession() {
  const s = state.session;
  const signedIn = !!(s && s.annotator);
  $('who').textContent = !s ? 'daemon unreachable'
    : signedIn ? `signed in as ${s.annotator}`
      : s.tokensRequired ? 'not signed in (read only)' : 'open lab (local)';
  // An open lab has no annotators, hence no tokens: the box shows only where one is needed.
  const showLogin = !signedIn && !!s && s.tokensRequired;
  $('token').hidden = !showLogin;
  $('sign-in').hidden = !showLogin;
  $('sign-out').hidden = !signedIn && !api.token();
  document.body.dataset.annotator = signedIn ? s.annotator : '';
  // Training controls are an operator's (the API answers 403 to anyone else): shown to operators only.
  const operator = !!s && s.role === 'operator';
  $('train-now').hidden = !operator;
  $('pause-training').hidden = !operator;
  if (s && s.tokensRequired && !signedIn) $('token').focus();
}

async function signIn(event) {
  event.preventDefault();
  const value = $('token').value.trim();
  if (!value) return;
  const previous = api.token();
  api.setToken(value);
  try {
    state.session = await api.json('/session');
    $('token').value = '';
    message(`signed in as ${state.session.annotator || 'local'}`, 'ok');
    notice('');
  } catch (e) {
    api.setToken(previous);
    failed('sign in', e);
  }
  renderSession();
  if (mayRead()) await loadLab();
  if (state.open) openImage(state.open.id, { force: true });
}

function signOut() {
  releaseClaim();
  if (state.open) { state.open.readOnly = true; editor.readOnly = true; updateEditControls(); }
  api.setToken('');
  loadSession().then(() => {
    if (mayRead()) { startEvents(); loadQueue(); return; }
    if (state.events) { state.events.close(); state.events = null; }
    state.queue = [];
    renderQueue();
    notice('Sign in with your token to see this lab.');
  });
}

/** A lab with annotators shows nothing, not even its queue, to a page that has not signed in. */
function mayRead() {
  const s = state.session;
  return !!s && (!s.tokensRequired || !!s.annotator);
}

async function loadLab() {
  await loadStatus();
  await Promise.all([loadQueue(), loadModels()]);
  startEvents();
}

// ---- queue and history ------------------------------------------------------------------

async function loadQueue() {
  try {
    const q = await api.json('/queue?limit=500');
    state.queue = q.items || [];
    $('queue-strategy').textContent = q.strategy ? `(${q.strategy})` : '';
  } catch (e) {
    failed('queue', e);
    return;
  }
  renderQueue();
}

function renderQueue() {
  const body = $('queue').tBodies[0];
  const rows = state.queue.map((item) => {
    const tr = document.createElement('tr');
    tr.dataset.id = item.id;
    if (state.open && state.open.id === item.id) tr.classList.add('open');
    const mine = state.session && item.claimedBy === (state.session.annotator || 'local');
    if (item.claimedBy && !mine) tr.classList.add('claimed');
    const name = document.createElement('td');
    name.textContent = item.name;
    name.title = item.id;
    const u = document.createElement('td');
    u.className = 'num';
    u.textContent = item.uncertainty == null ? '—' : item.uncertainty.toFixed(3);
    const st = document.createElement('td');
    st.textContent = item.state + (item.corrections ? ` ·${item.corrections}` : '') + (item.claimedBy && !mine ? ` (${item.claimedBy})` : '');
    st.title = item.claimedBy ? `claimed by ${item.claimedBy}${item.claimExpiresAt ? ' until ' + item.claimExpiresAt : ''}` : item.state;
    tr.append(name, u, st);
    tr.addEventListener('click', () => openImage(item.id));
    return tr;
  });
  body.replaceChildren(...rows);
  $('queue-empty').hidden = state.queue.length > 0;
}

async function loadHistory(id) {
  try {
    const h = await api.json(`/images/${enc(id)}/history`);
    if (!state.open || state.open.id !== id) return;
    const items = (h.events || []).slice().reverse().map((ev) => {
      const li = document.createElement('li');
      const time = document.createElement('time');
      time.textContent = formatTime(ev.at);
      time.title = ev.at;
      const type = document.createElement('span');
      type.className = 'type';
      type.textContent = ev.type;
      li.append(time, type, ' ', ev.summary || '');
      li.title = `seq ${ev.seq}`;
      return li;
    });
    $('history').replaceChildren(...items);
  } catch (e) {
    failed('history', e);
  }
}

// ---- the open image ---------------------------------------------------------------------

async function openImage(id, { force = false } = {}) {
  if (!force && state.open && state.open.id === id) return;
  if (!force && editor.unsaved && !confirm('Discard the unsaved changes to this mask?')) return;
  const seq = ++state.loadSeq;
  const previous = state.open;
  notice('');
  document.body.dataset.openImage = '';
  let claim = null;
  try {
    claim = await claimImage(id);
    const detail = await api.json(`/images/${enc(id)}`);
    const summary = detail.image || detail;
    // Only a corrected image has a correction to fetch: asking anyway logs a 404 in the console.
    const corrected = (summary.corrections || 0) > 0;
    const [image, prediction, correction, probability] = await Promise.all([
      api.bitmap(`/images/${enc(id)}/image.png`),
      api.optionalBitmap(`/images/${enc(id)}/prediction.png`),
      corrected ? api.optionalBitmap(`/images/${enc(id)}/correction.png`) : null,
      api.optionalBitmap(`/images/${enc(id)}/probability.png`),
    ]);
    if (seq !== state.loadSeq) return;
    if (previous && previous.claimed && previous.id !== (summary.id || id)) releaseClaim(previous, { timer: false });
    const { width, height } = image.bitmap;
    const base = correction || prediction;
    editor.load(image.bitmap, base ? binaryMask(base.bitmap, width, height) : null);
    editor.setHeat(probability ? probability.bitmap : null);
    $('heat-label').hidden = !probability;
    if (!probability) { $('show-heat').checked = false; editor.showHeat = false; }
    state.open = {
      id: summary.id || id, name: summary.name || id, width, height,
      model: prediction ? prediction.model : null,
      maskSource: correction ? 'latest correction' : prediction ? 'prediction' : 'empty',
      uncertainty: summary.uncertainty, claimed: claim.ok, readOnly: !claim.ok, corrected,
    };
    editor.readOnly = !claim.ok;
    if (!claim.ok) notice(claim.reason, 'error');
    $('stage-empty').hidden = true;
    $('history-name').textContent = state.open.name;
    renderInfo();
    renderQueue();
    updateEditControls();
    document.body.dataset.openImage = state.open.id;
    history.replaceState(null, '', `#${state.open.id}`);
    loadHistory(state.open.id);
    $('stage').focus({ preventScroll: true });
  } catch (e) {
    if (seq !== state.loadSeq) return;
    failed(`opening ${id}`, e);
    if (claim && claim.ok && (!previous || previous.id !== id)) {
      clearInterval(state.claimTimer);
      api.request(`/images/${enc(id)}/claim`, { method: 'DELETE' }).catch(() => {});
    }
    // The image still shown keeps its claim, renewed as before.
    if (previous && previous.claimed) state.claimTimer = setInterval(() => renewClaim(previous.id), CLAIM_RENEW_MS);
    if (previous) document.body.dataset.openImage = previous.id;
  }
}

/** Claims the image; renews every two minutes while it stays open. */
async function claimImage(id) {
  clearInterval(state.claimTimer);
  try {
    const c = await api.json(`/images/${enc(id)}/claim`, { method: 'POST' });
    state.claimTimer = setInterval(() => renewClaim(id), CLAIM_RENEW_MS);
    return { ok: true, expiresAt: c.expiresAt };
  } catch (e) {
    if (e instanceof ApiError && e.status === 409) return { ok: false, reason: `Read only — ${e.message}` };
    if (e instanceof ApiError && (e.status === 401 || e.status === 403)) {
      return { ok: false, reason: `Read only — sign in with your token to correct (${e.message})` };
    }
    throw e;
  }
}

async function renewClaim(id) {
  if (!state.open || state.open.id !== id) return;
  try {
    await api.json(`/images/${enc(id)}/claim`, { method: 'POST' });
  } catch (e) {
    failed('renewing the claim', e);
    if (e instanceof ApiError && e.status === 409) {
      state.open.readOnly = true;
      editor.readOnly = true;
      updateEditControls();
    }
  }
}

function releaseClaim(open = state.open, { timer = true } = {}) {
  if (timer) clearInterval(state.claimTimer);
  if (!open || !open.claimed) return;
  open.claimed = false;
  api.request(`/images/${enc(open.id)}/claim`, { method: 'DELETE', keepalive: true }).catch(() => {});
}

function renderInfo() {
  const o = state.open;
  if (!o) { $('image-info').textContent = ''; return; }
  // What the mask started from, for tools outside the page (the browser test).
  document.body.dataset.maskModel = o.model || '';
  document.body.dataset.maskSource = o.maskSource;
  const parts = [
    o.name, `${o.width}×${o.height}`,
    o.uncertainty == null ? null : `uncertainty ${Number(o.uncertainty).toFixed(3)}`,
    o.model ? `prediction by ${o.model.slice(0, 8)}` : 'no prediction yet',
    `mask from ${o.maskSource}`,
    editor.mask ? `${editor.vesselPixels()} vessel px` : null,
    editor.unsaved ? 'unsaved changes' : null,
    o.readOnly ? 'read only' : null,
  ];
  $('image-info').textContent = parts.filter(Boolean).join(' · ');
}

/**
 * A newer model's prediction: taken when the mask is untouched, offered otherwise. Reloads run
 * one after another; one for `model` is skipped when an earlier one already brought it.
 */
function reloadOverlay(reason, model = null) {
  const o = state.open;
  if (!o) return Promise.resolve();
  o.reloading = (o.reloading || Promise.resolve()).then(() => {
    if (state.open !== o || (model && o.model === model)) return undefined;
    return reloadOverlayNow(o, reason);
  });
  return o.reloading;
}

async function reloadOverlayNow(o, reason) {
  if (editor.unsaved) {
    notice(`A newer prediction is available (${reason}); your edits are kept.`, '', {
      label: 'Load it', title: 'Replace the mask with the newer prediction (discards your edits)',
      run: () => openImage(o.id, { force: true }),
    });
    return;
  }
  try {
    const [prediction, correction, probability] = await Promise.all([
      api.optionalBitmap(`/images/${enc(o.id)}/prediction.png`),
      o.corrected ? api.optionalBitmap(`/images/${enc(o.id)}/correction.png`) : null,
      api.optionalBitmap(`/images/${enc(o.id)}/probability.png`),
    ]);
    if (state.open !== o || editor.unsaved) return;
    const base = correction || prediction;
    editor.setMask(base ? binaryMask(base.bitmap, o.width, o.height) : new Uint8Array(o.width * o.height));
    editor.setHeat(probability ? probability.bitmap : null);
    $('heat-label').hidden = !probability;
    o.model = prediction ? prediction.model : null;
    o.maskSource = correction ? 'latest correction' : prediction ? 'prediction' : 'empty';
    renderInfo();
    message(`${o.name}: overlay reloaded (${reason})`);
  } catch (e) {
    failed('reloading the prediction', e);
  }
}

async function save({ next = false } = {}) {
  const o = state.open;
  if (!o || state.saving) return;
  if (o.readOnly) { notice('This image is read only here: it is not claimed by you.', 'error'); return; }
  state.saving = true;
  updateEditControls();
  try {
    const blob = await editor.toPNG();
    const query = o.model ? `?basedOnModel=${enc(o.model)}` : '';
    const result = await api.json(`/images/${enc(o.id)}/corrections${query}`, { method: 'POST', ...(await correctionBody(editor, blob)) });
    editor.markSaved();
    o.maskSource = 'latest correction';
    o.corrected = true;
    const d = result && result.disagreement;
    const text = `${o.name} saved (seq ${result && result.seq}, by ${(result && result.annotator) || 'local'})`
      + (d ? ` — Dice ${Number(d.dice).toFixed(3)} with ${d.annotator}'s correction` : '');
    message(text, 'ok');
    notice(d ? text : '', d ? '' : 'ok');
    document.body.dataset.lastSave = String(result && result.seq);
    const before = state.queue.map((i) => i.id);
    await loadQueue();
    loadHistory(o.id);
    renderInfo();
    if (next) {
      const at = before.indexOf(o.id);
      const rest = state.queue.filter((i) => i.id !== o.id);
      const after = rest.find((i) => before.indexOf(i.id) > at) || rest[0];
      if (after) {
        await openImage(after.id, { force: true });
        if (d) notice(text);
      } else message('the queue is empty', 'ok');
    }
  } catch (e) {
    failed(`saving ${o.name}`, e);
  } finally {
    state.saving = false;
    updateEditControls();
  }
}

// ---- status, live events, models --------------------------------------------------------

async function loadStatus() {
  try {
    state.status = await api.json('/status');
    renderStatus();
  } catch (e) {
    $('activity').textContent = `status: ${e.message}`;
  }
}

function renderStatus() {
  const s = state.status;
  if (!s) return;
  $('lab-name').textContent = s.lab || '';
  $('activity').textContent = s.activity + (s.paused ? ' · training paused' : '');
  $('activity').className = s.paused ? 'paused' : '';
  renderTraining(s.training);
  const i = s.images || {};
  const extra = [];
  if (s.waitingForPrediction) extra.push(`${s.waitingForPrediction} waiting for prediction`);
  if (s.correctionsAwaitingTraining) extra.push(`${s.correctionsAwaitingTraining} corrections awaiting training`);
  $('counts').textContent = `${i.pending ?? 0} pending · ${i.predicted ?? 0} predicted · ${i.corrected ?? 0} corrected`
    + (extra.length ? ' · ' + extra.join(' · ') : '');
  const m = s.currentModel;
  $('serving').textContent = m
    ? `serving run ${m.run} ${String(m.sha).slice(0, 8)}` + (m.validationDice != null ? ` (Dice ${Number(m.validationDice).toFixed(3)})` : '')
      + (s.pinnedModel ? ' · pinned' : '')
    : 'no model yet';
  $('pause-training').textContent = s.paused ? 'Resume training' : 'Pause training';
  $('pause-training').title = s.paused ? 'Resume automatic training' : 'Pause automatic training';
  $('train-now').disabled = isTraining(s);
  hints.setAvailable(!!s.hints);
}

/** The contract's activity is "training"; servers may add the run ("training run 3"). */
function isTraining(s) {
  return String(s.activity || '').startsWith('training') || !!s.training;
}

function renderTraining(t) {
  if (!t) { $('training').textContent = ''; return; }
  const parts = [`run ${t.run}`, `epoch ${t.epoch}`];
  if (t.batchesPerEpoch) parts.push(`batch ${t.batch}/${t.batchesPerEpoch}`);
  if (t.loss != null) parts.push(`loss ${Number(t.loss).toFixed(4)}`);
  if (t.remainingSeconds != null) parts.push(`${duration(t.remainingSeconds)} left`);
  $('training').textContent = 'training: ' + parts.join(' · ');
}

async function loadModels() {
  try {
    const m = await api.json('/models');
    renderModels($('models-plot'), $('models-legend'), m.items || [], state.status && state.status.currentModel);
  } catch (e) {
    failed('models', e);
  }
}

let statusTimer = 0;
let queueTimer = 0;
let progressTimer = 0;
function soon(which) {
  if (which === 'status' && !statusTimer) statusTimer = setTimeout(() => { statusTimer = 0; loadStatus(); }, 300);
  if (which === 'queue' && !queueTimer) queueTimer = setTimeout(() => { queueTimer = 0; loadQueue(); }, 800);
}

function startEvents() {
  if (state.events) state.events.close();
  const es = api.eventSource();
  state.events = es;
  es.addEventListener('open', () => {
    $('conn').className = 'live';
    $('conn').title = 'live';
    loadStatus();
    // Back after a drop (a daemon restart, say): what was missed may have changed anything.
    if (state.streamWasDown) { state.streamWasDown = false; loadSession(); loadQueue(); loadModels(); }
  });
  es.addEventListener('error', () => {
    state.streamWasDown = true;
    $('conn').className = 'down';
    $('conn').title = 'event stream reconnecting…';
    // The browser retries a dropped stream by itself, but gives up after an HTTP error (a 401,
    // a 503 while the daemon stops): start a new one a little later.
    if (es.readyState === EventSource.CLOSED) setTimeout(() => { if (state.events === es) startEvents(); }, 5000);
  });
  es.addEventListener('progress', (e) => {
    const t = JSON.parse(e.data);
    renderTraining(t);
    if (state.status && !isTraining(state.status)) {
      state.status.activity = `training run ${t.run}`;
      $('activity').textContent = state.status.activity;
      $('train-now').disabled = true;
    }
    clearTimeout(progressTimer);
    progressTimer = setTimeout(loadStatus, 5000);
  });
  for (const type of LEDGER_EVENTS) es.addEventListener(type, (e) => onLedgerEvent(type, JSON.parse(e.data)));
}

function onLedgerEvent(type, ev) {
  soon('status');
  const p = ev.payload || {};
  const mine = state.open && (p.image === state.open.id || ev.stream === `image-${state.open.id}`);
  switch (type) {
    case 'ModelPromoted':
      message(`model ${String(p.model || '').slice(0, 8)} promoted${p.why ? ': ' + p.why : ''}`, 'ok');
      loadQueue();
      loadStatus().then(loadModels);
      if (state.open) reloadOverlay('model promoted');
      break;
    case 'ModelTrained': case 'TrainingFailed': case 'TrainingAborted': case 'ModelRejected':
    case 'ModelPinned': case 'ModelUnpinned':
      message(ev.summary || type, type === 'TrainingFailed' ? 'error' : '');
      loadModels();
      break;
    case 'PredictionMade':
      soon('queue');
      if (mine && p.model && p.model !== state.open.model) reloadOverlay('new prediction', p.model);
      break;
    case 'ImageIngested': case 'CorrectionAccepted':
      soon('queue');
      break;
    case 'ImageRejected': case 'CorrectionRejected':
      message(ev.summary || type, 'error');
      break;
    case 'TrainingStarted': case 'TrainingPaused': case 'TrainingResumed': case 'DaemonStarted': case 'DaemonStopped':
      message(ev.summary || type);
      break;
    default:
      break;
  }
  if (mine) loadHistory(state.open.id);
}

async function training(action) {
  try {
    const r = await api.postJSON('/training', { action });
    message(`${action} requested (seq ${r && r.seq})`, 'ok');
    loadStatus();
  } catch (e) {
    failed(`training ${action}`, e);
  }
}

// ---- controls ---------------------------------------------------------------------------

function updateEditControls() {
  const open = !!(state.open && editor.mask);
  const writable = open && !editor.readOnly;
  for (const b of document.querySelectorAll('[data-tool]')) {
    b.classList.toggle('active', b.dataset.tool === editor.tool);
    b.setAttribute('aria-pressed', String(b.dataset.tool === editor.tool));
  }
  $('undo').disabled = !writable || editor.undoStack.length === 0;
  $('redo').disabled = !writable || editor.redoStack.length === 0;
  $('save').disabled = !writable || state.saving;
  $('save-next').disabled = !writable || state.saving;
  $('brush-size').value = String(editor.brushSize);
  $('brush-size-out').textContent = String(editor.brushSize);
  renderInfo();
}

function updateZoom(ed) {
  $('zoom-out').textContent = `${Math.round(ed.scale * 100)}%`;
}

function toggleHelp(show = $('help').hidden) {
  $('help').hidden = !show;
  if (show) $('help-close').focus();
}

function setShowMask(on) {
  editor.showMask = on;
  $('show-mask').checked = on;
  if (on && editor.showHeat) setShowHeat(false);
  editor.requestDraw();
}

function setShowHeat(on) {
  if (on && !editor.heat) return;
  editor.showHeat = on;
  $('show-heat').checked = on;
  editor.requestDraw();
}

function wire() {
  $('login').addEventListener('submit', signIn);
  $('sign-out').addEventListener('click', signOut);
  $('queue-reload').addEventListener('click', loadQueue);
  for (const b of document.querySelectorAll('[data-tool]')) b.addEventListener('click', () => editor.setTool(b.dataset.tool));
  $('brush-size').addEventListener('input', (e) => editor.setBrushSize(Number(e.target.value)));
  $('undo').addEventListener('click', () => editor.undo());
  $('redo').addEventListener('click', () => editor.redo());
  $('show-mask').addEventListener('change', (e) => setShowMask(e.target.checked));
  $('show-heat').addEventListener('change', (e) => setShowHeat(e.target.checked));
  $('opacity').addEventListener('input', (e) => { editor.opacity = Number(e.target.value) / 100; editor.requestDraw(); });
  $('fit').addEventListener('click', () => editor.fit());
  $('save').addEventListener('click', () => save());
  $('save-next').addEventListener('click', () => save({ next: true }));
  $('train-now').addEventListener('click', () => training('train'));
  $('pause-training').addEventListener('click', () => training(state.status && state.status.paused ? 'resume' : 'pause'));
  $('help-button').addEventListener('click', () => toggleHelp(true));
  $('help-close').addEventListener('click', () => toggleHelp(false));
  $('help').addEventListener('click', (e) => { if (e.target === $('help')) toggleHelp(false); });
  installShortcuts(editor, { save, toggleHelp, setShowMask, setShowHeat, notice });
  window.addEventListener('beforeunload', (e) => {
    if (editor.unsaved) { e.preventDefault(); e.returnValue = ''; }
  });
  window.addEventListener('pagehide', () => releaseClaim());
  editor.opacity = Number($('opacity').value) / 100;
}

async function main() {
  wire();
  updateEditControls();
  await loadSession();
  if (mayRead()) await loadLab();
  else if (state.session) notice('Sign in with your token to see this lab.');
  // A link to one image (#SHA or #im0001) opens it.
  const linked = decodeURIComponent(location.hash.slice(1));
  if (linked && mayRead()) await openImage(linked);
  window.addEventListener('hashchange', () => {
    const id = decodeURIComponent(location.hash.slice(1));
    if (id && (!state.open || state.open.id !== id)) openImage(id);
  });
  // In case the stream is down: the bar never goes stale for long.
  setInterval(() => { if (mayRead()) loadStatus(); }, 30_000);
  document.body.dataset.ready = '1';
}

main();
