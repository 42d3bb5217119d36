// Order and quote pricing (one priced-document core), the same rules as backend/quotes/pricing.py (tax-exclusive, half-up, 2 places),
// in exact decimal arithmetic on BigInt so no float ever touches money.
//   gross = q(qty * price); discount = q(gross * pct / 100); net = gross - discount;
//   line tax = q(net * rate / 100); per rate: tax = q(sum(nets) * rate / 100);
//   subtotal = sum(nets); tax_total = sum(per-rate tax); total = subtotal + tax_total.

const TEN = 10n;

/** Parse "12.345" (or a number) into {v, s}: value = v / 10^s. */
export function dec(x) {
  const str = String(x ?? '0').trim().replace(',', '.') || '0';
  if (!/^-?\d*(\.\d*)?$/.test(str) || str === '.' || str === '-') throw new Error(`not a number: ${x}`);
  const neg = str.startsWith('-');
  const [i, f = ''] = str.replace('-', '').split('.');
  const v = BigInt((i || '0') + f);
  return { v: neg ? -v : v, s: f.length };
}

const scaleTo = (a, s) => a.v * TEN ** BigInt(s - a.s);
const mul = (a, b) => ({ v: a.v * b.v, s: a.s + b.s });
const add = (a, b) => { const s = Math.max(a.s, b.s); return { v: scaleTo(a, s) + scaleTo(b, s), s }; };
const sub = (a, b) => add(a, { v: -b.v, s: b.s });
const pct = (a) => ({ v: a.v, s: a.s + 2 }); // divide by 100 exactly

/** Round half away from zero (the server's half_up) to `places` decimals. */
export function round(a, places = 2) {
  if (a.s <= places) return { v: scaleTo(a, places), s: places };
  const div = TEN ** BigInt(a.s - places);
  const neg = a.v < 0n;
  const abs = neg ? -a.v : a.v;
  let q = abs / div;
  if ((abs % div) * 2n >= div) q += 1n;
  return { v: neg ? -q : q, s: places };
}

/** Format a decimal as a plain string with exactly `places` decimals ("12.50"). */
export function str(a, places = 2) {
  const r = round(a, places);
  const neg = r.v < 0n;
  const digits = (neg ? -r.v : r.v).toString().padStart(places + 1, '0');
  const out = places ? `${digits.slice(0, -places)}.${digits.slice(-places)}` : digits;
  return neg ? `-${out}` : out;
}

const ZERO = { v: 0n, s: 0 };

/** Price one line; every amount is returned as a 2-place string. */
export function priceLine({ quantity, unit_price, discount_pct = '0', tax_rate = '0' }) {
  const gross = round(mul(dec(quantity), dec(unit_price)));
  const discount = round(pct(mul(gross, dec(discount_pct))));
  const net = sub(gross, discount);
  const tax = round(pct(mul(net, dec(tax_rate))));
  return {
    gross: str(gross), discount_amount: str(discount), net: str(net),
    tax_amount: str(tax), total: str(add(net, tax)),
  };
}

/** Price an order: priceQuote with no document discount, without its discount fields. */
export function priceOrder(lines) {
  const { document_discount_amount: _d, net_total: _n, ...order } = priceQuote(lines, '0');
  return order;
}

/** Exact a > b on decimal strings (a discount against the price list's limit). */
export function above(a, b) {
  const x = dec(a);
  const y = dec(b);
  const s = Math.max(x.s, y.s);
  return scaleTo(x, s) > scaleTo(y, s);
}

/** a + b on decimal strings, as a plain string with the larger of their scales ("2.5" + 1 = "3.5"). */
export function plus(a, b) {
  const r = add(dec(a), dec(b));
  return str(r, r.s);
}

/**
 * Price a quote: lines as priceOrder, then the document discount (backend/quotes/pricing.py,
 * tax-exclusive): q(sum of nets × pct / 100), allocated over the tax-rate buckets by largest
 * remainder (ties to the lower rate); each bucket's tax on its base after the allocation.
 */
export function priceQuote(lines, documentDiscountPct = '0') {
  const priced = lines.map((l) => ({ ...l, ...priceLine(l) }));
  const buckets = new Map();
  for (const l of priced) {
    const key = str(dec(l.tax_rate), 4);
    buckets.set(key, add(buckets.get(key) || ZERO, dec(l.net)));
  }
  const rates = [...buckets.keys()].sort((a, b) => Number(a) - Number(b));
  const cents = rates.map((r) => round(buckets.get(r)).v); // nets are whole cents already
  const sum = cents.reduce((a, b) => a + b, 0n);
  const discount = round(pct(mul({ v: sum, s: 2 }, dec(documentDiscountPct || '0'))));
  const amount = discount.v;
  let alloc = cents.map(() => 0n);
  if (amount !== 0n && sum !== 0n) {
    alloc = cents.map((w) => (amount * w) / sum); // floor: every weight and the amount are >= 0
    const rem = cents.map((w, i) => ({ i, r: (amount * w) % sum }));
    let left = Number(amount - alloc.reduce((a, b) => a + b, 0n));
    rem.sort((x, y) => (y.r > x.r ? 1 : y.r < x.r ? -1 : x.i - y.i));
    for (const { i } of rem) { if (left-- <= 0) break; alloc[i] += 1n; }
  }
  let net = ZERO;
  let taxTotal = ZERO;
  const breakdown = rates.map((rate, i) => {
    const base = { v: cents[i] - alloc[i], s: 2 };
    const tax = round(pct(mul(base, dec(rate))));
    net = add(net, base);
    taxTotal = add(taxTotal, tax);
    return { rate, base: str(base), tax: str(tax) };
  });
  return {
    lines: priced, tax_breakdown: breakdown, subtotal: str({ v: sum, s: 2 }),
    document_discount_amount: str(discount), net_total: str(net),
    tax_total: str(taxTotal), total: str(add(net, taxTotal)),
  };
}
