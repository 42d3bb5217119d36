// Instant offline customer search: a prebuilt in-memory index of normalised text.

/** Lower-case, strip accents, fold punctuation to spaces. */
export function normalise(s) {
  return String(s ?? '').normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
}

export class CustomerIndex {
  constructor(customers = []) { this.build(customers); }

  build(customers) {
    this.rows = customers.map((c) => ({
      c,
      name: normalise(c.name),
      text: ` ${normalise([c.name, c.code, c.street, c.city, c.postal_code, c.segment].join(' '))}`,
    }));
    this.rows.sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Customers matching every word of `query` (word starts), names starting with it first. */
  search(query, limit = 50) {
    const q = normalise(query);
    if (!q) return this.rows.slice(0, limit).map((r) => r.c);
    const words = q.split(' ').map((w) => ` ${w}`);
    const first = [];
    const rest = [];
    for (const r of this.rows) {
      if (!words.every((w) => r.text.includes(w))) continue;
      (r.name.startsWith(q) ? first : rest).push(r.c);
      if (first.length >= limit) break;
    }
    return first.concat(rest).slice(0, limit);
  }
}
