// The service worker only routes events to named strategies (sw/strategies.js).
// Bump VERSION whenever any shell file changes: it names the cache and triggers the update.

import { CACHE_PREFIX, ENGINE_RUNTIME_CACHE, ENGINE_RUNTIME_PREFIX, SHELL } from './sw/shell.js';
import { appShell, backgroundSync, cacheFirst, dropOldCaches, precache, routeFor } from './sw/strategies.js';
import { onNotificationClick, onPush, onPushMessage } from './sw/push.js';

const VERSION = 7;
const CACHE = `${CACHE_PREFIX}${VERSION}`;
// The PDF engine's runtime is kept across app versions (sw/shell.js ENGINE_RUNTIME_CACHE).
const STRATEGIES = { appShell, cacheFirst, engineRuntime: (request) => cacheFirst(request, ENGINE_RUNTIME_CACHE) };

self.addEventListener('install', (e) => e.waitUntil(precache(CACHE, SHELL)));

self.addEventListener('activate', (e) => e.waitUntil(
  Promise.all([dropOldCaches(CACHE_PREFIX, CACHE), dropOldCaches(ENGINE_RUNTIME_PREFIX, ENGINE_RUNTIME_CACHE)])
    .then(() => self.clients.claim())));

self.addEventListener('fetch', (e) => {
  const name = routeFor(e.request);
  if (name) e.respondWith(STRATEGIES[name](e.request, CACHE));
});

self.addEventListener('message', (e) => {
  if (e.data?.type === 'SKIP_WAITING') self.skipWaiting();
  if (e.data?.type === 'VERSION') e.ports[0]?.postMessage({ version: VERSION });
});

self.addEventListener('sync', (e) => {
  if (e.tag === 'rounds-outbox') e.waitUntil(backgroundSync());
});

// Push notifications (sw/push.js): show, open the right screen on a click, report both.
self.addEventListener('push', (e) => e.waitUntil(onPush(e)));
self.addEventListener('notificationclick', (e) => e.waitUntil(onNotificationClick(e.notification, e.action)));
self.addEventListener('message', (e) => { const p = onPushMessage(e.data); if (p) e.waitUntil(p); });
