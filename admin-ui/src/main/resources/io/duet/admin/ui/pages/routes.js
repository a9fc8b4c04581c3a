// Virtual hosts and their routes: the list (filtered by a search box, each route's match and action in words, edit,
// move up and down, delete), the new-route form, and the views of one host or route (#/routes?host=h&route=r,
// #/routes?host=h, #/routes?newhost).
import { api } from '../lib/api.js';
import { applyChange } from '../lib/apply.js';
import { confirmWithSummary } from '../lib/confirm.js';
import { el, toast } from '../lib/dom.js';
import { errorList } from '../lib/errors.js';
import { filterBox, matchesFilter } from '../lib/filter.js';
import { render } from '../lib/navigation.js';
import { canEdit } from '../lib/session.js';
import { routeOrderForm } from './route-order.js';
import { routeForm } from './route-form.js';
import { actionText, matchText } from './route-text.js';
import { vhostForm } from './vhost-form.js';
import { errorPagesForm } from './error-pages-form.js';
import { inMaintenance, maintenanceButton } from './maintenance-switch.js';

export async function routesPage() {
  const { data: doc } = await api('GET', '/config');
  doc.pools = doc.pools || [];
  doc.virtualHosts = doc.virtualHosts || [];
  const q = new URLSearchParams(location.hash.split('?')[1] || '');
  const h = doc.virtualHosts.findIndex(v => v.name === q.get('host'));
  if (canEdit() && q.has('newhost')) return el('section', {}, vhostForm(doc));
  if (canEdit() && h >= 0 && q.has('route')) {
    const r = (doc.virtualHosts[h].routes || []).findIndex(x => x.name === q.get('route'));
    if (r >= 0) return el('section', {}, routeForm(doc, h, r));
  }
  if (canEdit() && h >= 0 && q.has('errorpages')) return el('section', {}, errorPagesForm(doc, h));
  if (canEdit() && h >= 0 && !q.has('route')) return el('section', {}, vhostForm(doc, h));
  let warnings = [];
  try {
    warnings = (await api('POST', '/config/validate', doc)).data.violations.filter(v => v.severity === 'WARNING');
  } catch (e) { /* the list without its warnings */ }
  return listPage(doc, warnings);
}

function listPage(doc, warnings) {
  const problems = el('div', { id: 'routes-problems' });
  const hosts = doc.virtualHosts.map((vh, i) => hostSection(doc, vh, problems, warnings, '$.virtualHosts[' + i + ']'));
  const filter = filterBox('routes-filter', 'Filter hosts and routes (name, host name, path)', query => {
    for (const s of hosts) {
      const hostHit = matchesFilter(query, s.dataset.filter);
      let any = false;
      for (const row of s.querySelectorAll('tr[data-route]')) {
        row.hidden = !hostHit && !matchesFilter(query, row.dataset.filter);
        any = any || !row.hidden;
      }
      s.hidden = !hostHit && !any;
    }
  });
  const list = el('section', { id: 'routes' }, el('h2', { text: 'Virtual hosts and routes' }), filter, problems,
    canEdit() ? el('a', { href: '#/routes?newhost', id: 'vhost-new', class: 'button', text: 'New virtual host' }) : null,
    ...hosts);
  if (!doc.virtualHosts.length) list.append(el('p', { text: 'No virtual host yet: every request gets 404.' }));
  const page = el('div', {}, list);
  if (canEdit() && doc.virtualHosts.length) page.append(el('section', {}, routeForm(doc)));
  return page;
}

/** The validator's warnings about path or below it, each as a line; for a host (hostLevel) not those of its routes. */
function warningsAt(warnings, path, hostLevel) {
  return warnings.filter(w => (w.path === path || w.path.startsWith(path + '.'))
    && !(hostLevel && w.path.startsWith(path + '.routes[')))
    .map(w => el('div', { class: 'warn', 'data-warning': w.id, text: '⚠ ' + w.id + ' ' + w.message }));
}

function hostSection(doc, vh, problems, warnings, path) {
  const routes = vh.routes || [];
  const title = vh.name + ' — ' + ((vh.hostnames || []).join(', ') || 'no host name')
    + (vh.defaultHost ? ' (default)' : '') + (vh.httpsRedirect?.enabled ? ' · redirects HTTP to HTTPS' : '');
  const section = el('div', { class: 'vhost', 'data-vhost': vh.name, 'data-filter': [vh.name, ...(vh.hostnames || [])].join(' ') },
    el('h3', { text: title }), warningsAt(warnings, path, true));
  if (inMaintenance(vh)) section.append(el('p', { class: 'warn', 'data-maintenance-on': vh.name, text: 'In maintenance: every request gets 503.' }));
  if (canEdit()) {
    section.append(el('div', {},
      el('a', { href: '#/routes?host=' + encodeURIComponent(vh.name), class: 'button small secondary',
        'data-edit-vhost': vh.name, text: 'Edit host ' + vh.name }),
      el('button', { type: 'button', class: 'small danger', 'data-delete-vhost': vh.name, text: 'Delete host ' + vh.name,
        onclick: () => remove(problems, 'Delete virtual host ' + vh.name + '?',
          'Its ' + routes.length + ' route(s) go with it; requests for its host names get 404 (or the default host).',
          'Delete host ' + vh.name, 'virtual host ' + vh.name + ' deleted',
          d => { d.virtualHosts = d.virtualHosts.filter(v => v.name !== vh.name); return d; }) })));
    section.lastChild.append(
      el('a', { href: '#/routes?host=' + encodeURIComponent(vh.name) + '&errorpages', class: 'button small secondary',
        'data-error-pages': vh.name, text: 'Error pages of host ' + vh.name }),
      maintenanceButton(problems, vh, vh.name));
  }
  const table = el('table', { class: 'routes' }, el('tr', {}, ...['#', 'route', 'match', 'action', ''].map(x => el('th', { text: x }))));
  const order = canEdit() ? routeOrderForm(vh, table) : null;
  routes.forEach((r, i) => {
    const actions = el('td', { class: 'actions' });
    if (canEdit()) {
      actions.append(
        el('a', { href: '#/routes?host=' + encodeURIComponent(vh.name) + '&route=' + encodeURIComponent(r.name),
          class: 'button small secondary', 'data-edit-route': vh.name + '/' + r.name, text: 'Edit route ' + r.name }),
        el('button', { type: 'button', class: 'small secondary', 'data-move-up': vh.name + '/' + r.name,
          'aria-label': 'Move route ' + r.name + ' up', text: '↑', onclick: () => order.move(r.name, -1) }),
        el('button', { type: 'button', class: 'small secondary', 'data-move-down': vh.name + '/' + r.name,
          'aria-label': 'Move route ' + r.name + ' down', text: '↓', onclick: () => order.move(r.name, 1) }),
        el('button', { type: 'button', class: 'small danger', 'data-delete-route': vh.name + '/' + r.name,
          text: 'Delete route ' + r.name,
          onclick: () => remove(problems, 'Delete route ' + r.name + ' of ' + vh.name + '?',
            'Requests it matches go to the next route that matches them (or get 404).',
            'Delete route ' + r.name, 'route ' + r.name + ' of ' + vh.name + ' deleted',
            d => { const v = d.virtualHosts.find(x => x.name === vh.name); v.routes = v.routes.filter(x => x.name !== r.name); return d; }) }),
        maintenanceButton(problems, r, vh.name, r.name));
    }
    const match = matchText(r.match);
    table.append(el('tr', { 'data-route': vh.name + '/' + r.name, 'data-filter': r.name + ' ' + match },
      el('td', { class: 'position', text: String(i + 1) }),
      el('td', {}, r.name, warningsAt(warnings, path + '.routes[' + i + ']', false)),
      el('td', { class: 'match', text: match }),
      el('td', { class: 'action', text: (inMaintenance(r) ? 'in maintenance (503) · ' : '') + actionText(r) }), actions));
  });
  section.append(routes.length ? table : el('p', { text: 'No route: its requests get 404.' }));
  if (order) section.append(order.form);
  return section;
}

/** Deletes after the confirmation (which asks the change summary); errors are shown in problems. */
async function remove(problems, title, message, confirmLabel, summary, change) {
  problems.replaceChildren();
  const typed = await confirmWithSummary({ title, message, confirmLabel, summary });
  if (typed === null) return;
  try {
    const revision = await applyChange(change, typed);
    toast('Applied as revision ' + revision);
    render();
  } catch (e) {
    problems.append(errorList(e));
  }
}
