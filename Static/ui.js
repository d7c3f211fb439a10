// Small things every part of the page uses: element lookup, the messages list and the notice
// bar, and formatting of times and durations.

import { ApiError } from './api.js';

export const $ = (id) => document.getElementById(id);

export function message(text, kind = '') {
  const li = document.createElement('li');
  if (kind) li.className = kind;
  const time = document.createElement('time');
  time.textContent = new Date().toLocaleTimeString();
  li.append(time, text);
  $('messages').prepend(li);
  while ($('messages').children.length > 60) $('messages').lastChild.remove();
}

export function notice(text, kind = '', action = null) {
  const n = $('notice');
  n.replaceChildren(text);
  n.className = kind;
  if (action) {
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'small';
    b.textContent = action.label;
    b.title = action.title || action.label;
    b.addEventListener('click', action.run);
    n.append(' ', b);
  }
  n.hidden = !text;
}

export function failed(what, error) {
  const text = `${what}: ${error instanceof ApiError ? error.message : error.message || String(error)}`;
  message(text, 'error');
  notice(text, 'error');
  console.warn(text, error);
}

export function formatTime(iso) {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? String(iso || '') : d.toLocaleString([], { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}

export function duration(seconds) {
  const s = Math.max(0, Math.round(seconds));
  const m = Math.floor(s / 60);
  return m >= 60 ? `${Math.floor(m / 60)} h ${m % 60} min` : m ? `${m} min ${s % 60} s` : `${s} s`;
}
