// A time-series chart (uPlot, served from its WebJar at /vendor/uplot/) with a real time axis: timestamps on the
// axis, a gap for every null sample (never interpolated), the x range the caller's window. Its text alternative is
// a visually hidden table of the last intervals' values (data-chart-values), and data-points on the figure says how
// many intervals it holds.
import uPlot from '/vendor/uplot/uPlot.esm.js';
import { el } from './dom.js';

const ROWS = 5; // intervals in the text alternative, newest first
const time = ms => new Date(ms).toLocaleTimeString([], { hour12: false });

/**
 * A chart figure: {element, update(at, columns, fromMillis, toMillis)}. series: [{label, color}], one per column;
 * unit and digits say how values are written.
 */
export function timeChart({ id, title, unit, digits, series }) {
  const box = el('div', { class: 'plot', 'aria-hidden': 'true' });
  // The drawing is described by the hidden table below; inert keeps uPlot's own focusable parts (its legend and
  // cursor layer) out of the tab order too, as aria-hidden content must not take focus (axe: aria-hidden-focus).
  box.setAttribute('inert', '');
  const values = el('table', { 'data-chart-values': id });
  // A table is never narrower than its content: the hidden box around it keeps it out of the page's width.
  const figure = el('figure', { class: 'time-chart', id }, el('figcaption', { text: title }), box,
    el('div', { class: 'visually-hidden' }, values));
  const format = v => (v === null || v === undefined ? 'no data' : v.toFixed(digits) + (unit ? ' ' + unit : ''));
  let plot = null;
  let data = null;
  let range = [0, 1];
  const options = width => ({
    width, height: 150, ms: 1, legend: { show: true },
    cursor: { drag: { x: false, y: false } },
    scales: { x: { time: true, range: () => range }, y: { range: (u, min, max) => [0, max > 0 ? max * 1.1 : 1] } },
    series: [{ value: (u, v) => (v === null ? '—' : time(v)) },
      ...series.map(s => ({ label: s.label, stroke: s.color, width: 1.5, spanGaps: false,
        value: (u, v) => (v === null || v === undefined ? '—' : format(v)) }))],
    axes: [{}, { size: 56, values: (u, ticks) => ticks.map(t => +t.toFixed(digits)) }]
  });
  const draw = () => {
    const width = Math.floor(box.clientWidth);
    if (!data || width <= 0) return;
    if (!plot) plot = new uPlot(options(width), data, box);
    else if (plot.width !== width) plot.setSize({ width, height: 150 });
  };
  new ResizeObserver(draw).observe(box);

  function update(at, columns, fromMillis, toMillis) {
    range = [fromMillis, toMillis];
    data = [at, ...columns];
    figure.dataset.points = String(at.filter((t, i) => columns.some(c => c[i] !== null)).length);
    const head = el('tr', {}, el('th', { scope: 'col', text: 'interval ending' }),
      ...series.map(s => el('th', { scope: 'col', text: s.label })));
    const rows = [];
    for (let i = at.length - 1; i >= 0 && rows.length < ROWS; i--) {
      if (columns.every(c => c[i] === null)) continue; // a gap: no sample kept
      rows.push(el('tr', {}, el('th', { scope: 'row', text: time(at[i]) }),
        ...columns.map((c, k) => el('td', { 'data-series': series[k].label, text: format(c[i]) }))));
    }
    const highest = el('tr', { 'data-highest': '' }, el('th', { scope: 'row', text: 'highest in the range' }),
      ...columns.map((c, k) => {
        const seen = c.filter(v => v !== null);
        return el('td', { 'data-series-highest': series[k].label, text: format(seen.length ? Math.max(...seen) : null) });
      }));
    values.replaceChildren(el('caption', { text: title + ': the last ' + ROWS + ' intervals, newest first, and the '
      + 'highest value in the range' }), head,
      ...(rows.length ? rows : [el('tr', {}, el('td', { colspan: String(series.length + 1), text: 'no data yet' }))]),
      highest);
    try {
      if (plot) plot.setData(data); else draw();
    } catch (e) {
      plot = null; // drawn again at the next update; the text alternative above stays right
    }
  }
  return { element: figure, update };
}
