// A search box over a long list: what is typed filters the items (case-insensitive substring of their text).
import { el } from './dom.js';

/** A labelled search input (id given); onChange(query) runs on every keystroke with the lower-cased query. */
export function filterBox(id, label, onChange) {
  const input = el('input', { id, type: 'search', autocomplete: 'off' });
  input.addEventListener('input', () => onChange(input.value.trim().toLowerCase()));
  return el('div', { class: 'filter-box', role: 'search' }, el('label', { for: id, text: label }), input);
}

/** True when query is empty or some of texts contains it (case-insensitive). */
export function matchesFilter(query, ...texts) {
  return !query || texts.some(t => String(t || '').toLowerCase().includes(query));
}
