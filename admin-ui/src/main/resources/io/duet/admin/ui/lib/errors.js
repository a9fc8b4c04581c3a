// Errors of the API shown in a form: a list of them, or each violation next to its field. Warnings (severity
// WARNING: they never block an apply) are shown apart from errors, marked as warnings.
import { el } from './dom.js';

const isWarning = v => v.severity === 'WARNING';

/** The line of the sent text a violation is on: the API's line, else the one a read problem names ("at line N"). */
export function lineOf(v) {
  if (v.line) return v.line;
  const m = /at line (\d+)/.exec(v.message || '');
  return m ? Number(m[1]) : 0;
}

/** One violation as text: its line when known, id, path and message. */
export const violationText = v => (lineOf(v) ? 'line ' + lineOf(v) + ': ' : '') + (v.id ? v.id + ' ' : '')
  + v.path + ': ' + v.message;

export function errorList(err, prefix) {
  const box = el('div', { class: 'error', 'data-error': prefix || '' });
  if (err.violations && err.violations.length) {
    for (const v of err.violations) box.append(el('div', { 'data-path': v.path, text: v.path + ': ' + v.message }));
  } else {
    box.append(el('div', { text: (err.id ? err.id + ' ' : '') + err.message }));
  }
  return box;
}

/** Warnings as a list of their own: "Warning" on each, the path and message. */
export function warningList(warnings) {
  return el('div', { class: 'warning', role: 'status' }, el('strong', { text: 'Warnings (they do not block applying):' }),
    ...warnings.map(w => el('div', { 'data-path': w.path, 'data-id': w.id, text: 'Warning ' + w.id + ' ' + w.path + ': ' + w.message })));
}

/**
 * Every violation of a text, errors first, each with its line and a button that goes to it (onPick(line)).
 * id: the list's id.
 */
export function violationList(violations, id, onPick) {
  const sorted = [...violations].sort((a, b) => (isWarning(a) - isWarning(b)) || (lineOf(a) - lineOf(b)));
  const list = el('ul', { id, class: 'violations' });
  for (const v of sorted) {
    const item = el('li', { class: isWarning(v) ? 'warning' : 'error', 'data-path': v.path, 'data-line': lineOf(v) || null },
      el('span', { class: 'severity', text: isWarning(v) ? 'Warning' : 'Error' }), ' ', violationText(v));
    if (lineOf(v) && onPick) {
      item.append(' ', el('button', { type: 'button', class: 'small secondary', text: 'Go to line ' + lineOf(v),
        onclick: () => onPick(lineOf(v)) }));
    }
    list.append(item);
  }
  return list;
}

/** Shows each violation next to the field whose data-path is the longest prefix of its JSON path. */
export function showViolations(form, violations) {
  form.querySelectorAll('.error.field, .warning').forEach(e => e.remove());
  const fields = [...form.querySelectorAll('[data-path]')];
  const rest = [];
  for (const v of violations) {
    const f = fields.filter(x => v.path.startsWith(x.dataset.path))
      .sort((a, b) => b.dataset.path.length - a.dataset.path.length)[0];
    const msg = el('div', { class: (isWarning(v) ? 'warning' : 'error') + ' field',
      text: (isWarning(v) ? 'Warning: ' : '') + v.message });
    if (f) f.after(msg); else rest.push(v);
  }
  const errors = rest.filter(v => !isWarning(v));
  const warnings = rest.filter(isWarning);
  if (errors.length) form.append(errorList({ violations: errors }));
  if (warnings.length) form.append(warningList(warnings));
}
