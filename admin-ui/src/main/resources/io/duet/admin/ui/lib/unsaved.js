// The unsaved-changes prompt of the editing forms: leaving the page (reload, close, another page of the UI) while a
// form holds changes not applied asks first. A form opts in with trackUnsaved(form); markSaved(form) ends it.
// This module's hashchange listener is registered when the pages load, before app.js's render loop, so a refused
// navigation stops the render and puts the address back.

const forms = new Set();

const dirty = () => [...forms].some(f => f.isConnected && f.dataset.dirty === 'true');

/** Marks form dirty on any input; its changes count as unsaved until markSaved or until it leaves the page. */
export function trackUnsaved(form) {
  for (const f of [...forms]) if (!f.isConnected) forms.delete(f);
  forms.add(form);
  const mark = () => { form.dataset.dirty = 'true'; };
  form.addEventListener('input', mark);
  form.addEventListener('change', mark);
  return form;
}

/** The form's changes are applied (or thrown away): leaving no longer asks. */
export function markSaved(form) {
  form.dataset.dirty = 'false';
}

window.addEventListener('beforeunload', ev => {
  if (dirty()) { ev.preventDefault(); ev.returnValue = ''; }
});

window.addEventListener('hashchange', ev => {
  if (!dirty()) return;
  if (window.confirm('Leave this page? Your changes are not applied.')) {
    forms.forEach(markSaved);
    return;
  }
  ev.stopImmediatePropagation(); // no render: the form stays as it is
  history.replaceState(null, '', ev.oldURL);
});
