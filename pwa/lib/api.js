// The HTTP client: bearer token, one refresh on 401, problem+json turned into ApiError.

export class ApiError extends Error {
  constructor(status, problem = {}, retryAfter = null) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.status = status;
    this.type = problem.type;
    this.title = problem.title;
    this.detail = problem.detail;
    this.errors = problem.errors || [];
    this.retryAfter = retryAfter;
  }
}

/** The network could not be reached (offline, DNS, server down). */
export class NetworkError extends Error {}

/** The session is gone (refresh refused): the user must log in again. */
export class AuthError extends ApiError {}

export class Api {
  /** session: {load(), save(s)} where s = {access_token, refresh_token, expires_at, user}. */
  constructor(session, base = '') {
    this.session = session;
    this.base = base;
    this.refreshing = null;
  }

  async login(email, password) {
    const body = await this.raw('POST', '/api/auth/login', { body: { email, password } });
    return this.session.save(this.toSession(body));
  }

  toSession(body) {
    return {
      access_token: body.access_token, refresh_token: body.refresh_token,
      expires_at: Date.now() + (body.expires_in || 900) * 1000, user: body.user,
    };
  }

  async refresh() {
    // One refresh at a time: parallel 401s wait for the same new token.
    if (!this.refreshing) {
      // A refresh token works once: a second use ends the whole login (the server takes it for
      // a stolen copy). Tabs take turns through a Web Lock, and a tab that finds the token
      // already rotated by another uses the new one instead of spending the old one again.
      const rotate = async (seen) => {
        const s = await this.session.load();
        if (!s?.refresh_token) throw new AuthError(401, { title: 'Not logged in' });
        if (seen && s.refresh_token !== seen) return s;
        try {
          const body = await this.raw('POST', '/api/auth/refresh', { body: { refresh_token: s.refresh_token } });
          return await this.session.save({ ...this.toSession(body), user: body.user || s.user });
        } catch (e) {
          if (e instanceof ApiError && (e.status === 401 || e.status === 403)) throw new AuthError(e.status, e);
          throw e;
        }
      };
      this.refreshing = (async () => {
        const seen = (await this.session.load())?.refresh_token;
        const locks = self.navigator?.locks;
        return locks ? locks.request('rounds-token-refresh', () => rotate(seen)) : rotate(seen);
      })().finally(() => { this.refreshing = null; });
    }
    return this.refreshing;
  }

  /** An authenticated request; refreshes the access token once when it is refused. */
  async request(method, path, opts = {}) {
    let s = await this.session.load();
    if (s && s.expires_at && s.expires_at - Date.now() < 30000) s = await this.refresh();
    try {
      return await this.raw(method, path, { ...opts, token: s?.access_token });
    } catch (e) {
      if (!(e instanceof ApiError) || e.status !== 401) throw e;
      s = await this.refresh();
      return this.raw(method, path, { ...opts, token: s.access_token });
    }
  }

  /** opts.headers: extra request headers; opts.withHeaders: resolve with {data, headers}. */
  async raw(method, path, { body, query, token, headers: extra, withHeaders } = {}) {
    const url = new URL(this.base + path, self.location.origin);
    for (const [k, v] of Object.entries(query || {})) if (v != null) url.searchParams.set(k, v);
    const headers = { Accept: 'application/json', 'Accept-Language': globalThis.document?.documentElement.lang || navigator.language || 'en' }; // problems in the user's language
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (token) headers.Authorization = `Bearer ${token}`;
    Object.assign(headers, extra);
    let res;
    try {
      res = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: 'no-store' });
    } catch (e) {
      throw new NetworkError(e.message || 'network unreachable');
    }
    const text = await res.text();
    let data = null;
    try { data = text ? JSON.parse(text) : null; } catch { data = { detail: text.slice(0, 200) }; }
    if (!res.ok) {
      const ra = res.headers.get('Retry-After');
      throw new ApiError(res.status, data || {}, ra == null ? null : Number(ra) || 1);
    }
    return withHeaders ? { data, headers: res.headers } : data;
  }
}
