// The document as text through /api/v1 (YAML or JSON, as the editor shows it): the same CSRF token and 401 handling
// as api.js, a text body with its own Content-Type, and the answer as text (a document) or JSON (a verdict).
import { ApiError } from './api.js';
import { go } from './navigation.js';
import { session, setSession } from './session.js';

const API = '/api/v1';

/** The media type of each syntax the editor offers. */
export const MEDIA = { yaml: 'application/yaml', json: 'application/json' };

/**
 * Sends text (when not undefined) as contentType; returns { text, json (when the answer is JSON), etag }.
 * Throws ApiError with the answer's id, message and violations when the status is not 2xx.
 */
export async function apiText(method, path, text, contentType, headers = {}) {
  const h = { ...headers };
  if (text !== undefined) h['Content-Type'] = contentType;
  const s = session();
  if (method !== 'GET' && s && s.csrfToken) h['X-CSRF-Token'] = s.csrfToken;
  const r = await fetch(API + path, { method, headers: h, credentials: 'same-origin', body: text });
  const body = await r.text();
  const isJson = (r.headers.get('Content-Type') || '').startsWith('application/json');
  const json = isJson && body ? JSON.parse(body) : null;
  if (!r.ok) {
    if (r.status === 401) { setSession(null); go('#/login'); }
    throw new ApiError(r.status, json);
  }
  return { text: body, json, etag: r.headers.get('ETag') };
}
