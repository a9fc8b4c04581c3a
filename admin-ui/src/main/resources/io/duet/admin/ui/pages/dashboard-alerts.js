// The dashboard's alerts (GET /alerts): failures first, critical before warning, each with its object linked to its
// page; then, apart, what operators took out of service on purpose (drain, maintenance): states, not failures.
import { el } from '../lib/dom.js';

const since = ms => (ms ? 'since ' + new Date(ms).toLocaleString([], { hour12: false }) : '');

/** Where an alert's object is shown: a pool's page, a server in it, the certificates, the VIPs, the cluster. */
export function objectLink(o) {
  const pool = name => '#/pools?pool=' + encodeURIComponent(name);
  switch (o.kind) {
    case 'pool': return { href: pool(o.name), text: 'pool ' + o.name };
    case 'server': return { href: pool(o.pool) + '&server=' + encodeURIComponent(o.name), text: 'server ' + o.pool + '/' + o.name };
    case 'certificate': return { href: '#/certificates', text: 'certificate ' + o.name };
    case 'vip': return { href: '#/vips', text: 'VIP ' + o.name };
    case 'member': return { href: '#/dashboard', text: 'member ' + o.name };
    default: return { href: '#/dashboard', text: o.kind + (o.name ? ' ' + o.name : '') };
  }
}

const rank = a => (a.severity === 'critical' ? 0 : 1);

/** Renders the alerts and the operator states of an answer of GET /alerts into their two sections. */
export function renderAlerts(alertsBox, statesBox, answer) {
  const alerts = [...(answer.alerts || [])].sort((a, b) => rank(a) - rank(b) || a.since - b.since);
  alertsBox.replaceChildren(el('h2', { id: 'alerts-title', text: 'Alerts' }));
  if (!alerts.length) alertsBox.append(el('p', { class: 'ok', text: 'No alerts: every pool has a server up.' }));
  else {
    const list = el('ul', { class: 'alert-list', 'aria-labelledby': 'alerts-title' });
    for (const a of alerts) {
      const link = objectLink(a.object);
      list.append(el('li', { class: 'alert ' + a.severity, 'data-alert': a.id, 'data-severity': a.severity },
        el('strong', { class: 'severity', text: a.severity === 'critical' ? 'Critical' : 'Warning' }), ' ',
        el('a', { href: link.href, text: link.text }), ': ', a.message, ' ', el('span', { class: 'since', text: since(a.since) })));
    }
    alertsBox.append(list);
  }
  const states = answer.states || [];
  statesBox.hidden = !states.length;
  statesBox.replaceChildren(el('h2', { id: 'states-title', text: 'Out of service on purpose' }),
    el('p', { class: 'hint', text: 'Drain and maintenance set by an operator: not failures.' }));
  const list = el('ul', { class: 'state-list', 'aria-labelledby': 'states-title' });
  for (const s of states) {
    const link = objectLink(s.object);
    const key = s.object.kind === 'server' ? s.object.pool + '/' + s.object.name : s.object.name;
    list.append(el('li', { class: 'state ' + s.state, 'data-state': key, 'data-state-kind': s.state },
      el('a', { href: link.href, text: link.text }), ': ', el('strong', { text: s.state }),
      s.detail ? ' (' + s.detail + ')' : '', ' ', el('span', { class: 'since', text: since(s.since) })));
  }
  statesBox.append(list);
}
