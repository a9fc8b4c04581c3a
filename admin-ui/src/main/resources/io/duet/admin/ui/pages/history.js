// The document's revisions: who changed what, the diff of each, and rollback.
import { api } from '../lib/api.js';
import { diffView } from '../lib/diff.js';
import { el, toast } from '../lib/dom.js';
import { render } from '../lib/navigation.js';
import { canEdit } from '../lib/session.js';

export async function historyPage() {
  const { data: h } = await api('GET', '/config/history');
  const t = el('table', { id: 'history-table' }, el('tr', {}, ...['revision', 'when', 'who', 'what', ''].map(x => el('th', { text: x }))));
  const current = h.length ? h[0].revision : 0;
  for (const e of h) {
    const actions = el('td', {});
    if (e.revision > 1) {
      actions.append(el('button', { type: 'button', class: 'small secondary', text: 'Diff', onclick: async () => {
        const { data } = await api('GET', '/config/diff?from=' + (e.revision - 1) + '&to=' + e.revision);
        actions.append(diffView(data));
      } }));
    }
    if (canEdit() && e.revision !== current) {
      actions.append(el('button', { type: 'button', class: 'small', 'data-rollback': e.revision, text: 'Roll back to this',
        onclick: async () => {
          try {
            const { data } = await api('POST', '/config/rollback', { revision: e.revision }, { 'If-Match': '"' + current + '"' });
            toast('Rolled back to ' + e.revision + ' as revision ' + data.revision);
            render();
          } catch (err) { toast(err.message); }
        } }));
    }
    t.append(el('tr', {}, el('td', { text: String(e.revision) }), el('td', { text: e.timeMs ? new Date(e.timeMs).toLocaleString() : '' }),
      el('td', { text: e.author || '' }), el('td', { text: e.summary || '' }), actions));
  }
  return el('section', {}, el('h2', { text: 'History' }), t);
}
