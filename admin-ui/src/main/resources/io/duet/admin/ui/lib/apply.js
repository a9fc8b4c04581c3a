// A change applied at once, without a preview (after a confirmation dialog: delete, move): the document read with
// its ETag, changed, and written back with If-Match and a summary, so a concurrent change is refused, not lost.
import { api } from './api.js';
import { cleanSummary } from './summary.js';

/**
 * Applies change (a function from a copy of the current document to the next one) with summary (history, audit).
 * Resolves the new revision; rejects with the API's error (its violations listed) when the document is refused.
 */
export async function applyChange(change, summary) {
  const { data: doc, etag } = await api('GET', '/config');
  const next = change(structuredClone(doc));
  const { data } = await api('PUT', '/config', next, { 'If-Match': etag, 'X-Duet-Summary': cleanSummary(summary) });
  return data.revision;
}
