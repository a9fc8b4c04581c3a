// A change between two documents as the API's diff gives it, one line per change (+ added, - removed, ~ replaced).
import { el } from './dom.js';

export function diffView(diff) {
  if (!diff.length) return el('div', { class: 'diff', text: 'no change' });
  const lines = diff.map(c => (c.op === 'add' ? '+ ' : c.op === 'remove' ? '- ' : '~ ') + c.path
    + (c.op === 'replace' ? ': ' + JSON.stringify(c.from) + ' → ' + JSON.stringify(c.to)
      : c.op === 'add' ? ': ' + JSON.stringify(c.to) : ''));
  return el('div', { class: 'diff', id: 'diff-preview', text: lines.join('\n') });
}
