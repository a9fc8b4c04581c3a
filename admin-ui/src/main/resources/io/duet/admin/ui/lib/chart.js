// A line chart of the last values on a canvas (the dashboard's traffic); data-points says how many it drew. Colours
// come from the theme's custom properties (style.css), so the chart follows the light and the dark theme. Its text
// alternative: the canvas is an image named by a summary (latest, lowest, highest), and a visually hidden table
// beside it (id: the canvas's id + '-values') lists the last values with their times.
import { el } from './dom.js';

const TABLE_ROWS = 10; // the hidden table's last values

/** A colour: the value of a custom property when given one ('--accent'), else the colour itself. */
function colour(c) {
  return c.startsWith('--') ? getComputedStyle(document.documentElement).getPropertyValue(c).trim() : c;
}

const number = v => v.toFixed(v < 10 ? 1 : 0);

/** Names the chart and fills its hidden table of values (times: epoch ms, one per value, when given). */
function describe(c, values, label, times) {
  const summary = values.length
    ? label + ' over the last ' + (values.length * 2) + ' s: now ' + number(values[values.length - 1]) + ', lowest '
      + number(Math.min(...values)) + ', highest ' + number(Math.max(...values))
    : label + ': no values yet';
  c.setAttribute('role', 'img');
  c.setAttribute('aria-label', summary);
  const id = c.id + '-values';
  let table = document.getElementById(id);
  if (!table) {
    table = el('table', { id, class: 'visually-hidden', 'aria-label': label + ', last values' });
    c.after(table);
  }
  const first = Math.max(0, values.length - TABLE_ROWS);
  table.replaceChildren(el('tr', {}, el('th', { text: 'time' }), el('th', { text: label })),
    ...values.slice(first).map((v, k) => el('tr', {},
      el('td', { text: times && times[first + k] ? new Date(times[first + k]).toLocaleTimeString() : String(first + k + 1) }),
      el('td', { text: number(v) }))));
}

export function chart(id, values, color, label, times) {
  const c = document.getElementById(id);
  if (!c) return;
  c.dataset.points = String(values.length);
  describe(c, values, label, times);
  const g = c.getContext('2d');
  const w = c.width, h = c.height, top = 22, bottom = h - 18;
  g.clearRect(0, 0, w, h);
  const max = Math.max(1, ...values) * 1.15;
  g.strokeStyle = colour('--line'); g.lineWidth = 1;
  for (let k = 0; k <= 4; k++) {
    const y = bottom - (k / 4) * (bottom - top);
    g.beginPath(); g.moveTo(40, y); g.lineTo(w - 5, y); g.stroke();
    g.fillStyle = colour('--muted'); g.font = '11px sans-serif';
    g.fillText((max * k / 4).toFixed(max < 10 ? 1 : 0), 2, y + 4);
  }
  const n = Math.max(values.length - 1, 1);
  g.strokeStyle = colour(color); g.lineWidth = 2; g.beginPath();
  values.forEach((v, i) => {
    const x = 40 + (i / n) * (w - 45), y = bottom - (v / max) * (bottom - top);
    i ? g.lineTo(x, y) : g.moveTo(x, y);
  });
  g.stroke();
  g.fillStyle = colour('--fg'); g.font = '12px sans-serif';
  g.fillText(label + ', last ' + (values.length * 2) + ' s', 44, 14);
}
