// Pools: their servers with live health and state buttons (enable, drain, maintenance), and the new-pool form.
import { api } from '../lib/api.js';
import { el, toast } from '../lib/dom.js';
import { editDocument } from '../lib/edit.js';
import { BALANCERS, HASH_KEY_SOURCES, NAMED_HASH_KEY_SOURCES, SERVER_STATES } from '../lib/lists.js';
import { go, render } from '../lib/navigation.js';
import { canEdit, canOperate } from '../lib/session.js';

export async function poolsPage() {
  const [{ data: doc }, { data: health }] = await Promise.all([api('GET', '/config'), api('GET', '/status/health')]);
  const live = {};
  for (const p of health) for (const s of p.servers) live[p.pool + '/' + s.server] = s;
  doc.pools = doc.pools || [];
  const list = el('section', { id: 'pools' }, el('h2', { text: 'Pools' }));
  for (const p of doc.pools) {
    const t = el('table', {}, el('tr', {}, ...['server', 'address', 'state', 'health', 'in flight', ''].map(h => el('th', { text: h }))));
    for (const s of p.servers || []) {
      // A host name with resolve.maxAddresses above 1 is several servers, id#1..id#N (one per address).
      const slots = Object.keys(live).filter(k => k.startsWith(p.name + '/' + s.id + '#')).map(k => live[k]);
      const l = live[p.name + '/' + s.id] || (slots.length ? {
        available: slots.some(x => x.available),
        state: slots.map(x => x.server + ' ' + x.state).join(', '),
        activeRequests: slots.reduce((n, x) => n + x.activeRequests, 0) } : {});
      const parts = live[p.name + '/' + s.id] ? [l] : slots;
      const resolved = parts.map(x => x.resolvedAddress).filter(a => a && a !== s.address);
      const dnsError = parts.map(x => x.resolveError).find(Boolean);
      const actions = el('td', {});
      if (canOperate()) {
        for (const [state, label] of Object.entries(SERVER_STATES)) {
          actions.append(el('button', { type: 'button', class: 'small secondary', 'data-action': state,
            'data-server': p.name + '/' + s.id, text: label,
            onclick: async () => {
              try {
                const { data } = await api('PUT', '/pools/' + encodeURIComponent(p.name) + '/servers/'
                  + encodeURIComponent(s.id) + '/state', state === 'drain' ? { state, drainSeconds: 600 } : { state });
                toast(p.name + '/' + s.id + ': ' + state + (data.live ? ', ' + data.live.activeRequests + ' in flight' : ''));
                render();
              } catch (e) { toast(e.message); }
            } }));
        }
      }
      t.append(el('tr', { 'data-server-row': p.name + '/' + s.id }, el('td', { text: s.id }),
        el('td', { text: s.address + ':' + s.port + (resolved.length ? ' → ' + resolved.join(', ') : '')
          + (dnsError ? ' (DNS: ' + dnsError + ')' : '') }), el('td', { class: 'state', text: s.state }),
        el('td', { class: l.available ? 'ok' : 'bad', text: l.state ? l.state + (l.reason ? ' (' + l.reason + ')' : '') : '—' }),
        el('td', { text: l.activeRequests === undefined ? '—' : String(l.activeRequests) }), actions));
    }
    list.append(el('h3', { text: p.name + ' (' + p.balancer + ')' }), t);
  }
  if (!doc.pools.length) list.append(el('p', { text: 'No pools yet.' }));
  const page = el('div', {}, list);
  if (canEdit()) page.append(newPoolForm(doc));
  return page;
}

function newPoolForm(doc) {
  const i = doc.pools.length;
  const form = el('form', { id: 'new-pool' }, el('h2', { text: 'New pool' }),
    el('label', { for: 'pool-name', text: 'Name' }), el('input', { id: 'pool-name', 'data-path': '$.pools[' + i + '].name' }),
    el('label', { for: 'pool-balancer', text: 'Balancer' }),
    el('select', { id: 'pool-balancer', 'data-path': '$.pools[' + i + '].balancer' },
      ...Object.keys(BALANCERS).map(b => el('option', { value: b, text: b }))),
    hashKeyFields(i),
    el('label', { for: 'pool-servers', text: 'Servers, one per line: id address:port' }),
    el('textarea', { id: 'pool-servers', rows: 4, 'data-path': '$.pools[' + i + '].servers' }),
    el('button', { type: 'submit', id: 'pool-check', text: 'Check and preview' }));
  form.addEventListener('submit', ev => {
    ev.preventDefault();
    const servers = form.querySelector('#pool-servers').value.split('\n').map(l => l.trim()).filter(Boolean).map(l => {
      const [id, hostPort] = l.split(/\s+/);
      const at = (hostPort || id).lastIndexOf(':');
      const hp = hostPort || id;
      return { id: hostPort ? id : undefined, address: hp.slice(0, at), port: Number(hp.slice(at + 1)) };
    });
    const name = form.querySelector('#pool-name').value.trim();
    const pool = { name, balancer: form.querySelector('#pool-balancer').value, servers };
    const hashKey = hashKeyOf(form, pool.balancer);
    if (hashKey) pool.hashKey = hashKey;
    editDocument(form, d => { d.pools = d.pools || []; d.pools.push(pool); return d; },
      'pool ' + name + ' added', () => go('#/pools'));
  });
  form.querySelector('#pool-balancer').addEventListener('change', () => showHashKeyFields(form));
  form.querySelector('#pool-hash-source').addEventListener('change', () => showHashKeyFields(form));
  showHashKeyFields(form);
  return el('section', {}, form);
}

/** The request key of hash (required), lblc and lblcr (optional: empty reads the uri): its source and name. */
function hashKeyFields(i) {
  return el('div', { id: 'pool-hash-key' },
    el('label', { for: 'pool-hash-source', text: 'Hash key: what of the request is hashed' }),
    el('select', { id: 'pool-hash-source', 'data-path': '$.pools[' + i + '].hashKey' }),
    el('div', { id: 'pool-hash-named' },
      el('label', { for: 'pool-hash-name', text: 'Header, cookie or query parameter name' }),
      el('input', { id: 'pool-hash-name', 'data-path': '$.pools[' + i + '].hashKey.name' })));
}

/** Shows the hash key's fields when the balancer reads a key, and its name when the source needs one. */
function showHashKeyFields(form) {
  const need = BALANCERS[form.querySelector('#pool-balancer').value];
  const source = form.querySelector('#pool-hash-source');
  const optional = need === 'optional';
  if (source.dataset.for !== need) {
    const was = source.value;
    source.replaceChildren(...(optional ? [el('option', { value: '', text: '(default: the uri)' })] : []),
      ...HASH_KEY_SOURCES.map(k => el('option', { value: k, text: k })));
    if ([...source.options].some(o => o.value === was)) source.value = was;
    source.dataset.for = need;
  }
  form.querySelector('#pool-hash-key').hidden = need === 'none';
  form.querySelector('#pool-hash-named').hidden = !NAMED_HASH_KEY_SOURCES.includes(source.value);
}

/** The pool's hashKey from the form, or null when its balancer reads none or the default is chosen. */
function hashKeyOf(form, balancer) {
  const source = form.querySelector('#pool-hash-source').value;
  if (BALANCERS[balancer] === 'none' || !source) return null;
  return NAMED_HASH_KEY_SOURCES.includes(source)
    ? { source, name: form.querySelector('#pool-hash-name').value.trim() } : { source };
}
