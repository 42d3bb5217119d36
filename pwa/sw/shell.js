// The app shell: every file the app needs to start offline.

export const CACHE_PREFIX = 'rounds-shell-v';

export const SHELL = [
  '/index.html', '/app.js', '/styles.css', '/manifest.webmanifest',
  '/icons/icon-192.png', '/icons/icon-512.png', '/icons/maskable-512.png',
  '/lib/api.js', '/lib/db.js', '/lib/geo.js', '/lib/i18n.js', '/lib/outbox.js', '/lib/pricing.js',
  '/lib/search.js', '/lib/sw-bridge.js', '/lib/sync.js',
  '/ui/badge.js', '/ui/banner.js', '/ui/customer.js', '/ui/customers.js', '/ui/dom.js', '/ui/drafts.js',
  '/ui/login.js', '/ui/nav.js', '/ui/order.js', '/ui/settings.js', '/ui/sync-screen.js', '/ui/today.js',
  '/ui/visit.js', '/ui/push-permission.js',
  '/lib/reorder.js', '/lib/replan.js',
  '/ui/route-map.js', '/ui/planning.js', '/ui/quotes.js', '/ui/quote-editor.js', '/ui/quote-view.js',
  '/ui/quote-pdf.js', '/ui/customer-home.js', '/ui/offers.js',
  // Lazy parts that must work offline after an update: the map library and the PDF engine's
  // page side and worker (the Pyodide runtime itself is fetched by pdf/client.js prefetchEngine).
  '/vendor/leaflet/leaflet.js', '/vendor/leaflet/leaflet.css', '/pdf/client.js', '/pdf/worker.js',
];
