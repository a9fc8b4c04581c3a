// Certificates: listed with their expiry, uploaded as PEM (the key sealed on the node), deleted.
import { api } from '../lib/api.js';
import { el, toast } from '../lib/dom.js';
import { errorList, showViolations } from '../lib/errors.js';
import { render } from '../lib/navigation.js';
import { canEdit } from '../lib/session.js';

export async function certificatesPage() {
  const { data: certs } = await api('GET', '/certificates');
  const t = el('table', { id: 'cert-table' }, el('tr', {}, ...['name', 'names', 'valid until', 'days left', 'key', '']
    .map(x => el('th', { text: x }))));
  for (const c of certs) {
    t.append(el('tr', {}, el('td', { text: c.name }), el('td', { text: (c.names || []).join(', ') }),
      el('td', { text: c.notAfter || '' }),
      el('td', { class: c.status === 'ok' ? 'ok' : c.status === 'expiring' ? 'warn' : 'bad', text: String(c.daysLeft ?? '—') }),
      el('td', { text: c.sealed ? 'sealed' : 'sealing…' }),
      el('td', {}, canEdit() ? el('button', { type: 'button', class: 'small secondary', text: 'Delete', onclick: async () => {
        try { await api('DELETE', '/certificates/' + encodeURIComponent(c.name)); render(); } catch (e) { toast(e.message); } } }) : null)));
  }
  const page = el('div', {}, el('section', {}, el('h2', { text: 'Certificates' }), t));
  if (canEdit()) {
    const form = el('form', { id: 'new-cert' }, el('h2', { text: 'Upload a certificate (PEM)' }),
      el('label', { for: 'cert-name', text: 'Name' }), el('input', { id: 'cert-name' }),
      el('label', { for: 'cert-chain', text: 'Certificate chain (PEM, leaf first)' }),
      el('textarea', { id: 'cert-chain', rows: 6, 'data-path': '$.certificateChain' }),
      el('label', { for: 'cert-key', text: 'Private key (PEM; sealed on the node, never shown again)' }),
      el('textarea', { id: 'cert-key', rows: 6, 'data-path': '$.privateKey' }),
      el('label', { for: 'cert-pass', text: 'Passphrase of an encrypted key' }),
      el('input', { id: 'cert-pass', type: 'password', autocomplete: 'off' }),
      el('button', { type: 'submit', id: 'cert-upload', text: 'Upload' }));
    form.addEventListener('submit', async ev => {
      ev.preventDefault();
      form.querySelectorAll('.error').forEach(e => e.remove());
      const body = { name: form.querySelector('#cert-name').value.trim(), certificateChain: form.querySelector('#cert-chain').value,
        privateKey: form.querySelector('#cert-key').value };
      const pass = form.querySelector('#cert-pass').value;
      if (pass) body.passphrase = pass;
      try { await api('POST', '/certificates', body); toast('Certificate ' + body.name + ' added'); render(); }
      catch (e) { if (e.violations.length) showViolations(form, e.violations); else form.append(errorList(e)); }
    });
    page.append(el('section', {}, form));
  }
  return page;
}
