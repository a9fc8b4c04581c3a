// The document's revisions: who changed what (the change summary of each), the diff of each, and rollback after a
// confirmation.
import { api } from '../lib/api.js';
import { diffView } from '../lib/diff.js';
import { el, toast } from '../lib/dom.js';
import { appliedMessage } from '../lib/edit.js';
import { errorList } from '../lib/errors.js';
import { render } from '../lib/navigation.js';
import { canEdit } from '../lib/session.js';

/** The Diff button of a revision: shows its diff below, or hides it when shown (never a second copy). */
function diffButton(revision, place) {
  const button = el('button', { type: 'button', class: 'small secondary', 'data-diff': revision,
    'aria-expanded': 'false', text: 'Diff revision ' + revision });
  button.addEventListener('click', async () => {
    if (button.getAttribute('aria-expanded') === 'true') {
      place.replaceChildren();
      button.setAttribute('aria-expanded', 'false');
      return;
    }
    button.setAttribute('aria-expanded', 'true');
    try {
      const { data } = await api('GET', '/config/diff?from=' + (revision - 1) + '&to=' + revision);
      if (button.getAttribute('aria-expanded') === 'true') place.replaceChildren(diffView(data, 'diff-' + revision));
    } catch (e) {
      place.replaceChildren(errorList(e));
    }
  });
  return button;
}

/** The rollback button of a revision: asks first (what it does, which revision), then rolls back. */
function rollbackButton(e, current, place) {
  return el('button', { type: 'button', class: 'small', 'data-rollback': e.revision,
    text: 'Roll back to revision ' + e.revision, onclick: () => {
      const confirmBox = el('div', { class: 'rollback-confirm', role: 'alertdialog', 'aria-label': 'Confirm rollback' },
        el('p', { text: 'Roll back the traffic configuration to revision ' + e.revision + (e.summary ? ' ("' + e.summary
          + '")' : '') + '? This commits it as a new revision; users and tokens stay as they are.' }),
        el('button', { type: 'button', class: 'small', id: 'rollback-confirm', text: 'Roll back to revision ' + e.revision
          + ' now', onclick: async () => {
          try {
            const { data } = await api('POST', '/config/rollback', { revision: e.revision }, { 'If-Match': '"' + current + '"' });
            toast(appliedMessage(data).replace('Applied', 'Rolled back to ' + e.revision));
            render();
          } catch (err) {
            confirmBox.replaceChildren(errorList(err));
          }
        } }),
        el('button', { type: 'button', class: 'small secondary', id: 'rollback-cancel', text: 'Cancel',
          onclick: () => place.replaceChildren() }));
      place.replaceChildren(confirmBox);
    } });
}

export async function historyPage() {
  const { data: h } = await api('GET', '/config/history');
  const t = el('table', { id: 'history-table' }, el('tr', {},
    ...['revision', 'when', 'who', 'change summary', ''].map(x => el('th', { text: x }))));
  const current = h.length ? h[0].revision : 0;
  for (const e of h) {
    const shown = el('div', { class: 'history-detail' }); // one diff or one confirmation at a time
    const actions = el('td', {});
    if (e.revision > 1) actions.append(diffButton(e.revision, shown));
    if (canEdit() && e.revision !== current) actions.append(rollbackButton(e, current, shown));
    actions.append(shown);
    t.append(el('tr', { 'data-revision': e.revision }, el('td', { text: String(e.revision) }),
      el('td', { text: e.timeMs ? new Date(e.timeMs).toLocaleString() : '' }),
      el('td', { text: e.author || '' }), el('td', { class: 'history-summary', text: e.summary || '(no summary)' }), actions));
  }
  return el('section', {}, el('h2', { text: 'History' }), t);
}
