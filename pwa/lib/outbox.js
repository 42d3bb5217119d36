// The outbox: local mutations with a per-client mid, applied to the replica at once and
// pushed later. Entry states: pending (not yet acknowledged) and rejected (server refused).

import { request } from './db.js';

export const now = () => new Date().toISOString();

export function uuid() {
  if (self.crypto?.randomUUID) return self.crypto.randomUUID();
  const b = self.crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export class Outbox {
  constructor(store) { this.store = store; }

  /**
   * Record a mutation and apply it to the replica in one transaction.
   * op: create | update | delete; fields: what the server gets (update: only the changed ones);
   * local: the same change as the replica shows it (defaults to fields).
   */
  add({ collection, op, id, fields = {}, local = null }) {
    return this.store.tx(['meta', 'outbox', collection], 'readwrite', async (t) => {
      const meta = t.objectStore('meta');
      const rows = t.objectStore(collection);
      const mid = ((await request(meta.get('next_mid'))) || 1);
      meta.put(mid + 1, 'next_mid');
      const row = await request(rows.get(id));
      const entry = {
        mid, collection, op, id, fields, local, captured_at: fields.captured_at || now(), state: 'pending',
        base: row || null,
      };
      // Each applied mutation bumps the row's version by one, so a queue of offline edits
      // carries the versions the server will have reached when it gets to each of them.
      if (op !== 'create') entry.base_version = row?.version ?? 1;
      t.objectStore('outbox').put(entry);
      if (op === 'delete') rows.delete(id);
      else {
        const version = op === 'create' ? 1 : entry.base_version + 1;
        rows.put({ ...(row || {}), ...(local || fields), id, version, _status: 'pending', _error: null });
      }
      return entry;
    });
  }

  /** Every entry in mid order. */
  all() { return this.store.all('outbox'); }

  async pending() { return (await this.all()).filter((e) => e.state === 'pending'); }

  async rejected() { return (await this.all()).filter((e) => e.state === 'rejected'); }

  /** Drop a rejected change and put the record back as the server last had it. */
  async discard(mid) {
    const e = await this.store.get('outbox', mid);
    if (!e) return;
    await this.store.tx(['outbox', e.collection], 'readwrite', (t) => {
      t.objectStore('outbox').delete(mid);
      const rows = t.objectStore(e.collection);
      if (e.base) rows.put({ ...e.base, _status: 'synced', _error: null });
      else rows.delete(e.id);
    });
  }
}
