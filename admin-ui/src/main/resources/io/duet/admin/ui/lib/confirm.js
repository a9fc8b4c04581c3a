// A confirmation asked before a destructive action (delete, revoke, maintenance, drain): a modal <dialog>.
import { el } from './dom.js';

/**
 * Shows a modal dialog with title, body (text or an element, e.g. extra fields the action reads) and two buttons:
 * Cancel and confirmLabel. Resolves true when the user confirms, false when they cancel or press Escape. The dialog
 * is removed from the page when it closes. Its buttons: #confirm-ok and #confirm-cancel.
 */
export function confirmAction({ title, body, confirmLabel = 'Confirm' }) {
  return new Promise(resolve => {
    document.querySelectorAll('dialog.confirm-dialog').forEach(d => d.remove());
    const ok = el('button', { type: 'button', id: 'confirm-ok', class: 'danger', text: confirmLabel });
    const cancel = el('button', { type: 'button', id: 'confirm-cancel', class: 'secondary', text: 'Cancel' });
    const dialog = el('dialog', { class: 'confirm-dialog', 'aria-labelledby': 'confirm-title' },
      el('h2', { id: 'confirm-title', text: title }),
      typeof body === 'string' ? el('p', { text: body }) : body,
      el('div', { class: 'dialog-buttons' }, cancel, ok));
    let answer = false;
    ok.addEventListener('click', () => { answer = true; dialog.close(); });
    cancel.addEventListener('click', () => dialog.close());
    dialog.addEventListener('close', () => { dialog.remove(); resolve(answer); });
    document.body.append(dialog);
    dialog.showModal();
    cancel.focus();
  });
}
