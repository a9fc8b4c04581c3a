// The error pages of one virtual host (config's ErrorPage): for each of Duet's own answers a body and its content
// type, replacing Duet's default page on that host; and the host's maintenance page settings. Through the
// validate -> diff -> apply cycle with a change summary; each field carries its JSON path, so a violation (e.g.
// DUET-CONFIG-0421, two pages for one status) is shown next to it.
import { el } from '../lib/dom.js';
import { editDocument } from '../lib/edit.js';
import { markClean, trackDirty } from '../lib/dirty.js';
import { area, bindPaths, choice, field, group, number, pruned, text } from '../lib/forms.js';
import { go } from '../lib/navigation.js';
import { summaryField, summaryOf } from '../lib/summary.js';

/** config's ErrorPage.STATUSES: the statuses of Duet's own answers, with what each one is. */
export const ERROR_PAGE_STATUSES = [
  [400, 'bad request'], [403, 'forbidden (access rules)'], [404, 'no route'], [408, 'request timeout'],
  [413, 'body too large'], [429, 'too many requests (rate limits)'], [502, 'bad gateway'],
  [503, 'no server, maintenance'], [504, 'gateway timeout']];
const DEFAULT_TYPE = 'text/html; charset=utf-8';

/** A form for the error pages of doc.virtualHosts[h]. */
export function errorPagesForm(doc, h) {
  const vh = doc.virtualHosts[h];
  const pages = (vh.errorPages || []).map(p => ({ ...p }));
  const m = vh.maintenance || {};
  const rows = el('div', { id: 'error-pages' });
  const form = el('form', { id: 'edit-error-pages', novalidate: true },
    el('h2', { text: 'Error pages of ' + vh.name }),
    el('p', { text: 'A page replaces the body of Duet\'s own answer with that status for requests of this host '
      + '(its status and headers stay). Refusals before the host is known keep Duet\'s default.' }),
    rows,
    el('button', { type: 'button', id: 'error-page-add', class: 'secondary', text: 'Add an error page',
      onclick: () => { read(); pages.push({ status: nextStatus(pages), contentType: DEFAULT_TYPE, body: '' }); draw(); } }),
    group('host-maintenance', 'Maintenance page of ' + vh.name + ' (switched on and off from the routes page)',
      field('maintenance-retry', 'Retry-After, seconds (1-86400, default 300)', '@.maintenance.retryAfter',
        { value: m.retryAfter ?? '', inputmode: 'numeric' }),
      field('maintenance-type', 'Content type of the maintenance page', '@.maintenance.contentType',
        { value: m.contentType ?? DEFAULT_TYPE }),
      area('maintenance-body', 'Maintenance page (empty: the host\'s 503 page, else Duet\'s)', '@.maintenance.body',
        m.body ?? '', 3)),
    summaryField('error-pages-summary', 'default: error pages of … edited'),
    el('button', { type: 'submit', id: 'error-pages-check', text: 'Check and preview' }),
    el('a', { href: '#/routes', class: 'button secondary', text: 'Back to the routes' }));

  /** The page fields back into pages (before a redraw and on submit). */
  function read() {
    pages.forEach((p, i) => {
      p.status = number(form, 'error-page-status-' + i);
      p.contentType = text(form, 'error-page-type-' + i);
      p.body = form.querySelector('#error-page-body-' + i).value;
    });
  }

  function draw() {
    rows.replaceChildren(...pages.map((p, i) => group('error-page-' + i, 'Page ' + (i + 1) + ' (' + p.status + ')',
      choice('error-page-status-' + i, 'Status of page ' + (i + 1), '@.errorPages[' + i + '].status',
        ERROR_PAGE_STATUSES.map(([s, t]) => [String(s), s + ' ' + t]), p.status),
      field('error-page-type-' + i, 'Content type of page ' + (i + 1), '@.errorPages[' + i + '].contentType',
        { value: p.contentType ?? DEFAULT_TYPE }),
      area('error-page-body-' + i, 'Body of page ' + (i + 1) + ' (at most 64 KiB)', '@.errorPages[' + i + '].body', p.body ?? '', 4),
      el('button', { type: 'button', class: 'small danger', 'data-remove-error-page': String(p.status),
        text: 'Remove error page ' + (i + 1) + ' (' + p.status + ')',
        onclick: () => { read(); pages.splice(i, 1); draw(); } }))));
    if (!pages.length) rows.append(el('p', { text: 'No error page: every answer of Duet\'s own on this host is its default page.' }));
    bindPaths(form, '$.virtualHosts[' + h + ']');
  }

  draw();
  trackDirty(form);
  form.addEventListener('submit', ev => {
    ev.preventDefault();
    read();
    const type = text(form, 'maintenance-type');
    const maintenance = pruned({ enabled: m.enabled, retryAfter: number(form, 'maintenance-retry'),
      // the default content type stays implicit unless the document named it
      contentType: type && (type !== DEFAULT_TYPE || m.contentType !== undefined) ? type : undefined,
      body: form.querySelector('#maintenance-body').value || undefined });
    const summary = summaryOf(form, 'error pages of ' + vh.name + ' edited');
    editDocument(form, d => {
      const i = (d.virtualHosts || []).findIndex(v => v.name === vh.name);
      if (i < 0) throw new Error('virtual host ' + vh.name + ' is gone (changed elsewhere): reload the page');
      const host = d.virtualHosts[i];
      host.errorPages = pages.map(p => ({ status: p.status, contentType: p.contentType, body: p.body }));
      if (!host.errorPages.length) delete host.errorPages;
      if (Object.keys(maintenance).length) host.maintenance = maintenance; else delete host.maintenance;
      bindPaths(form, '$.virtualHosts[' + i + ']');
      return d;
    }, summary, () => { markClean(form); go('#/routes'); });
  });
  return form;
}

/** The first status without a page yet (404 first: the page most hosts want), else 404. */
function nextStatus(pages) {
  const used = new Set(pages.map(p => Number(p.status)));
  const order = [404, 503, 502, 504, 403, 429, 400, 408, 413];
  return order.find(s => !used.has(s)) ?? 404;
}
