// The validate -> diff -> apply cycle every form that changes the document goes through.
import { api } from './api.js';
import { el, toast } from './dom.js';
import { diffView } from './diff.js';
import { errorList, showViolations } from './errors.js';

/**
 * The edit cycle every editor uses: take the current document, change it, validate (violations next to the
 * fields), show the diff, and apply it with If-Match on a second click.
 */
export async function editDocument(form, change, summary, done) {
  form.querySelectorAll('.error, .diff, .confirm').forEach(e => e.remove());
  try {
    const { data: doc, etag } = await api('GET', '/config');
    const next = change(structuredClone(doc));
    const { data: check } = await api('POST', '/config/validate', next);
    const errors = check.violations.filter(v => v.severity === 'ERROR');
    if (errors.length) { showViolations(form, errors); return; }
    form.append(diffView(check.diff));
    const apply = el('button', { type: 'button', class: 'confirm', id: 'apply', text: 'Apply',
      onclick: async () => {
        try {
          const { data } = await api('PUT', '/config', next, { 'If-Match': etag, 'X-Duet-Summary': summary });
          toast('Applied as revision ' + data.revision);
          done && done();
        } catch (e) {
          form.append(errorList(e));
        }
      } });
    form.append(apply);
  } catch (e) {
    if (e.violations && e.violations.length) showViolations(form, e.violations); else form.append(errorList(e));
  }
}
