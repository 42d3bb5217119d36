// Wires storage, outbox, sync, the service-worker bridge and the screens together.

import { Store, DB_NAME } from './lib/db.js';
import { Api } from './lib/api.js';
import { Outbox } from './lib/outbox.js';
import { Sync } from './lib/sync.js';
import { SwBridge } from './lib/sw-bridge.js';
import { setLocale, setTimeZone, t } from './lib/i18n.js';
import { h, fill } from './ui/dom.js';
import { navBar } from './ui/nav.js';
import { updateBanner, syncLine } from './ui/banner.js';
import { todayScreen } from './ui/today.js';

// Screens other than Today load on first use (from the precached shell, so offline too):
// fewer modules before the first screen on a slow phone.
const lazy = (path, name) => (ctx, ...args) => import(path).then((m) => m[name](ctx, ...args));
const loginScreen = lazy('./ui/login.js', 'loginScreen');

const ROUTES = [
  [/^#\/today$/, 'today', (ctx) => todayScreen(ctx)],
  [/^#\/customers$/, 'customers', lazy('./ui/customers.js', 'customersScreen')],
  [/^#\/customer\/([\w-]+)$/, 'customers', lazy('./ui/customer.js', 'customerScreen')],
  [/^#\/visit\/([\w-]+)(?:\/([\w-]+))?$/, 'customers', lazy('./ui/visit.js', 'visitScreen'), { form: true }],
  [/^#\/order\/([\w-]+)(?:\/([\w-]+))?$/, 'customers', lazy('./ui/order.js', 'orderScreen'), { form: true }],
  [/^#\/quotes\/([\w-]+)$/, 'customers', lazy('./ui/quotes.js', 'quotesScreen')],
  [/^#\/quote\/([\w-]+)\/([\w-]+)$/, 'customers', lazy('./ui/quote-view.js', 'quoteViewScreen')],
  [/^#\/quote\/([\w-]+)$/, 'customers', lazy('./ui/quote-editor.js', 'quoteEditorScreen'), { form: true }],
  [/^#\/planning$/, 'plan', lazy('./ui/planning.js', 'planningScreen')],
  [/^#\/my$/, 'mine', lazy('./ui/customer-home.js', 'customerHomeScreen')],
  [/^#\/my\/quote\/([\w-]+)$/, 'mine', lazy('./ui/customer-home.js', 'customerQuoteScreen')],
  [/^#\/offers$/, 'offers', lazy('./ui/offers.js', 'offersScreen')],
  [/^#\/offer\/([\w-]+)$/, 'offers', lazy('./ui/offers.js', 'offerScreen')],
  [/^#\/sync$/, 'sync', lazy('./ui/sync-screen.js', 'syncScreen')],
  [/^#\/settings$/, 'settings', lazy('./ui/settings.js', 'settingsScreen')],
  [/^#\/login$/, 'settings', loginScreen],
];

async function main() {
  const root = document.getElementById('app');
  const store = await Store.open();
  const session = { load: () => store.meta('session'), save: async (s) => { await store.setMeta('session', s); return s; } };
  const api = new Api(session);
  const outbox = new Outbox(store);
  const bridge = new SwBridge();
  const [saved, savedLocale] = await Promise.all([session.load(), store.meta('locale')]);
  let user = saved?.user || null;
  let cache = null; // customers, their map and search index; rebuilt when data changes
  let updateReady = false;
  let renderSeq = 0;
  let toast = '';

  const ctx = {
    store, api, outbox, bridge,
    me: () => user,
    go: (hash) => { if (location.hash === hash) render(); else location.hash = hash; },
    rerender: () => render(),
    notify: (text) => { toast = text; },
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
    changed() { cache = null; sync.run(); bridge.backgroundSync(); },
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
      const n = ((await store.meta('quote_seq')) || 0) + 1;
      await store.setMeta('quote_seq', n);
      return `${String(code).padStart(2, '0').toUpperCase()}-Q${n}`;
    },
    async login(email, password) {
      const before = await store.meta('last_user_id');
      const s = await api.login(email, password);
      if (before && before !== s.user.id) await resetForNewUser(s);
      user = s.user;
      await store.setMeta('last_user_id', user.id);
      applyLocale();
      navigator.storage?.persist?.().catch(() => null);
      location.hash = user.role === 'customer' ? '#/my' : '#/today';
      sync.attach(window);
      render();
    },
    async logout() {
      await store.del('meta', 'session');
      user = null;
      location.hash = '#/login';
      render();
    },
    async setLanguage(l) { await store.setMeta('locale', l); setLocale(l); render(); },
  };

  // Another person on this device: their replica and client id must not mix with ours.
  async function resetForNewUser(s) {
    const names = [...store.db.objectStoreNames];
    await store.tx(names, 'readwrite', (tx) => { for (const n of names) tx.objectStore(n).clear(); });
    await store.setMeta('session', s);
  }

  const sync = new Sync({
    store, api,
    onChange: (kind) => {
      if (kind === 'data') { cache = null; }
      if (kind === 'status' || kind === 'data') render({ soft: true });
    },
  });
  ctx.sync = sync;

  async function applyLocale() {
    setLocale((await store.meta('locale')) || user?.locale || navigator.language || 'en');
    setTimeZone(user?.time_zone);
  }

  async function render({ soft = false } = {}) {
    if (!user) {
      fill(root, updateReady ? updateBanner(() => bridge.accept()) : null, await loginScreen(ctx));
      return;
    }
    const home = user.role === 'customer' ? '#/my' : '#/today';
    let hash = location.hash || home;
    if (hash === '#/today' && user.role === 'customer') hash = home;
    let match = null;
    for (const [re, tab, fn, opts] of ROUTES) {
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
    const scroll = soft ? root.querySelector('main')?.scrollTop : 0;
    fill(root, h('header', { id: 'chrome' }), h('main', { 'data-screen': hash.split('/')[1] }, screen), h('footer', { id: 'tabs' }));
    if (scroll) root.querySelector('main').scrollTop = scroll;
    drawChrome(match.tab);
  }

  async function drawChrome(tab) {
    const entries = await store.all('outbox');
    const header = root.querySelector('#chrome');
    const footer = root.querySelector('#tabs');
    if (!header || !footer) return;
    fill(header,
      updateReady ? updateBanner(() => bridge.accept()) : null,
      syncLine(sync.status, navigator.onLine),
      toast ? h('div', { class: 'banner toast', role: 'status' }, toast) : null);
    toast = '';
    fill(footer, navBar(tab, entries.filter((e) => e.state !== 'synced').length, user?.role));
  }

  bridge.addEventListener('update', () => { updateReady = true; render({ soft: true }); });
  bridge.addEventListener('message', (e) => { if (e.detail?.type === 'SYNCED') { cache = null; render({ soft: true }); } });
  window.addEventListener('hashchange', () => render());
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
    // Ask the browser not to evict the replica and the outbox under storage pressure.
    navigator.storage?.persist?.().catch(() => null);
  }
  document.documentElement.dataset.ready = '1';
}

main().catch((e) => {
  document.getElementById('app').textContent = `${t('sync_error')}: ${e.message}`;
  throw e;
});
