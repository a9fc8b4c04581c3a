// The virtual host form: name, host names, the default flag and the HTTPS redirect, new or edited (its routes are
// kept), through the validate -> diff -> apply cycle with a change summary.
import { el } from '../lib/dom.js';
import { editDocument } from '../lib/edit.js';
import { markClean, trackDirty } from '../lib/dirty.js';
import { bindPaths, check, checked, choice, field, items, number, pruned, showWhen, text } from '../lib/forms.js';
import { go } from '../lib/navigation.js';
import { REDIRECT_STATUSES } from '../lib/routing-lists.js';
import { summaryField, summaryOf } from '../lib/summary.js';

/** A form for doc.virtualHosts[h] (edit), or a new virtual host when h is undefined. */
export function vhostForm(doc, h) {
  const editing = h !== undefined;
  const vh = editing ? doc.virtualHosts[h] : { hostnames: [] };
  const redirect = vh.httpsRedirect || {};
  const form = el('form', { id: editing ? 'edit-vhost' : 'new-vhost', novalidate: true },
    el('h2', { text: editing ? 'Virtual host ' + vh.name : 'New virtual host' }),
    field('vhost-name', 'Name', '@.name', { value: vh.name || '' }),
    field('vhost-hostnames', 'Host names (exact or *.example.com; commas or spaces between them)', '@.hostnames',
      { value: (vh.hostnames || []).join(', ') }),
    check('vhost-default', 'Default host (serves requests for host names no other host claims)', '@.defaultHost', vh.defaultHost),
    check('vhost-redirect', 'Redirect plain HTTP requests to HTTPS', '@.httpsRedirect.enabled', redirect.enabled),
    el('div', { 'data-when': 'vhost-redirect' },
      field('vhost-redirect-port', 'HTTPS port in the Location (default 443)', '@.httpsRedirect.port', { value: redirect.port ?? '', inputmode: 'numeric' }),
      choice('vhost-redirect-status', 'Redirect status', '@.httpsRedirect.status', REDIRECT_STATUSES, redirect.status ?? 301)),
    summaryField('vhost-summary', 'default: virtual host … added / edited'),
    el('button', { type: 'submit', id: 'vhost-check', text: 'Check and preview' }),
    el('a', { href: '#/routes', class: 'button secondary', text: 'Back to the routes' }));
  showWhen(form);
  trackDirty(form);
  form.addEventListener('submit', ev => {
    ev.preventDefault();
    const next = pruned({
      ...vh,
      name: text(form, 'vhost-name'),
      hostnames: items(form, 'vhost-hostnames'),
      defaultHost: checked(form, 'vhost-default'),
      httpsRedirect: checked(form, 'vhost-redirect')
        ? { enabled: true, port: number(form, 'vhost-redirect-port'), status: number(form, 'vhost-redirect-status') } : undefined,
    });
    const original = vh.name;
    const summary = summaryOf(form, editing ? 'virtual host ' + original + ' edited' : 'virtual host ' + next.name + ' added');
    editDocument(form, d => {
      d.virtualHosts = d.virtualHosts || [];
      let i = d.virtualHosts.length;
      if (editing) {
        i = d.virtualHosts.findIndex(v => v.name === original);
        if (i < 0) throw new Error('virtual host ' + original + ' is gone (changed elsewhere): reload the page');
        d.virtualHosts[i] = { ...next, routes: d.virtualHosts[i].routes };
      } else {
        d.virtualHosts.push(next);
      }
      bindPaths(form, '$.virtualHosts[' + i + ']');
      return d;
    }, summary, () => { markClean(form); go('#/routes'); });
  });
  return form;
}
