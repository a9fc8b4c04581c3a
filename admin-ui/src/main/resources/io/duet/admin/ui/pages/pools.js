// Pools: the list (filterable; each pool with its servers, live health and state actions) and the new-pool form;
// #/pools?pool=NAME is one pool: its servers (add, edit, remove), its settings (the pool form) and its deletion.
import { api } from '../lib/api.js';
import { confirmAction } from '../lib/confirm.js';
import { el, toast } from '../lib/dom.js';
import { editDocument } from '../lib/edit.js';
import { go } from '../lib/navigation.js';
import { canEdit } from '../lib/session.js';
import { filterBox } from '../lib/table-filter.js';
import { markClean, trackDirty } from '../lib/dirty.js';
import { poolFields, readPool, wirePoolFields } from './pool-form.js';
import { serverForm, serversTable } from './pool-servers.js';
import { parseServerLines } from './server-lines.js';

const poolLink = name => '#/pools?pool=' + encodeURIComponent(name);

export async function poolsPage() {
  const [{ data: doc }, { data: health }] = await Promise.all([api('GET', '/config'), api('GET', '/status/health')]);
  const live = {};
  for (const p of health) for (const s of p.servers) live[p.pool + '/' + s.server] = s;
  doc.pools = doc.pools || [];
  const wanted = new URLSearchParams(location.hash.split('?')[1] || '').get('pool');
  if (wanted !== null) return poolPage(doc, live, wanted);
  const list = el('section', { id: 'pools' }, el('h2', { text: 'Pools' }));
  if (doc.pools.length) list.append(filterBox('pool-filter', 'Filter pools (name, server, address)', () => list.querySelectorAll('.pool-item')));
  for (const p of doc.pools) {
    list.append(el('div', { class: 'pool-item', 'data-pool-item': p.name,
      'data-filter': [p.name, p.balancer, ...(p.servers || []).map(s => s.id + ' ' + s.address + ':' + s.port)].join(' ') },
    el('h3', {}, el('a', { href: poolLink(p.name), text: p.name }), ' (' + p.balancer + ')'),
    serversTable(p, live, s => go(poolLink(p.name) + '&server=' + encodeURIComponent(s.id)))));
  }
  if (!doc.pools.length) list.append(el('p', { text: 'No pools yet.' }));
  const page = el('div', {}, list);
  if (canEdit()) page.append(newPoolForm(doc));
  return page;
}

/** One pool: servers, the server form, the pool's settings, deletion. */
function poolPage(doc, live, name) {
  const i = doc.pools.findIndex(p => p.name === name);
  const back = el('p', {}, el('a', { href: '#/pools', text: '← all pools' }));
  if (i < 0) return el('section', {}, back, el('p', { class: 'error', text: "No pool '" + name + "'." }));
  const p = doc.pools[i];
  const serverId = new URLSearchParams(location.hash.split('?')[1]).get('server');
  const slot = el('div', { id: 'server-form-slot' });
  const openForm = s => slot.replaceChildren(serverForm(doc, i, s));
  const section = el('section', { id: 'pool-detail', 'data-pool': p.name }, back,
    el('h2', { text: 'Pool ' + p.name + ' (' + p.balancer + ')' }), serversTable(p, live, openForm), slot);
  if (canEdit()) {
    section.append(el('button', { type: 'button', id: 'add-server', text: 'Add a server to ' + p.name,
      onclick: () => openForm(null) }));
    const s = serverId && (p.servers || []).find(x => x.id === serverId);
    if (s) openForm(s);
    return el('div', {}, section, editPoolForm(doc, i), el('section', {}, el('button', { type: 'button',
      id: 'delete-pool', class: 'danger', text: 'Delete pool ' + p.name, onclick: () => deletePool(p) })));
  }
  return el('div', {}, section, el('section', {}, el('h3', { text: 'Settings' }),
    el('pre', { id: 'pool-json', text: JSON.stringify(p, null, 2) })));
}

async function deletePool(p) {
  const ok = await confirmAction({ title: 'Delete pool ' + p.name + '?',
    body: 'The pool and its ' + (p.servers || []).length + ' servers are removed on every node. Routes to it must go first.',
    confirmLabel: 'Delete ' + p.name });
  if (!ok) return;
  try {
    await api('DELETE', '/pools/' + encodeURIComponent(p.name));
    toast('Pool ' + p.name + ' deleted');
    go('#/pools');
  } catch (e) { toast((e.id ? e.id + ' ' : '') + e.message + e.violations.map(v => ' ' + v.message).join('')); }
}

function editPoolForm(doc, i) {
  const p = doc.pools[i];
  const form = el('form', { id: 'edit-pool' }, el('h2', { text: 'Settings of pool ' + p.name }), poolFields(p, i, doc),
    el('button', { type: 'submit', id: 'pool-check', text: 'Check and preview' }));
  wirePoolFields(form);
  trackDirty(form);
  form.addEventListener('submit', ev => {
    ev.preventDefault();
    editDocument(form, d => {
      const k = d.pools.findIndex(x => x.name === p.name);
      d.pools[k] = readPool(form, d.pools[k]);
      return d;
    }, 'pool ' + p.name + ' changed', () => { markClean(form); go(poolLink(p.name)); });
  });
  return el('section', {}, form);
}

function newPoolForm(doc) {
  const i = doc.pools.length;
  const servers = el('textarea', { id: 'pool-servers', rows: 4, 'data-path': '$.pools[' + i + '].servers' });
  const form = el('form', { id: 'new-pool' }, el('h2', { text: 'New pool' }), poolFields(null, i, doc),
    el('label', { for: 'pool-servers', text: 'Servers, one per line: [id] address:port [weight=N] [backup]' }), servers,
    el('button', { type: 'submit', id: 'pool-check', text: 'Check and preview' }));
  wirePoolFields(form);
  trackDirty(form);
  form.addEventListener('submit', ev => {
    ev.preventDefault();
    form.querySelectorAll('.error, .diff, .confirm').forEach(e => e.remove());
    const parsed = parseServerLines(servers.value);
    if (parsed.errors.length) {
      servers.after(el('div', { class: 'error field', id: 'pool-servers-error', text: parsed.errors.join('\n') }));
      return;
    }
    const name = form.querySelector('#pool-name').value.trim();
    const pool = readPool(form, { name, servers: parsed.servers });
    editDocument(form, d => { d.pools = d.pools || []; d.pools.push(pool); return d; },
      'pool ' + name + ' added', () => { markClean(form); go('#/pools'); });
  });
  return el('section', {}, form);
}
