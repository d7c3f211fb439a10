// The HTTP API v1 as the page uses it: one place that adds the token and turns the API's
// error bodies ({"error": {"code", "message"}}) into thrown ApiErrors.

const TOKEN_KEY = 'loupe.token';
const BASE = '/api/v1';

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

export function token() {
  return localStorage.getItem(TOKEN_KEY) || '';
}

export function setToken(value) {
  if (value) localStorage.setItem(TOKEN_KEY, value);
  else localStorage.removeItem(TOKEN_KEY);
}

function headers(extra = {}) {
  const h = { ...extra };
  const t = token();
  if (t) h.Authorization = `Bearer ${t}`;
  return h;
}

async function failure(response) {
  let code = 'http_' + response.status;
  let message = `${response.status} ${response.statusText}`;
  try {
    const body = await response.json();
    if (body && body.error) {
      code = body.error.code || code;
      message = body.error.message || message;
    }
  } catch (_) { /* not JSON: keep the status line */ }
  return new ApiError(response.status, code, message);
}

/** Fetches `path` under /api/v1; returns the Response for 2xx, throws ApiError otherwise. */
export async function request(path, { method = 'GET', body, type, keepalive = false } = {}) {
  const init = { method, headers: headers(type ? { 'Content-Type': type } : {}), keepalive, cache: 'no-store' };
  if (body !== undefined) init.body = body;
  let response;
  try {
    response = await fetch(BASE + path, init);
  } catch (e) {
    throw new ApiError(0, 'network', `cannot reach the daemon (${e.message})`);
  }
  if (!response.ok) throw await failure(response);
  return response;
}

export async function json(path, options) {
  const response = await request(path, options);
  if (response.status === 204) return null;
  return response.json();
}

export function postJSON(path, value) {
  return json(path, { method: 'POST', body: JSON.stringify(value), type: 'application/json' });
}

export const enc = encodeURIComponent;

/** The image's PNGs as ImageBitmaps, decoded without colour management so masks keep their values. */
export async function bitmap(path) {
  const response = await request(path);
  const blob = await response.blob();
  const bmp = await createImageBitmap(blob, { premultiplyAlpha: 'none', colorSpaceConversion: 'none' });
  return { bitmap: bmp, model: response.headers.get('X-Loupe-Model') };
}

/** Like bitmap(), but null for 404 (no such mask yet). */
export async function optionalBitmap(path) {
  try {
    return await bitmap(path);
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) return null;
    throw e;
  }
}

/** The live stream; EventSource cannot send headers, so the token goes in the query. */
export function eventSource(after) {
  const params = new URLSearchParams();
  const t = token();
  if (t) params.set('token', t);
  if (after != null) params.set('after', String(after));
  const q = params.toString();
  return new EventSource(BASE + '/events' + (q ? '?' + q : ''));
}
