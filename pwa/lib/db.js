// IndexedDB storage: one database, a versioned upgrade ladder, small promise helpers.

export const DB_NAME = 'rounds';
export const COLLECTIONS = [
  'territories', 'users', 'customers', 'contacts', 'products', 'price_lists', 'visits',
  'orders', 'quotes', 'routes', 'offers', 'notifications', 'history', 'photos',
];

// Each step upgrades from version i to i+1; never edit a shipped step, append a new one.
export const UPGRADES = [
  (db) => {
    db.createObjectStore('meta');
    db.createObjectStore('outbox', { keyPath: 'mid' });
    db.createObjectStore('drafts', { keyPath: 'key' });
    for (const name of COLLECTIONS) db.createObjectStore(name, { keyPath: 'id' });
  },
  (db, tx) => {
    // v2: per-customer lookups and a journal of what sync did (conflicts, rejections).
    for (const name of ['contacts', 'visits', 'orders', 'history', 'quotes']) {
      tx.objectStore(name).createIndex('customer_id', 'customer_id');
    }
    tx.objectStore('outbox').createIndex('row', ['collection', 'id']);
    db.createObjectStore('journal', { keyPath: 'seq', autoIncrement: true });
  },
  (db, tx) => {
    // v3: visit photos: the server's metadata (synced; step 1 made its store on a new device,
    // as it makes every collection's) and the device's own blobs and upload queue, plus
    // thumbnails fetched for offline use (lib/photos.js).
    const photos = db.objectStoreNames.contains('photos') ? tx.objectStore('photos')
      : db.createObjectStore('photos', { keyPath: 'id' });
    photos.createIndex('customer_id', 'customer_id');
    db.createObjectStore('photo_blobs', { keyPath: 'id' }).createIndex('customer_id', 'customer_id');
  },
  (db, tx) => {
    // v4: customers by last visit, so Today finds the most overdue ones by key instead of
    // reading every customer on the phone before its first screen (never-visited ones are not
    // in the index: they are the keys the index lacks).
    tx.objectStore('customers').createIndex('last_visit_at', 'last_visit_at');
  },
];
export const DB_VERSION = UPGRADES.length;

const req = (r) => new Promise((resolve, reject) => {
  r.onsuccess = () => resolve(r.result);
  r.onerror = () => reject(r.error);
});

/** Open the database at `version`, running every upgrade step it has not seen yet. */
export function openDb(name = DB_NAME, version = DB_VERSION) {
  return new Promise((resolve, reject) => {
    const r = indexedDB.open(name, version);
    r.onupgradeneeded = (ev) => {
      for (let v = ev.oldVersion; v < ev.newVersion; v++) UPGRADES[v](r.result, r.transaction);
    };
    r.onsuccess = () => {
      const db = r.result;
      // Another tab upgrading must not be blocked by us.
      db.onversionchange = () => db.close();
      resolve(db);
    };
    r.onerror = () => reject(r.error);
    r.onblocked = () => reject(new Error('database upgrade blocked by another tab'));
  });
}

/** A thin promise facade over an open IDBDatabase. */
export class Store {
  constructor(db) { this.db = db; }

  static async open(name = DB_NAME) { return new Store(await openDb(name)); }

  /** Run fn(tx) in one transaction over `stores`; resolves with fn's result after commit. */
  tx(stores, mode, fn) {
    return new Promise((resolve, reject) => {
      const t = this.db.transaction(stores, mode);
      let done;
      try { done = Promise.resolve(fn(t)); } catch (e) { done = Promise.reject(e); }
      done.catch((e) => { try { t.abort(); } catch { /* already finished */ } reject(e); });
      t.oncomplete = () => done.then(resolve, reject);
      t.onerror = () => reject(t.error);
      t.onabort = () => reject(t.error || new Error('transaction aborted'));
    });
  }

  get(store, key) { return this.tx([store], 'readonly', (t) => req(t.objectStore(store).get(key))); }
  all(store) { return this.tx([store], 'readonly', (t) => req(t.objectStore(store).getAll())); }
  /** Primary keys in key order, or in the order of `index` (only the records it holds). */
  keys(store, index = null) {
    return this.tx([store], 'readonly', (t) => {
      const s = t.objectStore(store);
      return req((index ? s.index(index) : s).getAllKeys());
    });
  }
  /** The records for `keys`, in that order (undefined where none), in one transaction. */
  getMany(store, keys) {
    return this.tx([store], 'readonly', (t) => {
      const s = t.objectStore(store);
      return Promise.all(keys.map((k) => req(s.get(k))));
    });
  }
  count(store) { return this.tx([store], 'readonly', (t) => req(t.objectStore(store).count())); }
  put(store, value, key) {
    return this.tx([store], 'readwrite', (t) => { t.objectStore(store).put(value, key); });
  }
  del(store, key) { return this.tx([store], 'readwrite', (t) => { t.objectStore(store).delete(key); }); }
  /** Records whose `index` key is `value` (or in a key range), in index order; `count` at most. */
  byIndex(store, index, value, count) {
    return this.tx([store], 'readonly', (t) => req(t.objectStore(store).index(index).getAll(value, count)));
  }
  /** How many records `index` holds (those with a valid key at its key path). */
  countIndex(store, index) {
    return this.tx([store], 'readonly', (t) => req(t.objectStore(store).index(index).count()));
  }
  meta(key) { return this.get('meta', key); }
  setMeta(key, value) { return this.put('meta', value, key); }
  close() { this.db.close(); }
}

export { req as request };
