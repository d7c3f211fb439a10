// Loupe's page: the queue, the open image with its editable mask, the live status, the models.
// Talks to the HTTP API v1 only (api.js); the editor (editor.js) knows nothing of HTTP.

import * as api from './api.js';
import { ApiError, enc } from './api.js';
import { Editor, binaryMask } from './editor.js';
import { Hints } from './hints.js';
import { correctionBody } from './making.js';
import { installMenus } from './menus.js';
import { renderModels, renderModelControls } from './models.js';
import { installPanelResizing } from './panels.js';
import { ReviewPanel } from './review.js';
import { SaveIndicator } from './saving.js';
import { installShortcuts } from './shortcuts.js';
import { installViewbar } from './viewbar.js';
import { $, message, notice, failed, formatTime, duration } from './ui.js';
import { claimText, eventMessage, localTimes, uncertainty } from './words.js';
import { fetchList, keepOrder } from './worklist.js';

const CLAIM_RENEW_MS = 120_000;
const LEDGER_EVENTS = [
  'ImageIngested', 'ImageNamed', 'ImageRejected', 'CorrectionRejected', 'PredictionMade', 'CorrectionAccepted',
  'TrainingStarted', 'ModelTrained', 'TrainingFailed', 'TrainingAborted', 'ModelPromoted', 'ModelRejected',
  'DaemonStarted', 'DaemonStopped', 'AnnotatorAdded', 'TrainingRequested', 'TrainingPaused',
  'TrainingResumed', 'ModelPinned', 'ModelUnpinned', 'LabelStudioTaskLinked', 'ImageSkipped', 'ImageFlagged',
  'ImageRestored', 'ImageCommented', 'CorrectionApproved', 'CorrectionSentBack', 'LoginCodeIssued', 'LoginCodeRedeemed',
];

const state = {
  session: null,       // {annotator, role, tokensRequired}
  queue: [],           // ImageSummary[] of the list shown, in the order shown
  filter: 'todo',      // todo, mine, corrected, flagged or skipped (worklist.js)
  search: '',
  models: [],          // ModelView[], oldest first
  status: null,
  open: null,          // {id, name, width, height, model, maskSource, claimed, readOnly}
  claimTimer: 0,
  loadSeq: 0,
  saving: false,
  saveAgain: null,     // {next}: a save asked for while one ran
  events: null,
};

const editor = new Editor($('view'), { onChange: updateEditControls, onView: updateZoom });
const saveIndicator = new SaveIndicator();
const review = new ReviewPanel({ changed: reviewed });
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
  $('model-controls').hidden = !operator;
  $('login-name').hidden = !showLogin;
  document.body.dataset.role = s && s.role ? s.role : '';
  review.setSession(s);
  if (s && s.tokensRequired && !signedIn) $('login-name').focus();
}

/**
 * With a name, the box holds a login code, exchanged for a session token (POST /login); without
 * one, a token pasted as before.
 */
async function signIn(event) {
  event.preventDefault();
  const value = $('token').value.trim();
  const name = $('login-name').value.trim();
  if (!value) return;
  const previous = api.token();
  try {
    api.setToken(name ? (await api.postJSON('/login', { name, code: value })).token : value);
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

/**
 * Refreshes the list. Rows keep their places unless `reorder` (the person asked: ↻, a filter, a
 * search): a promotion re-orders the queue, and a row must not move under the pointer.
 */
async function loadQueue({ reorder = false } = {}) {
  const filter = state.filter, search = state.search;
  let fresh;
  try {
    fresh = await fetchList(filter, search);
  } catch (e) {
    failed('list', e);
    return;
  }
  if (filter !== state.filter || search !== state.search) return;
  const kept = reorder ? { items: fresh.items, reordered: false } : keepOrder(state.queue, fresh.items);
  state.queue = kept.items;
  $('queue-reorder').hidden = !kept.reordered;
  $('queue-strategy').textContent = filter === 'todo' && !search && fresh.strategy
    ? (fresh.strategy === 'uncertainty' ? 'most uncertain first' : fresh.strategy) : '';
  renderQueue();
}

function chooseFilter(filter) {
  state.filter = filter;
  showFilter();
  loadQueue({ reorder: true });
}

/** The filter buttons show the one chosen. */
function showFilter() {
  for (const b of document.querySelectorAll('[data-filter]')) b.setAttribute('aria-selected', String(b.dataset.filter === state.filter));
  document.body.dataset.filter = state.filter;
}

/** After a review action: the list, the open image's panel and its history show it. */
async function reviewed(id) {
  soon('queue');
  if (state.open && state.open.id === id) await loadReview(id);
}

async function loadReview(id) {
  try {
    const detail = await api.json(`/images/${enc(id)}`);
    if (state.open && state.open.id === id) review.show(id, state.open.name, detail);
  } catch (e) {
    failed('review', e);
  }
}

function renderQueue() {
  const body = $('queue').tBodies[0];
  const rows = state.queue.map((item) => {
    const tr = document.createElement('tr');
    tr.dataset.id = item.id;
    if (state.open && state.open.id === item.id) tr.classList.add('open');
    const mine = state.session && item.claimedBy === (state.session.annotator || 'local');
    if (item.claimedBy && !mine) tr.classList.add('claimed');
    const sentBack = item.review && item.review.verdict === 'sent_back';
    if (sentBack) tr.classList.add('sent-back');
    const name = document.createElement('td');
    name.textContent = item.name;
    name.title = sentBack ? `${item.name}: sent back by ${item.review.by || 'a reviewer'}: ${item.review.note}` : item.name;
    const u = document.createElement('td');
    const word = uncertainty(item.uncertainty);
    u.textContent = word.word;
    u.title = word.title;
    const st = document.createElement('td');
    st.textContent = item.claimedBy && !mine ? claimText(item.claimedBy, item.claimExpiresAt) : stateWord(item);
    st.title = item.claimedBy ? claimText(item.claimedBy, item.claimExpiresAt)
      : item.setAside ? `${item.setAside.kind}${item.setAside.by ? ' by ' + item.setAside.by : ''}: ${item.setAside.reason}`
        : stateWord(item) + (item.corrections ? ` · ${item.corrections} correction${item.corrections === 1 ? '' : 's'}` : '');
    tr.append(name, u, st);
    tr.addEventListener('click', () => openImage(item.id));
    return tr;
  });
  body.replaceChildren(...rows);
  $('queue-empty').hidden = state.queue.length > 0;
}

/** An image's state in a word or two. */
function stateWord(item) {
  if (item.setAside) return item.setAside.kind === 'flagged' ? 'ungradable' : 'skipped';
  if (item.review) return item.review.verdict === 'sent_back' ? 'sent back' : 'accepted';
  return { pending: 'new', predicted: 'predicted', corrected: 'corrected' }[item.state] || item.state;
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
    // Only a corrected image has a correction to fetch, and only a predicted one (or one the
    // serving model predicts on demand) a prediction: asking anyway logs a 404 in the console.
    // The detail lists the corrections; a queue summary counts them.
    const corrections = detail.corrections ?? summary.corrections ?? 0;
    const corrected = (Array.isArray(corrections) ? corrections.length : corrections) > 0;
    const predicted = hasPrediction(summary.predictionModel, summary.state);
    const [image, prediction, correction, probability] = await Promise.all([
      api.bitmap(`/images/${enc(id)}/image.png`),
      predicted ? api.optionalBitmap(`/images/${enc(id)}/prediction.png`) : null,
      corrected ? api.optionalBitmap(`/images/${enc(id)}/correction.png`) : null,
      predicted ? api.optionalBitmap(`/images/${enc(id)}/probability.png`) : null,
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
      uncertainty: summary.uncertainty, claimed: claim.ok, readOnly: !claim.ok, corrected, state: summary.state,
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
    review.show(state.open.id, state.open.name, detail);
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
    if (e instanceof ApiError && e.status === 409) return { ok: false, reason: `Read only — ${localTimes(e.message)}` };
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
    o.uncertainty == null ? null : `uncertainty ${uncertainty(o.uncertainty).word}`,
    o.model ? `predicted by ${modelName(o.model)}` : 'no prediction yet',
    `mask from ${o.maskSource}`,
    editor.mask ? `${editor.vesselPixels()} vessel px` : null,
    editor.unsaved ? 'unsaved changes' : null,
    o.readOnly ? 'read only' : null,
  ];
  $('image-info').textContent = parts.filter(Boolean).join(' · ');
}

/**
 * Whether the image has a prediction to fetch: one was made, or the serving model makes one on
 * demand, which it does for images not yet corrected.
 */
function hasPrediction(model, imageState) {
  return !!model || (imageState !== 'corrected' && !!(state.status && state.status.currentModel));
}

/** A model as an expert names it: by the training that made it. */
function modelName(sha) {
  const m = state.models.find((x) => x.sha === sha);
  return m ? `the model of training ${m.run}` : 'a model';
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
    const predicted = hasPrediction(o.model, o.state);
    const [prediction, correction, probability] = await Promise.all([
      predicted ? api.optionalBitmap(`/images/${enc(o.id)}/prediction.png`) : null,
      o.corrected ? api.optionalBitmap(`/images/${enc(o.id)}/correction.png`) : null,
      predicted ? api.optionalBitmap(`/images/${enc(o.id)}/probability.png`) : null,
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
  if (!o) return;
  // A save asked for while one runs (the queue reloads after the acknowledgement) is done right
  // after it: a key press is never dropped.
  if (state.saving) { state.saveAgain = { next: next || !!(state.saveAgain && state.saveAgain.next) }; return; }
  if (o.readOnly) { notice('This image is read only here: it is not claimed by you.', 'error'); return; }
  // A polyline being drawn is part of what the expert means to save.
  editor.finishPolyline();
  state.saving = true;
  saveIndicator.start();
  updateEditControls();
  try {
    const version = editor.version;
    const blob = await editor.toPNG();
    saveIndicator.encoded();
    const query = o.model ? `?basedOnModel=${enc(o.model)}` : '';
    const result = await api.json(`/images/${enc(o.id)}/corrections${query}`, { method: 'POST', ...(await correctionBody(editor, blob)) });
    // What was encoded is saved; an edit made while the request ran stays unsaved.
    editor.markSaved(version);
    saveIndicator.acknowledged(editor);
    o.maskSource = 'latest correction';
    o.corrected = true;
    o.state = 'corrected';
    const d = result && result.disagreement;
    const text = `${o.name} saved (by ${(result && result.annotator) || 'local'})`
      + (d ? ` — agreement ${Number(d.dice).toFixed(2)} with ${d.annotator}'s correction (1 is identical)` : '');
    message(text, 'ok');
    notice(d ? text : '', d ? '' : 'ok');
    document.body.dataset.lastSave = String(result && result.seq);
    const before = state.queue.map((i) => i.id);
    await loadQueue();
    loadHistory(o.id);
    renderInfo();
    // Save-and-next waits for the acknowledgement and moves on only when nothing is left unsaved.
    if (next && editor.unsaved) {
      notice(`${o.name} was edited while saving: those edits are not saved yet, so it stays open. Save again to go on.`);
    } else if (next) {
      const at = before.indexOf(o.id);
      const rest = state.queue.filter((i) => i.id !== o.id);
      const after = rest.find((i) => before.indexOf(i.id) > at) || rest[0];
      if (after) {
        await openImage(after.id, { force: true });
        if (d) notice(text);
      } else message('the queue is empty', 'ok');
    }
  } catch (e) {
    saveIndicator.failed(editor);
    failed(`saving ${o.name}`, e);
  } finally {
    state.saving = false;
    updateEditControls();
    const again = state.saveAgain;
    state.saveAgain = null;
    if (again && state.open === o && editor.unsaved) save(again);
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
  $('counts').textContent = `${i.pending ?? 0} new · ${i.predicted ?? 0} predicted · ${i.corrected ?? 0} corrected`
    + (extra.length ? ' · ' + extra.join(' · ') : '');
  const m = s.currentModel;
  $('serving').textContent = m
    ? `in use: the model of training ${m.run}` + (m.validationDice != null ? ` (agreement ${Number(m.validationDice).toFixed(2)})` : '')
      + (s.pinnedModel ? ' · pinned' : '')
    : 'no model yet';
  $('serving').title = m ? `model ${m.sha}; agreement: validation Dice with the held-back corrections` : '';
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
    state.models = m.items || [];
    renderModels($('models-plot'), $('models-legend'), state.models, state.status && state.status.currentModel);
    renderModelControls($('model-controls'), state.models, { pinned: state.status && state.status.pinnedModel, act: modelAction });
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
  const words = eventMessage(type, ev);
  if (words) message(words.text, words.kind);
  switch (type) {
    case 'ModelPromoted':
      loadQueue();
      loadStatus().then(loadModels);
      if (state.open) reloadOverlay('a new model is in use');
      break;
    case 'ModelTrained': case 'TrainingFailed': case 'TrainingAborted': case 'ModelRejected':
    case 'ModelPinned': case 'ModelUnpinned':
      loadStatus().then(loadModels);
      break;
    case 'PredictionMade':
      soon('queue');
      if (mine && p.model && p.model !== state.open.model) reloadOverlay('new prediction', p.model);
      break;
    case 'ImageIngested': case 'CorrectionAccepted': case 'ImageSkipped': case 'ImageFlagged': case 'ImageRestored':
    case 'CorrectionApproved': case 'CorrectionSentBack':
      soon('queue');
      if (mine && type !== 'ImageIngested') loadReview(state.open.id);
      break;
    case 'ImageCommented':
      if (mine) loadReview(state.open.id);
      break;
    default:
      break;
  }
  if (mine) loadHistory(state.open.id);
}

async function training(action) {
  try {
    // The event it records says it in the messages.
    await api.postJSON('/training', { action });
    loadStatus();
  } catch (e) {
    failed(`training ${action}`, e);
  }
}

/** An operator's pin, unpin or roll back from the models panel; its events say it in the messages. */
async function modelAction(kind, model) {
  try {
    if (kind === 'unpin') await api.json('/models/pin', { method: 'DELETE' });
    else await api.postJSON(`/models/${enc(model)}/${kind}`, {});
    await loadStatus();
    loadModels();
  } catch (e) {
    failed(kind === 'rollback' ? 'going back to that model' : kind, e);
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
  saveIndicator.render(editor);
  renderInfo();
}

/** The zoom is the editor's view's (rendering.js), as it is for the pointer's coordinates. */
function updateZoom(ed) {
  $('zoom-out').textContent = `${Math.round(ed.view.scale * 100)}%`;
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
  $('queue-reload').addEventListener('click', () => loadQueue({ reorder: true }));
  $('queue-reorder-apply').addEventListener('click', () => loadQueue({ reorder: true }));
  for (const b of document.querySelectorAll('[data-filter]')) b.addEventListener('click', () => chooseFilter(b.dataset.filter));
  let searchTimer = 0;
  $('queue-search').addEventListener('input', () => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(() => { state.search = $('queue-search').value.trim(); document.body.dataset.search = state.search; loadQueue({ reorder: true }); }, 250);
  });
  installPanelResizing(document.querySelector('main'));
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
  installMenus();
  const viewbar = installViewbar(editor);
  installShortcuts(editor, { save, toggleHelp, setShowMask, setShowHeat, notice, ...viewbar });
  window.addEventListener('beforeunload', (e) => {
    if (editor.unsaved) { e.preventDefault(); e.returnValue = ''; }
  });
  window.addEventListener('pagehide', () => releaseClaim());
  editor.opacity = Number($('opacity').value) / 100;
}

async function main() {
  wire();
  showFilter();
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
