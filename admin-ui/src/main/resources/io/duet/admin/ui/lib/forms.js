// Form fields bound to the document: each input carries the JSON path of what it edits (data-path), so
// errors.js's showViolations puts a violation right after it; and reading them back into document values.
import { el } from './dom.js';

/** A labelled text input; attrs go on the input (value, type, placeholder...). */
export function field(id, label, path, attrs = {}) {
  return [el('label', { for: id, text: label }), el('input', { id, 'data-path': path, ...attrs })];
}

/** A labelled textarea holding value. */
export function area(id, label, path, value, rows = 3) {
  const t = el('textarea', { id, 'data-path': path, rows });
  t.value = value || '';
  return [el('label', { for: id, text: label }), t];
}

/** A labelled select of options (strings, or [value, text] pairs) with value selected. */
export function choice(id, label, path, options, value) {
  const s = el('select', { id, 'data-path': path },
    ...options.map(o => Array.isArray(o) ? el('option', { value: o[0], text: o[1] }) : el('option', { value: o, text: o })));
  if (value !== undefined && value !== null) s.value = String(value);
  return [el('label', { for: id, text: label }), s];
}

/** A checkbox with its label after it, on one line. */
export function check(id, label, path, checked) {
  return el('div', { class: 'check' }, el('input', { id, type: 'checkbox', 'data-path': path, checked: !!checked }),
    el('label', { for: id, text: label }));
}

/** A fieldset with a legend around children; hidden when hidden is true. */
export function group(id, legend, ...children) {
  return el('fieldset', { id }, el('legend', { text: legend }), ...children);
}

/** The trimmed value of the input #id inside form. */
export const text = (form, id) => form.querySelector('#' + id).value.trim();

/** The value of #id as a number, or undefined when empty (a value that is not a number is kept: validation says why). */
export function number(form, id) {
  const v = text(form, id);
  if (v === '') return undefined;
  return Number.isNaN(Number(v)) ? v : Number(v);
}

/** Whether the checkbox #id is checked. */
export const checked = (form, id) => form.querySelector('#' + id).checked;

/** The non-empty trimmed lines of #id. */
export const lines = (form, id) => form.querySelector('#' + id).value.split('\n').map(l => l.trim()).filter(Boolean);

/** The non-empty trimmed items of #id, split at commas, spaces or new lines. */
export const items = (form, id) => form.querySelector('#' + id).value.split(/[\s,]+/).map(l => l.trim()).filter(Boolean);

/** value without its undefined, null and '' members and empty arrays and objects (recursively); the rest as it is. */
export function pruned(value) {
  if (Array.isArray(value)) return value.map(pruned);
  if (value === null || typeof value !== 'object') return value;
  const out = {};
  for (const [k, v] of Object.entries(value)) {
    const p = pruned(v);
    if (p === undefined || p === null || p === '') continue;
    if (Array.isArray(p) && !p.length) continue;
    if (typeof p === 'object' && !Array.isArray(p) && !Object.keys(p).length) continue;
    out[k] = p;
  }
  return out;
}

/**
 * Points the fields of form at the document: each data-path starting with '@' (kept in data-rel) becomes base plus
 * the rest, e.g. '@.match.path.prefix' under '$.virtualHosts[0].routes[2]'. Call again when base changes.
 */
export function bindPaths(form, base) {
  for (const f of form.querySelectorAll('[data-path]')) {
    const rel = f.dataset.rel || f.dataset.path;
    if (!rel.startsWith('@')) continue;
    f.dataset.rel = rel;
    f.dataset.path = base + rel.slice(1);
  }
}

/** Shows the children of form marked data-when="select-id:value" only while that select has that value. */
export function showWhen(form) {
  const update = () => {
    for (const e of form.querySelectorAll('[data-when]')) {
      const [id, ...values] = e.dataset.when.split(/[:|]/);
      const s = form.querySelector('#' + id);
      e.hidden = !(s.type === 'checkbox' ? s.checked : values.includes(s.value));
    }
  };
  form.addEventListener('change', update);
  update();
}
