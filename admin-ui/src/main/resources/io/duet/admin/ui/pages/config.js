// The whole document as text, YAML or JSON, with line numbers; validate marks each violation on its line (errors and
// warnings apart), shows the diff, and applies with If-Match and a change summary.
import { codeEditor } from '../lib/codeeditor.js';
import { diffView } from '../lib/diff.js';
import { el, toast } from '../lib/dom.js';
import { appliedMessage } from '../lib/edit.js';
import { errorList, lineOf, violationList } from '../lib/errors.js';
import { go } from '../lib/navigation.js';
import { canEdit } from '../lib/session.js';
import { apiText, MEDIA } from '../lib/textapi.js';

let chosen = 'yaml'; // the syntax last chosen, kept while the UI stays open

export async function configPage() {
  const editable = canEdit();
  const editor = codeEditor({ id: 'config-text', label: 'The configuration document', readonly: !editable });
  const syntax = el('select', { id: 'config-syntax' },
    el('option', { value: 'yaml', text: 'YAML' }), el('option', { value: 'json', text: 'JSON' }));
  syntax.value = chosen;
  const heading = el('h2', { text: 'Configuration' });
  const result = el('div', { id: 'config-result', 'aria-live': 'polite' });
  let base = null; // the ETag of the revision loaded
  let loaded = '';
  let run = 0; // the newest validation: an older one's answer is dropped

  async function load() {
    const { text, etag } = await apiText('GET', '/config', undefined, null, { Accept: MEDIA[chosen] });
    base = etag;
    // JSON comes compact; the editor shows it indented, one field a line
    loaded = chosen === 'json' ? JSON.stringify(JSON.parse(text), null, 2) + '\n' : text;
    editor.setText(loaded);
    heading.textContent = 'Configuration (revision ' + String(etag).replaceAll('"', '') + ')';
    result.replaceChildren();
  }

  syntax.addEventListener('change', async () => {
    if (editor.text() !== loaded && !confirm('Switching the syntax reloads the document: discard your edits?')) {
      syntax.value = chosen;
      return;
    }
    chosen = syntax.value;
    await load();
  });

  const form = el('form', { id: 'config-form' }, heading,
    el('label', { for: 'config-syntax', text: 'Syntax' }), syntax,
    el('label', { for: 'config-text', text: 'Document' }), editor.element);

  if (editable) {
    const summary = el('input', { id: 'config-summary', placeholder: 'what this change does (kept in the history)' });
    form.append(el('label', { for: 'config-summary', text: 'Change summary' }), summary,
      el('button', { type: 'submit', id: 'config-check', text: 'Validate and preview' }), result);
    form.addEventListener('submit', async ev => {
      ev.preventDefault();
      const mine = ++run;
      const text = editor.text();
      const type = MEDIA[chosen];
      let verdict;
      try {
        ({ json: verdict } = await apiText('POST', '/config/validate', text, type));
      } catch (e) {
        if (mine !== run) return;
        // 422: the text does not read (syntax, unknown field, wrong type); each problem says its line
        show(e.violations.length ? e.violations : [], e);
        return;
      }
      if (mine !== run) return;
      show(verdict.violations, null);
      if (!verdict.valid) return;
      result.append(diffView(verdict.diff));
      result.append(el('button', { type: 'button', class: 'confirm', id: 'apply', text: 'Apply',
        onclick: async () => {
          try {
            const { json } = await apiText('PUT', '/config', text, type, { 'If-Match': base,
              'X-Duet-Summary': summary.value.trim() || 'edited in the configuration editor' });
            toast(appliedMessage(json));
            go('#/config');
          } catch (e) {
            result.append(errorList(e));
          }
        } }));
    });
  }

  /** Replaces what the last validation showed: the list of violations and the markers on their lines. */
  function show(violations, err) {
    result.replaceChildren();
    editor.mark(violations.map(v => ({ ...v, line: lineOf(v) })));
    if (violations.length) {
      result.append(violationList(violations, 'config-violations', n => editor.goTo(n)));
    } else if (err) {
      result.append(errorList(err));
    }
  }

  await load();
  return el('section', {}, form);
}
