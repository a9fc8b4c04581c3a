// The dashboard: alerts first (critical first), the servers out of service on purpose apart, this node's traffic now,
// its history per pool, route and server (pages/dashboard-charts.js), then nodes and VIPs, servers, certificates.
// Refreshed every 2 s (the history when a new interval is due).
import { api } from '../lib/api.js';
import { el } from '../lib/dom.js';
import { currentGeneration, refreshEvery } from '../lib/navigation.js';
import { renderAlerts } from './dashboard-alerts.js';
import { historySection } from './dashboard-charts.js';
import { renderCertWarnings, renderCluster, renderHealth, renderTraffic } from './dashboard-status.js';

export async function dashboardPage() {
  const alerts = el('section', { id: 'alerts', 'aria-live': 'polite' }, el('h2', { text: 'Alerts' }));
  const states = el('section', { id: 'operator-states', hidden: true });
  const figures = el('div', { class: 'grid' });
  const cluster = el('section', { id: 'cluster' }, el('h2', { text: 'Nodes and VIPs' }));
  const health = el('section', { id: 'health' }, el('h2', { text: 'Servers' }));
  const certs = el('section', { id: 'cert-warnings' }, el('h2', { text: 'Certificates' }));
  const charts = el('section', { id: 'charts' }, el('h2', { text: 'Traffic now (this node)' }), figures,
    el('canvas', { id: 'chart-rps', width: 800, height: 140, role: 'img', 'aria-label': 'requests per second, last minutes' }),
    el('canvas', { id: 'chart-p95', width: 800, height: 140, role: 'img', 'aria-label': 'p95 latency, last minutes' }));
  const history = historySection();
  const page = el('div', {}, alerts, states, charts, history.element, cluster, health, certs);
  async function refresh() {
    try {
      const [{ data: a }, { data: c }, { data: h }, { data: m }] = await Promise.all([api('GET', '/alerts'),
        api('GET', '/status/cluster'), api('GET', '/status/health'), api('GET', '/status/metrics')]);
      renderAlerts(alerts, states, a);
      renderCluster(cluster, c);
      renderHealth(health, h);
      renderTraffic(figures, m);
      renderCertWarnings(certs, (await api('GET', '/certificates')).data);
      await history.poll();
    } catch (e) { /* shown by the next refresh or the login redirect */ }
  }
  const mine = currentGeneration();
  await refresh();
  refreshEvery(mine, refresh, 2000);
  return page;
}
