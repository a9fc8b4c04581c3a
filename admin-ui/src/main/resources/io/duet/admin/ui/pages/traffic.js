// Traffic: the document's address lists (named sets of addresses and CIDR blocks the access rules name) and rate
// limits with this node's live counts from GET /rate-limits; add, edit, delete (#/traffic?list-new, ?list-edit=name,
// ?limit-new, ?limit-edit=name) and, for operators, the keys a limit refused lately (#/traffic?top=name).
import { api } from '../lib/api.js';
import { applyChange } from '../lib/apply.js';
import { confirmWithSummary } from '../lib/confirm.js';
import { el, toast } from '../lib/dom.js';
import { errorList } from '../lib/errors.js';
import { filterBox, matchesFilter } from '../lib/filter.js';
import { render } from '../lib/navigation.js';
import { canEdit, canOperate } from '../lib/session.js';
import { addressListForm, rateLimitForm } from './traffic-forms.js';
import { topKeysView } from './traffic-top.js';

export async function trafficPage() {
  const { data: doc } = await api('GET', '/config');
  doc.addressLists = doc.addressLists || [];
  doc.rateLimits = doc.rateLimits || [];
  const q = new URLSearchParams(location.hash.split('?')[1] || '');
  if (canEdit() && q.has('list-new')) return el('section', {}, addressListForm(doc));
  if (canEdit() && q.has('limit-new')) return el('section', {}, rateLimitForm(doc));
  const li = doc.addressLists.findIndex(l => l.name === q.get('list-edit'));
  if (canEdit() && li >= 0) return el('section', {}, addressListForm(doc, li));
  const ri = doc.rateLimits.findIndex(l => l.name === q.get('limit-edit'));
  if (canEdit() && ri >= 0) return el('section', {}, rateLimitForm(doc, ri));
  if (canOperate() && q.has('top')) return topKeysView(q.get('top'));
  let live = [];
  try { live = (await api('GET', '/rate-limits')).data.rateLimits || []; } catch (e) { /* counts stay empty */ }
  const problems = el('div', { id: 'traffic-problems' });
  return el('section', { id: 'traffic' }, el('h2', { text: 'Traffic' }), problems,
    addressLists(doc, problems), rateLimits(doc, live, problems));
}

function addressLists(doc, problems) {
  const table = el('table', { id: 'address-lists-table' },
    el('tr', {}, ...['address list', 'addresses', ''].map(x => el('th', { text: x }))));
  for (const l of doc.addressLists) {
    const actions = el('td', { class: 'actions' });
    if (canEdit()) {
      actions.append(
        el('a', { href: '#/traffic?list-edit=' + encodeURIComponent(l.name), class: 'button small secondary',
          'data-edit-list': l.name, text: 'Edit address list ' + l.name }),
        el('button', { type: 'button', class: 'small danger', 'data-delete-list': l.name,
          text: 'Delete address list ' + l.name, onclick: () => removeList(problems, l) }));
    }
    const addresses = (l.addresses || []).join(', ');
    table.append(el('tr', { 'data-list': l.name, 'data-filter': l.name + ' ' + addresses },
      el('td', { text: l.name }), el('td', { text: addresses }), actions));
  }
  const filter = filterBox('address-lists-filter', 'Filter address lists (name, address)', query => {
    for (const row of table.querySelectorAll('tr[data-list]')) row.hidden = !matchesFilter(query, row.dataset.filter);
  });
  return el('section', { id: 'address-lists', 'aria-labelledby': 'address-lists-title' },
    el('h3', { id: 'address-lists-title', text: 'Address lists' }),
    el('p', { class: 'hint', text: 'Named sets of addresses and CIDR blocks that the access rules of listeners and routes allow or deny.' }),
    filter,
    canEdit() ? el('a', { href: '#/traffic?list-new', id: 'list-new', class: 'button', text: 'New address list' }) : null,
    doc.addressLists.length ? table : el('p', { text: 'No address list.' }));
}

function rateLimits(doc, live, problems) {
  const byName = new Map(live.map(s => [s.name, s]));
  const table = el('table', { id: 'rate-limits-table' },
    el('tr', {}, ...['rate limit', 'settings', 'used by', 'allowed', 'limited', 'delayed', 'live keys', 'share', '']
      .map(x => el('th', { text: x }))));
  for (const l of doc.rateLimits) {
    const s = byName.get(l.name) || {};
    const actions = el('td', { class: 'actions' });
    if (canOperate()) {
      actions.append(el('a', { href: '#/traffic?top=' + encodeURIComponent(l.name), class: 'button small secondary',
        'data-top-limit': l.name, text: 'Top keys of ' + l.name }));
    }
    if (canEdit()) {
      actions.append(
        el('a', { href: '#/traffic?limit-edit=' + encodeURIComponent(l.name), class: 'button small secondary',
          'data-edit-limit': l.name, text: 'Edit rate limit ' + l.name }),
        el('button', { type: 'button', class: 'small danger', 'data-delete-limit': l.name,
          text: 'Delete rate limit ' + l.name, onclick: () => removeLimit(problems, l) }));
    }
    const users = usersOf(doc, l.name);
    table.append(el('tr', { 'data-limit': l.name, 'data-filter': l.name + ' ' + settingsText(l) + ' ' + users.join(' ') },
      el('td', { text: l.name }), el('td', { text: settingsText(l) }), el('td', { text: users.join(', ') || 'nobody' }),
      el('td', { 'data-count': 'allowed', text: count(s.allowed) }), el('td', { 'data-count': 'limited', text: count(s.limited) }),
      el('td', { 'data-count': 'delayed', text: count(s.delayed) }), el('td', { 'data-count': 'keys', text: count(s.keys) }),
      el('td', { text: s.share === undefined ? '—' : Math.round(s.share * 100) + ' %' }), actions));
  }
  const filter = filterBox('rate-limits-filter', 'Filter rate limits (name, settings, routes)', query => {
    for (const row of table.querySelectorAll('tr[data-limit]')) row.hidden = !matchesFilter(query, row.dataset.filter);
  });
  return el('section', { id: 'rate-limits', 'aria-labelledby': 'rate-limits-title' },
    el('h3', { id: 'rate-limits-title', text: 'Rate limits' }),
    el('p', { class: 'hint', text: 'Counts are this node\'s since it started; share is this node\'s part of a limit shared by the pair.' }),
    filter,
    canEdit() ? el('a', { href: '#/traffic?limit-new', id: 'limit-new', class: 'button', text: 'New rate limit' }) : null,
    doc.rateLimits.length ? table : el('p', { text: 'No rate limit.' }));
}

const count = v => v === undefined || v === null ? '—' : String(v);

/** A limit's settings in words, e.g. "20 a second, burst 40, key client, reject 429". */
export function settingsText(l) {
  const parts = [];
  if (l.requests !== undefined) parts.push(l.requests + (l.per ? ' a ' + l.per : ' per ' + l.windowMs + ' ms'));
  if (l.burst !== undefined) parts.push('burst ' + l.burst);
  if (l.concurrent !== undefined) parts.push('at most ' + l.concurrent + ' at once');
  parts.push('key ' + (l.key || ['client']).join(' + '));
  parts.push(l.action === 'delay' ? 'delay up to ' + (l.maxDelayMs ?? 1000) + ' ms' : 'reject ' + (l.status ?? 429));
  if (l.headers) parts.push('RateLimit headers');
  if (l.missingKey === 'shared') parts.push('no key: shared');
  if (l.maxKeys !== undefined) parts.push('max ' + l.maxKeys + ' keys');
  return parts.join(', ');
}

/** Who names the limit: "listener web", "route site/api". */
export function usersOf(doc, name) {
  const out = [];
  for (const l of doc.listeners || []) if ((l.rateLimits || []).includes(name)) out.push('listener ' + l.name);
  for (const v of doc.virtualHosts || []) {
    for (const r of v.routes || []) if ((r.rateLimits || []).includes(name)) out.push('route ' + v.name + '/' + r.name);
  }
  return out;
}

async function removeList(problems, l) {
  problems.replaceChildren();
  const summary = await confirmWithSummary({ title: 'Delete address list ' + l.name + '?',
    message: 'The list of ' + (l.addresses || []).length + ' addresses is taken out of the document; an access rule that names it is refused.',
    confirmLabel: 'Delete address list ' + l.name, summary: 'address list ' + l.name + ' deleted' });
  if (summary === null) return;
  await apply(problems, d => { d.addressLists = (d.addressLists || []).filter(x => x.name !== l.name); return d; }, summary);
}

async function removeLimit(problems, l) {
  problems.replaceChildren();
  const summary = await confirmWithSummary({ title: 'Delete rate limit ' + l.name + '?',
    message: 'The limit and its keys are forgotten; a listener or route that still names it is refused.',
    confirmLabel: 'Delete rate limit ' + l.name, summary: 'rate limit ' + l.name + ' deleted' });
  if (summary === null) return;
  await apply(problems, d => { d.rateLimits = (d.rateLimits || []).filter(x => x.name !== l.name); return d; }, summary);
}

async function apply(problems, change, summary) {
  try {
    toast('Applied as revision ' + await applyChange(change, summary));
    render();
  } catch (e) {
    problems.append(errorList(e));
  }
}
