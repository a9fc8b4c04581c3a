// The change summary a form asks for before it applies: one line that goes into the history and the audit trail
// (the API's X-Duet-Summary header, at most 200 characters).
import { el } from './dom.js';

/** A labelled "Change summary" input (id given), with the summary used when it is left empty as its placeholder. */
export function summaryField(id, fallback) {
  return el('div', { class: 'summary-field' },
    el('label', { for: id, text: 'Change summary (goes into the history and the audit log)' }),
    el('input', { id, class: 'summary-input', maxlength: 200, placeholder: fallback }));
}

/**
 * The summary typed in form's summary field, else fallback; characters a header cannot carry (beyond Latin-1) and
 * control characters become '?' and spaces.
 */
export function summaryOf(form, fallback) {
  const input = form.querySelector('.summary-input');
  const typed = input ? input.value.trim() : '';
  return cleanSummary(typed || fallback);
}

/** summary as a header carries it: control characters as spaces, beyond Latin-1 as '?', 200 characters at most. */
export function cleanSummary(summary) {
  return String(summary).replace(/[\u0000-\u001f\u007f]/g, ' ').replace(/[^\u0000-\u00ff]/g, '?').slice(0, 200);
}
