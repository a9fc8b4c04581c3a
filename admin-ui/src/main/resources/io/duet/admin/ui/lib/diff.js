// A change between two documents as the API's diff gives it, one line per change (+ added, - removed, ~ replaced,
// ↕ moved: an element of a named list that changed place). Named elements are matched by name by the API, so a
// route inserted first is one "+" line.
import { el } from './dom.js';

function line(c) {
  switch (c.op) {
    case 'add': return '+ ' + c.path + ': ' + JSON.stringify(c.to);
    case 'remove': return '- ' + c.path;
    case 'move': return '↕ ' + c.path + ' (moved from ' + c.from + ')';
    default: return '~ ' + c.path + ': ' + JSON.stringify(c.from) + ' → ' + JSON.stringify(c.to);
  }
}

/** The diff as a block of lines; id names it (diff-preview unless told). */
export function diffView(diff, id = 'diff-preview') {
  if (!diff.length) return el('div', { class: 'diff', id, text: 'no change' });
  return el('div', { class: 'diff', id, text: diff.map(line).join('\n') });
}
