// The app shell: every file the app needs to start offline.

export const CACHE_PREFIX = 'rounds-shell-v';

// The PDF engine's runtime (Pyodide, ~13 MB) lives in a cache of its own, named after the
// Pyodide version in pwa/package.json: an app update never downloads it again, a new
// Pyodide replaces it. (The engine's Python bundle has its own cache too: pdf/worker.js.)
export const ENGINE_RUNTIME_PREFIX = 'rounds-pdf-runtime-v';
export const ENGINE_RUNTIME_CACHE = `${ENGINE_RUNTIME_PREFIX}314.0.7`;

export const SHELL = [
  '/index.html', '/app.js', '/styles.css', '/manifest.webmanifest',
  '/icons/icon-192.png', '/icons/icon-512.png', '/icons/maskable-512.png',
  '/lib/api.js', '/lib/db.js', '/lib/geo.js', '/lib/i18n.js', '/lib/outbox.js', '/lib/pricing.js',
  '/lib/search.js', '/lib/sw-bridge.js', '/lib/sync.js',
  '/ui/badge.js', '/ui/banner.js', '/ui/focus.js', '/ui/customer.js', '/ui/history-actor.js', '/ui/customers.js', '/ui/dom.js', '/ui/drafts.js',
  '/ui/login.js', '/ui/nav.js', '/ui/order.js', '/ui/settings.js', '/ui/sync-screen.js', '/ui/today.js',
  '/ui/visit.js', '/ui/push-permission.js',
  '/lib/reorder.js', '/lib/replan.js', '/lib/quote-kit.js',
  '/ui/route-map.js', '/ui/planning.js', '/ui/quotes.js', '/ui/quote-editor.js', '/ui/quote-view.js', '/ui/line-editor.js',
  '/ui/quote-pdf.js', '/ui/customer-home.js', '/ui/offers.js',
  '/lib/i18n-partners.js', '/lib/i18n-a11y.js', '/ui/partner-home.js', '/ui/order-status.js', '/ui/customer-orders.js', '/ui/inbox.js',
  '/ui/invite.js', '/ui/personal-settings.js', '/ui/password-change.js',
  '/lib/i18n-day.js', '/ui/customers-map.js', '/ui/rep-inbox.js', // the rep's day, map and inbox
  // The rep's records (issue 18).
  '/lib/i18n-rep.js', '/ui/prospect.js', '/ui/pin-map.js', '/ui/contact-edit.js', '/ui/customer-edit.js',
  '/ui/order-list.js', '/ui/far-reason.js',
  '/lib/photos.js', '/ui/photos.js',
  // The desktop console (admins and managers on a wide screen).
  '/ui/console/routes.js', '/ui/console/shell.js', '/ui/console/texts.js', '/ui/console/forms.js',
  '/ui/console/console.css', '/ui/console/team.js', '/ui/console/users.js', '/ui/console/products.js',
  '/ui/console/price-lists.js', '/ui/console/company.js', '/ui/console/exports.js', '/ui/console/import.js',
  '/ui/console/team-plan.js', '/ui/console/plan-texts.js',
  '/ui/console/reports.js', '/ui/console/devices.js', '/ui/console/report-texts.js',
  '/ui/console/offers.js',
  '/ui/console/team-map.js', '/ui/console/team-map-texts.js', '/ui/console/team-workload.js',
  // Lazy parts that must work offline after an update: the map library and its editing
  // plugin, the chart library and the PDF engine's page side and worker (the Pyodide runtime
  // itself is fetched by lib/quote-kit.js into ENGINE_RUNTIME_CACHE).
  '/vendor/leaflet/leaflet.js', '/vendor/leaflet/leaflet.css', '/vendor/chartjs/chart.umd.min.js',
  '/vendor/geoman/leaflet-geoman.js', '/vendor/geoman/leaflet-geoman.css',
  '/pdf/client.js', '/pdf/worker.js',
];
