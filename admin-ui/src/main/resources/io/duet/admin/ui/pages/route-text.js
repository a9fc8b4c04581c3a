// A route as text: its match and action in one readable line each (the route table), and the one-line syntax of
// value conditions and header rules the route form edits:
//   value conditions (headers, query, cookies): "name=value" (exact), "name~regex", "name" (present), "!name" (absent),
//     "name!=value" and "name!~regex" (inverted)
//   header rules: "set Name value", "add Name value", "remove Name"

/** A value condition ({name, exact, regex, present, invert}) in the one-line syntax. */
export function valueText(v) {
  const not = v.invert ? '!' : '';
  if (v.exact !== undefined && v.exact !== null) return v.name + not + '=' + v.exact;
  if (v.regex !== undefined && v.regex !== null) return v.name + not + '~' + v.regex;
  const present = v.present === undefined || v.present === null ? true : v.present;
  return (present !== !!v.invert ? '' : '!') + v.name;
}

/** A line of the one-line syntax as a value condition (the validator judges names and regexes). */
export function parseValue(line) {
  const m = /^([^=~!]+?)\s*(!?)([=~])\s*(.*)$/.exec(line);
  if (m) {
    const v = { name: m[1].trim() };
    if (m[3] === '=') v.exact = m[4]; else v.regex = m[4];
    if (m[2]) v.invert = true;
    return v;
  }
  return line.startsWith('!') ? { name: line.slice(1).trim(), present: false } : { name: line.trim(), present: true };
}

/** A header rule ({op, name, value}) in the one-line syntax. */
export const ruleText = r => [r.op, r.name, r.value].filter(x => x !== undefined && x !== null && x !== '').join(' ');

/** A line "op Name value..." as a header rule. */
export function parseRule(line) {
  const [op, name, ...rest] = line.split(/\s+/);
  const rule = { op, name };
  if (rest.length) rule.value = line.slice(line.indexOf(name, op.length) + name.length).trim();
  return rule;
}

/** A route's match in words, e.g. "path prefix /api · method GET,POST · header X-Env=prod"; "everything". */
export function matchText(match) {
  const m = match || {};
  const parts = [];
  if (m.path) {
    for (const kind of ['prefix', 'exact', 'regex']) if (m.path[kind] !== undefined) parts.push('path ' + kind + ' ' + m.path[kind]);
  }
  if (m.methods && m.methods.length) parts.push('method ' + m.methods.join(','));
  for (const [key, word] of [['headers', 'header'], ['query', 'query'], ['cookies', 'cookie']]) {
    for (const v of m[key] || []) parts.push(word + ' ' + valueText(v));
  }
  if (m.contentTypes && m.contentTypes.length) parts.push('content type ' + m.contentTypes.join(','));
  if (m.body) parts.push('body ~ ' + m.body.regex + (m.body.maxBytes ? ' (first ' + m.body.maxBytes + ' bytes)' : ''));
  return parts.length ? parts.join(' · ') : 'everything';
}

/** A route's action and options in words, e.g. "pool web · rewrite /api → / · timeout 5000 ms". */
export function actionText(r) {
  const parts = [];
  if (r.pool) parts.push('pool ' + r.pool);
  if (r.redirect) parts.push('redirect ' + (r.redirect.status || 302) + ' → ' + r.redirect.location);
  if (r.respond) parts.push('respond ' + (r.respond.status || 200));
  if (r.rewrite) parts.push('rewrite ' + r.rewrite.prefix + ' → ' + (r.rewrite.replacement || '/'));
  if (r.requestHeaders && r.requestHeaders.length) parts.push('request headers: ' + r.requestHeaders.map(ruleText).join('; '));
  if (r.responseHeaders && r.responseHeaders.length) parts.push('response headers: ' + r.responseHeaders.map(ruleText).join('; '));
  if (r.compression && r.compression.enabled) parts.push('gzip');
  if (r.maxBodyBytes !== undefined) parts.push('max body ' + r.maxBodyBytes + ' bytes');
  if (r.responseTimeoutMs !== undefined) parts.push('timeout ' + r.responseTimeoutMs + ' ms');
  if (r.retries !== undefined && r.retries !== 1) parts.push('retries ' + r.retries); // 1: the default
  if (r.stickyServerDown && r.stickyServerDown !== 'redispatch') parts.push('sticky server down: ' + r.stickyServerDown);
  return parts.join(' · ');
}
