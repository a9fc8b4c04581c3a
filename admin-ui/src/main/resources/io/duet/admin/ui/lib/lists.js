// config's lists, written by hand (the UI has no build step). admin-ui's ListsMatchConfigTest reads this file and
// compares each list with config's enums, so keep every constant here, each as `const NAME = [...]` or `{...}`.
// The document's lists as config's enums hold them (ListsMatchConfigTest compares the two): roles weakest first
// (AdminRole), server states with the text of their button (ServerState), each balancer with whether it reads a
// request key, none, optional or required (BalancerAlgorithm), and the sources of that key (HashKey).
export const ROLES = ['viewer', 'operator', 'admin'];
export const SERVER_STATES = { enabled: 'Enable', drain: 'Drain', maintenance: 'Maintenance' };
export const BALANCERS = {
  'round-robin': 'none',
  'weighted-round-robin': 'none',
  'least-connections': 'none',
  'weighted-least-connections': 'none',
  'random-two-choices': 'none',
  'least-response-time': 'none',
  'source-hash': 'none',
  'hash': 'required',
  'lblc': 'optional',
  'lblcr': 'optional',
  'first-available': 'none',
};
export const HASH_KEY_SOURCES = ['uri', 'path', 'header', 'cookie', 'query'];
export const NAMED_HASH_KEY_SOURCES = ['header', 'cookie', 'query'];
// The pool form's lists (POOLS area): balancers whose weights count (BalancerAlgorithm.weighted), health check types
// (HealthCheck.TYPES), affinity modes (Affinity.MODES), SameSite values (Affinity.Cookie.SAME_SITE), address families
// of DNS (Resolve.FAMILIES).
export const WEIGHTED_BALANCERS = ['weighted-round-robin', 'weighted-least-connections', 'source-hash', 'hash', 'lblc', 'lblcr', 'first-available'];
export const HEALTH_CHECK_TYPES = ['http', 'tcp'];
export const AFFINITY_MODES = ['cookie', 'learn', 'source', 'header'];
export const SAME_SITE = ['Strict', 'Lax', 'None'];
export const RESOLVE_FAMILIES = ['ipv4', 'ipv6'];
