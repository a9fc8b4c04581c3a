// The validate -> diff -> apply cycle every form that changes the document goes through.
import { api } from './api.js';
import { el, toast } from './dom.js';
import { diffView } from './diff.js';
import { errorList, showViolations, warningList } from './errors.js';

const runs = new WeakMap(); // form -> the number of its newest cycle: an older one's answers are dropped

/** Removes what an earlier cycle showed in the form: violations, warnings, the diff and its Apply button. */
function clear(form) {
  form.querySelectorAll('.error, .warning, .diff, .confirm').forEach(e => e.remove());
}

/** The toast after an apply: the revision, and the warnings of the committed document when it has any. */
export function appliedMessage(data) {
  const w = data.warnings || [];
  return 'Applied as revision ' + data.revision + (w.length ? ' with ' + w.length + ' warning' + (w.length > 1 ? 's' : '')
    + ': ' + w.map(x => x.id + ' ' + x.message).join('; ') : '');
}

/**
 * The edit cycle every editor uses: take the current document, change it, validate (errors and warnings next to
 * the fields; warnings do not block), show the diff, and apply it with If-Match on a second click. Each call
 * replaces what the previous one showed, and a slower earlier call's answers are dropped.
 */
export async function editDocument(form, change, summary, done) {
  const run = (runs.get(form) || 0) + 1;
  runs.set(form, run);
  const current = () => runs.get(form) === run;
  clear(form);
  try {
    const { data: doc, etag } = await api('GET', '/config');
    const next = change(structuredClone(doc));
    const { data: check } = await api('POST', '/config/validate', next);
    if (!current()) return;
    clear(form);
    const errors = check.violations.filter(v => v.severity === 'ERROR');
    if (errors.length) { showViolations(form, check.violations); return; }
    const warnings = check.violations.filter(v => v.severity === 'WARNING');
    if (warnings.length) showViolations(form, warnings);
    form.append(diffView(check.diff));
    const apply = el('button', { type: 'button', class: 'confirm', id: 'apply', text: 'Apply',
      onclick: async () => {
        try {
          const { data } = await api('PUT', '/config', next, { 'If-Match': etag, 'X-Duet-Summary': summary });
          toast(appliedMessage(data));
          if (data.warnings && data.warnings.length) form.append(warningList(data.warnings));
          done && done(data);
        } catch (e) {
          form.append(errorList(e));
        }
      } });
    form.append(apply);
  } catch (e) {
    if (!current()) return;
    clear(form);
    if (e.violations && e.violations.length) showViolations(form, e.violations); else form.append(errorList(e));
  }
}
