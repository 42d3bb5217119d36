// Form drafts saved as they are typed, so a crashed tab or a dead battery loses nothing.

export function draftKeeper(store, key) {
  let timer = null;
  let latest = null;
  const flush = () => { clearTimeout(timer); timer = null; if (latest) return store.put('drafts', { key, ...latest, saved_at: new Date().toISOString() }); return null; };
  return {
    load: () => store.get('drafts', key),
    // Written almost at once: a short debounce only to coalesce fast typing.
    save(values) { latest = { values }; clearTimeout(timer); timer = setTimeout(flush, 150); },
    flush,
    clear() { clearTimeout(timer); latest = null; return store.del('drafts', key); },
  };
}
