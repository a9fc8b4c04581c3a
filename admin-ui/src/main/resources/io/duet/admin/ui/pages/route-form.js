// The route form: every condition and action of a route (config's Route and RouteMatch), new or edited, through
// the validate -> diff -> apply cycle with a change summary. Each field carries the JSON path it edits, so a
// violation is shown next to its own field.
import { el } from '../lib/dom.js';
import { editDocument } from '../lib/edit.js';
import { area, bindPaths, check, checked, choice, field, group, items, lines, number, pruned, showWhen, text } from '../lib/forms.js';
import { markClean, trackDirty } from '../lib/dirty.js';
import { go } from '../lib/navigation.js';
import { summaryField, summaryOf } from '../lib/summary.js';
import { PATH_KINDS, REDIRECT_STATUSES, STICKY_SERVER_DOWN, pairs } from '../lib/routing-lists.js';
import { parseRule, parseValue, ruleText, valueText } from './route-text.js';

const VALUE_HELP = ', one per line: name=value, name~regex, name (present), !name (absent), name!=value, name!~regex';

/**
 * A form for route hosts[h].routes[r] (edit), or a new route when r is undefined (its host and position chosen in the
 * form). After the apply, goes back to the routes page.
 */
export function routeForm(doc, h, r) {
  const editing = r !== undefined;
  const hosts = doc.virtualHosts;
  const route = editing ? hosts[h].routes[r] : { match: { path: { prefix: '/' } } };
  const m = route.match || {};
  const kind = m.path ? ['prefix', 'exact', 'regex'].find(k => m.path[k] !== undefined) : 'any';
  const action = route.redirect ? 'redirect' : route.respond ? 'respond' : 'pool';
  const form = el('form', { id: editing ? 'edit-route' : 'new-route', novalidate: true },
    el('h2', { text: editing ? 'Route ' + route.name + ' of ' + hosts[h].name : 'New route' }),
    editing ? null : choice('route-host', 'Virtual host', '$.virtualHosts', hosts.map((v, i) => [String(i), v.name]), h || 0),
    field('route-name', 'Name', '@.name', { value: route.name || '' }),
    editing ? null : choice('route-position', 'Position (routes are tried in order; the first that matches wins)', null,
      [['first', 'first (before the others)'], ['last', 'last']], 'first'),
    group('route-match', 'Match (every condition must hold; none: everything)',
      choice('route-path-kind', 'Path', '@.match.path', [['any', 'any path'], ...pairs(PATH_KINDS)], kind),
      el('div', { 'data-when': 'route-path-kind:prefix' }, field('route-prefix', 'Path prefix', '@.match.path.prefix', { value: m.path?.prefix ?? '/' })),
      el('div', { 'data-when': 'route-path-kind:exact' }, field('route-exact', 'Exact path', '@.match.path.exact', { value: m.path?.exact ?? '' })),
      el('div', { 'data-when': 'route-path-kind:regex' }, field('route-regex', 'Path regex', '@.match.path.regex', { value: m.path?.regex ?? '' })),
      field('route-methods', 'Methods (any of, e.g. GET,POST; empty: any)', '@.match.methods', { value: (m.methods || []).join(',') }),
      area('route-headers', 'Headers' + VALUE_HELP, '@.match.headers', (m.headers || []).map(valueText).join('\n'), 2),
      area('route-query', 'Query parameters' + VALUE_HELP, '@.match.query', (m.query || []).map(valueText).join('\n'), 2),
      area('route-cookies', 'Cookies' + VALUE_HELP, '@.match.cookies', (m.cookies || []).map(valueText).join('\n'), 2),
      field('route-content-types', 'Content types (any of, e.g. application/json)', '@.match.contentTypes', { value: (m.contentTypes || []).join(',') }),
      field('route-body-regex', 'Body regex (searched in the first bytes of the body; empty: none)', '@.match.body.regex', { value: m.body?.regex ?? '' }),
      field('route-body-max', 'Body bytes inspected (default 8192)', '@.match.body.maxBytes', { value: m.body?.maxBytes ?? '', inputmode: 'numeric' })),
    group('route-action', 'Action',
      choice('route-action-kind', 'Action', '@', [['pool', 'forward to a pool'], ['redirect', 'redirect'], ['respond', 'fixed response']], action),
      el('div', { 'data-when': 'route-action-kind:pool' },
        choice('route-pool', 'Pool', '@.pool', (doc.pools || []).map(p => p.name), route.pool)),
      el('div', { 'data-when': 'route-action-kind:redirect' },
        choice('route-redirect-status', 'Redirect status', '@.redirect.status', REDIRECT_STATUSES, route.redirect?.status ?? 302),
        field('route-redirect-location', 'Location (may use {scheme} {host} {path} {query} {request_uri})', '@.redirect.location',
          { value: route.redirect?.location ?? '' })),
      el('div', { 'data-when': 'route-action-kind:respond' },
        field('route-respond-status', 'Status', '@.respond.status', { value: route.respond?.status ?? 200, inputmode: 'numeric' }),
        field('route-respond-type', 'Content type', '@.respond.contentType', { value: route.respond?.contentType ?? 'text/plain; charset=utf-8' }),
        area('route-respond-body', 'Body', '@.respond.body', route.respond?.body ?? '', 3))),
    el('details', { id: 'route-more', open: hasOptions(route) },
      el('summary', { text: 'Rewrite, header rules, compression and limits' }),
      group('route-options', 'Rewrite, headers and limits',
      field('route-rewrite-prefix', 'Rewrite: path prefix replaced (empty: no rewrite)', '@.rewrite.prefix', { value: route.rewrite?.prefix ?? '' }),
      field('route-rewrite-replacement', 'Rewrite: replacement (empty: strip the prefix)', '@.rewrite.replacement', { value: route.rewrite?.replacement ?? '' }),
      area('route-request-headers', 'Request header rules, one per line: set Name value, add Name value, remove Name',
        '@.requestHeaders', (route.requestHeaders || []).map(ruleText).join('\n'), 2),
      area('route-response-headers', 'Response header rules, one per line: set Name value, add Name value, remove Name',
        '@.responseHeaders', (route.responseHeaders || []).map(ruleText).join('\n'), 2),
      check('route-gzip', 'gzip responses the server sent uncompressed', '@.compression.enabled', route.compression?.enabled),
      el('div', { 'data-when': 'route-gzip' },
        field('route-gzip-types', 'Compressed types (empty: text, JSON, JavaScript, XML, SVG)', '@.compression.mimeTypes',
          { value: (route.compression?.mimeTypes || []).join(',') }),
        field('route-gzip-min', 'Smallest compressed response, bytes (default 1024)', '@.compression.minBytes', { value: route.compression?.minBytes ?? '' }),
        field('route-gzip-level', 'gzip level 1-9 (default 6)', '@.compression.level', { value: route.compression?.level ?? '' })),
      field('route-max-body', 'Largest request body, bytes (empty: the edge limit)', '@.maxBodyBytes', { value: route.maxBodyBytes ?? '', inputmode: 'numeric' }),
      field('route-timeout', 'Response timeout, ms (empty: the edge limit)', '@.responseTimeoutMs', { value: route.responseTimeoutMs ?? '', inputmode: 'numeric' }),
      field('route-retries', 'Retries on another server (0-5, default 1)', '@.retries', { value: route.retries ?? '', inputmode: 'numeric' }),
      choice('route-sticky', 'When the sticky server is down', '@.stickyServerDown',
        pairs(STICKY_SERVER_DOWN), route.stickyServerDown ?? 'redispatch'))),
    summaryField('route-summary', 'default: route … added / edited'),
    el('button', { type: 'submit', id: 'route-check', text: 'Check and preview' }),
    editing ? el('a', { href: '#/routes', class: 'button secondary', text: 'Back to the routes' }) : null);
  showWhen(form);
  trackDirty(form);
  form.addEventListener('submit', ev => {
    ev.preventDefault();
    const next = routeOf(form, route);
    const original = route.name;
    const host = editing ? hosts[h].name : hosts[Number(text(form, 'route-host'))]?.name;
    const summary = summaryOf(form, editing ? 'route ' + original + ' of ' + host + ' edited' : 'route ' + next.name + ' added to ' + host);
    editDocument(form, d => {
      const vh = d.virtualHosts.find(v => v.name === host);
      if (!vh) throw new Error('virtual host ' + host + ' is gone (changed elsewhere): reload the page');
      vh.routes = vh.routes || [];
      const hi = d.virtualHosts.indexOf(vh);
      if (editing) {
        const i = vh.routes.findIndex(x => x.name === original);
        if (i < 0) throw new Error('route ' + original + ' is gone (changed elsewhere): reload the page');
        vh.routes[i] = next;
        bindPaths(form, '$.virtualHosts[' + hi + '].routes[' + i + ']');
      } else if (text(form, 'route-position') === 'first') {
        vh.routes.unshift(next);
        bindPaths(form, '$.virtualHosts[' + hi + '].routes[0]');
      } else {
        vh.routes.push(next);
        bindPaths(form, '$.virtualHosts[' + hi + '].routes[' + (vh.routes.length - 1) + ']');
      }
      return d;
    }, summary, () => { markClean(form); go('#/routes'); })
      .then(() => { if (form.querySelector('#route-more .error')) form.querySelector('#route-more').open = true; });
  });
  return form;
}

/** True when the route sets any of the options the form folds away (so an edit shows them open). */
function hasOptions(r) {
  return !!(r.rewrite || (r.requestHeaders || []).length || (r.responseHeaders || []).length || r.compression?.enabled
    || r.maxBodyBytes !== undefined || r.responseTimeoutMs !== undefined || (r.retries !== undefined && r.retries !== 1)
    || (r.stickyServerDown && r.stickyServerDown !== 'redispatch'));
}

/** The route the form describes (what it has no field for is kept from the route edited). */
function routeOf(form, old) {
  const kind = text(form, 'route-path-kind');
  const action = text(form, 'route-action-kind');
  const bodyRegex = form.querySelector('#route-body-regex').value;
  const rewritePrefix = text(form, 'route-rewrite-prefix');
  const gzip = checked(form, 'route-gzip');
  const r = {
    ...old,
    name: text(form, 'route-name'),
    match: {
      path: kind === 'any' ? undefined : { [kind]: form.querySelector('#route-' + kind).value },
      methods: items(form, 'route-methods').map(x => x.toUpperCase()),
      headers: lines(form, 'route-headers').map(parseValue),
      query: lines(form, 'route-query').map(parseValue),
      cookies: lines(form, 'route-cookies').map(parseValue),
      contentTypes: items(form, 'route-content-types'),
      body: bodyRegex ? { regex: bodyRegex, maxBytes: number(form, 'route-body-max') } : undefined,
    },
    pool: action === 'pool' ? text(form, 'route-pool') : undefined,
    redirect: action === 'redirect'
      ? { status: number(form, 'route-redirect-status'), location: text(form, 'route-redirect-location') } : undefined,
    respond: action === 'respond' ? { status: number(form, 'route-respond-status'),
      contentType: text(form, 'route-respond-type'), body: form.querySelector('#route-respond-body').value } : undefined,
    rewrite: rewritePrefix ? { prefix: rewritePrefix, replacement: form.querySelector('#route-rewrite-replacement').value } : undefined,
    requestHeaders: lines(form, 'route-request-headers').map(parseRule),
    responseHeaders: lines(form, 'route-response-headers').map(parseRule),
    compression: gzip ? { enabled: true, mimeTypes: items(form, 'route-gzip-types'),
      minBytes: number(form, 'route-gzip-min'), level: number(form, 'route-gzip-level') } : undefined,
    maxBodyBytes: number(form, 'route-max-body'),
    responseTimeoutMs: number(form, 'route-timeout'),
    retries: number(form, 'route-retries'),
    stickyServerDown: text(form, 'route-sticky'),
  };
  const out = pruned(r);
  out.match = out.match || {};
  if (kind !== 'any' && out.match.path === undefined) out.match.path = { [kind]: '' }; // empty: the validator says so
  return out;
}
