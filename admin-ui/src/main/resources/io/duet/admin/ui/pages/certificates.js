// Certificates: listed (filterable) with their expiry, each one's details, uploaded as PEM (the key sealed on the
// node), replaced by a renewed chain and key (the name stays, so listeners keep using it), deleted (confirmed).
import { api } from '../lib/api.js';
import { confirmAction } from '../lib/confirm.js';
import { el, toast } from '../lib/dom.js';
import { errorList, showViolations } from '../lib/errors.js';
import { go, render } from '../lib/navigation.js';
import { canEdit } from '../lib/session.js';
import { filterBox } from '../lib/table-filter.js';
import { markClean, trackDirty } from '../lib/dirty.js';

const certLink = name => '#/certificates?name=' + encodeURIComponent(name);

async function deleteCert(c) {
  if (!await confirmAction({ title: 'Delete certificate ' + c.name + '?', confirmLabel: 'Delete ' + c.name,
    body: 'Its key is removed on every node. Listeners that name it must change first.' })) return;
  try {
    await api('DELETE', '/certificates/' + encodeURIComponent(c.name));
    toast('Certificate ' + c.name + ' deleted');
    go('#/certificates');
  } catch (e) { toast((e.id ? e.id + ' ' : '') + e.message + e.violations.map(v => ' ' + v.message).join('')); }
}

/** The PEM form: a new certificate (name asked), or the renewal of `name`. */
function pemForm(name) {
  const form = el('form', { id: name ? 'replace-cert' : 'new-cert' },
    el('h2', { text: name ? 'Replace ' + name + ' (renewed chain and key)' : 'Upload a certificate (PEM)' }),
    el('label', { for: 'cert-name', text: 'Name' }), el('input', { id: 'cert-name', value: name || '', readonly: name ? true : null }),
    el('label', { for: 'cert-chain', text: 'Certificate chain (PEM, leaf first)' }),
    el('textarea', { id: 'cert-chain', rows: 6, 'data-path': '$.certificateChain' }),
    el('label', { for: 'cert-key', text: 'Private key (PEM; sealed on the node, never shown again)' }),
    el('textarea', { id: 'cert-key', rows: 6, 'data-path': '$.privateKey' }),
    el('label', { for: 'cert-pass', text: 'Passphrase of an encrypted key' }),
    el('input', { id: 'cert-pass', type: 'password', autocomplete: 'off' }),
    el('button', { type: 'submit', id: 'cert-upload', text: name ? 'Replace ' + name : 'Upload' }));
  trackDirty(form);
  form.addEventListener('submit', async ev => {
    ev.preventDefault();
    form.querySelectorAll('.error').forEach(e => e.remove());
    const body = { certificateChain: form.querySelector('#cert-chain').value, privateKey: form.querySelector('#cert-key').value };
    const certName = form.querySelector('#cert-name').value.trim();
    if (!name) body.name = certName;
    const pass = form.querySelector('#cert-pass').value;
    if (pass) body.passphrase = pass;
    try {
      if (name) await api('PUT', '/certificates/' + encodeURIComponent(name), body);
      else await api('POST', '/certificates', body);
      markClean(form);
      toast('Certificate ' + certName + (name ? ' replaced' : ' added'));
      go(certLink(certName));
    } catch (e) { if (e.violations.length) showViolations(form, e.violations); else form.append(errorList(e)); }
  });
  return el('section', {}, form);
}

function detail(c) {
  const rows = [['names', (c.names || []).join(', ')], ['subject', c.subject], ['issuer', c.issuer],
    ['valid until', c.notAfter], ['days left', c.daysLeft], ['status', c.status], ['key', c.sealed ? 'sealed' : 'sealing…']];
  const page = el('div', {}, el('section', { id: 'cert-detail', 'data-cert': c.name },
    el('p', {}, el('a', { href: '#/certificates', text: '← all certificates' })),
    el('h2', { text: 'Certificate ' + c.name }),
    el('dl', {}, ...rows.flatMap(([k, v]) => [el('dt', { text: k }), el('dd', { text: v === undefined ? '—' : String(v) })])),
    canEdit() ? el('button', { type: 'button', class: 'danger', id: 'delete-cert', text: 'Delete certificate ' + c.name,
      onclick: () => deleteCert(c) }) : null));
  if (canEdit()) page.append(pemForm(c.name));
  return page;
}

export async function certificatesPage() {
  const { data: certs } = await api('GET', '/certificates');
  const wanted = new URLSearchParams(location.hash.split('?')[1] || '').get('name');
  if (wanted !== null) {
    const c = certs.find(x => x.name === wanted);
    return c ? detail(c) : el('section', {}, el('p', { class: 'error', text: "No certificate '" + wanted + "'." }));
  }
  const t = el('table', { id: 'cert-table' }, el('tr', {}, ...['name', 'names', 'valid until', 'days left', 'key', '']
    .map(x => el('th', { text: x }))));
  for (const c of certs) {
    t.append(el('tr', { 'data-cert': c.name }, el('td', {}, el('a', { href: certLink(c.name), text: c.name })),
      el('td', { text: (c.names || []).join(', ') }), el('td', { text: c.notAfter || '' }),
      el('td', { class: c.status === 'ok' ? 'ok' : c.status === 'expiring' ? 'warn' : 'bad', text: String(c.daysLeft ?? '—') }),
      el('td', { text: c.sealed ? 'sealed' : 'sealing…' }),
      el('td', {}, canEdit() ? el('button', { type: 'button', class: 'small secondary', 'data-delete-cert': c.name,
        text: 'Delete', 'aria-label': 'Delete certificate ' + c.name, onclick: () => deleteCert(c) }) : null)));
  }
  const page = el('div', {}, el('section', {}, el('h2', { text: 'Certificates' }),
    filterBox('cert-filter', 'Filter certificates (name, host name)', () => t.querySelectorAll('tr[data-cert]')), t));
  if (canEdit()) page.append(pemForm(null));
  return page;
}
