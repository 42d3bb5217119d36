// The page-side handle on the PDF worker: render a quote's PDF on the device, then view,
// share or download it. Nothing loads until the first call (Pyodide is ~13 MB).
//
//   const { bytes, sha256 } = await renderQuotePdf(quote.document);
//   window.open(pdfUrl(bytes));  or  await sharePdf(bytes, `${quote.number}.pdf`);
//
// The sha256 travels with the quote (device_pdf_sha256); the server renders the same JSON and
// records whether its bytes match.

const RUNTIME = ['pyodide.mjs', 'pyodide.asm.mjs', 'pyodide.asm.wasm', 'python_stdlib.zip', 'pyodide-lock.json'];

let worker = null;
let seq = 0;
const pending = new Map();

function engine() {
  if (worker) return worker;
  worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
  worker.onmessage = (e) => {
    const { id, ok, result, error } = e.data;
    const p = pending.get(id);
    pending.delete(id);
    if (p) (ok ? p.resolve(result) : p.reject(new Error(error)));
  };
  worker.onerror = (e) => {
    for (const p of pending.values()) p.reject(new Error(e.message || 'PDF engine failed to start'));
    pending.clear();
    worker?.terminate();
    worker = null;
  };
  return worker;
}

function call(type, args = {}) {
  return new Promise((resolve, reject) => {
    const id = ++seq;
    pending.set(id, { resolve, reject });
    engine().postMessage({ id, type, ...args });
  });
}

/** Render a quote JSON (QuoteRead.document, or composeQuoteJson's result) to PDF bytes. */
export function renderQuotePdf(quoteJson) {
  return call('render', { quote: quoteJson });
}

/** Build the quote JSON from replica records with the server's own composer (see wire.py). */
export async function composeQuoteJson(parts) {
  return (await call('compose', { parts })).quote;
}

/** Start the engine ahead of need (e.g. when the quote screen opens); resolves when ready. */
export function warmEngine() {
  return call('warm');
}

/** Download the engine's files into the caches without starting it, so PDFs work offline. */
export async function prefetchEngine() {
  const base = new URL('../vendor/pyodide/', import.meta.url);
  const whole = (r) => {
    if (!r.ok) throw new Error(`PDF engine file ${r.url}: HTTP ${r.status}`);
    return r.blob();
  };
  await Promise.all([
    ...RUNTIME.map((f) => fetch(new URL(f, base)).then(whole)),
    fetch(new URL('./worker.js', import.meta.url)).then(whole),
    caches.open('rounds-pdf-engine-v1').then(async (cache) => {
      const res = await fetch('/api/quotes/engine.zip');
      if (!res.ok) throw new Error(`PDF engine bundle: HTTP ${res.status}`);
      await cache.put('/api/quotes/engine.zip', res);
    }),
  ]);
}

/** Stop the worker and free its memory (~100 MB once started). */
export function stopEngine() {
  worker?.terminate();
  worker = null;
}

/** A blob: URL to show the PDF (revoke it when the view closes). */
export function pdfUrl(bytes) {
  return URL.createObjectURL(new Blob([bytes], { type: 'application/pdf' }));
}

/** Share through the phone's share sheet when it takes files, else download. */
export async function sharePdf(bytes, filename, title = filename) {
  const file = new File([bytes], filename, { type: 'application/pdf' });
  if (navigator.canShare?.({ files: [file] })) {
    await navigator.share({ files: [file], title });
    return 'shared';
  }
  downloadPdf(bytes, filename);
  return 'downloaded';
}

/** Save the PDF through a download link. */
export function downloadPdf(bytes, filename) {
  const url = pdfUrl(bytes);
  const a = Object.assign(document.createElement('a'), { href: url, download: filename });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
