// A filter box over a list: hides the items whose text does not contain what is typed (case-insensitive).
import { el } from './dom.js';

/**
 * A labelled search input that filters items (a function returning the elements, so re-rendered rows count);
 * each item's text is read from its data-filter attribute when set, else its textContent. id names the input.
 */
export function filterBox(id, label, items) {
  const input = el('input', { id, type: 'search', class: 'filter', autocomplete: 'off' });
  const apply = () => {
    const q = input.value.trim().toLowerCase();
    for (const item of items()) {
      const text = (item.dataset.filter || item.textContent).toLowerCase();
      item.hidden = q !== '' && !text.includes(q);
    }
  };
  input.addEventListener('input', apply);
  return el('div', { class: 'filter-box' }, el('label', { for: id, text: label }), input);
}
