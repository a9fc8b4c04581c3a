// Floating IPs (VIPs): listed with who holds each, added, removed.
import { api } from '../lib/api.js';
import { el, toast } from '../lib/dom.js';
import { errorList, showViolations } from '../lib/errors.js';
import { render } from '../lib/navigation.js';
import { canEdit } from '../lib/session.js';

export async function vipsPage() {
  const [{ data: vips }, { data: cluster }] = await Promise.all([api('GET', '/vips'), api('GET', '/status/cluster')]);
  const owners = cluster.vipOwners || {};
  const t = el('table', { id: 'vip-table' }, el('tr', {}, ...['address', 'preferred node', 'failback', 'held by', '']
    .map(x => el('th', { text: x }))));
  for (const v of vips) {
    t.append(el('tr', { 'data-vip': v.address }, el('td', { text: v.address }), el('td', { text: v.preferredNode || '(spread)' }),
      el('td', { text: v.failback + (v.failback === 'delayed' ? ' ' + v.failbackDelayMs + ' ms' : '') }),
      el('td', { text: owners[v.address] || (cluster.mode === 'standalone' ? '(standalone)' : 'nobody') }),
      el('td', {}, canEdit() ? el('button', { type: 'button', class: 'small secondary', text: 'Remove', onclick: async () => {
        try { await api('DELETE', '/vips/' + encodeURIComponent(v.address)); render(); } catch (e) { toast(e.message); } } }) : null)));
  }
  const page = el('div', {}, el('section', {}, el('h2', { text: 'Floating IPs (VIPs)' }),
    el('p', { text: 'Active/active: one VIP per proxy, both in DNS. Active/passive: one VIP with a preferred node.' }), t));
  if (canEdit()) {
    const form = el('form', { id: 'new-vip' }, el('h2', { text: 'New VIP' }),
      el('label', { for: 'vip-address', text: 'Address' }), el('input', { id: 'vip-address', 'data-path': '$.vips' }),
      el('label', { for: 'vip-node', text: 'Preferred node (empty: spread evenly)' }),
      el('select', { id: 'vip-node' }, el('option', { value: '', text: '(none)' }),
        ...(cluster.members || []).map(m => el('option', { value: m, text: m }))),
      el('label', { for: 'vip-failback', text: 'Failback' }),
      el('select', { id: 'vip-failback' }, ...['immediate', 'delayed', 'never'].map(f => el('option', { value: f, text: f }))),
      el('button', { type: 'submit', id: 'vip-add', text: 'Add VIP' }));
    form.addEventListener('submit', async ev => {
      ev.preventDefault();
      form.querySelectorAll('.error').forEach(e => e.remove());
      const address = form.querySelector('#vip-address').value.trim();
      const body = { failback: form.querySelector('#vip-failback').value };
      const node = form.querySelector('#vip-node').value;
      if (node) body.preferredNode = node;
      try { await api('PUT', '/vips/' + encodeURIComponent(address), body); toast('VIP ' + address + ' added'); render(); }
      catch (e) { if (e.violations.length) showViolations(form, e.violations); else form.append(errorList(e)); }
    });
    page.append(el('section', {}, form));
  }
  return page;
}
