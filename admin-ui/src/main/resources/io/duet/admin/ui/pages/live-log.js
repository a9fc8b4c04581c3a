// Live log: a tail of this node's access log (GET /access-log/tail, operator role: the records hold client
// addresses and paths), filtered by host, route and status, polled every second with `since`, newest first; a pause
// button stops polling (the node stops recording a minute after the last poll).
import { api } from '../lib/api.js';
import { el } from '../lib/dom.js';
import { currentGeneration, refreshEvery } from '../lib/navigation.js';

const MAX_ROWS = 500; // rows kept on the page
const COLUMNS = [['time', 'time'], ['client', 'client'], ['method', 'method'], ['host', 'host'], ['uri', 'path'],
  ['status', 'status'], ['route', 'route'], ['server', 'server'], ['durationUs', 'duration']];

function cell(r, field) {
  if (field === 'time') return new Date(r.time).toLocaleTimeString([], { hour12: false });
  if (field === 'route') return r.route ? r.vhost + '/' + r.route : '—';
  if (field === 'server') return r.server ? r.pool + '/' + r.server : '—';
  if (field === 'durationUs') return (r.durationUs / 1000).toFixed(1) + ' ms';
  return r[field] === null || r[field] === undefined ? '—' : String(r[field]);
}

const statusClass = s => (s >= 500 || s === 0 ? 'bad' : s >= 400 ? 'warn' : '');

export async function liveLogPage() {
  const state = { since: 0, paused: false, busy: false };
  const input = (id, text, hint) => el('div', {}, el('label', { for: id, text }),
    el('input', { id, type: 'search', autocomplete: 'off', placeholder: hint }));
  const filters = el('form', { id: 'tail-filters', class: 'tail-filters', role: 'search' },
    input('tail-host', 'Host', 'www.example.com'), input('tail-route', 'Route', 'vhost/route or route'),
    input('tail-status', 'Status', '404 or 5xx'));
  const pause = el('button', { type: 'button', id: 'tail-pause', 'aria-pressed': 'false', text: 'Pause live log' });
  const status = el('p', { id: 'tail-status-line', class: 'hint', role: 'status' });
  const body = el('tbody', { id: 'tail-rows' });
  const table = el('table', { id: 'tail-table' }, el('caption', { text: 'Requests, newest first' }),
    el('thead', {}, el('tr', {}, ...COLUMNS.map(([, t]) => el('th', { scope: 'col', text: t })))), body);
  const error = el('p', { class: 'error', id: 'tail-error', role: 'alert', hidden: true });
  const page = el('section', { id: 'live-log' }, el('h2', { text: 'Live log' }),
    el('p', { class: 'hint', text: 'The requests this node served, as they finish (the last 1,000 kept while this page '
      + 'is open). Filters apply to new records and to those kept.' }), filters, pause, status, error,
    el('div', { class: 'table-scroll' }, table));

  const query = () => {
    const q = new URLSearchParams({ since: String(state.since) });
    for (const [id, name] of [['tail-host', 'host'], ['tail-route', 'route'], ['tail-status', 'status']]) {
      const v = filters.querySelector('#' + id).value.trim();
      if (v) q.set(name, v);
    }
    return q.toString();
  };
  async function poll() {
    if (state.paused || state.busy) return;
    state.busy = true;
    try {
      const { data } = await api('GET', '/access-log/tail?' + query());
      error.hidden = true;
      state.since = data.lastSeq;
      for (const r of data.records) {
        body.prepend(el('tr', { 'data-seq': String(r.seq), 'data-status': String(r.status), class: statusClass(r.status) },
          ...COLUMNS.map(([f]) => el('td', { 'data-field': f, text: cell(r, f) }))));
      }
      while (body.children.length > MAX_ROWS) body.lastChild.remove();
      status.textContent = body.children.length + ' requests shown' + (data.missed ? '; some were missed (more than '
        + data.capacity + ' between two polls)' : '') + '.';
    } catch (e) {
      error.textContent = e.message;
      error.hidden = false;
    } finally {
      state.busy = false;
    }
  }
  let timer = null;
  filters.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => { state.since = 0; body.replaceChildren(); poll(); }, 300);
  });
  filters.addEventListener('submit', e => e.preventDefault());
  pause.addEventListener('click', () => {
    state.paused = !state.paused;
    pause.setAttribute('aria-pressed', String(state.paused));
    pause.textContent = state.paused ? 'Resume live log' : 'Pause live log';
    if (!state.paused) poll();
  });
  const mine = currentGeneration();
  await poll();
  refreshEvery(mine, poll, 1000);
  return page;
}
