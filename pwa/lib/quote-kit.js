// What a quote PDF needs to be made offline: the seller's header and the PDF engine. Both are
// fetched while the device is online (after a sync), not when the first PDF is asked for, so
// the first quote a rep makes with no signal works. The engine is fetched once per version,
// a few seconds after a sync and never on a metered (save-data) link.

import { ENGINE_RUNTIME_CACHE } from '../sw/shell.js';
import { t } from './i18n.js';

const QUOTING_ROLES = new Set(['rep', 'manager', 'admin']);
const COMPANY_MAX_AGE_MS = 60 * 60 * 1000; // the office rarely changes its header
const ENGINE_DELAY_MS = 5000; // let the first screen and the sync have the link first

let inFlight = null;

/** The seller's header: fresh when online (kept for offline), else the kept copy. */
export async function companyHeader(ctx, { fresh = true } = {}) {
  if (fresh && navigator.onLine) {
    try {
      return await saveCompany(ctx, await ctx.api.request('GET', '/api/quotes/company'));
    } catch { /* the kept copy below */ }
  }
  const kept = await ctx.store.meta('quote_company');
  if (!kept) throw new Error(t('needs_network'));
  return kept;
}

async function saveCompany(ctx, company) {
  await ctx.store.setMeta('quote_company', company);
  await ctx.store.setMeta('quote_company_at', Date.now());
  return company;
}

/** Is the engine of this app version kept on the device? */
export async function engineKept(ctx) {
  return (await ctx.store.meta('pdf_engine')) === ENGINE_RUNTIME_CACHE;
}

function linkAllows() {
  const conn = navigator.connection;
  return !conn || !conn.saveData;
}

/** Keep the header and the engine on the device; cheap when both are already there. */
export function keepQuoteKit(ctx) {
  const role = ctx.me()?.role;
  if (!QUOTING_ROLES.has(role) || !navigator.onLine || inFlight) return inFlight;
  inFlight = (async () => {
    // Quote numbers are made on the device (<client code>-Q<n>): learn the code while online.
    await ctx.clientCode();
    const at = await ctx.store.meta('quote_company_at');
    if (!at || Date.now() - at > COMPANY_MAX_AGE_MS) {
      await companyHeader(ctx).catch(() => null);
    }
    if (!(await engineKept(ctx)) && linkAllows()) {
      await new Promise((r) => setTimeout(r, ENGINE_DELAY_MS));
      if (!navigator.onLine) return;
      const { prefetchEngine } = await import('../pdf/client.js');
      await prefetchEngine();
      await ctx.store.setMeta('pdf_engine', ENGINE_RUNTIME_CACHE);
    }
    // Said on the page (tests and the Settings screen read it): quotes work offline now.
    if (await engineKept(ctx) && await ctx.store.meta('quote_company')) {
      document.documentElement.dataset.quoteKit = 'ready';
    }
  })().catch((e) => console.warn('quote kit', e)).finally(() => { inFlight = null; });
  return inFlight;
}

/** Start the engine in the background (a quote screen opened); a failed start is retried on use. */
export async function warmPdfEngine(ctx) {
  if (!(await engineKept(ctx)) && !(navigator.onLine && linkAllows())) return;
  const { warmEngine } = await import('../pdf/client.js');
  await warmEngine().catch(() => null);
}
