// The client side of sync-protocol.md: push the outbox in mid order, pull with a cursor until
// has_more is false, reset when told, back off on 503. Runs in the page and in the service
// worker (Background Sync), serialised by a Web Lock so they never overlap.

import { COLLECTIONS, request } from './db.js';
import { ApiError, AuthError, NetworkError } from './api.js';
import { now, uuid } from './outbox.js';

export const SCHEMA_VERSION = 1;
const PUSH_BATCH = 200;
const PULL_LIMIT = 1000;

const strip = (fields) => Object.fromEntries(Object.entries(fields || {}).filter(([k]) => !k.startsWith('_')));

export function toMutation(e) {
  const m = { mid: e.mid, collection: e.collection, op: e.op, id: e.id, captured_at: e.captured_at };
  if (e.op !== 'delete') m.fields = strip(e.fields);
  if (e.op !== 'create') m.base_version = e.base_version;
  return m;
}

/** Overlay pending local changes of one row on the server's copy. */
function rebase(data, entries) {
  let row = data;
  for (const e of entries) row = { ...row, ...strip(e.local || e.fields) };
  const rejected = entries.find((e) => e.state === 'rejected');
  // Keep the version the queued edits will have reached, for the next edit's base_version.
  const version = entries.reduce((v, e) => Math.max(v, e.op === 'create' ? 1 : (e.base_version || 0) + 1), row.version || 0);
  return { ...row, version, _status: rejected ? 'rejected' : 'pending', _error: rejected?.error || null };
}

export class Sync {
  constructor({ store, api, onChange = () => {}, appVersion = null }) {
    this.store = store;
    this.api = api;
    // The app's version for the devices screen: a string or a function that finds it.
    this.appVersion = appVersion;
    this.onChange = onChange;
    this.running = null;
    this.attempt = 0;
    this.timer = null;
    this.status = { state: 'idle', error: null };
  }

  async clientId() {
    let id = await this.store.meta('client_id');
    if (!id) { id = uuid(); await this.store.setMeta('client_id', id); }
    return id;
  }

  /** What the server's devices screen shows of this install (sync-protocol.md, device health). */
  async report() {
    let version = this.appVersion;
    if (typeof version === 'function') {
      // Asked until known (the service worker may not control the page on the first load).
      try { version = (await version()) ?? null; } catch { version = null; }
      if (version != null) this.appVersion = String(version);
    }
    const pending = (await this.store.all('outbox')).filter((e) => e.state === 'pending').length;
    return { app_version: version == null ? undefined : String(version), pending };
  }

  setStatus(state, error = null) {
    this.status = { state, error };
    this.onChange('status');
  }

  /**
   * Push then pull; resolves after a whole cycle that began after the call. A call while a
   * cycle runs queues one more (shared by every such call): that cycle may have pulled before
   * what the caller wants to see ("Sync now" just after the office changed an order).
   */
  run() {
    if (this.running) {
      this.again ??= this.running.catch(() => null).then(() => { this.again = null; return this.run(); });
      return this.again;
    }
    const go = () => this.cycle();
    const locks = self.navigator?.locks;
    this.running = (locks ? locks.request('rounds-sync', go) : go()).finally(() => { this.running = null; });
    return this.running;
  }

  async cycle() {
    clearTimeout(this.timer);
    if (!(await this.store.meta('session'))) return false;
    this.setStatus('syncing');
    this.changed = false; // set by push and pull when the replica or the outbox changed
    try {
      await this.push();
      await this.pull();
      this.attempt = 0;
      await this.store.setMeta('last_sync_at', now());
      this.setStatus('ok');
      if (this.changed) this.onChange('data');
      return true;
    } catch (e) {
      if (this.changed) this.onChange('data');
      if (e instanceof NetworkError) { this.setStatus('offline'); return false; }
      if (e instanceof AuthError) { this.setStatus('auth', e.message); return false; }
      if (e instanceof ApiError && (e.status === 503 || e.status === 429 || e.status >= 500)) {
        // Temporary: nothing was consumed; try again later, honouring Retry-After.
        this.attempt += 1;
        const backoff = Math.min(60000, 1000 * 2 ** this.attempt) * (0.5 + Math.random() / 2);
        const delay = e.retryAfter != null ? e.retryAfter * 1000 : backoff;
        this.timer = setTimeout(() => this.run(), delay);
        this.setStatus('retrying', e.message);
        return false;
      }
      this.setStatus('error', e.message);
      return false;
    }
  }

  async push() {
    const clientId = await this.clientId();
    for (let round = 0; round < 1000; round++) {
      const all = await this.store.all('outbox');
      const batch = all.filter((e) => e.state === 'pending').slice(0, PUSH_BATCH);
      if (!batch.length) return;
      const res = await this.api.request('POST', '/api/sync/push', {
        body: { client_id: clientId, schema_version: SCHEMA_VERSION, mutations: batch.map(toMutation), ...(await this.report()) },
      });
      if (res.client_code != null) await this.store.setMeta('client_code', res.client_code);
      this.changed = true;
      const stuck = await this.applyResults(batch, res.results || []);
      if (stuck) {
        await this.renumber(res.last_mid ?? 0);
        if (round > 3) throw new Error('the server keeps refusing the outbox order');
      }
    }
  }

  /** Record each mutation's result; returns true when the server saw a gap (out_of_order). */
  async applyResults(batch, results) {
    const byMid = new Map(batch.map((e) => [e.mid, e]));
    const collections = [...new Set(batch.map((e) => e.collection))];
    let stuck = false;
    await this.store.tx(['outbox', 'journal', ...collections], 'readwrite', async (t) => {
      const box = t.objectStore('outbox');
      const journal = t.objectStore('journal');
      const touched = new Map();
      for (let r of results) {
        const e = byMid.get(r.mid);
        if (!e) continue;
        if (r.status === 'duplicate') {
          // A retried push: the server answers with the result it gave the first time.
          const first = r.first || r.result || {};
          r = { ...r, ...first, status: first.status && first.status !== 'duplicate' ? first.status : 'applied' };
        }
        const rows = t.objectStore(e.collection);
        touched.set(`${e.collection}/${e.id}`, e);
        if (r.status === 'applied') {
          box.delete(e.mid);
          const row = await request(rows.get(e.id));
          if (row) {
            for (const c of r.conflicts || []) row[c.field] = c.kept;
            if (r.version != null && !(row.version > r.version)) row.version = r.version;
            rows.put(row);
          }
          for (const c of r.conflicts || []) {
            journal.add({ kind: 'conflict', collection: e.collection, id: e.id, field: c.field, yours: c.yours, theirs: c.theirs, kept: c.kept, at: now() });
          }
        } else if (r.status === 'rejected') {
          const error = r.error || { code: 'rejected', detail: '' };
          box.put({ ...e, state: 'rejected', error });
          journal.add({ kind: 'rejected', collection: e.collection, id: e.id, mid: e.mid, error, at: now() });
        } else if (r.status === 'gone') {
          box.delete(e.mid);
          rows.delete(e.id);
          journal.add({ kind: 'gone', collection: e.collection, id: e.id, at: now() });
        } else if (r.status === 'out_of_order') {
          stuck = true;
        }
      }
      // A row is synced once nothing of it is left in the outbox.
      const left = await request(box.getAll());
      for (const e of touched.values()) {
        const rows = t.objectStore(e.collection);
        const row = await request(rows.get(e.id));
        if (!row) continue;
        const mine = left.filter((x) => x.collection === e.collection && x.id === e.id);
        const rej = mine.find((x) => x.state === 'rejected');
        rows.put({ ...row, _status: rej ? 'rejected' : mine.length ? 'pending' : 'synced', _error: rej?.error || null });
      }
    });
    return stuck;
  }

  /** After a gap, number the unsent mutations again from the server's last_mid + 1. */
  async renumber(lastMid) {
    await this.store.tx(['outbox', 'meta'], 'readwrite', async (t) => {
      const box = t.objectStore('outbox');
      const pending = (await request(box.getAll())).filter((e) => e.state === 'pending');
      if (!pending.length || pending[0].mid === lastMid + 1) return;
      let mid = lastMid + 1;
      for (const e of pending) box.delete(e.mid);
      for (const e of pending) box.put({ ...e, mid: mid++ });
      t.objectStore('meta').put(mid, 'next_mid');
    });
  }

  async pull() {
    let cursor = (await this.store.meta('cursor')) || null;
    let resets = 0;
    const device = { client_id: await this.clientId(), ...(await this.report()) };
    for (;;) {
      const res = await this.api.request('GET', '/api/sync/pull', { query: { cursor, limit: PULL_LIMIT, ...device } });
      if (res.client_code != null) await this.store.setMeta('client_code', res.client_code);
      if (res.reset) {
        if (++resets > 3) throw new Error('the server keeps resetting the replica');
        await this.clearReplica();
        this.changed = true;
        cursor = null;
        continue;
      }
      await this.applyChanges(res.changes || [], res.cursor);
      if (res.changes?.length) this.changed = true;
      cursor = res.cursor;
      if (!res.has_more) return;
      this.onChange('progress');
    }
  }

  /** Apply one page of changes and its cursor in one transaction. */
  applyChanges(changes, cursor) {
    const stores = this.store.db.objectStoreNames;
    return this.store.tx(['meta', 'outbox', ...COLLECTIONS], 'readwrite', async (t) => {
      const outbox = await request(t.objectStore('outbox').getAll());
      const local = new Map();
      for (const e of outbox) {
        const k = `${e.collection}/${e.id}`;
        if (!local.has(k)) local.set(k, []);
        local.get(k).push(e);
      }
      for (const ch of changes) {
        if (!stores.contains(ch.collection) || !COLLECTIONS.includes(ch.collection)) continue;
        const rows = t.objectStore(ch.collection);
        if (ch.op === 'del') { rows.delete(ch.id); continue; }
        const data = { ...(ch.data || {}), id: ch.id };
        if (ch.version != null) data.version = ch.version;
        const mine = local.get(`${ch.collection}/${ch.id}`);
        rows.put(mine ? rebase(data, mine) : { ...data, _status: 'synced', _error: null });
      }
      t.objectStore('meta').put(cursor, 'cursor');
    });
  }

  /** Forget the replica (not the outbox) and put back the records only the device has. */
  clearReplica() {
    return this.store.tx(['meta', 'outbox', ...COLLECTIONS], 'readwrite', async (t) => {
      for (const name of COLLECTIONS) t.objectStore(name).clear();
      t.objectStore('meta').delete('cursor');
      for (const e of await request(t.objectStore('outbox').getAll())) {
        if (e.op === 'create') t.objectStore(e.collection).put(rebase({ id: e.id }, [e]));
      }
    });
  }

  /** Sync on start, when visible, when back online, every `everyMs`, and on demand. */
  attach(win, everyMs = 60000) {
    const kick = () => this.run();
    if (this.attached) return kick();
    this.attached = true;
    win.addEventListener('online', kick);
    win.document.addEventListener('visibilitychange', () => { if (win.document.visibilityState === 'visible') kick(); });
    win.setInterval(() => { if (win.navigator.onLine) kick(); }, everyMs);
    return kick();
  }
}
