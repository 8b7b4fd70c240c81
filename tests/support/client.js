// The one HTTP client of the tests: a browser-like client over node:https
// that keeps cookies, reads CSRF fields, posts forms, never follows
// redirects, can leave from a chosen loopback address (nginx's $remote_addr,
// which the D7 limits count), and sends raw requests with headers fetch()
// refuses (a forged Host, D13). The integration harness points it at the test
// stack's nginx, the cluster harness at a web node or the load balancer.
'use strict';
const https = require('node:https');

// An answer's headers, read both ways the tests read them: fetch's
// Headers (get, getSetCookie, entries) and node's lower-case properties
// (res.headers['retry-after']).
class ResponseHeaders {
  constructor(raw) {
    Object.defineProperty(this, 'raw', { value: raw, enumerable: false });
    Object.assign(this, raw);
  }
  get(name) {
    const v = this.raw[name.toLowerCase()];
    if (v === undefined) return null;
    return Array.isArray(v) ? v.join(', ') : String(v);
  }
  has(name) { return this.raw[name.toLowerCase()] !== undefined; }
  getSetCookie() {
    const v = this.raw['set-cookie'];
    if (v === undefined) return [];
    return Array.isArray(v) ? v : [v];
  }
  entries() { return Object.keys(this.raw).sort().map((k) => [k, this.get(k)])[Symbol.iterator](); }
  [Symbol.iterator]() { return this.entries(); }
}

// One HTTPS request. target: { host, port, ca?, servername? }; from: the
// source address; agent: a keep-alive agent or false. Network failures
// reject (Client.request) unless `failAsStatus0` (the cluster's fault tests
// count them as status 0 with `error`).
function send(target, { method, path, headers = {}, body, from, agent = false, timeoutMs = 30000 }) {
  const h = { ...headers };
  if (body !== undefined && h['content-length'] === undefined) h['content-length'] = Buffer.byteLength(body);
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const req = https.request({
      host: target.host, port: target.port, ca: target.ca, servername: target.servername,
      method, path, headers: h, localAddress: from, agent, timeout: timeoutMs,
    }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => resolve({
        status: res.statusCode, headers: new ResponseHeaders(res.headers), text: Buffer.concat(chunks).toString('utf8'),
        location: res.headers.location === undefined ? null : res.headers.location, ms: Date.now() - started,
      }));
    });
    req.on('timeout', () => req.destroy(new Error(`timeout after ${timeoutMs} ms`)));
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

// "https://127.0.0.1:8443" -> { host, port }.
function targetOf(base) {
  const url = new URL(base);
  return { host: url.hostname, port: Number(url.port || 443) };
}

class Client {
  // target: a base URL or { host, port, ca, servername }; from: source
  // address (default: the kernel's, 127.0.0.1); settle(method, path, result):
  // awaited after each answer (the harness waits for the identity check that
  // runs after a POST /forgot-id's answer, D1).
  constructor(target, { from, settle, keepAlive = true, failAsStatus0 = false } = {}) {
    this.target = typeof target === 'string' ? targetOf(target) : target;
    this.from = from;
    this.settle = settle;
    this.failAsStatus0 = failAsStatus0;
    this.cookies = new Map();
    // One connection pool per browser, as a browser keeps its own.
    this.agent = keepAlive ? new https.Agent({ keepAlive: true, maxSockets: 64 }) : false;
  }
  cookieHeader() { return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '); }
  remember(res) {
    for (const c of res.headers.getSetCookie()) {
      const [pair, ...attrs] = c.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (attrs.some((a) => /^\s*max-age=0\s*$/i.test(a)) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
  // settle: false times the answer alone (no wait for work after it).
  async request(method, urlPath, { form, headers = {}, body, settle = true, timeoutMs, target = this.target, agent = this.agent } = {}) {
    const h = { ...headers };
    if (this.cookies.size && h.cookie === undefined) h.cookie = this.cookieHeader();
    let payload = body;
    if (form) {
      payload = new URLSearchParams(form).toString();
      h['content-type'] = h['content-type'] || 'application/x-www-form-urlencoded';
    }
    let result;
    try {
      result = await send(target, { method, path: urlPath, headers: h, body: payload, from: this.from, agent, timeoutMs });
    } catch (error) {
      if (!this.failAsStatus0) throw error;
      return { status: 0, error: error.code || error.message, headers: new ResponseHeaders({}), text: '', location: null };
    }
    this.remember(result);
    if (settle && this.settle) await this.settle(method, urlPath, result);
    return result;
  }
  get(p, o) { return this.request('GET', p, o); }
  post(p, form, o = {}) { return this.request('POST', p, { ...o, form }); }
  // GETs a form page and returns its CSRF token (the hidden field).
  async csrf(p, o = {}) {
    const page = await this.get(p, o);
    const m = page.text.match(/name="csrf" value="([^"]+)"/);
    if (!m) throw new Error(`no CSRF field on ${p} (status ${page.status}${page.error ? ` ${page.error}` : ''})`);
    return m[1];
  }
  // The form of page `p` (its CSRF field) posted to `action`; a string third
  // argument is the action (the integration tests' form), an object the options.
  async submit(p, fields, actionOrOptions = p) {
    const o = typeof actionOrOptions === 'string' ? { action: actionOrOptions } : actionOrOptions;
    const token = await this.csrf(p, o);
    return this.post(o.action || p, { csrf: token, ...fields }, o);
  }
  login(member, password = member.password, o = {}) {
    return this.submit('/login', { login_id: member.login_id, password }, o);
  }
  // 本人確認 (R3) with the member's own data: the ID mail is queued (R1).
  requestIdMail(member, o = {}) {
    return this.submit('/forgot-id', { card_symbol: member.card_symbol, card_number: member.card_number,
      birth_date: member.birth_date, email: member.email }, o);
  }
}

// A raw request without a cookie jar: any header (Host, X-Forwarded-*), any
// body; node's lower-case header object as `headers`.
async function rawRequest(target, method, urlPath, headers = {}, body = '', { from } = {}) {
  const res = await send(typeof target === 'string' ? targetOf(target) : target,
    { method, path: urlPath, headers, body, from });
  return { ...res, headers: res.headers.raw };
}

module.exports = { Client, ResponseHeaders, rawRequest, send, targetOf };
