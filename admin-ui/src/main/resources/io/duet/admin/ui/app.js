// Duet admin UI: a client of /api/v1 and nothing else. Plain ES module, no build step, no inline script (CSP).
const API = '/api/v1';
let session = null;          // {name, role, mustChangePassword, csrfToken}
let timer = null;            // the dashboard's refresh
const main = document.getElementById('main');

// The document's lists as config's enums hold them (UiListsMatchConfigTest compares the two): roles weakest first
// (AdminRole), server states with the text of their button (ServerState), each balancer with whether it reads a
// request key, none, optional or required (BalancerAlgorithm), and the sources of that key (HashKey).
const ROLES = ['viewer', 'operator', 'admin'];
const SERVER_STATES = { enabled: 'Enable', drain: 'Drain', maintenance: 'Maintenance' };
const BALANCERS = {
  'round-robin': 'none',
  'weighted-round-robin': 'none',
  'least-connections': 'none',
  'weighted-least-connections': 'none',
  'random-two-choices': 'none',
  'least-response-time': 'none',
  'source-hash': 'none',
  'hash': 'required',
  'lblc': 'optional',
  'lblcr': 'optional',
  'first-available': 'none',
};
const HASH_KEY_SOURCES = ['uri', 'path', 'header', 'cookie', 'query'];
const NAMED_HASH_KEY_SOURCES = ['header', 'cookie', 'query'];

// ---- helpers

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'text') e.textContent = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else if (v !== null && v !== undefined && v !== false) e.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) if (c !== null && c !== undefined) e.append(c);
  return e;
}

function toast(message) {
  const t = document.getElementById('toast');
  t.textContent = message;
  t.classList.add('show');
  setTimeout(() => t.classList.remove('show'), 3000);
}

class ApiError extends Error {
  constructor(status, body) {
    super(body && body.message ? body.message : 'HTTP ' + status);
    this.status = status;
    this.id = body && body.id;
    this.violations = (body && body.violations) || [];
  }
}

async function api(method, path, body, headers = {}) {
  const h = { ...headers };
  if (body !== undefined) h['Content-Type'] = 'application/json';
  if (method !== 'GET' && session && session.csrfToken) h['X-CSRF-Token'] = session.csrfToken;
  const r = await fetch(API + path, { method, headers: h, credentials: 'same-origin',
    body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await r.text();
  const data = text ? JSON.parse(text) : null;
  if (!r.ok) {
    if (r.status === 401 && path !== '/session') { session = null; go('#/login'); }
    throw new ApiError(r.status, data);
  }
  return { data, etag: r.headers.get('ETag') };
}

/** True when role may do what needed may (an admin what an operator may, and so on). */
const roleAllows = (role, needed) => ROLES.indexOf(role) >= ROLES.indexOf(needed);
const canEdit = () => session && roleAllows(session.role, 'admin');
const canOperate = () => session && roleAllows(session.role, 'operator');

function go(hash) {
  if (location.hash === hash) render(); else location.hash = hash;
}

function errorList(err, prefix) {
  const box = el('div', { class: 'error', 'data-error': prefix || '' });
  if (err.violations && err.violations.length) {
    for (const v of err.violations) box.append(el('div', { 'data-path': v.path, text: v.path + ': ' + v.message }));
  } else {
    box.append(el('div', { text: (err.id ? err.id + ' ' : '') + err.message }));
  }
  return box;
}

/** Shows each violation next to the field whose data-path is the longest prefix of its JSON path. */
function showViolations(form, violations) {
  form.querySelectorAll('.error.field').forEach(e => e.remove());
  const fields = [...form.querySelectorAll('[data-path]')];
  const rest = [];
  for (const v of violations) {
    const f = fields.filter(x => v.path.startsWith(x.dataset.path))
      .sort((a, b) => b.dataset.path.length - a.dataset.path.length)[0];
    const msg = el('div', { class: 'error field', text: v.message });
    if (f) f.after(msg); else rest.push(v);
  }
  if (rest.length) form.append(errorList({ violations: rest }));
}

function diffView(diff) {
  if (!diff.length) return el('div', { class: 'diff', text: 'no change' });
  const lines = diff.map(c => (c.op === 'add' ? '+ ' : c.op === 'remove' ? '- ' : '~ ') + c.path
    + (c.op === 'replace' ? ': ' + JSON.stringify(c.from) + ' → ' + JSON.stringify(c.to)
      : c.op === 'add' ? ': ' + JSON.stringify(c.to) : ''));
  return el('div', { class: 'diff', id: 'diff-preview', text: lines.join('\n') });
}

/**
 * The edit cycle every editor uses: take the current document, change it, validate (violations next to the
 * fields), show the diff, and apply it with If-Match on a second click.
 */
async function editDocument(form, change, summary, done) {
  form.querySelectorAll('.error, .diff, .confirm').forEach(e => e.remove());
  try {
    const { data: doc, etag } = await api('GET', '/config');
    const next = change(structuredClone(doc));
    const { data: check } = await api('POST', '/config/validate', next);
    const errors = check.violations.filter(v => v.severity === 'ERROR');
    if (errors.length) { showViolations(form, errors); return; }
    form.append(diffView(check.diff));
    const apply = el('button', { type: 'button', class: 'confirm', id: 'apply', text: 'Apply',
      onclick: async () => {
        try {
          const { data } = await api('PUT', '/config', next, { 'If-Match': etag, 'X-Duet-Summary': summary });
          toast('Applied as revision ' + data.revision);
          done && done();
        } catch (e) {
          form.append(errorList(e));
        }
      } });
    form.append(apply);
  } catch (e) {
    if (e.violations && e.violations.length) showViolations(form, e.violations); else form.append(errorList(e));
  }
}

// ---- pages

function loginPage() {
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
      session = data;
      go(data.mustChangePassword ? '#/password' : '#/dashboard');
    } catch (e) {
      form.append(errorList(e));
    }
  });
  return el('section', {}, form);
}

function passwordPage() {
  const form = el('form', { id: 'password-form' },
    el('h2', { text: session.mustChangePassword ? 'Choose your own password' : 'Change password' }),
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
      session = data;
      toast('Password changed');
      go('#/dashboard');
    } catch (e) {
      if (e.violations.length) showViolations(form, e.violations); else form.append(errorList(e));
    }
  });
  return el('section', {}, form);
}

const history = { t: [], rps: [], p95: [], err: [] };
let lastCount = null;

async function dashboardPage() {
  const figures = el('div', { class: 'grid' });
  const cluster = el('section', { id: 'cluster' }, el('h2', { text: 'Nodes and VIPs' }));
  const health = el('section', { id: 'health' }, el('h2', { text: 'Servers' }));
  const certs = el('section', { id: 'cert-warnings' }, el('h2', { text: 'Certificates' }));
  const charts = el('section', { id: 'charts' }, el('h2', { text: 'Traffic (this node)' }), figures,
    el('canvas', { id: 'chart-rps', width: 800, height: 140 }), el('canvas', { id: 'chart-p95', width: 800, height: 140 }));
  const page = el('div', {}, charts, cluster, health, certs);
  async function refresh() {
    try {
      const [{ data: c }, { data: h }, { data: m }] = await Promise.all([
        api('GET', '/status/cluster'), api('GET', '/status/health'), api('GET', '/status/metrics')]);
      renderCluster(cluster, c);
      renderHealth(health, h);
      renderTraffic(figures, m);
      renderCertWarnings(certs, (await api('GET', '/certificates')).data);
    } catch (e) { /* shown by the next refresh or the login redirect */ }
  }
  const mine = generation;
  await refresh();
  if (mine === generation) {
    clearInterval(timer);
    timer = setInterval(refresh, 2000);
  }
  return page;
}

function renderCluster(box, c) {
  box.replaceChildren(el('h2', { text: 'Nodes and VIPs' }));
  if (c.mode === 'standalone') {
    box.append(el('p', { text: 'Node ' + c.node + ' runs standalone (no cluster).' }));
    return;
  }
  const t = el('table', {}, el('tr', {}, el('th', { text: 'member' }), el('th', { text: 'heartbeat' }),
    el('th', { text: 'holds' })));
  t.firstChild.append(el('th', { text: '' }));
  for (const m of c.members || []) {
    const hb = (c.heartbeats || {})[m];
    const actions = el('td', {});
    if (canOperate() && hb) {
      for (const undo of [false, true]) {
        actions.append(el('button', { type: 'button', class: 'small secondary', 'data-handoff': m + (undo ? ':undo' : ''),
          text: undo ? 'Take VIPs back' : 'Hand off VIPs', onclick: async () => {
            try { await api('POST', '/cluster/handoff', { node: m, undo }); toast(undo ? m + ' may hold VIPs again' : m + ' hands its VIPs off'); }
            catch (e) { toast(e.message); }
          } }));
      }
    }
    t.append(el('tr', {}, el('td', { text: m + (m === c.leader ? ' (leader)' : '') }),
      el('td', { text: hb ? hb.ageMs + ' ms ago' : '—' }), el('td', { text: hb ? hb.holds.join(', ') : '' }), actions));
  }
  box.append(el('p', { text: 'This node: ' + c.node + ', ' + c.role + ', term ' + c.term + ', revision ' + c.revision }), t);
  const v = el('table', {}, el('tr', {}, el('th', { text: 'VIP' }), el('th', { text: 'owner' })));
  for (const [vip, owner] of Object.entries(c.vipOwners || {})) v.append(el('tr', {}, el('td', { text: vip }), el('td', { text: owner })));
  box.append(v);
}

function renderCertWarnings(box, certs) {
  box.replaceChildren(el('h2', { text: 'Certificates' }));
  const due = certs.filter(c => c.status !== 'ok');
  if (!certs.length) box.append(el('p', { text: 'No certificates configured: https listeners serve the node\'s self-signed one.' }));
  else if (!due.length) box.append(el('p', { class: 'ok', text: 'All ' + certs.length + ' certificates are valid for 30 days or more.' }));
  for (const c of due) {
    box.append(el('p', { class: c.status === 'expiring' ? 'warn' : 'bad', 'data-cert': c.name,
      text: c.name + ': ' + (c.status === 'expired' ? 'expired on ' + c.notAfter : c.status === 'expiring'
        ? 'expires in ' + c.daysLeft + ' days (' + c.notAfter + ')' : 'cannot be read') }));
  }
}

async function certificatesPage() {
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

async function vipsPage() {
  const [{ data: vips }, { data: cluster }] = await Promise.all([api('GET', '/vips'), api('GET', '/status/cluster')]);
  const owners = cluster.vipOwners || {};
  const t = el('table', { id: 'vip-table' }, el('tr', {}, ...['address', 'preferred node', 'failback', 'held by', '']
    .map(x => el('th', { text: x }))));
  for (const v of vips) {
    t.append(el('tr', { 'data-vip': v.address }, el('td', { text: v.address }), el('td', { text: v.preferredNode || '(spread)' }),
      el('td', { text: v.failback + (v.failback === 'delayed' ? ' ' + v.failbackDelayMs + ' ms' : '') }),
      el('td', { text: owners[v.address] || (cluster.mode === 'standalone' ? '(standalone)' : 'nobody') }),
      el('td', {}, canEdit() ? el('button', { type: 'button', class: 'small secondary', text: 'Remove', onclick: async () => {
        try { await api('DELETE', '/vips/' + encodeURIComponent(v.address)); render(); } catch (e) { toast(e.message); } } }) : null)));
  }
  const page = el('div', {}, el('section', {}, el('h2', { text: 'Floating IPs (VIPs)' }),
    el('p', { text: 'Active/active: one VIP per proxy, both in DNS. Active/passive: one VIP with a preferred node.' }), t));
  if (canEdit()) {
    const form = el('form', { id: 'new-vip' }, el('h2', { text: 'New VIP' }),
      el('label', { for: 'vip-address', text: 'Address' }), el('input', { id: 'vip-address', 'data-path': '$.vips' }),
      el('label', { for: 'vip-node', text: 'Preferred node (empty: spread evenly)' }),
      el('select', { id: 'vip-node' }, el('option', { value: '', text: '(none)' }),
        ...(cluster.members || []).map(m => el('option', { value: m, text: m }))),
      el('label', { for: 'vip-failback', text: 'Failback' }),
      el('select', { id: 'vip-failback' }, ...['immediate', 'delayed', 'never'].map(f => el('option', { value: f, text: f }))),
      el('button', { type: 'submit', id: 'vip-add', text: 'Add VIP' }));
    form.addEventListener('submit', async ev => {
      ev.preventDefault();
      form.querySelectorAll('.error').forEach(e => e.remove());
      const address = form.querySelector('#vip-address').value.trim();
      const body = { failback: form.querySelector('#vip-failback').value };
      const node = form.querySelector('#vip-node').value;
      if (node) body.preferredNode = node;
      try { await api('PUT', '/vips/' + encodeURIComponent(address), body); toast('VIP ' + address + ' added'); render(); }
      catch (e) { if (e.violations.length) showViolations(form, e.violations); else form.append(errorList(e)); }
    });
    page.append(el('section', {}, form));
  }
  return page;
}

function renderHealth(box, pools) {
  box.replaceChildren(el('h2', { text: 'Servers' }));
  if (!pools.length) { box.append(el('p', { text: 'No pools yet.' })); return; }
  const t = el('table', { id: 'health-table' }, el('tr', {}, ...['pool', 'server', 'state', 'reason', 'in flight', 'sticky']
    .map(h => el('th', { text: h }))));
  for (const p of pools) for (const s of p.servers || []) {
    t.append(el('tr', { 'data-server': p.pool + '/' + s.server },
      el('td', { text: p.pool }), el('td', { text: s.server + ' ' + s.address }),
      el('td', { class: s.available ? 'ok' : 'bad', text: s.state }), el('td', { text: s.reason || '' }),
      el('td', { text: String(s.activeRequests) }), el('td', { text: s.stickyClients < 0 ? '—' : String(s.stickyClients) })));
  }
  box.append(t);
}

function renderTraffic(figures, m) {
  let count = 0, errors = 0, p95 = 0;
  for (const [name, v] of Object.entries(m)) {
    if (name.startsWith('duet_route_requests_total')) count += v.count;
    if (name.startsWith('duet_route_request_duration_seconds')) p95 = Math.max(p95, v.p95Ms || 0);
    if (name.startsWith('duet_route_responses_total') && name.includes('5xx')) errors += v.count;
  }
  const now = Date.now();
  if (lastCount !== null) {
    const dt = (now - lastCount.t) / 1000;
    history.t.push(now);
    history.rps.push(Math.max(0, (count - lastCount.count) / dt));
    history.p95.push(p95);
    history.err.push(Math.max(0, errors - lastCount.errors));
    for (const k of Object.keys(history)) if (history[k].length > 90) history[k].shift();
  }
  lastCount = { t: now, count, errors };
  const rps = history.rps.length ? history.rps[history.rps.length - 1] : 0;
  figures.replaceChildren(
    el('div', {}, el('div', { text: 'requests/s' }), el('div', { class: 'figure', id: 'fig-rps', text: rps.toFixed(1) })),
    el('div', {}, el('div', { text: 'p95 latency' }), el('div', { class: 'figure', text: p95.toFixed(1) + ' ms' })),
    el('div', {}, el('div', { text: '5xx since start' }), el('div', { class: 'figure ' + (errors ? 'bad' : ''), text: String(errors) })));
  chart('chart-rps', history.rps, '#2557d6', 'requests/s');
  chart('chart-p95', history.p95, '#b26a00', 'p95 ms');
}

function chart(id, values, color, label) {
  const c = document.getElementById(id);
  if (!c) return;
  c.dataset.points = String(values.length);
  const g = c.getContext('2d');
  const w = c.width, h = c.height, top = 22, bottom = h - 18;
  g.clearRect(0, 0, w, h);
  const max = Math.max(1, ...values) * 1.15;
  g.strokeStyle = '#d9dee7'; g.lineWidth = 1;
  for (let k = 0; k <= 4; k++) {
    const y = bottom - (k / 4) * (bottom - top);
    g.beginPath(); g.moveTo(40, y); g.lineTo(w - 5, y); g.stroke();
    g.fillStyle = '#5b6472'; g.font = '11px sans-serif';
    g.fillText((max * k / 4).toFixed(max < 10 ? 1 : 0), 2, y + 4);
  }
  const n = Math.max(values.length - 1, 1);
  g.strokeStyle = color; g.lineWidth = 2; g.beginPath();
  values.forEach((v, i) => {
    const x = 40 + (i / n) * (w - 45), y = bottom - (v / max) * (bottom - top);
    i ? g.lineTo(x, y) : g.moveTo(x, y);
  });
  g.stroke();
  g.fillStyle = '#1d2330'; g.font = '12px sans-serif';
  g.fillText(label + ', last ' + (values.length * 2) + ' s', 44, 14);
}

async function poolsPage() {
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

async function routesPage() {
  const { data: doc } = await api('GET', '/config');
  doc.pools = doc.pools || [];
  doc.virtualHosts = doc.virtualHosts || [];
  const list = el('section', { id: 'routes' }, el('h2', { text: 'Virtual hosts and routes' }));
  for (const vh of doc.virtualHosts) {
    const t = el('table', {}, el('tr', {}, ...['route', 'match', 'action'].map(h => el('th', { text: h }))));
    for (const r of vh.routes || []) {
      t.append(el('tr', {}, el('td', { text: r.name }), el('td', { text: JSON.stringify(r.match || {}) }),
        el('td', { text: r.pool ? 'pool ' + r.pool : r.redirect ? 'redirect' : r.respond ? 'respond ' + r.respond.status : '' })));
    }
    list.append(el('h3', { text: vh.name + ' — ' + (vh.hostnames || []).join(', ') + (vh.defaultHost ? ' (default)' : '') }), t);
  }
  const page = el('div', {}, list);
  if (canEdit()) {
    const form = el('form', { id: 'new-route' }, el('h2', { text: 'New route' }),
      el('label', { for: 'route-host', text: 'Virtual host' }),
      el('select', { id: 'route-host' }, ...doc.virtualHosts.map((v, i) => el('option', { value: i, text: v.name }))),
      el('label', { for: 'route-name', text: 'Name' }), el('input', { id: 'route-name', 'data-path': '$.virtualHosts' }),
      el('label', { for: 'route-prefix', text: 'Path prefix' }), el('input', { id: 'route-prefix', value: '/' }),
      el('label', { for: 'route-pool', text: 'Pool' }),
      el('select', { id: 'route-pool' }, ...doc.pools.map(p => el('option', { value: p.name, text: p.name }))),
      el('label', { text: 'Position' }),
      el('select', { id: 'route-position' }, el('option', { value: 'first', text: 'first (before the others)' }),
        el('option', { value: 'last', text: 'last' })),
      el('button', { type: 'submit', id: 'route-check', text: 'Check and preview' }));
    form.addEventListener('submit', ev => {
      ev.preventDefault();
      const vh = Number(form.querySelector('#route-host').value);
      const name = form.querySelector('#route-name').value.trim();
      const route = { name, match: { path: { prefix: form.querySelector('#route-prefix').value } },
        pool: form.querySelector('#route-pool').value };
      editDocument(form, d => {
        d.virtualHosts[vh].routes = d.virtualHosts[vh].routes || [];
        if (form.querySelector('#route-position').value === 'first') d.virtualHosts[vh].routes.unshift(route);
        else d.virtualHosts[vh].routes.push(route);
        return d;
      }, 'route ' + name + ' added', () => go('#/routes'));
    });
    page.append(el('section', {}, form));
  }
  return page;
}

async function configPage() {
  const { data: doc } = await api('GET', '/config');
  const area = el('textarea', { id: 'config-text', rows: 24, readonly: !canEdit() });
  area.value = JSON.stringify(doc, null, 2);
  const form = el('form', { id: 'config-form' }, el('h2', { text: 'Configuration (revision ' + doc.revision + ')' }), area);
  if (canEdit()) {
    form.append(el('button', { type: 'submit', id: 'config-check', text: 'Validate and preview' }));
    form.addEventListener('submit', ev => {
      ev.preventDefault();
      let edited;
      try { edited = JSON.parse(area.value); } catch (e) { form.append(el('div', { class: 'error', text: 'not JSON: ' + e.message })); return; }
      editDocument(form, () => edited, 'edited in the configuration editor', () => go('#/config'));
    });
  }
  return el('section', {}, form);
}

async function historyPage() {
  const { data: h } = await api('GET', '/config/history');
  const t = el('table', { id: 'history-table' }, el('tr', {}, ...['revision', 'when', 'who', 'what', ''].map(x => el('th', { text: x }))));
  const current = h.length ? h[0].revision : 0;
  for (const e of h) {
    const actions = el('td', {});
    if (e.revision > 1) {
      actions.append(el('button', { type: 'button', class: 'small secondary', text: 'Diff', onclick: async () => {
        const { data } = await api('GET', '/config/diff?from=' + (e.revision - 1) + '&to=' + e.revision);
        actions.append(diffView(data));
      } }));
    }
    if (canEdit() && e.revision !== current) {
      actions.append(el('button', { type: 'button', class: 'small', 'data-rollback': e.revision, text: 'Roll back to this',
        onclick: async () => {
          try {
            const { data } = await api('POST', '/config/rollback', { revision: e.revision }, { 'If-Match': '"' + current + '"' });
            toast('Rolled back to ' + e.revision + ' as revision ' + data.revision);
            render();
          } catch (err) { toast(err.message); }
        } }));
    }
    t.append(el('tr', {}, el('td', { text: String(e.revision) }), el('td', { text: e.timeMs ? new Date(e.timeMs).toLocaleString() : '' }),
      el('td', { text: e.author || '' }), el('td', { text: e.summary || '' }), actions));
  }
  return el('section', {}, el('h2', { text: 'History' }), t);
}

async function usersPage() {
  if (!canEdit()) return el('section', {}, el('p', { text: 'Only admins manage users.' }));
  const { data: users } = await api('GET', '/users');
  const t = el('table', {}, el('tr', {}, ...['user', 'role', ''].map(x => el('th', { text: x }))));
  for (const u of users) {
    t.append(el('tr', {}, el('td', { text: u.name + (u.mustChangePassword ? ' (must change password)' : '') }),
      el('td', { text: u.role }), el('td', {}, u.name === session.name ? null : el('button', { type: 'button', class: 'small secondary',
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

const when = ms => ms ? new Date(ms).toLocaleString() : 'never';

/** API tokens: listed with expiry and last use (this node's), made (the token is shown once), revoked. */
async function tokensSection() {
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

async function auditPage() {
  if (!canEdit()) return el('section', {}, el('p', { text: 'Only admins read the audit log.' }));
  const { data: records } = await api('GET', '/audit?limit=200');
  const t = el('table', { id: 'audit-table' }, el('tr', {}, ...['when', 'node', 'who', 'from', 'action', 'outcome', 'revision', 'detail']
    .map(x => el('th', { text: x }))));
  for (const r of records) {
    t.append(el('tr', { class: r.outcome === 'ok' ? '' : 'warn' }, el('td', { text: new Date(r.timeMs).toLocaleString() }),
      el('td', { text: r.node || '' }), el('td', { text: r.user || '-' }), el('td', { text: r.address || '' }),
      el('td', { text: r.action }), el('td', { text: r.outcome + (r.pending ? ' (not yet replicated)' : '') }),
      el('td', { text: r.revision == null ? '' : String(r.revision) }), el('td', { text: r.detail || '' })));
  }
  return el('section', {}, el('h2', { text: 'Audit log (every node)' }), t);
}

// ---- routing

const pages = { dashboard: dashboardPage, pools: poolsPage, routes: routesPage, certificates: certificatesPage, vips: vipsPage, config: configPage,
  history: historyPage, users: usersPage, audit: auditPage };

let generation = 0;

async function render() {
  clearInterval(timer);
  const mine = ++generation;
  const page = (location.hash.replace(/^#\//, '') || 'dashboard').split('?')[0];
  if (!session) {
    try { session = (await api('GET', '/session')).data; } catch (e) { session = null; }
  }
  const nav = document.getElementById('nav');
  const who = document.getElementById('who');
  const logout = document.getElementById('logout');
  if (!session || page === 'login') {
    nav.hidden = true; logout.hidden = true; who.textContent = '';
    main.replaceChildren(loginPage());
    return;
  }
  who.textContent = session.name + ' (' + session.role + ')';
  logout.hidden = false;
  if (session.mustChangePassword || page === 'password') {
    nav.hidden = true;
    main.replaceChildren(passwordPage());
    return;
  }
  nav.hidden = false;
  document.getElementById('nav-users').hidden = !canEdit();
  document.getElementById('nav-audit').hidden = !canEdit();
  for (const a of nav.querySelectorAll('a')) a.classList.toggle('active', a.id === 'nav-' + page);
  try {
    const content = await (pages[page] || dashboardPage)();
    if (mine === generation) main.replaceChildren(content); // a later navigation wins
  } catch (e) {
    if (mine === generation) main.replaceChildren(el('section', {}, errorList(e)));
  }
}

document.getElementById('logout').addEventListener('click', async () => {
  try { await api('DELETE', '/session'); } catch (e) { /* gone anyway */ }
  session = null;
  go('#/login');
});
window.addEventListener('hashchange', render);
render();
