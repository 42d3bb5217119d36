// The device's PDF engine: Pyodide running the server's own quote modules, off the main thread.
// Loaded only when the rep first asks for a PDF. The runtime comes from /vendor/pyodide/ (our
// copy of the npm package, cached by the service worker); reportlab, backend/quotes and the
// Pillow stand-in come as one zip from the backend, kept in our own cache for offline use.
import { loadPyodide } from '../vendor/pyodide/pyodide.mjs';

const ENGINE_URL = '/api/quotes/engine.zip';
const ENGINE_CACHE = 'rounds-pdf-engine-v1';
const SITE = '/lib/rounds';

let ready = null;

/** The engine zip: revalidated by ETag when online, from our cache when offline. */
async function engineZip() {
  const cache = await caches.open(ENGINE_CACHE);
  const cached = await cache.match(ENGINE_URL);
  try {
    const headers = cached?.headers.get('ETag') ? { 'If-None-Match': cached.headers.get('ETag') } : {};
    const res = await fetch(ENGINE_URL, { headers, cache: 'no-store' });
    if (res.status === 304 && cached) return cached.arrayBuffer();
    if (res.ok) {
      await cache.put(ENGINE_URL, res.clone());
      return res.arrayBuffer();
    }
  } catch {
    // Offline: the cached copy below.
  }
  if (cached) return cached.arrayBuffer();
  throw new Error('The PDF engine has not been downloaded yet: connect once, then PDFs work offline.');
}

async function start() {
  const t0 = performance.now();
  const indexURL = new URL('../vendor/pyodide/', import.meta.url).href;
  const phases = {};
  const timed = (name, promise) => promise.then((v) => { phases[name] = performance.now() - t0; return v; });
  const [py, zip] = await Promise.all([timed('runtime', loadPyodide({ indexURL })), timed('bundle', engineZip())]);
  py.unpackArchive(new Uint8Array(zip), 'zip', { extractDir: SITE });
  phases.unpacked = performance.now() - t0;
  // Our directory first: its PIL stand-in must win over any Pillow (there is none by default).
  py.runPython(`
import sys, json
sys.path.insert(0, ${JSON.stringify(SITE)})
from backend.quotes.wire import compose_quote_json, quote_document_from_json
from backend.quotes.pdf import render_quote_pdf

def _render(text):
    return render_quote_pdf(quote_document_from_json(json.loads(text)))

def _compose(text):
    p = json.loads(text)
    return json.dumps(compose_quote_json(p["quote"], p["lines"], p["customer"], p.get("contact"),
                                         p["company"], p.get("policy")), ensure_ascii=False)
`);
  phases.imported = performance.now() - t0;
  return { py, render: py.globals.get('_render'), compose: py.globals.get('_compose'), startMs: phases.imported, phases };
}

async function sha256Hex(bytes) {
  const digest = await crypto.subtle.digest('SHA-256', bytes);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

const HANDLERS = {
  async warm() {
    const engine = await (ready ??= start());
    return { startMs: engine.startMs, phases: engine.phases };
  },
  async compose({ parts }) {
    const engine = await (ready ??= start());
    return { quote: JSON.parse(engine.compose(JSON.stringify(parts))) };
  },
  async render({ quote }) {
    const cold = ready === null;
    const engine = await (ready ??= start());
    const t0 = performance.now();
    const out = engine.render(typeof quote === 'string' ? quote : JSON.stringify(quote));
    const bytes = out.toJs();
    out.destroy();
    const renderMs = performance.now() - t0;
    return { bytes, sha256: await sha256Hex(bytes), renderMs, startMs: cold ? engine.startMs : 0 };
  },
};

self.onmessage = async (e) => {
  const { id, type, ...args } = e.data;
  try {
    const result = await HANDLERS[type](args);
    self.postMessage({ id, ok: true, result }, result.bytes ? [result.bytes.buffer] : []);
  } catch (err) {
    if (type !== 'render' && type !== 'compose') ready = null; // a failed start may be retried
    self.postMessage({ id, ok: false, error: String(err?.message || err) });
  }
};
