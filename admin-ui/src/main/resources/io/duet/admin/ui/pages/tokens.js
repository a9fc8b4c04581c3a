// API tokens, a section of the users page: listed with expiry and last use, made (shown once), revoked.
import { api } from '../lib/api.js';
import { el, toast } from '../lib/dom.js';
import { errorList, showViolations } from '../lib/errors.js';
import { ROLES } from '../lib/lists.js';
import { render } from '../lib/navigation.js';

const when = ms => ms ? new Date(ms).toLocaleString() : 'never';

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
        onclick: async () => {
          try { await api('DELETE', '/tokens/' + encodeURIComponent(k.id)); render(); } catch (e) { toast(e.message); }
        } }))));
  }
  const form = el('form', { id: 'new-token' }, el('h2', { text: 'New API token' }),
    el('label', { for: 'token-name', text: 'What it is for' }), el('input', { id: 'token-name', 'data-path': '$.name' }),
    el('label', { for: 'token-role', text: 'Role' }),
    el('select', { id: 'token-role' }, ...ROLES.map(r => el('option', { value: r, text: r }))),
    el('label', { for: 'token-days', text: 'Expires in days (1-365)' }),
    el('input', { id: 'token-days', type: 'number', min: '1', max: '365', value: '90', 'data-path': '$.expiresInDays' }),
    el('button', { type: 'submit', id: 'token-create', text: 'Make token' }));
  form.addEventListener('submit', async ev => {
    ev.preventDefault();
    form.querySelectorAll('.error, .created').forEach(e => e.remove());
    const body = { name: form.querySelector('#token-name').value.trim(), role: form.querySelector('#token-role').value,
      expiresInDays: Number(form.querySelector('#token-days').value) };
    try {
      const { data } = await api('POST', '/tokens', body);
      form.append(el('p', { class: 'created', id: 'created-token',
        text: 'Made. The token (shown once, copy it now): ' + data.token + ' - expires ' + when(data.expires) }));
    } catch (e) {
      if (e.violations.length) showViolations(form, e.violations); else form.append(errorList(e));
    }
  });
  return el('div', {}, el('section', {}, el('h2', { text: 'API tokens' }), t), el('section', {}, form));
}
