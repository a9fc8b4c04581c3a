// Moving routes of one virtual host up and down (routes are tried in order, first match wins): the buttons move
// rows in the table; the order form under it then shows the new order, asks the change summary and applies it
// through the validate -> diff -> apply cycle.
import { el } from '../lib/dom.js';
import { editDocument } from '../lib/edit.js';
import { markClean, markDirty } from '../lib/dirty.js';
import { render } from '../lib/navigation.js';
import { summaryField, summaryOf } from '../lib/summary.js';

/** The order form of vh's routes shown in table; move(name, -1 or 1) moves a route's row. */
export function routeOrderForm(vh, table) {
  const names = (vh.routes || []).map(r => r.name);
  const shown = el('p', { class: 'order' });
  const form = el('form', { class: 'route-order', 'data-order-form': vh.name, hidden: true },
    el('h4', { text: 'New order of ' + vh.name }), shown,
    summaryField('order-summary-' + vh.name.replace(/[^A-Za-z0-9_-]/g, '_'), 'default: routes of ' + vh.name + ' reordered'),
    el('button', { type: 'submit', 'data-order-check': vh.name, text: 'Check and preview the order of ' + vh.name }),
    el('button', { type: 'button', class: 'secondary', text: 'Undo the moves in ' + vh.name,
      onclick: () => { markClean(form); render(); } }));
  form.addEventListener('submit', ev => {
    ev.preventDefault();
    const wanted = [...names];
    editDocument(form, d => {
      const v = d.virtualHosts.find(x => x.name === vh.name);
      if (!v) throw new Error('virtual host ' + vh.name + ' is gone (changed elsewhere): reload the page');
      const byName = new Map(v.routes.map(r => [r.name, r]));
      if (byName.size !== wanted.length || wanted.some(n => !byName.has(n))) {
        throw new Error('the routes of ' + vh.name + ' changed elsewhere: reload the page');
      }
      v.routes = wanted.map(n => byName.get(n));
      return d;
    }, summaryOf(form, 'routes of ' + vh.name + ' reordered: ' + wanted.join(', ')), () => { markClean(form); render(); });
  });
  const move = (name, by) => {
    const i = names.indexOf(name);
    const j = i + by;
    if (i < 0 || j < 0 || j >= names.length) return;
    [names[i], names[j]] = [names[j], names[i]];
    const rows = [...table.querySelectorAll('tr[data-route]')];
    const a = rows[Math.min(i, j)];
    const b = rows[Math.max(i, j)];
    b.after(a); // swaps neighbours
    table.querySelectorAll('tr[data-route] td.position').forEach((td, k) => { td.textContent = String(k + 1); });
    form.querySelectorAll('.diff, .confirm, .error').forEach(e => e.remove()); // a preview of another order is stale
    shown.textContent = names.map((n, k) => (k + 1) + '. ' + n).join('   ');
    form.hidden = false;
    markDirty(form);
  };
  return { form, move };
}
