// Duet admin UI: a client of /api/v1 and nothing else. Plain ES modules, no build step, no inline script (CSP).
// This module is the shell: which page module a location shows, the navigation bar, the render loop, log out.
// Shared helpers live in lib/, one module per page in pages/ (each exports its page function).
import { api } from './lib/api.js';
import { el } from './lib/dom.js';
import { errorList } from './lib/errors.js';
import { beginRender, go, isCurrent, setRenderer } from './lib/navigation.js';
import { canEdit, session, setSession } from './lib/session.js';
import { scrollTablesOf } from './lib/table-scroll.js';
import { canOperate } from './lib/session.js';
import { auditPage } from './pages/audit.js';
import { certificatesPage } from './pages/certificates.js';
import { configPage } from './pages/config.js';
import { dashboardPage } from './pages/dashboard.js';
import { historyPage } from './pages/history.js';
import { listenersPage } from './pages/listeners.js';
import { liveLogPage } from './pages/live-log.js';
import { loginPage, passwordPage } from './pages/login.js';
import { poolsPage } from './pages/pools.js';
import { routesPage } from './pages/routes.js';
import { usersPage } from './pages/users.js';
import { vipsPage } from './pages/vips.js';
import { trafficPage } from './pages/traffic.js';

const main = document.getElementById('main');

const pages = { dashboard: dashboardPage, pools: poolsPage, routes: routesPage, certificates: certificatesPage, vips: vipsPage, config: configPage,
  history: historyPage, users: usersPage, audit: auditPage };
pages.listeners = listenersPage;
pages['live-log'] = liveLogPage;
pages.traffic = trafficPage;

async function render() {
  const mine = beginRender();
  const page = (location.hash.replace(/^#\//, '') || 'dashboard').split('?')[0];
  if (!session()) {
    try { setSession((await api('GET', '/session')).data); } catch (e) { setSession(null); }
  }
  const nav = document.getElementById('nav');
  const who = document.getElementById('who');
  const logout = document.getElementById('logout');
  if (!session() || page === 'login') {
    nav.hidden = true; logout.hidden = true; who.textContent = '';
    main.replaceChildren(loginPage());
    return;
  }
  who.textContent = session().name + ' (' + session().role + ')';
  logout.hidden = false;
  if (session().mustChangePassword || page === 'password') {
    nav.hidden = true;
    main.replaceChildren(passwordPage());
    return;
  }
  nav.hidden = false;
  document.getElementById('nav-users').hidden = !canEdit();
  document.getElementById('nav-audit').hidden = !canEdit();
  document.getElementById('nav-live-log').hidden = !canOperate();
  for (const a of nav.querySelectorAll('a')) a.classList.toggle('active', a.id === 'nav-' + page);
  for (const a of nav.querySelectorAll('a')) if (a.id === 'nav-' + page) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
  try {
    const content = await (pages[page] || dashboardPage)();
    if (isCurrent(mine)) main.replaceChildren(content); // a later navigation wins
  } catch (e) {
    if (isCurrent(mine)) main.replaceChildren(el('section', {}, errorList(e)));
  }
}

setRenderer(render);
scrollTablesOf(main);
document.getElementById('logout').addEventListener('click', async () => {
  try { await api('DELETE', '/session'); } catch (e) { /* gone anyway */ }
  setSession(null);
  go('#/login');
});
window.addEventListener('hashchange', render);
render();
