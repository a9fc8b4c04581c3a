// API tokens, a section of the users page: listed with expiry and last use, made (shown once), revoked.
import { api } from '../lib/api.js';
import { confirmAction } from '../lib/confirm.js';
import { el, toast } from '../lib/dom.js';
import { errorList, showViolations } from '../lib/errors.js';
import { ROLES } from '../lib/lists.js';
import { render } from '../lib/navigation.js';
import { filterBox } from '../lib/table-filter.js';

const when = ms => ms ? new Date(ms).toLocaleString() : 'never';

// What the last make said (the token itself): shown once, on the render that follows (the list then has the token).
let made = null;

/** API tokens: listed with expiry and last use (this node's), made (the token is shown once), revoked. */
export async function tokensSection() {
  const { data: tokens } = await api('GET', '/tokens');
  const t = el('table', { id: 'tokens-table' }, el('tr', {}, ...['token', 'role', 'owner', 'expires', 'last used (this node)', '']
    .map(x => el('th', { text: x }))));
  for (const k of tokens) {
    t.append(el('tr', { class: k.expired ? 'warn' : '', 'data-token': k.id },
      el('td', { text: k.name + ' (' + k.id + ')' }), el('td', { text: k.role }), el('td', { text: k.owner || '' }),
      el('td', { text: when(k.expires) + (k.expired ? ' (expired)' : '') }), el('td', { text: when(k.lastUsed) }),
      el('td', {}, el('button', { type: 'button', class: 'small secondary revoke', 'data-id': k.id, text: 'Revoke',
        'aria-label': 'Revoke token ' + k.name, onclick: async () => {
          if (!await confirmAction({ title: 'Revoke token ' + k.name + '?', confirmLabel: 'Revoke ' + k.name,
            body: 'Every client using it (' + k.role + ', ' + k.id + ') is refused from now on.' })) return;
          try { await api('DELETE', '/tokens/' + encodeURIComponent(k.id)); toast('Token ' + k.name + ' revoked'); render(); }
          catch (e) { toast(e.message); }
        } }))));
  }
  const form = el('form', { id: 'new-token' }, el('h2', { text: 'New API token' }),
    el('label', { for: 'token-name', text: 'What it is for' }), el('input', { id: 'token-name', 'data-path': '$.name' }),
    el('label', { for: 'token-role', text: 'Role' }),
    el('select', { id: 'token-role' }, ...ROLES.map(r => el('option', { value: r, text: r }))),
    el('label', { for: 'token-days', text: 'Expires in days (1-365)' }),
    el('input', { id: 'token-days', type: 'number', min: '1', max: '365', value: '90', 'data-path': '$.expiresInDays' }),
    el('button', { type: 'submit', id: 'token-create', text: 'Make token' }));
  if (made) {
    form.append(el('p', { class: 'created', id: 'created-token', text: made }));
    made = null;
  }
  form.addEventListener('submit', async ev => {
    ev.preventDefault();
    form.querySelectorAll('.error, .created').forEach(e => e.remove());
    const body = { name: form.querySelector('#token-name').value.trim(), role: form.querySelector('#token-role').value,
      expiresInDays: Number(form.querySelector('#token-days').value) };
    try {
      const { data } = await api('POST', '/tokens', body);
      made = 'Made. The token (shown once, copy it now): ' + data.token + ' - expires ' + when(data.expires);
      render();
    } catch (e) {
      if (e.violations.length) showViolations(form, e.violations); else form.append(errorList(e));
    }
  });
  return el('div', {}, el('section', {}, el('h2', { text: 'API tokens' }),
    filterBox('token-filter', 'Filter tokens', () => t.querySelectorAll('tr[data-token]')), t), el('section', {}, form));
}
