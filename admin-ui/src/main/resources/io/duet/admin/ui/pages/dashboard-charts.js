// The dashboard's traffic history: per pool, route or server, requests/s, error rates by class (4xx, 5xx, Duet's own
// failures) and latency p50/p95/p99 over 5 min, 15 min or 1 h, on a real time axis. Polls GET /metrics/history with
// `since` (only the new intervals) and keeps an hour in a SeriesStore.
import { api } from '../lib/api.js';
import { el } from '../lib/dom.js';
import { SeriesStore } from '../lib/series.js';
import { timeChart } from '../lib/timechart.js';

const RANGES = [['5 minutes', 5 * 60_000], ['15 minutes', 15 * 60_000], ['1 hour', 60 * 60_000]];
const KINDS = [['pool', 'Pools'], ['route', 'Routes'], ['server', 'Servers']];
const MAX_OBJECTS = 24; // charts drawn per kind; the rest are named
const CHARTS = [
  { key: 'rps', title: 'requests/s', unit: '/s', digits: 1, series: [{ field: 'rps', label: 'requests/s', color: '#2557d6' }] },
  { key: 'errors', title: 'errors/s by class', unit: '/s', digits: 2, series: [
    { field: 'e4', label: '4xx', color: '#b26a00' }, { field: 'e5', label: '5xx', color: '#b42318' },
    { field: 'duet', label: "Duet's own", color: '#6b2fb3' }] },
  { key: 'latency', title: 'latency', unit: 'ms', digits: 1, series: [
    { field: 'p50', label: 'p50', color: '#1b7f3b' }, { field: 'p95', label: 'p95', color: '#b26a00' },
    { field: 'p99', label: 'p99', color: '#b42318' }] }
];

const label = e => (e.kind === 'route' ? e.scope + '/' + e.name : e.kind === 'server' ? e.scope + '/' + e.name : e.name);

/** The history section: {element, poll()} (poll fetches new intervals when a period has passed and redraws). */
export function historySection() {
  const store = new SeriesStore(60 * 60_000);
  const state = { kind: 'pool', range: RANGES[1][1], fetchedAt: 0, now: Date.now() };
  const charts = new Map(); // object key + chart key -> chart
  const grid = el('div', { id: 'history-charts' });
  const rangeChoice = el('select', { id: 'history-range' }, ...RANGES.map(([t, ms]) =>
    el('option', { value: String(ms), text: t, selected: ms === state.range })));
  rangeChoice.addEventListener('change', () => { state.range = Number(rangeChoice.value); draw(); });
  const kindChoice = el('fieldset', { class: 'kind-choice' }, el('legend', { text: 'Show' }),
    ...KINDS.map(([k, t]) => el('label', { class: 'check' }, el('input', { type: 'radio', name: 'history-kind', value: k,
      id: 'history-kind-' + k, checked: k === state.kind, onchange: () => { state.kind = k; draw(); } }), t)));
  const note = el('p', { class: 'hint', id: 'history-note' });
  const element = el('section', { id: 'history' }, el('h2', { text: 'Traffic history (this node)' }),
    el('div', { class: 'history-controls' }, kindChoice,
      el('div', {}, el('label', { for: 'history-range', text: 'Time range' }), rangeChoice)), note, grid);

  function draw() {
    const entries = store.of(state.kind);
    const to = Math.max(state.now, store.newest);
    const from = to - state.range;
    note.textContent = entries.length ? 'Intervals of ' + store.periodMillis / 1000 + ' s; a gap: no request completed '
      + '(latency) or no sample kept.' + (entries.length > MAX_OBJECTS ? ' Showing ' + MAX_OBJECTS + ' of '
        + entries.length + '.' : '') : 'No traffic recorded yet for any ' + state.kind + '.';
    const cards = [];
    for (const e of entries.slice(0, MAX_OBJECTS)) {
      const id = e.kind + ':' + label(e);
      const figures = CHARTS.map(c => {
        const chartId = id + ':' + c.key;
        let ch = charts.get(chartId);
        if (!ch) {
          ch = timeChart({ id: 'chart-' + chartId.replace(/[^A-Za-z0-9_-]/g, '_'), title: label(e) + ' ' + c.title,
            unit: c.unit, digits: c.digits, series: c.series });
          ch.element.dataset.chart = chartId;
          charts.set(chartId, ch);
        }
        const w = store.window(e, c.series.map(s => s.field), from);
        ch.update(w.at, w.columns, from, to);
        return ch.element;
      });
      cards.push(el('article', { class: 'history-card', 'data-object': id },
        el('h3', { text: e.kind + ' ' + label(e) }), el('div', { class: 'chart-row' }, ...figures)));
    }
    grid.replaceChildren(...cards);
  }

  async function poll() {
    if (Date.now() - state.fetchedAt < store.periodMillis) return;
    state.fetchedAt = Date.now();
    const answers = await Promise.all(KINDS.map(([k]) =>
      api('GET', '/metrics/history?kind=' + k + (store.newest ? '&since=' + store.newest : ''))));
    for (const { data } of answers) { store.merge(data); state.now = data.now; }
    draw();
  }
  return { element, poll };
}
