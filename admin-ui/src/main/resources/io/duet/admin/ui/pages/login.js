// The login page and the password page (a first login must choose its own password).
import { api } from '../lib/api.js';
import { el, toast } from '../lib/dom.js';
import { errorList, showViolations } from '../lib/errors.js';
import { go } from '../lib/navigation.js';
import { session, setSession } from '../lib/session.js';

export function loginPage() {
  const form = el('form', { id: 'login' },
    el('h2', { text: 'Log in' }),
    el('label', { for: 'name', text: 'User' }), el('input', { id: 'name', autocomplete: 'username', required: true }),
    el('label', { for: 'password', text: 'Password' }),
    el('input', { id: 'password', type: 'password', autocomplete: 'current-password', required: true }),
    el('button', { type: 'submit', id: 'login-submit', text: 'Log in' }));
  form.addEventListener('submit', async ev => {
    ev.preventDefault();
    form.querySelectorAll('.error').forEach(e => e.remove());
    try {
      const { data } = await api('POST', '/session', { name: form.name.value, password: form.password.value });
      setSession(data);
      go(data.mustChangePassword ? '#/password' : '#/dashboard');
    } catch (e) {
      form.append(errorList(e));
    }
  });
  return el('section', {}, form);
}

export function passwordPage() {
  const form = el('form', { id: 'password-form' },
    el('h2', { text: session().mustChangePassword ? 'Choose your own password' : 'Change password' }),
    el('p', { text: 'At least 12 characters, not your user name.' }),
    el('label', { for: 'current', text: 'Current password' }),
    el('input', { id: 'current', type: 'password', autocomplete: 'current-password', required: true }),
    el('label', { for: 'new', text: 'New password' }),
    el('input', { id: 'new', type: 'password', autocomplete: 'new-password', required: true, 'data-path': '$.new' }),
    el('button', { type: 'submit', id: 'password-submit', text: 'Change password' }));
  form.addEventListener('submit', async ev => {
    ev.preventDefault();
    form.querySelectorAll('.error').forEach(e => e.remove());
    try {
      const { data } = await api('PUT', '/session/password', { current: form.current.value, new: form.new.value });
      setSession(data);
      toast('Password changed');
      go('#/dashboard');
    } catch (e) {
      if (e.violations.length) showViolations(form, e.violations); else form.append(errorList(e));
    }
  });
  return el('section', {}, form);
}
