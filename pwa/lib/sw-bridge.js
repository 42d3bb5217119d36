// The only page code that touches navigator.serviceWorker: registration, the update
// prompt (a new version waits until the user agrees), Background Sync, the version.

export class SwBridge extends EventTarget {
  constructor(url = '/sw.js') {
    super();
    this.url = url;
    this.reg = null;
    this.reloading = false;
  }

  get supported() { return 'serviceWorker' in navigator; }

  async register() {
    if (!this.supported) return null;
    const sw = navigator.serviceWorker;
    sw.addEventListener('controllerchange', () => { if (this.reloading) location.reload(); });
    sw.addEventListener('message', (e) => this.dispatchEvent(new CustomEvent('message', { detail: e.data })));
    const reg = await sw.register(this.url, { type: 'module', scope: '/' });
    this.reg = reg;
    const check = () => { if (reg.waiting && sw.controller) this.dispatchEvent(new Event('update')); };
    reg.addEventListener('updatefound', () => {
      const w = reg.installing;
      w?.addEventListener('statechange', () => { if (w.state === 'installed') check(); });
    });
    check();
    return reg;
  }

  /** Look for a new version now (the browser also does on navigation). */
  update() { return this.reg?.update().catch(() => null); }

  get updateWaiting() { return Boolean(this.reg?.waiting && navigator.serviceWorker.controller); }

  /** The user agreed: activate the waiting version and reload into it. */
  accept() {
    if (!this.reg?.waiting) return;
    this.reloading = true;
    this.reg.waiting.postMessage({ type: 'SKIP_WAITING' });
  }

  /** Ask the browser to run a sync when the network is back, even if the tab is closed. */
  async backgroundSync() {
    try { await this.reg?.sync?.register('rounds-outbox'); } catch { /* not supported or not allowed */ }
  }

  /** The controlling worker's version, or null without one. */
  version() {
    const c = this.supported && navigator.serviceWorker.controller;
    if (!c) return Promise.resolve(null);
    return new Promise((resolve) => {
      const ch = new MessageChannel();
      ch.port1.onmessage = (e) => resolve(e.data?.version ?? null);
      c.postMessage({ type: 'VERSION' }, [ch.port2]);
      setTimeout(() => resolve(null), 1000);
    });
  }
}
