// Listeners: the ports the data plane serves, each with its protocol, PROXY protocol and TLS settings; edit, delete,
// add (#/listeners?edit=name, #/listeners?new).
import { api } from '../lib/api.js';
import { applyChange } from '../lib/apply.js';
import { confirmWithSummary } from '../lib/confirm.js';
import { el, toast } from '../lib/dom.js';
import { errorList } from '../lib/errors.js';
import { filterBox, matchesFilter } from '../lib/filter.js';
import { render } from '../lib/navigation.js';
import { canEdit } from '../lib/session.js';
import { listenerForm } from './listener-form.js';

export async function listenersPage() {
  const { data: doc } = await api('GET', '/config');
  doc.listeners = doc.listeners || [];
  const q = new URLSearchParams(location.hash.split('?')[1] || '');
  if (canEdit() && q.has('new')) return el('section', {}, listenerForm(doc));
  const i = doc.listeners.findIndex(l => l.name === q.get('edit'));
  if (canEdit() && i >= 0) return el('section', {}, listenerForm(doc, i));
  const problems = el('div', { id: 'listeners-problems' });
  const table = el('table', { id: 'listeners-table' },
    el('tr', {}, ...['listener', 'address', 'protocol', 'PROXY protocol', 'TLS', ''].map(x => el('th', { text: x }))));
  for (const l of doc.listeners) {
    const actions = el('td', { class: 'actions' });
    if (canEdit()) {
      actions.append(
        el('a', { href: '#/listeners?edit=' + encodeURIComponent(l.name), class: 'button small secondary',
          'data-edit-listener': l.name, text: 'Edit listener ' + l.name }),
        el('button', { type: 'button', class: 'small danger', 'data-delete-listener': l.name, text: 'Delete listener ' + l.name,
          onclick: () => remove(problems, l) }));
    }
    const where = l.address + ':' + l.port;
    table.append(el('tr', { 'data-listener': l.name, 'data-filter': l.name + ' ' + where + ' ' + l.protocol },
      el('td', { text: l.name }), el('td', { text: where }), el('td', { text: l.protocol }),
      el('td', { text: l.proxyProtocol?.enabled ? 'from ' + (l.proxyProtocol.trustedAddresses || []).join(', ') : 'off' }),
      el('td', { text: tlsText(l.tls) }), actions));
  }
  const filter = filterBox('listeners-filter', 'Filter listeners (name, address, protocol)', query => {
    for (const row of table.querySelectorAll('tr[data-listener]')) row.hidden = !matchesFilter(query, row.dataset.filter);
  });
  return el('section', { id: 'listeners' }, el('h2', { text: 'Listeners' }), filter, problems,
    canEdit() ? el('a', { href: '#/listeners?new', id: 'listener-new', class: 'button', text: 'New listener' }) : null,
    doc.listeners.length ? table : el('p', { text: 'No listener: the data plane serves nothing.' }));
}

/** The TLS settings in words, e.g. "certificates www · intermediate · HTTP/2 · HSTS · client certificates required". */
function tlsText(tls) {
  if (!tls) return '—';
  const parts = [(tls.certificates || []).length ? 'certificates ' + tls.certificates.join(', ') : 'the node\'s self-signed certificate',
    tls.profile || 'intermediate'];
  if (tls.http2 !== false) parts.push('HTTP/2');
  if (tls.engine && tls.engine !== 'jsse') parts.push(tls.engine);
  if (tls.hsts?.enabled) parts.push('HSTS');
  if (tls.clientAuth?.mode && tls.clientAuth.mode !== 'none') parts.push('client certificates ' + tls.clientAuth.mode);
  return parts.join(' · ');
}

async function remove(problems, l) {
  problems.replaceChildren();
  const summary = await confirmWithSummary({ title: 'Delete listener ' + l.name + '?',
    message: 'The data plane stops serving ' + l.address + ':' + l.port + ' (' + l.protocol + '); its open connections are closed.',
    confirmLabel: 'Delete listener ' + l.name, summary: 'listener ' + l.name + ' deleted' });
  if (summary === null) return;
  try {
    toast('Applied as revision ' + await applyChange(d => { d.listeners = d.listeners.filter(x => x.name !== l.name); return d; }, summary));
    render();
  } catch (e) {
    problems.append(errorList(e));
  }
}
