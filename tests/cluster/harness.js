// Harness of the cluster tests, after tests/support/harness.js: the topology
// started by tests/cluster/cluster-up (its cluster.env), a browser-like HTTPS
// client that can be pointed at web node 1, web node 2 or the load balancer,
// SQL on any Galera node, the mails of the shared SMTP sink, the topology's
// shell functions (kill a database node, restart it, kill an nginx), and a
// bounded load loop for the fault tests.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const https = require('node:https');
const crypto = require('node:crypto');
const { execFileSync, execFile } = require('node:child_process');

const repo = path.resolve(__dirname, '../..');

function loadEnv() {
  const file = process.env.KOSMO_CLUSTER_ENV;
  if (!file || !fs.existsSync(file)) throw new Error('KOSMO_CLUSTER_ENV does not name a cluster.env (run through ctest -L cluster)');
  const env = {};
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const m = line.match(/^([A-Z0-9_]+)=(.*)$/);
    if (m) env[m[1]] = m[2].replace(/^'|'$/g, '');
  }
  return env;
}
const env = loadEnv();
const dir = env.KOSMO_CLUSTER;
const ca = fs.readFileSync(path.join(dir, 'shared/tls/cert.pem'));
const ports = { web1: Number(env.WEB1_PORT), web2: Number(env.WEB2_PORT), lb: Number(env.LB_PORT) };
const dbPorts = { 1: Number(env.DB1_PORT), 2: Number(env.DB2_PORT), 3: Number(env.DB3_PORT) };
const mailDir = path.join(dir, 'web1/mail');
// Kept-alive connections to each web node (per client address); none
// through the load balancer: haproxy balances connections (mode tcp), so a
// new one per request makes consecutive requests alternate between the nodes.
const agents = new Map();
function agentFor(via, from) {
  if (via === 'lb') return false;
  const key = `${via} ${from || ''}`;
  if (!agents.has(key)) agents.set(key, new https.Agent({ keepAlive: true, ca, maxSockets: 64, localAddress: from }));
  return agents.get(key);
}

function sleep(ms) { return new Promise((r) => setTimeout(r, ms)); }

// One HTTPS request; never throws: a network failure is status 0 with `error`.
// `from` is the client's address: any 127.x.y.z works on loopback, and nginx
// hands it to the programs as REMOTE_ADDR (the per-address limits of D7).
function rawRequest(via, method, urlPath, { headers = {}, body, timeoutMs = 30000, from } = {}) {
  return new Promise((resolve) => {
    const started = Date.now();
    const req = https.request({
      host: '127.0.0.1', port: ports[via], method, path: urlPath, headers,
      agent: agentFor(via, from), localAddress: from, ca, timeout: timeoutMs,
    }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, text: Buffer.concat(chunks).toString('utf8'),
        location: res.headers.location, via, ms: Date.now() - started }));
      res.on('error', (error) => resolve({ status: 0, error: error.code || String(error), headers: {}, text: '', via, ms: Date.now() - started }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (error) => resolve({ status: 0, error: error.code || error.message, headers: {}, text: '', via, ms: Date.now() - started }));
    if (body !== undefined) req.write(body);
    req.end();
  });
}

// A browser-like client: keeps cookies, never follows redirects, and sends
// each request to `via` (web1, web2 or lb) unless the call names another,
// from the address `from` (default 127.0.0.1).
class Client {
  constructor(via = 'lb', from = undefined) { this.via = via; this.from = from; this.cookies = new Map(); }
  cookieHeader() { return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '); }
  remember(res) {
    let setCookies = res.headers['set-cookie'] || [];
    if (!Array.isArray(setCookies)) setCookies = [setCookies];
    for (const c of setCookies) {
      const [pair, ...attrs] = c.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (attrs.some((a) => /^\s*max-age=0\s*$/i.test(a)) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
  async request(method, urlPath, { form, via = this.via, headers = {}, timeoutMs } = {}) {
    const h = { ...headers };
    if (this.cookies.size) h.cookie = this.cookieHeader();
    let body;
    if (form) {
      body = new URLSearchParams(form).toString();
      h['content-type'] = 'application/x-www-form-urlencoded';
      h['content-length'] = Buffer.byteLength(body);
    }
    const res = await rawRequest(via, method, urlPath, { headers: h, body, timeoutMs, from: this.from });
    if (res.status) this.remember(res);
    // The identity check runs after the answer (D1); its effects exist once
    // every node's queue is empty.
    if (method === 'POST' && urlPath === '/forgot-id' && res.status === 303) await identityChecksDone();
    return res;
  }
  get(p, o = {}) { return this.request('GET', p, o); }
  post(p, form, o = {}) { return this.request('POST', p, { ...o, form }); }
  // GETs a form page and returns its CSRF token (the hidden field).
  async csrf(p, o = {}) {
    const page = await this.get(p, o);
    const m = page.text.match(/name="csrf" value="([^"]+)"/);
    if (!m) throw new Error(`no CSRF field on ${p} via ${o.via || this.via} (status ${page.status} ${page.error || ''})`);
    return m[1];
  }
  async submit(p, fields, o = {}) {
    const token = await this.csrf(p, o);
    return this.post(o.action || p, { csrf: token, ...fields }, o);
  }
  login(member, password = member.password, o = {}) {
    return this.submit('/login', { login_id: member.login_id, password }, o);
  }
  // 本人確認 of R3 with the member's own data: the ID mail is queued (R1).
  requestIdMail(member, o = {}) {
    return this.submit('/forgot-id', { card_symbol: member.card_symbol, card_number: member.card_number,
      birth_date: member.birth_date, email: member.email }, o);
  }
}

// ---- SQL on a Galera node (root over its socket) ----
// Waits for the cluster's committed writes first (wsrep_sync_wait), so a check
// reads what the cluster holds, whichever node it asks.
async function identityChecksDone(timeoutMs = 20000) {
  const deadline = Date.now() + timeoutMs;
  while (sqlValue('SELECT COUNT(*) FROM identity_requests') !== '0') {
    if (Date.now() > deadline) throw new Error('identity checks still queued after 20 s');
    await new Promise((r) => setTimeout(r, 25));
  }
}

function sql(query, { node = 3, causal = true } = {}) {
  const text = (causal ? 'SET SESSION wsrep_sync_wait = 1; ' : '') + query;
  const out = execFileSync('mariadb', [`--defaults-file=${path.join(env.GALERA_ROOT, `node${node}/my.cnf`)}`, '-N', '-B', '--raw', 'kosmo', '-e', text],
    { encoding: 'utf8' });
  return out.split('\n').filter((l) => l !== '').map((l) => l.split('\t').map((v) => (v === 'NULL' ? null : v)));
}
function sqlValue(query, opts) {
  const rows = sql(query, opts);
  return rows.length ? rows[0][0] : undefined;
}
function wsrepStatus(node) {
  const out = execFileSync('mariadb', [`--defaults-file=${path.join(env.GALERA_ROOT, `node${node}/my.cnf`)}`, '-N', '-B', '-e',
    "SHOW GLOBAL STATUS LIKE 'wsrep_%'"], { encoding: 'utf8' });
  const status = {};
  for (const line of out.split('\n')) { const [k, v] = line.split('\t'); if (k) status[k] = v; }
  return status;
}

function admin(args, input = '') {
  return execFileSync(path.join(env.KOSMO_BUILD, 'kosmo-admin'), ['--config', path.join(dir, 'admin.conf'), ...args],
    { input, encoding: 'utf8' });
}

let counter = 0;
// A fresh member for one test (as tests/support/harness.js): unique login ID
// and card, known password, logged in before (R1 ア) unless asked otherwise.
function createMember(opts = {}) {
  counter += 1;
  const unique = String(8000000000000 + (Date.now() % 1e10) * 100 + (counter % 100));
  const stamp = unique.slice(-8);
  const member = {
    login_id: opts.login_id || unique,
    password: opts.password || `pw-${stamp}-Secure!`,
    card_symbol: opts.card_symbol || `${6000 + (counter % 1000)}`,
    card_number: opts.card_number || `${stamp}`,
    birth_date: opts.birth_date || '1980-01-02',
    email: opts.email === undefined ? `cluster${stamp}@example.jp` : opts.email,
    // Members are different people on different networks: a browser of this
    // member (new Client(via, member.address)) talks from its own address.
    address: `127.1.${Math.floor(counter / 250) % 250}.${(counter % 250) + 1}`,
  };
  const args = ['member', 'add', '--login-id', member.login_id, '--card-symbol', member.card_symbol,
    '--card-number', member.card_number, '--birth-date', member.birth_date];
  if (member.email) args.push('--email', member.email);
  if (opts.logged_in !== false) args.push('--logged-in');
  const out = admin(args, `${member.password}\n`);
  member.member_id = Number(out.match(/member_id=(\d+)/)[1]);
  return member;
}

// The sessions row of a session cookie (only its SHA-256 is stored).
function sessionHashHex(cookie) { return crypto.createHash('sha256').update(cookie).digest('hex'); }

// ---- mail in the shared sink ----
function mailFiles() {
  if (!fs.existsSync(mailDir)) return [];
  return fs.readdirSync(mailDir).filter((f) => f.endsWith('.eml')).sort().map((f) => path.join(mailDir, f));
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
  return { file, raw, headers, to: headers.to || '', messageId: headers['message-id'] || '', body };
}
function mailsTo(address) { return mailFiles().map(parseMail).filter((m) => m.to.includes(address)); }
// Waits until `count` mails to `address` are in the sink; returns them oldest first.
async function waitForMails(address, count = 1, { timeoutMs = 20000 } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const mails = mailsTo(address);
    if (mails.length >= count) return mails;
    if (Date.now() > deadline) throw new Error(`${mails.length} of ${count} mails to ${address} within ${timeoutMs} ms`);
    await sleep(100);
  }
}
// The token of the ID-notice URL in a mail (R5).
function tokenOf(mail) {
  const m = mail.body.match(/\/id-notice\?t=([A-Za-z0-9_-]{43})/);
  if (!m) throw new Error(`no ID-notice URL in ${mail.file}`);
  return m[1];
}

// ---- the topology's shell functions (tests/cluster/cluster.sh) ----
function clusterScript(fn) {
  return `source "${path.join(__dirname, 'cluster.sh')}" && cluster_env "${env.KOSMO_BUILD}" && ${fn}`;
}
function cluster(fn) {
  return execFileSync('bash', ['-c', clusterScript(fn)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}
// The same, without blocking the event loop (a load runs meanwhile).
function clusterAsync(fn) {
  return new Promise((resolve, reject) => {
    execFile('bash', ['-c', clusterScript(fn)], { encoding: 'utf8' }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${fn}: ${error.message}\n${stderr}`)); else resolve(stdout + stderr);
    });
  });
}

function readLog(web, name) {
  const file = path.join(dir, web, 'log', `${name}.log`);
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
}
// Lines of a program's log with `event=NAME`, across both web nodes.
function logEvents(name, event) {
  return ['web1', 'web2'].flatMap((web) => readLog(web, name).split('\n').filter((l) => l.includes(` event=${event} `) || l.endsWith(` event=${event}`)));
}
function pidOf(web, name) {
  const file = path.join(dir, web, 'run', `${name}.pid`);
  return fs.existsSync(file) ? Number(fs.readFileSync(file, 'utf8').trim()) : 0;
}

// ---- haproxy's view of the web nodes (its stats socket) ----
function lbServerStates() {
  const out = execFileSync('socat', ['-', `UNIX-CONNECT:${path.join(dir, 'lb/haproxy.sock')}`], { input: 'show stat\n', encoding: 'utf8' });
  const states = {};
  for (const line of out.split('\n')) {
    const f = line.split(',');
    if (f[0] === 'be_web' && /^web\d$/.test(f[1])) states[f[1]] = f[17];
  }
  return states;
}
async function waitFor(what, predicate, { timeoutMs = 15000, everyMs = 100 } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await predicate();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(everyMs);
  }
}

// ---- bounded load ----
// Runs `concurrency` loops of `step(i, worker)` until `maxRequests` steps ran
// or `maxSeconds` passed, whichever first; returns every step's result.
async function boundedLoad({ concurrency, maxRequests, maxSeconds, step }) {
  const results = [];
  const deadline = Date.now() + maxSeconds * 1000;
  let next = 0;
  async function worker(w) {
    while (next < maxRequests && Date.now() < deadline) {
      const i = next++;
      const started = Date.now();
      try {
        results.push({ i, worker: w, started, ...(await step(i, w)), ended: Date.now() });
      } catch (error) {
        results.push({ i, worker: w, started, ok: false, error: String(error), ended: Date.now() });
      }
    }
  }
  await Promise.all(Array.from({ length: concurrency }, (_, w) => worker(w)));
  return results;
}

// rate_limit_events.subject_hash as fcgi/lib/account/rate_limits.cpp computes it:
// HMAC(HMAC(csrf_key, "kosmo-limits-v1"), scope ":" subject), hex.
function limitSubjectHashHex(scope, subject) {
  const secrets = fs.readFileSync(path.join(dir, 'shared/secrets.conf'), 'utf8');
  const csrfKey = Buffer.from(secrets.match(/^csrf_key = ([0-9a-f]+)$/m)[1], 'hex');
  const limitsKey = crypto.createHmac('sha256', csrfKey).update('kosmo-limits-v1').digest();
  return crypto.createHmac('sha256', limitsKey).update(`${scope}:${subject}`).digest('hex');
}

module.exports = {
  env, dir, ports, dbPorts, repo, Client, rawRequest, sql, sqlValue, wsrepStatus, admin, createMember, sessionHashHex,
  mailFiles, parseMail, mailsTo, waitForMails, tokenOf, cluster, clusterAsync, readLog, logEvents, pidOf,
  lbServerStates, waitFor, boundedLoad, sleep, limitSubjectHashHex,
};
