// The customer's inbox of offers: the offers in the replica, each with the inbox entry that
// brought it. Opening one marks it read on the server (recorded in the shop's history);
// offline, the mark waits in the replica's meta and is sent on the next visit online.

const PENDING = 'pending_reads';

const today = () => new Date().toISOString().slice(0, 10);

/** Offers still valid, newest first, each with its inbox entry (or null). */
export async function currentOffers(ctx) {
  const [offers, notes] = await Promise.all([ctx.store.all('offers'), ctx.store.all('notifications')]);
  const byOffer = new Map(notes.filter((n) => n.offer_id).map((n) => [n.offer_id, n]));
  return offers
    .filter((o) => !o.valid_until || String(o.valid_until).slice(0, 10) >= today())
    .filter((o) => !o.status || o.status === 'sent')
    .sort((a, b) => String(b.sent_at || b.created_at || '').localeCompare(String(a.sent_at || a.created_at || '')))
    .map((offer) => ({ offer, note: byOffer.get(offer.id) || null }));
}

/** Mark an inbox entry read: at once on the device, on the server when it can be reached. */
export async function markRead(ctx, note) {
  if (!note || note.read_at) return;
  await ctx.store.put('notifications', { ...note, read_at: new Date().toISOString() });
  try {
    await ctx.api.request('POST', `/api/notifications/${note.id}/read`);
  } catch {
    const waiting = new Set((await ctx.store.meta(PENDING)) || []);
    waiting.add(note.id);
    await ctx.store.setMeta(PENDING, [...waiting]);
  }
}

/** Send the read marks made offline (best effort; kept for the next try when it fails). */
export async function sendPendingReads(ctx) {
  const waiting = (await ctx.store.meta(PENDING)) || [];
  if (!waiting.length || !navigator.onLine) return;
  const left = [];
  for (const id of waiting) {
    try { await ctx.api.request('POST', `/api/notifications/${id}/read`); } catch (e) { if (e.name === 'NetworkError') left.push(id); }
  }
  await ctx.store.setMeta(PENDING, left);
}

/** The offer's own screen was opened: its inbox entry is read. */
export async function offerOpened(ctx, offerId) {
  const notes = await ctx.store.all('notifications');
  const note = notes.find((n) => n.offer_id === offerId && !n.read_at);
  if (note) await markRead(ctx, note);
}

// The rep's (and any user's) inbox of reminders and notifications: the `notifications` sync
// collection, so it lists offline from the last sync; a read mark goes through the outbox.

/** Entries newest first (by when they are due), unread ones first. */
export async function inboxEntries(ctx) {
  const notes = await ctx.store.all('notifications');
  const at = (n) => String(n.due_at || n.created_at || '');
  return notes.sort((a, b) => Boolean(a.read_at) - Boolean(b.read_at) || at(b).localeCompare(at(a)));
}

/** How many entries are unread (the badge on the tab). */
export const unreadCount = (notes) => notes.filter((n) => !n.read_at).length;

/** The screen an entry opens: its own link when it is an app link, else its customer. */
export function targetOf(note) {
  const url = String(note.url || '');
  const hash = url.includes('#/') ? url.slice(url.indexOf('#/')) : '';
  if (/^#\/(visit|order|customer|quote|quotes|offer|today|my)\b/.test(hash)) return hash;
  if (note.data?.order_id && note.customer_id) return `#/order/${note.customer_id}/${note.data.order_id}`;
  if (note.customer_id) return `#/customer/${note.customer_id}`;
  if (note.data?.route_id || /route/.test(note.kind || '')) return '#/today';
  return null;
}

/** Mark an entry read on the device now; the outbox tells the server (offline: later). */
export async function markReadQueued(ctx, note) {
  if (!note || note.read_at) return;
  await ctx.outbox.add({
    collection: 'notifications', op: 'update', id: note.id,
    fields: { read: true }, local: { read_at: new Date().toISOString() },
  });
  ctx.changed();
}
