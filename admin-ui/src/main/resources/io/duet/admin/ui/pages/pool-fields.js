// What the pool form edits, as data: config's Pool and its nested records (io.duet.config), field by field, each
// with its label, input kind and the default the placeholder shows. pool-form.js builds and reads the form from it.
import { AFFINITY_MODES, HEALTH_CHECK_TYPES, RESOLVE_FAMILIES, SAME_SITE } from '../lib/lists.js';

const num = (key, label, def) => ({ key, label, kind: 'number', def });
const text = (key, label, def) => ({ key, label, kind: 'text', def });
const bool = (key, label, def) => ({ key, label, kind: 'checkbox', def });
const choice = (key, label, options, def) => ({ key, label, kind: 'select', options, def });

/** Fields of the pool itself (always present; empty: the default). */
export const POOL_FIELDS = [
  num('connectTimeoutMs', 'Connect timeout, ms (empty: the limits\' backend connect timeout)'),
  num('maxConnectionsPerServer', 'Idle keep-alive connections kept per server and I/O thread', 64),
  num('slowStartMs', 'Slow start, ms: a server coming up ramps its weight from 10% (0: off)', 0),
  num('panicThresholdPercent', 'Panic threshold, %: below this share of servers up, balance over all (0: off)', 0),
];

/**
 * Optional parts: each an object of the pool, present when its box is ticked. A part with `mode` shows the fields
 * of the chosen mode only (affinity); `always` fields show in every mode.
 */
export const POOL_PARTS = [
  { key: 'healthCheck', legend: 'Active health check', fields: [
    choice('type', 'Type', HEALTH_CHECK_TYPES, 'http'),
    text('method', 'HTTP method', 'GET'),
    text('path', 'Path and query', '/'),
    text('host', 'Host header (empty: the server\'s address and port)'),
    { key: 'expectStatus', label: 'Statuses that pass (comma separated codes or ranges)', kind: 'csv', def: '200-399' },
    text('bodyRegex', 'Body must match (regular expression; empty: any body)'),
    bool('https', 'Check over TLS', false),
    bool('verifyTls', 'Verify the server\'s certificate (with TLS)', false),
    num('port', 'Port (empty: the server\'s port)'),
    num('intervalMs', 'Interval, ms', 2000),
    num('timeoutMs', 'Timeout of one check, ms', 1000),
    num('rise', 'Rise: good checks that mark a down server up', 2),
    num('fall', 'Fall: failed checks that mark an up server down', 3),
    num('jitterPercent', 'Jitter, % of the interval', 15)] },
  { key: 'outlierDetection', legend: 'Passive outlier detection', fields: [
    num('consecutiveFailures', 'Consecutive failures (5xx or connect) that eject a server', 5),
    num('baseEjectionMs', 'Base ejection, ms', 30000),
    num('maxEjectionMs', 'Longest ejection, ms', 300000),
    num('maxEjectionPercent', 'At most this % of the servers ejected at once', 50)] },
  { key: 'serverLimit', legend: 'Server limit (maxconn and queue)', fields: [
    num('maxRequests', 'Concurrent requests per server (required, at least 1)'),
    num('maxQueued', 'Requests that may wait in the pool\'s queue', 1024),
    num('queueTimeoutMs', 'Longest wait in the queue, ms', 5000)] },
  { key: 'affinity', legend: 'Session affinity', modes: AFFINITY_MODES, always: [
    { key: 'signingKey', label: 'Signing key (base64 of at least 32 random bytes; empty keeps the current one)',
      kind: 'secret', modes: ['cookie'] }],
  fields: [
    text('cookie.name', 'Cookie name', 'DUET_SERVER'),
    num('cookie.maxAgeSeconds', 'Max-Age, s (empty: a session cookie)'),
    num('cookie.idleTimeoutSeconds', 'Idle timeout, s (empty: none)'),
    num('cookie.absoluteTimeoutSeconds', 'Absolute timeout, s (empty: none)'),
    bool('cookie.secure', 'Secure', false),
    bool('cookie.httpOnly', 'HttpOnly', true),
    choice('cookie.sameSite', 'SameSite', SAME_SITE, 'Lax'),
    text('cookie.path', 'Path', '/'),
    text('cookie.domain', 'Domain (empty: the request\'s host only)'),
    text('learn.name', 'Application cookie', 'JSESSIONID'),
    bool('learn.jvmRoute', 'Read the route after the last \'.\' (jvmRoute)', true),
    { key: 'learn.jvmRoutes', label: 'Routes that differ from server ids, one per line: route server', kind: 'pairs',
      names: ['route', 'server'] },
    num('learn.timeoutMs', 'Idle lifetime of a learned value, ms', 1800000),
    num('learn.maxEntries', 'Learned values kept', 100000),
    num('source.timeoutMs', 'Idle lifetime of a binding, ms', 1800000),
    num('source.maxEntries', 'Bindings kept', 100000),
    text('header.name', 'Header name (required)'),
    num('header.timeoutMs', 'Idle lifetime of a binding, ms', 1800000),
    num('header.maxEntries', 'Bindings kept', 100000)] },
  { key: 'tls', legend: 'TLS to the servers', flag: 'enabled', fields: [
    bool('verify', 'Verify the server\'s certificate chain and name', true),
    text('serverName', 'Server name (SNI; empty: the server\'s address when a DNS name)'),
    { key: 'caBundle', label: 'CA bundle (PEM; empty: the system\'s CAs)', kind: 'textarea' }] },
  { key: 'resolve', legend: 'DNS of servers given by host name', fields: [
    num('intervalMs', 'Lookup interval, ms (at least 1000)', 30000),
    num('holdOnFailureMs', 'Keep the last address after failed lookups, ms', 300000),
    num('maxAddresses', 'Servers a name expands to (one per address)', 1),
    choice('prefer', 'Preferred family', RESOLVE_FAMILIES, 'ipv4')] },
];
