// Wires storage, outbox, sync, the service-worker bridge and the screens together.

import { Store, DB_NAME } from './lib/db.js';
import { Api } from './lib/api.js';
import { Outbox } from './lib/outbox.js';
import { Sync } from './lib/sync.js';
import { SwBridge } from './lib/sw-bridge.js';
import { PhotoUploader, unsentPhotos } from './lib/photos.js';
import { setLocale, setTimeZone, t, tOr } from './lib/i18n.js';
import { h, fill } from './ui/dom.js';
import { navBar } from './ui/nav.js';
import { updateBanner, syncLine, syncText } from './ui/banner.js';
import { skipLink, rememberFocus, restoreFocus, screenShown, screenHeading, setTitle, announce } from './ui/focus.js';
import { todayScreen } from './ui/today.js';
import { CONSOLE_ROUTES, wantsConsole, consoleHome } from './ui/console/routes.js';

// Screens other than Today load on first use (from the precached shell, so offline too):
// fewer modules before the first screen on a slow phone.
const lazy = (path, name) => (ctx, ...args) => import(path).then((m) => m[name](ctx, ...args));
const loginScreen = lazy('./ui/login.js', 'loginScreen');
const inviteScreen = lazy('./ui/invite.js', 'inviteScreen');
const passwordChangeScreen = lazy('./ui/password-change.js', 'passwordChangeScreen');
let consoleShell = null; // ui/console/shell.js once an admin or manager uses a wide screen

const ROUTES = [
  [/^#\/today$/, 'today', (ctx) => todayScreen(ctx)],
  [/^#\/customers$/, 'customers', lazy('./ui/customers.js', 'customersScreen')],
  [/^#\/customer\/([\w-]+)$/, 'customers', lazy('./ui/customer.js', 'customerScreen')],
  [/^#\/visit\/([\w-]+)(?:\/([\w-]+))?$/, 'customers', lazy('./ui/visit.js', 'visitScreen'), { form: true }],
  [/^#\/order\/([\w-]+)(?:\/([\w-]+))?$/, 'customers', lazy('./ui/order.js', 'orderScreen'), { form: true }],
  // The rep's records, made offline (issue 18): prospects, contacts, notes, address and hours.
  [/^#\/order-edit\/([\w-]+)\/([\w-]+)$/, 'customers', lazy('./ui/order.js', 'orderEditScreen'), { form: true }],
  [/^#\/prospect$/, 'customers', lazy('./ui/prospect.js', 'prospectScreen'), { form: true }],
  [/^#\/contact\/([\w-]+)$/, 'customers', lazy('./ui/contact-edit.js', 'contactScreen'), { form: true }],
  [/^#\/note\/([\w-]+)$/, 'customers', lazy('./ui/contact-edit.js', 'noteScreen'), { form: true }],
  [/^#\/customer-edit\/([\w-]+)$/, 'customers', lazy('./ui/customer-edit.js', 'customerEditScreen'), { form: true }],
  [/^#\/quotes\/([\w-]+)$/, 'customers', lazy('./ui/quotes.js', 'quotesScreen')],
  [/^#\/quote\/([\w-]+)\/([\w-]+)$/, 'customers', lazy('./ui/quote-view.js', 'quoteViewScreen')],
  [/^#\/quote\/([\w-]+)$/, 'customers', lazy('./ui/quote-editor.js', 'quoteEditorScreen'), { form: true }],
  [/^#\/planning$/, 'plan', lazy('./ui/planning.js', 'planningScreen')],
  [/^#\/my$/, 'mine', lazy('./ui/customer-home.js', 'customerHomeScreen')],
  [/^#\/my\/quote\/([\w-]+)$/, 'mine', lazy('./ui/customer-home.js', 'customerQuoteScreen'), { form: true }],
  [/^#\/offers$/, 'offers', lazy('./ui/offers.js', 'offersScreen')],
  [/^#\/offer\/([\w-]+)$/, 'offers', lazy('./ui/offers.js', 'offerScreen')],
  [/^#\/partner$/, 'partner', lazy('./ui/partner-home.js', 'partnerHomeScreen')],
  [/^#\/my\/order\/([\w-]+)$/, 'mine', lazy('./ui/customer-orders.js', 'customerOrderScreen')],
  [/^#\/sync$/, 'sync', lazy('./ui/sync-screen.js', 'syncScreen')],
  [/^#\/inbox$/, 'inbox', lazy('./ui/rep-inbox.js', 'repInboxScreen')],
  [/^#\/customers\/map$/, 'customers', lazy('./ui/customers-map.js', 'customersMapScreen')],
  [/^#\/settings$/, 'settings', lazy('./ui/settings.js', 'settingsScreen')],
  [/^#\/login$/, 'settings', loginScreen],
];

/** Screens that show the sync state itself: redrawn on every status change. */
const STATUS_SCREENS = /^#\/sync$/;

/** Where a role starts: reps and the office their day, partners their own home. */
const homeOf = (role) => ({ customer: '#/my', distributor: '#/partner' })[role] || '#/today';

async function main() {
  const root = document.getElementById('app');
  const store = await Store.open();
  const session = { load: () => store.meta('session'), save: async (s) => { await store.setMeta('session', s); return s; } };
  const api = new Api(session);
  const outbox = new Outbox(store);
  const bridge = new SwBridge();
  const [saved, savedLocale] = await Promise.all([session.load(), store.meta('locale')]);
  // A session that still had to choose its own password opens nothing: log in again.
  if (saved?.must_change_password) await store.del('meta', 'session');
  let user = saved?.must_change_password ? null : saved?.user || null;
  let changing = null; // logged in with a temporary password: { password } until it is replaced
  let cache = null; // customers, their map and search index; rebuilt when data changes
  let updateReady = false;
  let renderSeq = 0;
  let toast = ''; // a confirmation: stays through background redraws until the next screen
  let toastFresh = false;
  let toastAt = null; // the screen the confirmation was first shown on
  let toastUntilSent = false;
  let shownHash = null; // the screen on display: redrawing it keeps focus, a new one moves it
  let shownTab = null;

  const ctx = {
    store, api, outbox, bridge,
    me: () => user,
    go: (hash) => { if (location.hash === hash) render(); else location.hash = hash; },
    rerender: () => render(),
    /** A confirmation; `untilSent`: it is about changes waiting for a connection, so it goes
     * away once a sync has sent everything (it would say "waiting" about what was sent). */
    notify: (text, { untilSent = false } = {}) => { toast = text; toastFresh = true; toastUntilSent = untilSent; },
    async customers() {
      if (!cache) {
        const rows = await store.all('customers');
        cache = { rows, map: new Map(rows.map((c) => [c.id, c])), index: null };
      }
      return cache.rows;
    },
    async customerMap() { await ctx.customers(); return cache.map; },
    async index() {
      await ctx.customers();
      if (!cache.index) {
        const { CustomerIndex } = await import('./lib/search.js');
        cache.index = new CustomerIndex(cache.rows);
      }
      return cache.index;
    },
    /** Local data changed: refresh caches and ask for a sync (now, or when back online). */
    /** Returns the sync it asked for: a caller that shows the server's answer awaits it. */
    changed() { cache = null; const done = sync.run(); bridge.backgroundSync(); return done; },
    async nextNumber() {
      // <client_code>-<n>: unique across devices offline; the server may renumber.
      const code = await store.meta('client_code');
      if (code == null) return null; // never synced: the server assigns one
      const n = ((await store.meta('doc_seq')) || 0) + 1;
      await store.setMeta('doc_seq', n);
      return `${String(code).padStart(2, '0')}-${n}`;
    },
    /** This install's sync client code, registering it with an empty push when still unknown. */
    async clientCode() {
      let code = await store.meta('client_code');
      if (code == null && navigator.onLine) {
        try {
          const res = await api.request('POST', '/api/sync/push', { body: { client_id: await sync.clientId(), schema_version: 1, mutations: [] } });
          if (res.client_code != null) { code = res.client_code; await store.setMeta('client_code', code); }
        } catch { /* offline or refused: the server numbers the quote instead */ }
      }
      return code;
    },
    async nextQuoteNumber() {
      // <client_code>-Q<n> (backend/quoting/core.py DEVICE_NUMBER): a per-device quote counter.
      const code = await ctx.clientCode();
      if (code == null) return null;
      // Only peeks: the number is used up by useQuoteNumber once its quote is saved, so a
      // PDF that fails leaves no gap in the device's numbers.
      const n = ((await store.meta('quote_seq')) || 0) + 1;
      return `${String(code).padStart(2, '0').toUpperCase()}-Q${n}`;
    },
    async useQuoteNumber(number) {
      const n = Number(String(number).split('-Q')[1]);
      if (n > ((await store.meta('quote_seq')) || 0)) await store.setMeta('quote_seq', n);
    },
    async login(email, password) {
      const body = await api.raw('POST', '/api/auth/login', { body: { email, password } });
      const s = await session.save({ ...api.toSession(body), must_change_password: !!body.must_change_password });
      if (!s.must_change_password) { await enter(s); return; }
      changing = { password }; // the office's temporary password opens only the change
      render();
    },
    /** Replace the temporary password, then fresh tokens open the app as a normal login. */
    async choosePassword(newPassword) {
      await api.request('PATCH', '/api/me', { body: { current_password: changing.password, new_password: newPassword } });
      const s = await api.refresh();
      changing = null;
      await enter(s);
    },
    /** An invitation link: the password chosen logs the new user in (ui/invite.js). */
    async acceptInvite(token, password) {
      const body = await api.raw('POST', '/api/auth/invite', { body: { token, password } });
      await enter(await session.save(api.toSession(body)));
    },
    async logout() {
      // Ends the session on the server too (and with it this device's push subscription).
      await api.request('POST', '/api/auth/logout').catch(() => null);
      await store.del('meta', 'session');
      user = null;
      changing = null;
      location.hash = '#/login';
      render();
    },
    async setLanguage(l) {
      await store.setMeta('locale', l); setLocale(l); render();
      // The server writes pushes in this language too; offline, the device still switches.
      if (navigator.onLine) api.request('PATCH', '/api/me', { body: { locale: l } }).catch(() => null);
    },
  };

  async function enter(s) {
    const before = await store.meta('last_user_id');
    if (before && before !== s.user.id) {
      // Another person's unsent work is never wiped: the device waits until it is sent
      // (that person logs in again with a connection), then it can change hands.
      const waiting = (await outbox.pending()).length + await unsentPhotos(store);
      if (waiting > 0) {
        await store.del('meta', 'session');
        const who = (await store.meta('last_user_email')) || '';
        throw Object.assign(new Error('unsent work of another user'), {
          userMessage: t('unsent_other_user', { email: who, n: waiting }),
        });
      }
      await resetForNewUser(s);
    }
    user = s.user;
    await store.setMeta('last_user_id', user.id);
    await store.setMeta('last_user_email', user.email || '');
    applyLocale();
    navigator.storage?.persist?.().catch(() => null);
    location.hash = homeOf(user.role);
    sync.attach(window);
    ctx.photos.attach(window);
    if (user.role === 'customer') { // whether this account asked for offers, as the server has it
      api.request('GET', '/api/me').then((m) => store.setMeta('offers_opt_in', m.offers_opt_in)).catch(() => null);
    }
    render();
  }

  // Another person on this device: their replica and client id must not mix with ours.
  async function resetForNewUser(s) {
    const names = [...store.db.objectStoreNames];
    await store.tx(names, 'readwrite', (tx) => { for (const n of names) tx.objectStore(n).clear(); });
    await store.setMeta('session', s);
  }

  const sync = new Sync({
    store, api, appVersion: () => bridge.version(),
    onChange: (kind) => {
      // New data redraws the screen; a status change only the sync line, unless the screen
      // shows sync state itself (a redraw resets a map the rep is panning, and costs a phone).
      if (kind === 'data') { cache = null; render({ soft: true }); }
      if (kind === 'status') { if (STATUS_SCREENS.test(shownHash || '')) render({ soft: true }); else drawChrome(shownTab); }
      // After a good sync, keep what an offline quote PDF needs (lib/quote-kit.js).
      if (kind === 'status' && sync.status.state === 'ok' && user) {
        import('./lib/quote-kit.js').then((m) => m.keepQuoteKit(ctx)).catch(() => null);
        if (toast && toastUntilSent) {
          outbox.pending().then((left) => {
            if (left.length || !toastUntilSent) return;
            toast = ''; toastUntilSent = false; drawChrome(shownTab);
          });
        }
      }
    },
  });
  ctx.sync = sync;
  ctx.photos = new PhotoUploader(ctx); // visit photos' resumable uploads (lib/photos.js)

  async function applyLocale() {
    setLocale((await store.meta('locale')) || user?.locale || navigator.language || 'en');
    setTimeZone(user?.time_zone);
  }

  // <html data-drawing> while a screen is being drawn: whoever waits for the app to settle
  // (a sync's redraw, a new hash) waits for it to go away.
  let drawing = 0;
  async function render(opts) {
    const html = document.documentElement;
    html.dataset.drawing = String(++drawing);
    try {
      return await draw(opts);
    } finally {
      if (--drawing) html.dataset.drawing = String(drawing); else delete html.dataset.drawing;
    }
  }

  async function draw({ soft = false } = {}) {
    if (!user) {
      // A background redraw never takes the login form away from someone typing in it.
      if (soft && document.activeElement?.matches('main input')) return;
      const invite = location.hash.match(/^#\/invite\/([\w-]+)$/);
      fill(root, updateReady ? updateBanner(() => bridge.accept()) : null,
        h('main', { id: 'content' }, await (changing ? passwordChangeScreen(ctx)
          : invite ? inviteScreen(ctx, invite[1]) : loginScreen(ctx))));
      screenShown(root.querySelector('main'), t('screen_login'));
      shownHash = null;
      return;
    }
    // Admins and managers at a desk get the console (ui/console/); phones keep the tab bar.
    const desk = wantsConsole(user);
    const home = desk ? consoleHome(user) : homeOf(user.role);
    let hash = location.hash || home;
    if (hash === '#/today' && home !== '#/today') hash = home;
    // No visits for the partner roles: their screens send them home.
    if (/^#\/(visit|planning)\b/.test(hash) && !desk && home !== '#/today') hash = home;
    let match = null;
    for (const [re, tab, fn, opts] of desk ? [...CONSOLE_ROUTES, ...ROUTES] : ROUTES) {
      const m = hash.match(re);
      if (m) { match = { tab, fn, opts: opts || {}, args: m.slice(1) }; break; }
    }
    if (!match) { location.hash = home; return; }
    // Never redraw a form or a field being typed in because of a background sync.
    const main = root.querySelector('main');
    const active = document.activeElement;
    const busy = main && (match.opts.form || main.querySelector('form.edit:not([hidden])')
      || (main.contains(active) && active.matches('input, textarea, select')));
    if (soft && busy) { drawChrome(match.tab); return; }
    const seq = ++renderSeq;
    let screen;
    try {
      screen = await match.fn(ctx, ...match.args);
    } catch (e) {
      console.error(e);
      screen = h('section', { class: 'screen' }, h('p', { class: 'error' }, String(e.message || e)));
    }
    if (seq !== renderSeq) return;
    // A background redraw keeps focus and scroll; a new screen focuses its heading.
    // By hash, not by who asked: a navigation superseded by a background redraw still counts.
    const same = hash === shownHash;
    const kept = same ? rememberFocus(root) : null;
    if ((!soft || !same) && toast) { if (toastFresh) { toastFresh = false; toastAt = hash; } else if (hash !== toastAt) toast = ''; }
    shownHash = hash;
    shownTab = match.tab;
    if (desk) {
      consoleShell = consoleShell || await import('./ui/console/shell.js');
      fill(root, skipLink(), consoleShell.consoleFrame(ctx, match.tab, screen, hash));
    } else {
      fill(root, skipLink(), h('header', { id: 'chrome' }), h('main', { 'data-screen': hash.split('/')[1] }, screen), h('footer', { id: 'tabs' }));
    }
    const shown = root.querySelector('main');
    shown.id = 'content';
    const tabName = tOr({ plan: 'planning', mine: 'my_account', partner: 'screen_partner' }[match.tab] || match.tab, '');
    if (kept) { setTitle(screenHeading(shown, tabName || t('app'))); restoreFocus(root, kept); } else screenShown(shown, tabName || t('app'));
    drawChrome(match.tab);
  }

  async function drawChrome(tab) {
    // Acknowledged entries leave the outbox: what is left is pending (or rejected).
    const pending = await store.count('outbox');
    const header = root.querySelector('#chrome');
    const footer = root.querySelector('#tabs');
    const side = root.querySelector('#console-side');
    if (!header || (!footer && !side)) return;
    fill(header,
      updateReady ? updateBanner(() => bridge.accept()) : null,
      syncLine(sync.status, navigator.onLine),
      toast ? h('div', { class: 'banner toast', id: 'toast' }, h('span', {}, toast),
        h('button', { class: 'btn small', type: 'button', 'aria-label': t('dismiss'), onclick: () => { toast = ''; drawChrome(tab); } }, '×')) : null);
    // Screen readers hear the sync state and the confirmation once, not on every redraw.
    announce([syncText(sync.status, navigator.onLine), toast].filter(Boolean).join('. '));
    if (side && consoleShell) fill(side, consoleShell.sideNav(tab, user?.role, pending));
    else if (footer) {
      const unread = user?.role === 'rep' ? (await store.all('notifications')).filter((n) => !n.read_at).length : 0;
      fill(footer, navBar(tab, pending, user?.role, unread));
    }
  }

  bridge.addEventListener('update', () => { updateReady = true; render({ soft: true }); });
  bridge.addEventListener('message', (e) => { if (e.detail?.type === 'SYNCED') { cache = null; render({ soft: true }); } });
  window.addEventListener('hashchange', () => render());
  window.matchMedia('(min-width: 1024px)').addEventListener('change', () => render());
  window.addEventListener('online', () => render({ soft: true }));
  window.addEventListener('offline', () => render({ soft: true }));

  setLocale(savedLocale || user?.locale || navigator.language || 'en');
  setTimeZone(user?.time_zone);
  await render();
  performance.mark('rounds-usable'); // the first screen is drawn and answers input
  window.rounds = { ctx, store, sync, outbox, bridge, dbName: DB_NAME };
  bridge.register().catch((e) => console.warn('service worker', e));
  if (user) {
    sync.attach(window);
    ctx.photos.attach(window);
    // Ask the browser not to evict the replica and the outbox under storage pressure.
    navigator.storage?.persist?.().catch(() => null);
  }
  document.documentElement.dataset.ready = '1';
}

main().catch((e) => {
  document.getElementById('app').textContent = `${t('sync_error')}: ${e.message}`;
  throw e;
});
