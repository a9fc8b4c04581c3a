// The client of /api/v1: JSON in and out, the CSRF token on every change, a 401 back to the login page.
import { session, setSession } from './session.js';
import { go } from './navigation.js';

const API = '/api/v1';

export class ApiError extends Error {
  constructor(status, body) {
    super(body && body.message ? body.message : 'HTTP ' + status);
    this.status = status;
    this.id = body && body.id;
    this.violations = (body && body.violations) || [];
  }
}

export async function api(method, path, body, headers = {}) {
  const h = { ...headers };
  if (body !== undefined) h['Content-Type'] = 'application/json';
  const s = session();
  if (method !== 'GET' && s && s.csrfToken) h['X-CSRF-Token'] = s.csrfToken;
  const r = await fetch(API + path, { method, headers: h, credentials: 'same-origin',
    body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await r.text();
  const data = text ? JSON.parse(text) : null;
  if (!r.ok) {
    if (r.status === 401 && path !== '/session') { setSession(null); go('#/login'); }
    throw new ApiError(r.status, data);
  }
  return { data, etag: r.headers.get('ETag') };
}
