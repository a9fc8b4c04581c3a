// The audit log of every node (admins only).
import { api } from '../lib/api.js';
import { el } from '../lib/dom.js';
import { canEdit } from '../lib/session.js';

export async function auditPage() {
  if (!canEdit()) return el('section', {}, el('p', { text: 'Only admins read the audit log.' }));
  const { data: records } = await api('GET', '/audit?limit=200');
  const t = el('table', { id: 'audit-table' }, el('tr', {}, ...['when', 'node', 'who', 'from', 'action', 'outcome', 'revision', 'detail']
    .map(x => el('th', { text: x }))));
  for (const r of records) {
    t.append(el('tr', { class: r.outcome === 'ok' ? '' : 'warn' }, el('td', { text: new Date(r.timeMs).toLocaleString() }),
      el('td', { text: r.node || '' }), el('td', { text: r.user || '-' }), el('td', { text: r.address || '' }),
      el('td', { text: r.action }), el('td', { text: r.outcome + (r.pending ? ' (not yet replicated)' : '') }),
      el('td', { text: r.revision == null ? '' : String(r.revision) }), el('td', { text: r.detail || '' })));
  }
  return el('section', {}, el('h2', { text: 'Audit log (every node)' }), t);
}
