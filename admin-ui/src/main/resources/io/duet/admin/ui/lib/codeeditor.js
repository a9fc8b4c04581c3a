// A text editor for the document: a textarea with a gutter of line numbers beside it, and markers on the lines that
// have violations (errors and warnings apart, the messages as the line's title and in a list the page shows). Written
// here rather than taken from an editor library: none is available to this build as a versioned dependency.
import { el } from './dom.js';

/**
 * Creates the editor. options: { id (the textarea's id), label (its accessible name), readonly }.
 * Returns { element, area, text(), setText(s), mark(violations), goTo(line) }; violations carry line and severity.
 */
export function codeEditor({ id, label, readonly }) {
  const area = el('textarea', { id, class: 'code-text', rows: 28, wrap: 'off', spellcheck: 'false',
    autocapitalize: 'off', 'aria-label': label, readonly: !!readonly });
  const gutter = el('div', { class: 'code-gutter', 'aria-hidden': 'true', id: id + '-gutter' });
  const element = el('div', { class: 'code-editor' }, gutter, area);
  let marks = new Map(); // line -> { severity, messages }

  function paint() {
    const count = area.value.split('\n').length;
    const rows = [];
    for (let n = 1; n <= count; n++) {
      const m = marks.get(n);
      rows.push(el('div', { class: 'code-line' + (m ? ' ' + m.severity : ''), 'data-line': n,
        title: m ? m.messages.join('\n') : null, text: (m ? (m.severity === 'error' ? '✖ ' : '⚠ ') : '') + n }));
    }
    gutter.replaceChildren(...rows);
    gutter.scrollTop = area.scrollTop;
  }

  area.addEventListener('input', () => {
    // The markers were for the text as validated; line numbers may have moved since.
    if (marks.size) marks = new Map();
    paint();
  });
  area.addEventListener('scroll', () => { gutter.scrollTop = area.scrollTop; });

  return {
    element,
    area,
    text: () => area.value,
    setText(s) { area.value = s; marks = new Map(); paint(); },
    /** Replaces the markers: one per line, an error outranking a warning. */
    mark(violations) {
      marks = new Map();
      for (const v of violations) {
        if (!v.line) continue;
        const severity = v.severity === 'WARNING' ? 'warning' : 'error';
        const m = marks.get(v.line) || { severity, messages: [] };
        if (severity === 'error') m.severity = 'error';
        m.messages.push(v.id + ' ' + v.message);
        marks.set(v.line, m);
      }
      paint();
    },
    /** Puts the caret at the start of line n and scrolls it into view. */
    goTo(n) {
      const lines = area.value.split('\n');
      let at = 0;
      for (let i = 0; i < n - 1 && i < lines.length; i++) at += lines[i].length + 1;
      area.focus();
      area.setSelectionRange(at, at + (lines[n - 1] || '').length);
      const lineHeight = area.scrollHeight / Math.max(lines.length, 1);
      area.scrollTop = Math.max(0, (n - 3) * lineHeight);
    },
  };
}
