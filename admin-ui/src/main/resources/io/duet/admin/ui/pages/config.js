// The whole document as JSON, edited and applied through the validate -> diff -> apply cycle.
import { api } from '../lib/api.js';
import { el } from '../lib/dom.js';
import { editDocument } from '../lib/edit.js';
import { go } from '../lib/navigation.js';
import { canEdit } from '../lib/session.js';

export async function configPage() {
  const { data: doc } = await api('GET', '/config');
  const area = el('textarea', { id: 'config-text', rows: 24, readonly: !canEdit() });
  area.value = JSON.stringify(doc, null, 2);
  const form = el('form', { id: 'config-form' }, el('h2', { text: 'Configuration (revision ' + doc.revision + ')' }), area);
  if (canEdit()) {
    form.append(el('button', { type: 'submit', id: 'config-check', text: 'Validate and preview' }));
    form.addEventListener('submit', ev => {
      ev.preventDefault();
      let edited;
      try { edited = JSON.parse(area.value); } catch (e) { form.append(el('div', { class: 'error', text: 'not JSON: ' + e.message })); return; }
      editDocument(form, () => edited, 'edited in the configuration editor', () => go('#/config'));
    });
  }
  return el('section', {}, form);
}
