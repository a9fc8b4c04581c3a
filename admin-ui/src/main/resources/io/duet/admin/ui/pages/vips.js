// Floating IPs (VIPs): listed (filterable) with who holds each, added, edited (preferred node, failback), removed
// (confirmed).
import { api } from '../lib/api.js';
import { confirmAction } from '../lib/confirm.js';
import { el, toast } from '../lib/dom.js';
import { errorList, showViolations } from '../lib/errors.js';
import { render } from '../lib/navigation.js';
import { canEdit } from '../lib/session.js';
import { filterBox } from '../lib/table-filter.js';

async function removeVip(v) {
  if (!await confirmAction({ title: 'Remove VIP ' + v.address + '?', confirmLabel: 'Remove ' + v.address,
    body: 'The node holding it releases it; clients of this address are cut off.' })) return;
  try { await api('DELETE', '/vips/' + encodeURIComponent(v.address)); toast('VIP ' + v.address + ' removed'); render(); }
  catch (e) { toast(e.message); }
}

/** The VIP form: a new VIP (v null) or the settings of v (its address stays). */
function vipForm(v, members) {
  const node = el('select', { id: 'vip-node' }, el('option', { value: '', text: '(none)' }),
    ...members.map(m => el('option', { value: m, text: m })));
  const failback = el('select', { id: 'vip-failback' }, ...['immediate', 'delayed', 'never'].map(f => el('option', { value: f, text: f })));
  const delay = el('input', { id: 'vip-delay', type: 'number', min: '0', 'data-path': '$.failbackDelayMs',
    value: v && v.failbackDelayMs != null ? v.failbackDelayMs : '' });
  if (v) { node.value = v.preferredNode || ''; failback.value = v.failback; }
  const form = el('form', { id: v ? 'edit-vip' : 'new-vip' }, el('h2', { text: v ? 'Edit VIP ' + v.address : 'New VIP' }),
    el('label', { for: 'vip-address', text: 'Address' }),
    el('input', { id: 'vip-address', 'data-path': '$.vips', value: v ? v.address : '', readonly: v ? true : null }),
    el('label', { for: 'vip-node', text: 'Preferred node (empty: spread evenly)' }), node,
    el('label', { for: 'vip-failback', text: 'Failback' }), failback,
    el('div', { id: 'vip-delay-field' }, el('label', { for: 'vip-delay', text: 'Failback delay, ms (delayed)' }), delay),
    el('button', { type: 'submit', id: v ? 'vip-save' : 'vip-add', text: v ? 'Save VIP ' + v.address : 'Add VIP' }));
  const showDelay = () => { form.querySelector('#vip-delay-field').hidden = failback.value !== 'delayed'; };
  failback.addEventListener('change', showDelay);
  showDelay();
  form.addEventListener('submit', async ev => {
    ev.preventDefault();
    form.querySelectorAll('.error').forEach(e => e.remove());
    const address = form.querySelector('#vip-address').value.trim();
    const body = { failback: failback.value };
    if (node.value) body.preferredNode = node.value;
    if (failback.value === 'delayed' && delay.value.trim()) body.failbackDelayMs = Number(delay.value);
    try { await api('PUT', '/vips/' + encodeURIComponent(address), body); toast('VIP ' + address + (v ? ' saved' : ' added')); render(); }
    catch (e) { if (e.violations.length) showViolations(form, e.violations); else form.append(errorList(e)); }
  });
  return form;
}

export async function vipsPage() {
  const [{ data: vips }, { data: cluster }] = await Promise.all([api('GET', '/vips'), api('GET', '/status/cluster')]);
  const owners = cluster.vipOwners || {};
  const members = cluster.members || [];
  const slot = el('section', { id: 'vip-edit-slot' });
  const t = el('table', { id: 'vip-table' }, el('tr', {}, ...['address', 'preferred node', 'failback', 'held by', '']
    .map(x => el('th', { text: x }))));
  for (const v of vips) {
    t.append(el('tr', { 'data-vip': v.address }, el('td', { text: v.address }), el('td', { text: v.preferredNode || '(spread)' }),
      el('td', { text: v.failback + (v.failback === 'delayed' ? ' ' + v.failbackDelayMs + ' ms' : '') }),
      el('td', { text: owners[v.address] || (cluster.mode === 'standalone' ? '(standalone)' : 'nobody') }),
      el('td', {}, canEdit() ? [
        el('button', { type: 'button', class: 'small secondary', 'data-edit-vip': v.address, text: 'Edit',
          'aria-label': 'Edit VIP ' + v.address, onclick: () => slot.replaceChildren(vipForm(v, members)) }),
        el('button', { type: 'button', class: 'small secondary', 'data-remove-vip': v.address, text: 'Remove',
          'aria-label': 'Remove VIP ' + v.address, onclick: () => removeVip(v) })] : null)));
  }
  const page = el('div', {}, el('section', {}, el('h2', { text: 'Floating IPs (VIPs)' }),
    el('p', { text: 'Active/active: one VIP per proxy, both in DNS. Active/passive: one VIP with a preferred node.' }),
    filterBox('vip-filter', 'Filter VIPs', () => t.querySelectorAll('tr[data-vip]')), t), slot);
  if (canEdit()) page.append(el('section', {}, vipForm(null, members)));
  return page;
}
