// config's lists the listener, virtual host and route forms offer, written by hand (no build step); admin-ui's
// RoutingListsMatchConfigTest compares each with config's constants, so keep each as `const NAME = [...]` or `{...}`
// (labels without quotes in them): path conditions (PathMatch's components), redirect statuses (HttpsRedirect),
// what a route does when its sticky server is down (Route), TLS profiles and engines (ListenerTls), and client
// certificate modes (ClientAuth).
export const PATH_KINDS = { prefix: 'prefix', exact: 'exact', regex: 'regex (whole path)' };
export const REDIRECT_STATUSES = ['301', '302', '303', '307', '308'];
export const STICKY_SERVER_DOWN = { redispatch: 'redispatch (pick another server)', fail: 'fail (503)' };
export const TLS_PROFILES = { intermediate: 'intermediate (TLS 1.2 and 1.3)', modern: 'modern (TLS 1.3 only)' };
export const TLS_ENGINES = { jsse: 'jsse (the JDK)', openssl: 'openssl (the system libssl)' };
export const CLIENT_AUTH_MODES = { none: 'not asked for', optional: 'optional', required: 'required' };

/** A list constant above as the [value, text] pairs of a select. */
export const pairs = o => Array.isArray(o) ? o.map(v => [v, v]) : Object.entries(o);
