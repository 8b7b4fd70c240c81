// Test harness for the integration and browser tests: the stack started by
// tests/support/stack-up (its test.env), an HTTP client with a cookie jar that
// talks to nginx like a browser would, SQL through the mariadb client, the
// .eml files of the SMTP sink, and the stack's start/stop functions.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');

const repo = path.resolve(__dirname, '../..');

// Debian 12's Node 18 fetch (its undici 5.15) has no Headers.getSetCookie()
// and joins several Set-Cookie headers with ", " in get('set-cookie'). Split
// them back where a comma is followed by a new cookie's "name=" (an Expires
// date's comma is followed by a day number, never by "name=").
if (typeof Headers.prototype.getSetCookie !== 'function') {
  Headers.prototype.getSetCookie = function getSetCookie() {
    const joined = this.get('set-cookie');
    return joined ? joined.split(/,\s*(?=[!#$%&'*+\-.^_`|~0-9A-Za-z]+=)/) : [];
  };
}

function loadEnv() {
  const file = process.env.KOSMO_TEST_ENV;
  if (!file || !fs.existsSync(file)) throw new Error('KOSMO_TEST_ENV does not name a test.env (run through ctest)');
  const env = {};
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const m = line.match(/^([A-Z_]+)=(.*)$/);
    if (m) env[m[1]] = m[2].replace(/^'|'$/g, '');
  }
  return env;
}
const env = loadEnv();
const baseUrl = `https://127.0.0.1:${env.KOSMO_HTTPS_PORT}`;
const mailDir = path.join(env.KOSMO_VAR, 'mail');

// Runs a function of scripts/stack.sh (db_stop, sink_start, ...) with the test stack's environment.
function stack(fn) {
  return execFileSync('bash', ['-c', `set -a; source "$KOSMO_TEST_ENV"; set +a; source "${repo}/scripts/stack.sh"; ${fn}`],
    { env: process.env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

// Runs SQL as root over the private socket; returns rows as arrays of strings (NULL -> null).
function sql(query) {
  const out = execFileSync('mariadb', [`--defaults-file=${path.join(env.KOSMO_VAR, 'mariadb/my.cnf')}`, '-N', '-B', '--raw', 'kosmo', '-e', query],
    { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });  // whole-table reads (the audit trail test)
  return out.split('\n').filter((l) => l !== '').map((l) => l.split('\t').map((v) => (v === 'NULL' ? null : v)));
}
function sqlValue(query) {
  const rows = sql(query);
  return rows.length ? rows[0][0] : undefined;
}
// Quotes a string for SQL built by tests only (the product never builds SQL).
function q(value) { return `'${String(value).replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`; }

function admin(args, input = '') {
  return execFileSync(path.join(env.KOSMO_BUILD, 'kosmo-admin'), ['--config', path.join(env.KOSMO_VAR, 'etc/kosmo.conf'), ...args],
    { input, encoding: 'utf8' });
}

let counter = 0;
// A fresh member for one test: unique login ID and card, known password.
function createMember(opts = {}) {
  counter += 1;
  // 13 digits like the manual's IDs, unique across the test files of one run.
  const unique = String(9000000000000 + (Date.now() % 1e10) * 100 + (counter % 100));
  const stamp = unique.slice(-8);
  const member = {
    login_id: opts.login_id || unique,
    password: opts.password || `pw-${stamp}-Secure!`,
    card_symbol: opts.card_symbol || `${7000 + (counter % 1000)}`,
    card_number: opts.card_number || `${stamp}`,
    birth_date: opts.birth_date || '1980-01-02',
    email: opts.email === undefined ? `member${stamp}@example.jp` : opts.email,
  };
  const args = ['member', 'add', '--login-id', member.login_id, '--card-symbol', member.card_symbol,
    '--card-number', member.card_number, '--birth-date', member.birth_date];
  if (member.email) args.push('--email', member.email);
  if (opts.logged_in !== false) args.push('--logged-in');
  if (opts.temporary) args.push('--temporary');
  const out = admin(args, `${member.password}\n`);
  member.member_id = Number(out.match(/member_id=(\d+)/)[1]);
  return member;
}

// The identity check of POST /forgot-id runs after the answer (D1): its
// effects (token, outbox row, audit row) exist once the queue is empty.
// Tests look at those effects right after the 303, so the client waits here.
async function identityChecksDone(timeoutMs = 15000) {
  const deadline = Date.now() + timeoutMs;
  while (sqlValue('SELECT COUNT(*) FROM identity_requests') !== '0') {
    if (Date.now() > deadline) throw new Error('identity checks still queued after 15 s');
    await sleep(20);
  }
}

// After a POST /forgot-id answered 303, waits until its identity check ran
// (after the answer, D1), so the test can look for the mail or the audit row.
async function settleIdentityCheck(method, urlPath, result) {
  if (method === 'POST' && urlPath === '/forgot-id' && result.status === 303) await identityChecksDone();
}

// A browser-like client: keeps cookies, never follows redirects by itself.
class Client {
  // `base`: another front end of the same stack (the Apache test's https://127.0.0.1:PORT).
  constructor(base = baseUrl) { this.cookies = new Map(); this.base = base; }
  cookieHeader() { return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '); }
  remember(res) {
    const setCookies = res.headers.getSetCookie();
    for (const c of setCookies) {
      const [pair, ...attrs] = c.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (attrs.some((a) => /^\s*max-age=0\s*$/i.test(a)) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
  // settle: after POST /forgot-id, wait for the identity check (false: time the answer alone).
  async request(method, urlPath, { form, headers = {}, body, settle = true } = {}) {
    const h = { ...headers };
    if (this.cookies.size) h.cookie = this.cookieHeader();
    let payload = body;
    if (form) {
      payload = new URLSearchParams(form).toString();
      h['content-type'] = h['content-type'] || 'application/x-www-form-urlencoded';
    }
    const res = await fetch(this.base + urlPath, { method, headers: h, body: payload, redirect: 'manual' });
    this.remember(res);
    const text = await res.text();
    const result = { status: res.status, headers: res.headers, text, location: res.headers.get('location') };
    if (settle) await settleIdentityCheck(method, urlPath, result);
    return result;
  }
  get(p, o) { return this.request('GET', p, o); }
  post(p, form, o = {}) { return this.request('POST', p, { ...o, form }); }
  // GETs a form page and returns its CSRF token (the hidden field).
  async csrf(p) {
    const page = await this.get(p);
    const m = page.text.match(/name="csrf" value="([^"]+)"/);
    if (!m) throw new Error(`no CSRF field on ${p} (status ${page.status})`);
    return m[1];
  }
  async submit(p, fields, action = p) {
    const token = await this.csrf(p);
    return this.post(action, { csrf: token, ...fields });
  }
  async login(member, password = member.password) {
    return this.submit('/login', { login_id: member.login_id, password });
  }
}

// ---- mail in the sink ----
function mailFiles() {
  if (!fs.existsSync(mailDir)) return [];
  return fs.readdirSync(mailDir).filter((f) => f.endsWith('.eml')).sort().map((f) => path.join(mailDir, f));
}
function decodeWords(value) {
  return value.replace(/\r?\n[ \t]/g, ' ').replace(/=\?UTF-8\?B\?([^?]+)\?=\s*/gi, (_, b) => Buffer.from(b, 'base64').toString('utf8')).trim();
}
function parseMail(file) {
  const raw = fs.readFileSync(file, 'utf8');
  const split = raw.search(/\r?\n\r?\n/);
  const head = raw.slice(0, split);
  const rawBody = raw.slice(split).replace(/^\r?\n\r?\n/, '');
  const headers = {};
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i > 0) headers[line.slice(0, i).toLowerCase()] = line.slice(i + 1).trim();
  }
  const encoding = (headers['content-transfer-encoding'] || '').toLowerCase();
  const body = encoding === 'base64' ? Buffer.from(rawBody.replace(/\s+/g, ''), 'base64').toString('utf8') : rawBody;
  return { file, raw, headers, subject: decodeWords(headers.subject || ''), to: headers.to || '', body };
}
// Waits until a mail to `address` arrives that was not there before; returns it.
async function waitForMail(address, { timeoutMs = 15000, since = new Set() } = {}) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const file of mailFiles()) {
      if (since.has(file)) continue;
      const mail = parseMail(file);
      if (mail.to.includes(address)) return mail;
    }
    await sleep(100);
  }
  throw new Error(`no mail to ${address} within ${timeoutMs} ms`);
}
function mailsTo(address) { return mailFiles().map(parseMail).filter((m) => m.to.includes(address)); }
function sleep(ms) { return new Promise((r) => setTimeout(r, ms)); }

module.exports = { identityChecksDone, settleIdentityCheck, env, baseUrl, mailDir, stack, sql, sqlValue, q, admin, createMember, Client, mailFiles, parseMail, waitForMail, mailsTo, sleep, repo };
