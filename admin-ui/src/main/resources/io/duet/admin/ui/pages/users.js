// Users (admins only): listed (filterable), added (a generated one-time password shown once), their role changed,
// deleted (confirmed); the API tokens below.
import { api } from '../lib/api.js';
import { confirmAction } from '../lib/confirm.js';
import { el, toast } from '../lib/dom.js';
import { errorList, showViolations } from '../lib/errors.js';
import { ROLES } from '../lib/lists.js';
import { render } from '../lib/navigation.js';
import { canEdit, session } from '../lib/session.js';
import { filterBox } from '../lib/table-filter.js';
import { tokensSection } from './tokens.js';

// What the last add said (the one-time password): shown once, on the render that follows the add.
let created = null;

async function deleteUser(u) {
  if (!await confirmAction({ title: 'Delete user ' + u.name + '?', body: u.name + ' can no longer log in; their sessions end.',
    confirmLabel: 'Delete ' + u.name })) return;
  try { await api('DELETE', '/users/' + encodeURIComponent(u.name)); toast('User ' + u.name + ' deleted'); render(); }
  catch (e) { toast(e.message); }
}

function roleSelect(u) {
  const pick = el('select', { id: 'role-' + u.name, 'aria-label': 'Role of ' + u.name, 'data-user-role': u.name },
    ...ROLES.map(r => el('option', { value: r, text: r })));
  pick.value = u.role;
  pick.disabled = u.name === session().name; // nobody demotes themselves out of the admin page
  pick.addEventListener('change', async () => {
    try { await api('PUT', '/users/' + encodeURIComponent(u.name), { role: pick.value }); toast(u.name + ' is now ' + pick.value); render(); }
    catch (e) { toast(e.message); render(); }
  });
  return pick;
}

export async function usersPage() {
  if (!canEdit()) return el('section', {}, el('p', { text: 'Only admins manage users.' }));
  const { data: users } = await api('GET', '/users');
  const t = el('table', { id: 'users-table' }, el('tr', {}, ...['user', 'role', ''].map(x => el('th', { text: x }))));
  for (const u of users) {
    t.append(el('tr', { 'data-user': u.name }, el('td', { text: u.name + (u.mustChangePassword ? ' (must change password)' : '') }),
      el('td', {}, roleSelect(u)), el('td', {}, u.name === session().name ? null : el('button', { type: 'button',
        class: 'small secondary', 'data-delete-user': u.name, text: 'Delete', 'aria-label': 'Delete user ' + u.name,
        onclick: () => deleteUser(u) }))));
  }
  const form = el('form', { id: 'new-user' }, el('h2', { text: 'New user' }),
    el('label', { for: 'user-name', text: 'Name' }), el('input', { id: 'user-name', 'data-path': '$.admin.users' }),
    el('label', { for: 'user-role', text: 'Role' }),
    el('select', { id: 'user-role' }, ...ROLES.map(r => el('option', { value: r, text: r }))),
    el('label', { for: 'user-password', text: 'Password (empty: generate one)' }),
    el('input', { id: 'user-password', type: 'password', autocomplete: 'new-password', 'data-path': '$.password' }),
    el('button', { type: 'submit', id: 'user-create', text: 'Add user' }));
  if (created) {
    form.append(el('p', { class: 'created', id: 'created-password', text: created }));
    created = null;
  }
  form.addEventListener('submit', async ev => {
    ev.preventDefault();
    form.querySelectorAll('.error, .created').forEach(e => e.remove());
    const body = { name: form.querySelector('#user-name').value.trim(), role: form.querySelector('#user-role').value };
    const pw = form.querySelector('#user-password').value;
    if (pw) body.password = pw;
    try {
      const { data } = await api('POST', '/users', body);
      created = 'Created ' + body.name + '.' + (data.password ? ' One-time password (shown once): ' + data.password : '');
      render(); // the list shows the new user (issue 19: it did not until the page was opened again)
    } catch (e) {
      if (e.violations.length) showViolations(form, e.violations); else form.append(errorList(e));
    }
  });
  return el('div', {}, el('section', {}, el('h2', { text: 'Users' }),
    filterBox('user-filter', 'Filter users', () => t.querySelectorAll('tr[data-user]')), t),
  el('section', {}, form), await tokensSection());
}
