// The pool form, new or edit: name, balancer and its key, then every part of config's Pool (pool-fields.js), each
// optional part behind a box that turns it on. Reading it back changes only what the form shows: the rest of an
// edited pool (its servers, fields the form does not know) is kept.
import { el } from '../lib/dom.js';
import { BALANCERS, HASH_KEY_SOURCES, NAMED_HASH_KEY_SOURCES, WEIGHTED_BALANCERS } from '../lib/lists.js';
import { POOL_FIELDS, POOL_PARTS } from './pool-fields.js';

const fid = key => 'pool-' + key.replace(/\./g, '-');
const get = (o, key) => key.split('.').reduce((x, k) => (x == null ? undefined : x[k]), o);
function put(o, key, v) {
  const ks = key.split('.');
  const last = ks.pop();
  for (const k of ks) o = (o[k] = o[k] && typeof o[k] === 'object' ? o[k] : {});
  if (v === undefined) delete o[last]; else o[last] = v;
}

/** The input of one field (its id from its key under prefix), filled with value. */
function input(f, prefix, value, path) {
  const id = fid(prefix + f.key);
  const attrs = { id, 'data-path': path + '.' + f.key, 'data-key': f.key };
  let box;
  if (f.kind === 'checkbox') {
    box = el('input', { ...attrs, type: 'checkbox' });
    box.checked = value === undefined ? f.def : Boolean(value);
    return el('div', { class: 'check' }, box, el('label', { for: id, text: f.label }));
  }
  if (f.kind === 'select') {
    box = el('select', attrs, ...f.options.map(o => el('option', { value: o, text: o })));
    box.value = value ?? f.def;
  } else if (f.kind === 'textarea' || f.kind === 'pairs') {
    box = el('textarea', { ...attrs, rows: 3 });
    box.value = f.kind === 'pairs' ? (value || []).map(p => f.names.map(n => p[n]).join(' ')).join('\n') : value ?? '';
  } else {
    box = el('input', { ...attrs, type: f.kind === 'number' ? 'number' : f.kind === 'secret' ? 'password' : 'text',
      autocomplete: 'off', placeholder: f.def === undefined ? null : String(f.def) });
    box.value = value === undefined || value === null || f.kind === 'secret' ? ''
      : f.kind === 'csv' ? value.join(', ') : String(value);
  }
  return el('div', { class: 'field' }, el('label', { for: id, text: f.label }), box);
}

/** The value of a field's input: undefined when empty (the default applies). */
function valueOf(f, box) {
  if (f.kind === 'checkbox') return box.checked === f.def ? undefined : box.checked;
  const v = box.value.trim();
  if (!v) return undefined;
  if (f.kind === 'number') return Number(v);
  if (f.kind === 'csv') return v.split(',').map(s => s.trim()).filter(Boolean);
  if (f.kind === 'pairs') {
    return v.split('\n').map(l => l.trim()).filter(Boolean).map(l => {
      const parts = l.split(/\s+/);
      return Object.fromEntries(f.names.map((n, i) => [n, parts[i]]));
    });
  }
  return f.kind === 'textarea' ? box.value : v;
}

/** The fieldset of one optional part, on when the pool has it. */
function partSet(part, pool, path) {
  const have = pool[part.key];
  const on = part.flag ? Boolean(have && have[part.flag]) : have != null;
  const toggle = el('input', { type: 'checkbox', id: fid(part.key) + '-on', 'data-part': part.key });
  toggle.checked = on;
  const body = el('div', { class: 'part-fields' });
  if (part.modes) {
    const mode = el('select', { id: fid(part.key) + '-mode', 'data-path': path + '.' + part.key + '.mode' },
      ...part.modes.map(m => el('option', { value: m, text: m })));
    if (have && have.mode) mode.value = have.mode;
    body.append(el('div', { class: 'field' }, el('label', { for: mode.id, text: 'Mode' }), mode));
  }
  for (const f of [...(part.always || []), ...part.fields]) {
    body.append(input(f, part.key + '.', get(have, f.key), path + '.' + part.key));
  }
  const set = el('fieldset', { class: 'pool-part', 'data-part-set': part.key },
    el('legend', {}, toggle, el('label', { for: toggle.id, text: part.legend })), body);
  return set;
}

/** Shows the fields that apply: the balancer's key, each part's fields when on, the affinity mode's fields. */
export function showPoolFields(form) {
  const balancer = form.querySelector('#pool-balancer').value;
  const need = BALANCERS[balancer];
  const source = form.querySelector('#pool-hash-source');
  if (source.dataset.for !== need) {
    const was = source.value;
    source.replaceChildren(...(need === 'optional' ? [el('option', { value: '', text: '(default: the uri)' })] : []),
      ...HASH_KEY_SOURCES.map(k => el('option', { value: k, text: k })));
    if ([...source.options].some(o => o.value === was)) source.value = was;
    source.dataset.for = need;
  }
  form.querySelector('#pool-hash-key').hidden = need === 'none';
  form.querySelector('#pool-hash-named').hidden = !NAMED_HASH_KEY_SOURCES.includes(source.value);
  form.querySelector('#pool-weight-note').hidden = WEIGHTED_BALANCERS.includes(balancer);
  for (const set of form.querySelectorAll('[data-part-set]')) {
    const on = set.querySelector('[data-part]').checked;
    const fields = set.querySelector('.part-fields');
    fields.hidden = !on;
    const mode = set.querySelector('[id$="-mode"]');
    if (mode) {
      for (const box of fields.querySelectorAll('[data-key]')) {
        const f = POOL_PARTS.find(p => p.key === set.dataset.partSet);
        const spec = [...(f.always || []), ...f.fields].find(x => x.key === box.dataset.key);
        const applies = spec.modes ? spec.modes.includes(mode.value) : box.dataset.key.split('.')[0] === mode.value;
        box.closest('.field, .check').hidden = !applies;
      }
    }
  }
  const fb = form.querySelector('#pool-fallback').value;
  form.querySelector('#pool-fallback-pool-field').hidden = fb !== 'pool';
  form.querySelector('#pool-fallback-respond').hidden = fb !== 'respond';
}

/** The pool form's fields (no buttons) for pool (null: a new one) at index i of doc's pools. */
export function poolFields(pool, i, doc) {
  const p = pool || {};
  const path = '$.pools[' + i + ']';
  const others = (doc.pools || []).map(x => x.name).filter(n => n !== p.name);
  const balancer = el('select', { id: 'pool-balancer', 'data-path': path + '.balancer' },
    ...Object.keys(BALANCERS).map(b => el('option', { value: b, text: b })));
  balancer.value = p.balancer || 'round-robin';
  const source = el('select', { id: 'pool-hash-source', 'data-path': path + '.hashKey' });
  if (p.hashKey) source.append(el('option', { value: p.hashKey.source, text: p.hashKey.source }));
  const fallback = el('select', { id: 'pool-fallback', 'data-path': path + '.fallback' },
    ...[['', 'none: answer 503'], ['pool', 'another pool'], ['respond', 'a fixed response']]
      .map(([v, t]) => el('option', { value: v, text: t })));
  fallback.value = p.fallback ? (p.fallback.pool ? 'pool' : 'respond') : '';
  const fbPool = el('select', { id: 'pool-fallback-pool', 'data-path': path + '.fallback.pool' },
    ...others.map(n => el('option', { value: n, text: n })));
  if (p.fallback && p.fallback.pool) fbPool.value = p.fallback.pool;
  const r = (p.fallback && p.fallback.respond) || {};
  return el('div', { class: 'pool-fields' },
    el('label', { for: 'pool-name', text: 'Name' }),
    el('input', { id: 'pool-name', 'data-path': path + '.name', value: p.name || '', readonly: pool ? true : null }),
    el('label', { for: 'pool-balancer', text: 'Balancer' }), balancer,
    el('p', { id: 'pool-weight-note', class: 'note', text: 'This balancer ignores server weights (except 0: no new requests).' }),
    el('div', { id: 'pool-hash-key' },
      el('label', { for: 'pool-hash-source', text: 'Hash key: what of the request is hashed' }), source,
      el('div', { id: 'pool-hash-named' },
        el('label', { for: 'pool-hash-name', text: 'Header, cookie or query parameter name' }),
        el('input', { id: 'pool-hash-name', 'data-path': path + '.hashKey.name', value: (p.hashKey && p.hashKey.name) || '' }))),
    ...POOL_FIELDS.map(f => input(f, '', p[f.key], path)),
    ...POOL_PARTS.map(part => partSet(part, p, path)),
    el('fieldset', { class: 'pool-part' }, el('legend', { text: 'Fallback when no server is available' }),
      el('label', { for: 'pool-fallback', text: 'Fallback' }), fallback,
      el('div', { id: 'pool-fallback-pool-field' }, el('label', { for: 'pool-fallback-pool', text: 'Pool' }), fbPool),
      el('div', { id: 'pool-fallback-respond' },
        el('label', { for: 'pool-fallback-status', text: 'Status' }),
        el('input', { id: 'pool-fallback-status', type: 'number', value: r.status ?? 503, 'data-path': path + '.fallback.respond.status' }),
        el('label', { for: 'pool-fallback-type', text: 'Content type' }),
        el('input', { id: 'pool-fallback-type', value: r.contentType || 'text/plain', 'data-path': path + '.fallback.respond.contentType' }),
        el('label', { for: 'pool-fallback-body', text: 'Body' }),
        el('textarea', { id: 'pool-fallback-body', rows: 3, 'data-path': path + '.fallback.respond.body' }, r.body || ''))));
}

/** Wires the form's show/hide rules; call once the fields are in the form. */
export function wirePoolFields(form) {
  const key = form.querySelector('#pool-affinity-signingKey');
  key.after(el('button', { type: 'button', class: 'small secondary', id: 'pool-generate-key', text: 'Generate a signing key',
    onclick: () => {
      const bytes = crypto.getRandomValues(new Uint8Array(32));
      key.type = 'text';
      key.value = btoa(String.fromCharCode(...bytes));
      form.dataset.dirty = 'true';
    } }));
  form.addEventListener('change', () => showPoolFields(form));
  showPoolFields(form);
}

/** The pool the form describes: base (the pool edited, or {name, servers} of a new one) with the form's fields. */
export function readPool(form, base) {
  const pool = structuredClone(base);
  pool.balancer = form.querySelector('#pool-balancer').value;
  const need = BALANCERS[pool.balancer];
  const source = form.querySelector('#pool-hash-source').value;
  delete pool.hashKey;
  if (need !== 'none' && source) {
    pool.hashKey = NAMED_HASH_KEY_SOURCES.includes(source)
      ? { source, name: form.querySelector('#pool-hash-name').value.trim() } : { source };
  }
  for (const f of POOL_FIELDS) put(pool, f.key, valueOf(f, form.querySelector('#' + fid(f.key))));
  for (const part of POOL_PARTS) {
    const on = form.querySelector('#' + fid(part.key) + '-on').checked;
    if (!on) { delete pool[part.key]; continue; }
    const was = pool[part.key] && typeof pool[part.key] === 'object' ? pool[part.key] : {};
    const next = part.modes ? { mode: form.querySelector('#' + fid(part.key) + '-mode').value } : {};
    if (part.flag) next[part.flag] = true;
    for (const f of [...(part.always || []), ...part.fields]) {
      const box = form.querySelector('#' + fid(part.key + '.' + f.key));
      if (box.closest('[hidden]') && part.modes) continue;
      const v = valueOf(f, box);
      if (f.kind === 'secret' && v === undefined && was[f.key] !== undefined) put(next, f.key, was[f.key]);
      else put(next, f.key, v);
    }
    pool[part.key] = next;
  }
  const fb = form.querySelector('#pool-fallback').value;
  if (fb === 'pool') pool.fallback = { pool: form.querySelector('#pool-fallback-pool').value };
  else if (fb === 'respond') {
    pool.fallback = { respond: { status: Number(form.querySelector('#pool-fallback-status').value),
      contentType: form.querySelector('#pool-fallback-type').value.trim(), body: form.querySelector('#pool-fallback-body').value } };
  } else delete pool.fallback;
  return pool;
}
