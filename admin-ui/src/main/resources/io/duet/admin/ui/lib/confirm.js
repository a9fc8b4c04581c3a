// A modal confirmation for destructive actions (delete, leave a form with unsaved changes): the page's own <dialog>,
// so it can name the object and carry a change summary. Cancel is the default button; Escape cancels.
import { el } from './dom.js';

/**
 * Asks the user in a modal dialog. Resolves true when the confirm button is clicked, false on cancel or Escape.
 * Options: title, message (text) or body (text or an element, e.g. extra fields the action reads afterwards, such as
 * a drain's deadline), confirmLabel (default 'Confirm'; name the action and its object, e.g. 'Delete route api'),
 * cancelLabel (default 'Cancel'). Buttons: #confirm-ok and #confirm-cancel; the dialog: #confirm-dialog.
 */
export async function confirmAction(options) {
  return (await ask(options, null)) !== null;
}

/**
 * Like confirmAction, with a "Change summary" field (#confirm-summary, prefilled with options.summary) for the
 * history and the audit trail. Resolves the summary typed (options.summary when left empty), or null when cancelled.
 */
export function confirmWithSummary(options) {
  return ask(options, options.summary || '');
}

function ask({ title, message, body, confirmLabel = 'Confirm', cancelLabel = 'Cancel' }, summary) {
  const content = body ?? message;
  return new Promise(resolve => {
    document.getElementById('confirm-dialog')?.remove();
    const input = summary === null ? null
      : el('input', { id: 'confirm-summary', maxlength: 200, value: summary, placeholder: summary });
    const ok = el('button', { type: 'button', id: 'confirm-ok', class: 'danger', text: confirmLabel });
    const cancel = el('button', { type: 'button', id: 'confirm-cancel', class: 'secondary', text: cancelLabel });
    const dialog = el('dialog', { id: 'confirm-dialog', class: 'confirm-dialog', 'aria-labelledby': 'confirm-title', 'aria-describedby': 'confirm-message' },
      el('h2', { id: 'confirm-title', text: title }),
      typeof content === 'string' || content == null ? el('p', { id: 'confirm-message', text: content || '' })
        : el('div', { id: 'confirm-message' }, content),
      input ? [el('label', { for: 'confirm-summary', text: 'Change summary (history and audit)' }), input] : null,
      el('div', { class: 'dialog-buttons' }, ok, cancel));
    const finish = answer => {
      dialog.close();
      dialog.remove();
      resolve(answer);
    };
    ok.addEventListener('click', () => finish(input ? (input.value.trim() || summary) : ''));
    cancel.addEventListener('click', () => finish(null));
    dialog.addEventListener('cancel', ev => { ev.preventDefault(); finish(null); });
    document.body.append(dialog);
    dialog.showModal();
    cancel.focus();
  });
}
