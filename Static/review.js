// The review panel of the open image: where it stands (to do, skipped, flagged, sent back,
// accepted), skip and flag it with a reason or put it back, its comments, a reviewer's accept or
// send back, and the side-by-side comparison of two annotators' masks.

import * as api from './api.js';
import { enc } from './api.js';
import { annotatorsOf, openCompare, closeCompare } from './compare.js';
import { $, message, notice, failed } from './ui.js';
import { localTime } from './words.js';

const ROLES = ['reader', 'annotator', 'reviewer', 'operator'];
const atLeast = (session, role) => !!session && ROLES.indexOf(session.role) >= ROLES.indexOf(role);

export class ReviewPanel {
  /** `changed()` is called after every recorded action: the list and the image reload. */
  constructor({ changed }) {
    this.changed = changed;
    this.image = null;   // {id, name, detail}
    this.session = null;
    $('skip-image').addEventListener('click', () => this.setAside('skip'));
    $('flag-image').addEventListener('click', () => this.setAside('flag'));
    $('restore-image').addEventListener('click', () => this.record('restore', { reason: $('review-reason').value }, 'back on the to-do list'));
    $('comment-form').addEventListener('submit', (e) => { e.preventDefault(); this.addComment(); });
    $('accept-correction').addEventListener('click', () => this.verdict('accept'));
    $('send-back').addEventListener('click', () => this.verdict('send_back'));
    $('compare-open').addEventListener('click', () => this.compare());
    $('compare-close').addEventListener('click', closeCompare);
    $('compare').addEventListener('click', (e) => { if (e.target === $('compare')) closeCompare(); });
    document.addEventListener('keydown', (e) => { if (e.key === 'Escape' && !$('compare').hidden) closeCompare(); });
    for (const select of [$('compare-a-name'), $('compare-b-name')]) {
      select.addEventListener('change', () => this.compare({ a: $('compare-a-name').value, b: $('compare-b-name').value }));
    }
  }

  setSession(session) {
    this.session = session;
    if (this.image) this.render();
  }

  show(id, name, detail) {
    this.image = { id, name, detail };
    this.render();
  }

  render() {
    const { detail } = this.image;
    const s = this.session;
    $('review-panel').hidden = false;
    $('review-status').replaceChildren(...statusLine(detail));
    document.body.dataset.reviewStatus = detail.status || '';
    const writer = atLeast(s, 'annotator');
    const setAside = !!detail.setAside;
    $('skip-image').hidden = !writer || (setAside && detail.setAside.kind === 'skipped');
    $('flag-image').hidden = !writer || (setAside && detail.setAside.kind === 'flagged');
    $('restore-image').hidden = !writer || !setAside;
    $('review-reason').hidden = !writer;
    $('comment-form').hidden = !writer;
    const latest = (detail.corrections || []).at(-1);
    const own = latest && s && latest.annotator === s.annotator;
    $('reviewer-actions').hidden = !atLeast(s, 'reviewer') || !latest;
    $('accept-correction').disabled = !!own;
    $('send-back').disabled = !!own;
    $('reviewer-actions').title = own ? 'Your own correction: another reviewer must judge it.' : '';
    $('compare-open').hidden = annotatorsOf(detail).length < 2;
    $('comments').replaceChildren(...(detail.comments || []).map(commentItem));
  }

  hide() {
    this.image = null;
    $('review-panel').hidden = true;
  }

  async setAside(action) {
    const reason = $('review-reason').value.trim();
    if (!reason) {
      notice(`Write why you ${action === 'skip' ? 'skip' : 'flag'} this image first (the reason box).`, 'error');
      $('review-reason').focus();
      return;
    }
    await this.record(action, { reason }, action === 'skip' ? 'skipped' : 'flagged ungradable');
  }

  async addComment() {
    const text = $('comment-text').value.trim();
    if (!text) return;
    if (await this.record('comments', { text }, 'comment added')) $('comment-text').value = '';
  }

  async verdict(verdict) {
    const note = $('review-note').value.trim();
    if (verdict === 'send_back' && !note) {
      notice('Write a note for the annotator first: what should change?', 'error');
      $('review-note').focus();
      return;
    }
    if (await this.record('review', { verdict, note }, verdict === 'accept' ? 'correction accepted' : 'sent back to the to-do list')) {
      $('review-note').value = '';
    }
  }

  /** POSTs `body` to the open image's `path`; true when recorded. */
  async record(path, body, done) {
    const image = this.image;
    if (!image) return false;
    try {
      await api.postJSON(`/images/${enc(image.id)}/${path}`, body);
      if (path !== 'comments') $('review-reason').value = '';
      message(`${image.name}: ${done}`, 'ok');
      notice('');
      await this.changed(image.id);
      return true;
    } catch (e) {
      failed(`${image.name}: ${done}`, e);
      return false;
    }
  }

  async compare(pick) {
    const image = this.image;
    if (!image) return;
    try {
      await openCompare(image.id, image.name, image.detail, pick);
    } catch (e) {
      failed('comparing annotators', e);
    }
  }
}

/** Where the image stands, in words: its state, who set it aside or judged it, and why. */
function statusLine(detail) {
  const parts = [];
  const strong = (text) => { const b = document.createElement('strong'); b.textContent = text; return b; };
  const a = detail.setAside, r = detail.review;
  if (a) {
    parts.push(strong(a.kind === 'flagged' ? 'Flagged ungradable' : 'Skipped'), `${a.by ? ' by ' + a.by : ''}: ${a.reason}`);
  } else if (r && r.verdict === 'sent_back') {
    parts.push(strong('Sent back'), ` by ${r.by || 'a reviewer'}: ${r.note}`);
  } else if (r) {
    parts.push(strong('Accepted'), ` by ${r.by || 'a reviewer'}${r.note ? ': ' + r.note : ''}`);
  } else if (detail.status === 'corrected') {
    const latest = (detail.corrections || []).at(-1);
    parts.push(strong('Corrected'), latest && latest.annotator ? ` by ${latest.annotator}, not reviewed yet` : ', not reviewed yet');
  } else {
    parts.push(strong('To do'));
  }
  return parts;
}

function commentItem(c) {
  const li = document.createElement('li');
  const time = document.createElement('time');
  time.textContent = localTime(c.at);
  time.title = new Date(c.at).toLocaleString();
  const who = document.createElement('span');
  who.className = 'who';
  who.textContent = c.by || 'local';
  li.append(time, who, ' ', c.text);
  return li;
}
