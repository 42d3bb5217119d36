// Named strategies for the service worker's events. API responses are never cached.
// (Static imports: service workers may not use dynamic import().)

import { Store } from '../lib/db.js';
import { Api } from '../lib/api.js';
import { Sync } from '../lib/sync.js';

/** Which strategy serves a request, or null to let it go to the network untouched. */
export function routeFor(request) {
  if (request.method !== 'GET') return null;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return null;
  if (url.pathname.startsWith('/api/') || url.pathname.startsWith('/schema')) return null;
  if (request.mode === 'navigate') return 'appShell';
  if (url.pathname.startsWith('/vendor/pyodide/')) return 'engineRuntime';
  return 'cacheFirst';
}

/** Fetch every shell file past the HTTP cache into the versioned cache. */
export async function precache(cacheName, files) {
  const cache = await caches.open(cacheName);
  await cache.addAll(files.map((f) => new Request(f, { cache: 'reload' })));
}

/** Delete the caches of older versions. */
export async function dropOldCaches(prefix, keep) {
  for (const name of await caches.keys()) {
    if (name.startsWith(prefix) && name !== keep) await caches.delete(name);
  }
}

// One open handle per worker life: opening the cache for each of ~30 requests costs a start.
const handles = new Map();
function openCache(name) {
  if (!handles.has(name)) handles.set(name, caches.open(name));
  return handles.get(name);
}

/** Navigations get the cached shell; the router inside reads the URL. */
export async function appShell(request, cacheName) {
  const cache = await openCache(cacheName);
  return (await cache.match('/index.html')) || fetch(request);
}

/** Static files from the cache, else from the network (and kept for next time). */
export async function cacheFirst(request, cacheName) {
  const cache = await openCache(cacheName);
  const hit = await cache.match(request);
  if (hit) return hit;
  const res = await fetch(request);
  if (res.ok && res.type === 'basic') await cache.put(request, res.clone());
  return res;
}

/** Background Sync: push and pull with the stored session while no tab may be open. */
export async function backgroundSync() {
  const store = await Store.open();
  try {
    const session = { load: () => store.meta('session'), save: async (s) => { await store.setMeta('session', s); return s; } };
    await new Sync({ store, api: new Api(session) }).run();
    for (const c of await self.clients.matchAll()) c.postMessage({ type: 'SYNCED' });
  } finally {
    store.close();
  }
}
