// The listener form: every field of config's Listener (address, port, protocol, PROXY protocol) and, for https, its
// TLS settings (certificates, profile, HTTP/2, engine, HSTS, client certificates), through the validate -> diff ->
// apply cycle with a change summary.
import { el } from '../lib/dom.js';
import { editDocument } from '../lib/edit.js';
import { markClean, trackDirty } from '../lib/dirty.js';
import { area, bindPaths, check, checked, choice, field, group, items, number, pruned, showWhen, text } from '../lib/forms.js';
import { go } from '../lib/navigation.js';
import { CLIENT_AUTH_MODES, TLS_ENGINES, TLS_PROFILES, pairs } from '../lib/routing-lists.js';
import { summaryField, summaryOf } from '../lib/summary.js';

/** A form for doc.listeners[i] (edit), or a new listener when i is undefined. */
export function listenerForm(doc, i) {
  const editing = i !== undefined;
  const l = editing ? doc.listeners[i] : { address: '0.0.0.0', protocol: 'http' };
  const tls = l.tls || {};
  const hsts = tls.hsts || {};
  const auth = tls.clientAuth || {};
  const certs = (doc.certificates || []).map(c => c.name);
  const form = el('form', { id: editing ? 'edit-listener' : 'new-listener', novalidate: true },
    el('h2', { text: editing ? 'Listener ' + l.name : 'New listener' }),
    field('listener-name', 'Name', '@.name', { value: l.name || '' }),
    field('listener-address', 'Bind address (0.0.0.0: every IPv4 address)', '@.address', { value: l.address || '' }),
    field('listener-port', 'Port', '@.port', { value: l.port ?? '', inputmode: 'numeric' }),
    choice('listener-protocol', 'Protocol', '@.protocol', ['http', 'https'], l.protocol || 'http'),
    check('listener-proxy', 'Accept the PROXY protocol (v1, v2) from trusted peers', '@.proxyProtocol.enabled', l.proxyProtocol?.enabled),
    el('div', { 'data-when': 'listener-proxy' },
      field('listener-proxy-trusted', 'Trusted peers (addresses or CIDR blocks, commas or spaces between them)',
        '@.proxyProtocol.trustedAddresses', { value: (l.proxyProtocol?.trustedAddresses || []).join(', ') })),
    el('div', { 'data-when': 'listener-protocol:https' }, group('listener-tls', 'TLS',
      el('div', { 'data-path': '@.tls.certificates', id: 'listener-certs' },
        el('p', { class: 'hint', text: certs.length ? 'Certificates served (by SNI name; none: the node\'s self-signed one)'
          : 'No certificate in the document: the node\'s self-signed one is served.' }),
        ...certs.map((c, k) => check('listener-cert-' + k, c, null, (tls.certificates || []).includes(c)))),
      choice('listener-default-cert', 'Default certificate (no or unknown SNI name)', '@.tls.defaultCertificate',
        [['', '(the first chosen)'], ...certs], tls.defaultCertificate ?? ''),
      choice('listener-profile', 'Profile', '@.tls.profile', pairs(TLS_PROFILES),
        tls.profile || 'intermediate'),
      check('listener-http2', 'Offer HTTP/2 (ALPN)', '@.tls.http2', tls.http2 !== false),
      choice('listener-engine', 'TLS engine', '@.tls.engine', pairs(TLS_ENGINES), tls.engine || 'jsse'),
      check('listener-hsts', 'HSTS (Strict-Transport-Security on every response)', '@.tls.hsts.enabled', hsts.enabled),
      el('div', { 'data-when': 'listener-hsts' },
        field('listener-hsts-age', 'HSTS max-age, seconds (default 31536000)', '@.tls.hsts.maxAgeSeconds', { value: hsts.maxAgeSeconds ?? '', inputmode: 'numeric' }),
        check('listener-hsts-sub', 'includeSubDomains', '@.tls.hsts.includeSubDomains', hsts.includeSubDomains),
        check('listener-hsts-preload', 'preload', '@.tls.hsts.preload', hsts.preload)),
      choice('listener-client-auth', 'Client certificates (mutual TLS)', '@.tls.clientAuth.mode',
        pairs(CLIENT_AUTH_MODES), auth.mode || 'none'),
      el('div', { 'data-when': 'listener-client-auth:optional|required' },
        area('listener-ca-bundle', 'CA bundle (PEM) client certificates must chain to', '@.tls.clientAuth.caBundle', auth.caBundle, 4),
        field('listener-subject-header', 'Header carrying the client certificate\'s subject (default X-Client-Cert-Subject)',
          '@.tls.clientAuth.subjectHeader', { value: auth.subjectHeader ?? '' })))),
    summaryField('listener-summary', 'default: listener … added / edited'),
    el('button', { type: 'submit', id: 'listener-check', text: 'Check and preview' }),
    el('a', { href: '#/listeners', class: 'button secondary', text: 'Back to the listeners' }));
  showWhen(form);
  trackDirty(form);
  form.addEventListener('submit', ev => {
    ev.preventDefault();
    const next = listenerOf(form, l, certs);
    const original = l.name;
    const summary = summaryOf(form, editing ? 'listener ' + original + ' edited' : 'listener ' + next.name + ' added');
    editDocument(form, d => {
      d.listeners = d.listeners || [];
      let k = d.listeners.length;
      if (editing) {
        k = d.listeners.findIndex(x => x.name === original);
        if (k < 0) throw new Error('listener ' + original + ' is gone (changed elsewhere): reload the page');
        d.listeners[k] = next;
      } else {
        d.listeners.push(next);
      }
      bindPaths(form, '$.listeners[' + k + ']');
      return d;
    }, summary, () => { markClean(form); go('#/listeners'); });
  });
  return form;
}

/** The listener the form describes. */
function listenerOf(form, old, certs) {
  const https = text(form, 'listener-protocol') === 'https';
  const mode = text(form, 'listener-client-auth');
  return pruned({
    ...old,
    name: text(form, 'listener-name'),
    address: text(form, 'listener-address'),
    port: number(form, 'listener-port'),
    protocol: text(form, 'listener-protocol'),
    proxyProtocol: checked(form, 'listener-proxy')
      ? { enabled: true, trustedAddresses: items(form, 'listener-proxy-trusted') } : { enabled: false },
    tls: https ? {
      certificates: certs.filter((c, k) => checked(form, 'listener-cert-' + k)),
      defaultCertificate: text(form, 'listener-default-cert'),
      profile: text(form, 'listener-profile'),
      http2: checked(form, 'listener-http2'),
      engine: text(form, 'listener-engine'),
      hsts: checked(form, 'listener-hsts') ? { enabled: true, maxAgeSeconds: number(form, 'listener-hsts-age'),
        includeSubDomains: checked(form, 'listener-hsts-sub'), preload: checked(form, 'listener-hsts-preload') } : { enabled: false },
      clientAuth: mode === 'none' ? { mode } : { mode, caBundle: form.querySelector('#listener-ca-bundle').value.trim(),
        subjectHeader: text(form, 'listener-subject-header') },
    } : undefined,
  });
}
