// The maintenance switch of a virtual host or a route in one click: the next document (the switch flipped, its
// retryAfter and page kept) is validated, its diff shown in the confirmation dialog with a change summary, and on
// confirm applied with If-Match (validate -> diff -> apply, as every form). While on, the host's or route's requests
// get 503 with Retry-After and the maintenance page (config's Maintenance; docs/error-pages.md).
import { api } from '../lib/api.js';
import { confirmWithSummary } from '../lib/confirm.js';
import { diffView } from '../lib/diff.js';
import { el, toast } from '../lib/dom.js';
import { appliedMessage } from '../lib/edit.js';
import { errorList } from '../lib/errors.js';
import { render } from '../lib/navigation.js';
import { cleanSummary } from '../lib/summary.js';

/** True when the switch of a host or route (its document object) is on. */
export const inMaintenance = obj => !!obj?.maintenance?.enabled;

/** What a switch is called in its button, dialog and summary: "host site" or "route api of site". */
const what = (host, route) => route ? 'route ' + route + ' of ' + host : 'host ' + host;

/**
 * The button "Maintenance on for host site" (or off, by the switch's current state) for doc object obj; route is
 * undefined for the host's own switch. problems: where errors are shown.
 */
export function maintenanceButton(problems, obj, host, route) {
  const on = inMaintenance(obj);
  const label = 'Maintenance ' + (on ? 'off' : 'on') + ' for ' + (route ? 'route ' + route : 'host ' + host);
  return el('button', { type: 'button', class: 'small ' + (on ? 'secondary' : 'danger'),
    'data-maintenance': route ? host + '/' + route : host, 'aria-pressed': on ? 'true' : 'false', text: label,
    onclick: () => toggle(problems, host, route) });
}

/** The host's or route's object in doc, or undefined when it is gone. */
function target(doc, host, route) {
  const vh = (doc.virtualHosts || []).find(v => v.name === host);
  return route ? (vh?.routes || []).find(r => r.name === route) : vh;
}

async function toggle(problems, host, route) {
  problems.replaceChildren();
  try {
    const { data: doc, etag } = await api('GET', '/config');
    const next = structuredClone(doc);
    const obj = target(next, host, route);
    if (!obj) throw new Error(what(host, route) + ' is gone (changed elsewhere): reload the page');
    const on = !inMaintenance(obj);
    obj.maintenance = { ...(obj.maintenance || {}), enabled: on };
    const { data: check } = await api('POST', '/config/validate', next);
    const errors = check.violations.filter(v => v.severity === 'ERROR');
    if (errors.length) { problems.append(errorList({ violations: errors })); return; }
    const retry = obj.maintenance.retryAfter ?? 300;
    const message = on
      ? 'Every request of ' + what(host, route) + ' gets 503 with Retry-After: ' + retry + ' and the maintenance page '
        + (obj.maintenance.body ? '(its own page)' : '(the host\'s 503 page, else Duet\'s)') + '; nothing is forwarded.'
      : 'Requests of ' + what(host, route) + ' are served again.';
    const typed = await confirmWithSummary({
      title: 'Maintenance ' + (on ? 'on' : 'off') + ' for ' + what(host, route) + '?',
      body: el('div', {}, el('p', { text: message }), diffView(check.diff, 'maintenance-diff')),
      confirmLabel: 'Maintenance ' + (on ? 'on' : 'off') + ' for ' + what(host, route),
      summary: 'maintenance ' + (on ? 'on' : 'off') + ' for ' + what(host, route),
    });
    if (typed === null) return;
    const { data } = await api('PUT', '/config', next, { 'If-Match': etag, 'X-Duet-Summary': cleanSummary(typed) });
    toast(appliedMessage(data));
    render();
  } catch (e) {
    problems.append(errorList(e));
  }
}
