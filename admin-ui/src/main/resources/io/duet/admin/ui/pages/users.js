// Users (admins only): listed, added (a generated one-time password shown once), deleted; the API tokens below.
import { api } from '../lib/api.js';
import { el, toast } from '../lib/dom.js';
import { errorList, showViolations } from '../lib/errors.js';
import { ROLES } from '../lib/lists.js';
import { render } from '../lib/navigation.js';
import { canEdit, session } from '../lib/session.js';
import { tokensSection } from './tokens.js';

export async function usersPage() {
  if (!canEdit()) return el('section', {}, el('p', { text: 'Only admins manage users.' }));
  const { data: users } = await api('GET', '/users');
  const t = el('table', {}, el('tr', {}, ...['user', 'role', ''].map(x => el('th', { text: x }))));
  for (const u of users) {
    t.append(el('tr', {}, el('td', { text: u.name + (u.mustChangePassword ? ' (must change password)' : '') }),
      el('td', { text: u.role }), el('td', {}, u.name === session().name ? null : el('button', { type: 'button', class: 'small secondary',
        text: 'Delete', onclick: async () => { try { await api('DELETE', '/users/' + encodeURIComponent(u.name)); render(); } catch (e) { toast(e.message); } } }))));
  }
  const form = el('form', { id: 'new-user' }, el('h2', { text: 'New user' }),
    el('label', { for: 'user-name', text: 'Name' }), el('input', { id: 'user-name', 'data-path': '$.admin.users' }),
    el('label', { for: 'user-role', text: 'Role' }),
    el('select', { id: 'user-role' }, ...ROLES.map(r => el('option', { value: r, text: r }))),
    el('label', { for: 'user-password', text: 'Password (empty: generate one)' }),
    el('input', { id: 'user-password', type: 'password', autocomplete: 'new-password', 'data-path': '$.password' }),
    el('button', { type: 'submit', id: 'user-create', text: 'Add user' }));
  form.addEventListener('submit', async ev => {
    ev.preventDefault();
    form.querySelectorAll('.error, .created').forEach(e => e.remove());
    const body = { name: form.querySelector('#user-name').value.trim(), role: form.querySelector('#user-role').value };
    const pw = form.querySelector('#user-password').value;
    if (pw) body.password = pw;
    try {
      const { data } = await api('POST', '/users', body);
      form.append(el('p', { class: 'created', id: 'created-password', text: data.password
        ? 'Created. One-time password (shown once): ' + data.password : 'Created.' }));
    } catch (e) {
      if (e.violations.length) showViolations(form, e.violations); else form.append(errorList(e));
    }
  });
  return el('div', {}, el('section', {}, el('h2', { text: 'Users' }), t), el('section', {}, form), await tokensSection());
}
