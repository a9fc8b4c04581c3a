// The keys a rate limit refused in the last seconds (GET /rate-limits/{name}/top, operators): what HAProxy users read
// from `show table`. A header, cookie or query value is only ever shown as a short hash by the API.
import { api } from '../lib/api.js';
import { el } from '../lib/dom.js';
import { errorList } from '../lib/errors.js';
import { render } from '../lib/navigation.js';

export async function topKeysView(name) {
  const back = el('a', { href: '#/traffic', class: 'button secondary', text: 'Back to the traffic page' });
  const refresh = el('button', { type: 'button', id: 'top-refresh', text: 'Refresh the top keys of ' + name, onclick: () => render() });
  let keys;
  try {
    keys = (await api('GET', '/rate-limits/' + encodeURIComponent(name) + '/top')).data.keys || [];
  } catch (e) {
    return el('section', { id: 'top-keys' }, el('h2', { text: 'Top keys of ' + name }), errorList(e), back);
  }
  const table = el('table', { id: 'top-keys-table' },
    el('tr', {}, ...['key', 'refusals', 'last refused', 'may send again in'].map(x => el('th', { text: x }))));
  for (const k of keys) {
    table.append(el('tr', { 'data-key': k.key },
      el('td', { text: k.key }), el('td', { text: String(k.refusals) }),
      el('td', { text: seconds(k.lastRefusedAgoMs) + ' ago' }), el('td', { text: seconds(k.debtMs) })));
  }
  return el('section', { id: 'top-keys' }, el('h2', { text: 'Top keys of ' + name }),
    el('p', { class: 'hint', text: 'Keys this node refused in the last 10 seconds, most refusals first.' }),
    keys.length ? table : el('p', { id: 'top-keys-none', text: 'No key was refused lately.' }), refresh, back);
}

const seconds = ms => (Math.max(0, ms || 0) / 1000).toFixed(1) + ' s';
