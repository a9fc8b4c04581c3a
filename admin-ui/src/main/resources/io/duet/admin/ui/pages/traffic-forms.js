// The address list and rate limit forms of the traffic page, through the validate -> diff -> apply cycle with a
// change summary; the server's violations show at their fields. The rate limit form also says which routes apply
// the limit (their rateLimits).
import { el } from '../lib/dom.js';
import { editDocument } from '../lib/edit.js';
import { markClean, trackDirty } from '../lib/dirty.js';
import { area, bindPaths, check, checked, choice, field, group, items, lines, number, pruned, showWhen, text } from '../lib/forms.js';
import { go } from '../lib/navigation.js';
import { summaryField, summaryOf } from '../lib/summary.js';

/** A form for doc.addressLists[i] (edit), or a new list when i is undefined. */
export function addressListForm(doc, i) {
  const editing = i !== undefined;
  const l = editing ? doc.addressLists[i] : {};
  const form = el('form', { id: editing ? 'edit-address-list' : 'new-address-list', novalidate: true },
    el('h2', { text: editing ? 'Address list ' + l.name : 'New address list' }),
    field('list-name', 'Name', '@.name', { value: l.name || '' }),
    area('list-addresses', 'Addresses and CIDR blocks, one per line (IPv4 or IPv6)', '@.addresses', (l.addresses || []).join('\n'), 6),
    summaryField('list-summary', 'default: address list … added / edited'),
    el('button', { type: 'submit', id: 'list-check', text: 'Check and preview' }),
    el('a', { href: '#/traffic', class: 'button secondary', text: 'Back to the traffic page' }));
  trackDirty(form);
  form.addEventListener('submit', ev => {
    ev.preventDefault();
    const next = { ...l, name: text(form, 'list-name'), addresses: lines(form, 'list-addresses') };
    const original = l.name;
    const summary = summaryOf(form, editing ? 'address list ' + original + ' edited' : 'address list ' + next.name + ' added');
    editDocument(form, d => {
      d.addressLists = d.addressLists || [];
      const k = place(d.addressLists, editing, original, next, 'address list');
      bindPaths(form, '$.addressLists[' + k + ']');
      return d;
    }, summary, () => { markClean(form); go('#/traffic'); });
  });
  return form;
}

/** A form for doc.rateLimits[i] (edit), or a new limit when i is undefined. */
export function rateLimitForm(doc, i) {
  const editing = i !== undefined;
  const l = editing ? doc.rateLimits[i] : {};
  const routes = [];
  for (const v of doc.virtualHosts || []) for (const r of v.routes || []) routes.push({ vhost: v.name, route: r.name, r });
  const form = el('form', { id: editing ? 'edit-rate-limit' : 'new-rate-limit', novalidate: true },
    el('h2', { text: editing ? 'Rate limit ' + l.name : 'New rate limit' }),
    field('limit-name', 'Name', '@.name', { value: l.name || '' }),
    field('limit-key', 'Key parts (default client; also route, header:NAME, cookie:NAME, query:NAME; commas or spaces between them)',
      '@.key', { value: (l.key || []).join(', ') }),
    field('limit-requests', 'Requests allowed per period', '@.requests', { value: l.requests ?? '', inputmode: 'numeric' }),
    choice('limit-per', 'Period', '@.per', [['second', 'a second'], ['minute', 'a minute'], ['hour', 'an hour'],
      ['', 'a window in milliseconds']], l.windowMs !== undefined && !l.per ? '' : (l.per || 'second')),
    el('div', { 'data-when': 'limit-per:' },
      field('limit-window', 'Window, milliseconds', '@.windowMs', { value: l.windowMs ?? '', inputmode: 'numeric' })),
    field('limit-burst', 'Burst (requests a quiet key may send at once; default: the requests per period)', '@.burst',
      { value: l.burst ?? '', inputmode: 'numeric' }),
    choice('limit-action', 'Over the rate', '@.action', [['reject', 'reject with the status'], ['delay', 'delay until its turn']],
      l.action || 'reject'),
    el('div', { 'data-when': 'limit-action:delay' },
      field('limit-max-delay', 'Longest delay, milliseconds (default 1000)', '@.maxDelayMs', { value: l.maxDelayMs ?? '', inputmode: 'numeric' })),
    field('limit-status', 'Status of a rejection (default 429)', '@.status', { value: l.status ?? '', inputmode: 'numeric' }),
    check('limit-headers', 'Send RateLimit-Policy and RateLimit headers', '@.headers', l.headers),
    choice('limit-missing-key', 'A request without the key\'s header, cookie or query parameter', '@.missingKey',
      [['skip', 'is not counted (skip)'], ['shared', 'shares one bucket (shared)']], l.missingKey || 'skip'),
    field('limit-max-keys', 'Keys kept by each node (default 100000)', '@.maxKeys', { value: l.maxKeys ?? '', inputmode: 'numeric' }),
    field('limit-concurrent', 'Requests of one key in flight at once (empty: no limit)', '@.concurrent', { value: l.concurrent ?? '', inputmode: 'numeric' }),
    routes.length ? group('limit-routes', 'Routes that apply this limit (after routing)',
      ...routes.map((x, k) => check('limit-route-' + k, 'Apply ' + (l.name || 'this limit') + ' to route ' + x.vhost + '/' + x.route,
        null, editing && (x.r.rateLimits || []).includes(l.name)))) : null,
    summaryField('limit-summary', 'default: rate limit … added / edited'),
    el('button', { type: 'submit', id: 'limit-check', text: 'Check and preview' }),
    el('a', { href: '#/traffic', class: 'button secondary', text: 'Back to the traffic page' }));
  showWhen(form);
  trackDirty(form);
  form.addEventListener('submit', ev => {
    ev.preventDefault();
    const next = rateLimitOf(form, l);
    const original = l.name;
    const chosen = routes.map((x, k) => ({ ...x, on: checked(form, 'limit-route-' + k) }));
    const summary = summaryOf(form, editing ? 'rate limit ' + original + ' edited' : 'rate limit ' + next.name + ' added');
    editDocument(form, d => {
      d.rateLimits = d.rateLimits || [];
      const k = place(d.rateLimits, editing, original, next, 'rate limit');
      bindPaths(form, '$.rateLimits[' + k + ']');
      for (const ls of d.listeners || []) if (editing && ls.rateLimits) ls.rateLimits = ls.rateLimits.map(n => n === original ? next.name : n);
      for (const c of chosen) applyToRoute(d, c, editing ? original : undefined, next.name);
      return d;
    }, summary, () => { markClean(form); go('#/traffic'); });
  });
  return form;
}

/** Puts next in list (replacing the item named original when editing); its index. */
function place(list, editing, original, next, what) {
  if (!editing) {
    list.push(next);
    return list.length - 1;
  }
  const k = list.findIndex(x => x.name === original);
  if (k < 0) throw new Error(what + ' ' + original + ' is gone (changed elsewhere): reload the page');
  list[k] = next;
  return k;
}

/** Names (or stops naming) the limit in the chosen route's rateLimits; a renamed limit keeps its place. */
function applyToRoute(d, c, original, name) {
  const r = (d.virtualHosts || []).find(v => v.name === c.vhost)?.routes?.find(x => x.name === c.route);
  if (!r) return;
  let names = (r.rateLimits || []).filter(n => n !== original || c.on).map(n => n === original ? name : n);
  if (c.on && !names.includes(name)) names.push(name);
  if (!c.on) names = names.filter(n => n !== name);
  if (names.length) r.rateLimits = names; else delete r.rateLimits;
}

/** The rate limit the form describes (settings it does not show are kept). */
function rateLimitOf(form, old) {
  const per = text(form, 'limit-per');
  const delay = text(form, 'limit-action') === 'delay';
  const next = {
    ...old,
    name: text(form, 'limit-name'),
    key: items(form, 'limit-key'),
    requests: number(form, 'limit-requests'),
    per: per && text(form, 'limit-requests') !== '' ? per : undefined,
    windowMs: per ? undefined : number(form, 'limit-window'),
    burst: number(form, 'limit-burst'),
    action: delay ? 'delay' : undefined,
    maxDelayMs: delay ? number(form, 'limit-max-delay') : undefined,
    status: number(form, 'limit-status'),
    headers: checked(form, 'limit-headers') || undefined,
    missingKey: text(form, 'limit-missing-key') === 'shared' ? 'shared' : undefined,
    maxKeys: number(form, 'limit-max-keys'),
    concurrent: number(form, 'limit-concurrent'),
  };
  return pruned(next);
}
