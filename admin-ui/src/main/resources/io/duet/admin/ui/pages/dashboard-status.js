// The dashboard's status parts: this node's traffic now (figures and a sparkline of /status/metrics, polled every
// 2 s), the cluster's nodes and VIPs, every server's live state, certificates due.
import { api } from '../lib/api.js';
import { chart } from '../lib/chart.js';
import { el, toast } from '../lib/dom.js';
import { canOperate } from '../lib/session.js';

const history = { t: [], rps: [], p95: [], err: [] };
let lastCount = null;

export function renderCluster(box, c) {
  box.replaceChildren(el('h2', { text: 'Nodes and VIPs' }));
  if (c.mode === 'standalone') {
    box.append(el('p', { text: 'Node ' + c.node + ' runs standalone (no cluster).' }));
    return;
  }
  const t = el('table', {}, el('tr', {}, el('th', { text: 'member' }), el('th', { text: 'heartbeat' }),
    el('th', { text: 'holds' })));
  t.firstChild.append(el('th', {}, el('span', { class: 'visually-hidden', text: 'actions' })));
  for (const m of c.members || []) {
    const hb = (c.heartbeats || {})[m];
    const actions = el('td', {});
    if (canOperate() && hb) {
      for (const undo of [false, true]) {
        actions.append(el('button', { type: 'button', class: 'small secondary', 'data-handoff': m + (undo ? ':undo' : ''),
          text: undo ? 'Take VIPs back' : 'Hand off VIPs',
          'aria-label': undo ? 'Let node ' + m + ' take its VIPs back' : 'Hand off the VIPs of node ' + m, onclick: async () => {
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

export function renderCertWarnings(box, certs) {
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

export function renderHealth(box, pools) {
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

export function renderTraffic(figures, m) {
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
  chart('chart-rps', history.rps, '--accent', 'requests/s', history.t);
  chart('chart-p95', history.p95, '--warn', 'p95 latency, ms', history.t);
}
