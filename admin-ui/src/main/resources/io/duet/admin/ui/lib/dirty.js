// Unsaved changes: forms that were edited and not applied. Leaving the page (another hash, a reload, closing the tab)
// asks first: the browser's own prompt on unload, the page's confirmation dialog on a hash change (which then stops
// the shell's render until the user chose to leave).
import { confirmAction } from './confirm.js';

const dirty = new Set();

/** Marks form dirty on every input or change inside it. Call once per form built. */
export function trackDirty(form) {
  const mark = () => dirty.add(form);
  form.addEventListener('input', mark);
  form.addEventListener('change', mark);
  return form;
}

/** Marks form dirty by a change made without an input event (e.g. rows moved by buttons). */
export function markDirty(form) {
  dirty.add(form);
}

/** Marks form clean: its changes were applied or discarded (call before navigating away after an apply). */
export function markClean(form) {
  dirty.delete(form);
}

/** True when a form on the page has unsaved changes (forms no longer in the page do not count). */
export function hasUnsavedChanges() {
  for (const f of dirty) if (!f.isConnected) dirty.delete(f);
  return dirty.size > 0;
}

window.addEventListener('beforeunload', ev => {
  if (hasUnsavedChanges()) {
    ev.preventDefault();
    ev.returnValue = '';
  }
});

// Registered when the first page module imports this one, so before app.js's render on hashchange: a cancelled
// navigation never reaches it.
window.addEventListener('hashchange', ev => {
  if (!hasUnsavedChanges()) return;
  ev.stopImmediatePropagation();
  const target = location.hash;
  history.replaceState(null, '', ev.oldURL);
  confirmAction({ title: 'Leave without applying?', message: 'This page has changes that were not applied. '
    + 'Leave it and lose them?', confirmLabel: 'Leave and discard changes', cancelLabel: 'Stay on this page' })
    .then(leave => {
      if (!leave) return;
      dirty.clear();
      location.hash = target;
    });
}, true);
