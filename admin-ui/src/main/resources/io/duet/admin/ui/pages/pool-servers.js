// A pool's servers: the table with live health, the operator's state actions (enable; drain with a chosen deadline
// and maintenance, both confirmed), and for admins the server form (add to the pool, edit) and removal (confirmed).
import { api } from '../lib/api.js';
import { confirmAction } from '../lib/confirm.js';
import { el, toast } from '../lib/dom.js';
import { editDocument } from '../lib/edit.js';
import { SERVER_STATES } from '../lib/lists.js';
import { go, render } from '../lib/navigation.js';
import { canEdit, canOperate } from '../lib/session.js';
import { markClean, trackDirty } from '../lib/dirty.js';

const serverPath = (pool, id) => '/pools/' + encodeURIComponent(pool) + '/servers/' + encodeURIComponent(id);

/** Live figures of server s of pool p (a name with several addresses is several servers, id#1..id#N). */
function liveOf(live, p, s) {
  const one = live[p.name + '/' + s.id];
  const slots = Object.keys(live).filter(k => k.startsWith(p.name + '/' + s.id + '#')).map(k => live[k]);
  const l = one || (slots.length ? { available: slots.some(x => x.available),
    state: slots.map(x => x.server + ' ' + x.state).join(', '),
    activeRequests: slots.reduce((n, x) => n + x.activeRequests, 0) } : {});
  const parts = one ? [one] : slots;
  return { l, resolved: parts.map(x => x.resolvedAddress).filter(a => a && a !== s.address),
    dnsError: parts.map(x => x.resolveError).find(Boolean) };
}

/** Asks to confirm a state change (drain: with its deadline), then sets it through the operator's endpoint. */
async function changeState(p, s, state) {
  let body = { state };
  if (state !== 'enabled') {
    const minutes = el('input', { id: 'drain-minutes', type: 'number', min: '1', value: '10' });
    const extra = state === 'drain' ? el('div', {},
      el('p', { text: 'No new clients go to ' + s.id + '; clients bound to it by affinity keep coming until the deadline.' }),
      el('label', { for: 'drain-minutes', text: 'Deadline: minutes from now (empty: until the state changes)' }), minutes)
      : el('p', { text: s.id + ' gets no more requests from now on.' });
    const ok = await confirmAction({ title: (state === 'drain' ? 'Drain server ' : 'Put server ') + p.name + '/' + s.id
      + (state === 'drain' ? '?' : ' in maintenance?'), body: extra,
      confirmLabel: state === 'drain' ? 'Drain ' + s.id : 'Maintenance for ' + s.id });
    if (!ok) return;
    if (state === 'drain' && minutes.value.trim()) body = { state, drainSeconds: Math.round(Number(minutes.value) * 60) };
  }
  try {
    const { data } = await api('PUT', serverPath(p.name, s.id) + '/state', body);
    toast(p.name + '/' + s.id + ': ' + state + (data.drainUntil ? ' until ' + data.drainUntil : '')
      + (data.live ? ', ' + data.live.activeRequests + ' in flight' : ''));
    render();
  } catch (e) { toast(e.message); }
}

async function removeServer(p, s) {
  const ok = await confirmAction({ title: 'Remove server ' + s.id + ' from pool ' + p.name + '?',
    body: s.address + ':' + s.port + ' leaves the pool on every node.', confirmLabel: 'Remove ' + s.id });
  if (!ok) return;
  try {
    await api('DELETE', serverPath(p.name, s.id));
    toast('Server ' + p.name + '/' + s.id + ' removed');
    render();
  } catch (e) { toast((e.id ? e.id + ' ' : '') + e.message + e.violations.map(v => ' ' + v.message).join('')); }
}

/** The table of pool p's servers; onEdit(server) opens the server form (admins). */
export function serversTable(p, live, onEdit) {
  const t = el('table', { class: 'servers', 'data-pool': p.name, 'aria-label': 'Servers of pool ' + p.name }, el('tr', {},
    ...['server', 'address', 'weight', 'state', 'health', 'in flight', ''].map(h => el('th', { text: h }))));
  for (const s of p.servers || []) {
    const { l, resolved, dnsError } = liveOf(live, p, s);
    const actions = el('td', { class: 'actions' });
    if (canOperate()) {
      for (const [state, label] of Object.entries(SERVER_STATES)) {
        actions.append(el('button', { type: 'button', class: 'small secondary', 'data-action': state,
          'data-server': p.name + '/' + s.id, text: label + (state === 'enabled' ? '' : '…'),
          'aria-label': state === 'maintenance' ? 'Put server ' + s.id + ' of pool ' + p.name + ' in maintenance'
            : label + ' server ' + s.id + ' of pool ' + p.name, onclick: () => changeState(p, s, state) }));
      }
    }
    if (canEdit()) {
      actions.append(el('button', { type: 'button', class: 'small secondary', 'data-edit-server': p.name + '/' + s.id,
        text: 'Edit', 'aria-label': 'Edit server ' + s.id + ' of pool ' + p.name, onclick: () => onEdit(s) }),
      el('button', { type: 'button', class: 'small secondary', 'data-remove-server': p.name + '/' + s.id,
        text: 'Remove', 'aria-label': 'Remove server ' + s.id + ' of pool ' + p.name, onclick: () => removeServer(p, s) }));
    }
    t.append(el('tr', { 'data-server-row': p.name + '/' + s.id }, el('td', { text: s.id }),
      el('td', { text: s.address + ':' + s.port + (resolved.length ? ' → ' + resolved.join(', ') : '')
        + (dnsError ? ' (DNS: ' + dnsError + ')' : '') }),
      el('td', { class: 'weight', text: String(s.weight ?? 1) + (s.backup ? ' (backup)' : '') }),
      el('td', {}, el('span', { class: 'state', text: s.state || 'enabled' }),
        s.drainUntil ? el('span', { class: 'until', text: ' until ' + s.drainUntil }) : null),
      el('td', { class: l.available ? 'ok' : 'bad', text: l.state ? l.state + (l.reason ? ' (' + l.reason + ')' : '') : '—' }),
      el('td', { text: l.activeRequests === undefined ? '—' : String(l.activeRequests) }), actions));
  }
  return t;
}

/**
 * The server form of pool number i in doc: edits server s, or adds a server when s is null. Goes through the
 * validate -> diff -> apply cycle; the id of an existing server stays (affinity cookies name it).
 */
export function serverForm(doc, i, s) {
  const p = doc.pools[i];
  const j = s ? p.servers.findIndex(x => x.id === s.id) : (p.servers || []).length;
  const path = '$.pools[' + i + '].servers[' + j + ']';
  const v = s || {};
  const field = (id, label, attrs) => [el('label', { for: id, text: label }), el('input', { id, ...attrs })];
  const state = el('select', { id: 'server-state', 'data-path': path + '.state' },
    ...Object.keys(SERVER_STATES).map(x => el('option', { value: x, text: x })));
  state.value = v.state || 'enabled';
  const backup = el('input', { id: 'server-backup', type: 'checkbox', 'data-path': path + '.backup' });
  backup.checked = Boolean(v.backup);
  const form = el('form', { id: 'server-form' },
    el('h3', { text: s ? 'Edit server ' + p.name + '/' + s.id : 'Add a server to pool ' + p.name }),
    ...field('server-id', 'Id (empty: address:port)', { value: v.id || '', readonly: s ? true : null, 'data-path': path + '.id' }),
    ...field('server-address', 'Address (IP or host name)', { value: v.address || '', 'data-path': path + '.address' }),
    ...field('server-port', 'Port', { type: 'number', value: v.port ?? '', 'data-path': path + '.port' }),
    ...field('server-weight', 'Weight (0-256; 0 takes no new requests)', { type: 'number', value: v.weight ?? 1, 'data-path': path + '.weight' }),
    el('div', { class: 'check' }, backup, el('label', { for: 'server-backup', text: 'Backup: used only when no primary server is up' })),
    el('label', { for: 'server-state', text: 'State' }), state,
    el('button', { type: 'submit', id: 'server-check', text: 'Check and preview' }));
  trackDirty(form);
  form.addEventListener('submit', ev => {
    ev.preventDefault();
    const next = { ...(s || {}), address: form.querySelector('#server-address').value.trim(),
      port: Number(form.querySelector('#server-port').value), weight: Number(form.querySelector('#server-weight').value),
      backup: backup.checked, state: state.value };
    const id = form.querySelector('#server-id').value.trim();
    if (id) next.id = id; else delete next.id;
    if (next.state !== 'drain') delete next.drainUntil;
    const label = p.name + '/' + (next.id || next.address + ':' + next.port);
    editDocument(form, d => {
      const pool = d.pools.find(x => x.name === p.name);
      pool.servers = pool.servers || [];
      if (s) pool.servers[pool.servers.findIndex(x => x.id === s.id)] = next; else pool.servers.push(next);
      return d;
    }, s ? 'server ' + label + ' changed' : 'server ' + label + ' added', () => { markClean(form); go('#/pools?pool=' + encodeURIComponent(p.name)); });
  });
  return form;
}
