// Narrow screens: every table of the main area sits in its own horizontally scrollable region, so a wide table
// scrolls by itself (its action buttons within reach) instead of widening the page. The region is labelled and
// focusable, so keyboard users can scroll it too.
import { el } from './dom.js';

/** The label of table t's region: its own aria-label or caption, else the heading that precedes it in its section. */
function labelOf(t) {
  if (t.getAttribute('aria-label')) return t.getAttribute('aria-label');
  if (t.caption) return t.caption.textContent;
  for (let n = t; n && n.id !== 'main'; n = n.parentElement) {
    for (let s = n.previousElementSibling; s; s = s.previousElementSibling) {
      if (/^H[1-6]$/.test(s.tagName)) return s.textContent;
      const h = s.querySelector && s.querySelector('h2, h3');
      if (h) return h.textContent;
    }
  }
  return 'Table';
}

function wrap(t) {
  if (t.parentElement && t.parentElement.classList.contains('table-scroll')) return;
  const region = el('div', { class: 'table-scroll', role: 'region', tabindex: '0', 'aria-label': labelOf(t) });
  t.replaceWith(region);
  region.append(t);
}

/** Wraps the tables under root now and every one added later (pages render, the dashboard refreshes). */
export function scrollTablesOf(root) {
  root.querySelectorAll('table').forEach(wrap);
  new MutationObserver(records => {
    for (const r of records) {
      for (const n of r.addedNodes) {
        if (n.nodeType !== Node.ELEMENT_NODE) continue;
        if (n.tagName === 'TABLE') wrap(n); else n.querySelectorAll('table').forEach(wrap);
      }
    }
  }).observe(root, { childList: true, subtree: true });
}
