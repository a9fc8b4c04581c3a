// Errors of the API shown in a form: a list of them, or each violation next to its field.
import { el } from './dom.js';

export function errorList(err, prefix) {
  const box = el('div', { class: 'error', 'data-error': prefix || '' });
  if (err.violations && err.violations.length) {
    for (const v of err.violations) box.append(el('div', { 'data-path': v.path, text: v.path + ': ' + v.message }));
  } else {
    box.append(el('div', { text: (err.id ? err.id + ' ' : '') + err.message }));
  }
  return box;
}

/** Shows each violation next to the field whose data-path is the longest prefix of its JSON path. */
export function showViolations(form, violations) {
  form.querySelectorAll('.error.field').forEach(e => e.remove());
  const fields = [...form.querySelectorAll('[data-path]')];
  const rest = [];
  for (const v of violations) {
    const f = fields.filter(x => v.path.startsWith(x.dataset.path))
      .sort((a, b) => b.dataset.path.length - a.dataset.path.length)[0];
    const msg = el('div', { class: 'error field', text: v.message });
    if (f) f.after(msg); else rest.push(v);
  }
  if (rest.length) form.append(errorList({ violations: rest }));
}
