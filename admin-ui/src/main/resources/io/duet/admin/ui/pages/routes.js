// Virtual hosts and their routes, and the new-route form.
import { api } from '../lib/api.js';
import { el } from '../lib/dom.js';
import { editDocument } from '../lib/edit.js';
import { go } from '../lib/navigation.js';
import { canEdit } from '../lib/session.js';

export async function routesPage() {
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
