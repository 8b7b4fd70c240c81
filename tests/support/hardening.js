// Support for the hardening tests (issue 5): a client that connects from a
// chosen loopback address (so REMOTE_ADDR really differs, without trusting
// any header), the stack's limit configuration, the keyed subject hash the
// programs store in rate_limits (fcgi/lib/account/rate_limits.cpp), and a way to
// seed a counter close to its limit so N and N+1 can be tried through nginx
// without sending N requests first.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const https = require('node:https');
const crypto = require('node:crypto');
const { env, Client, sql, sqlValue, settleIdentityCheck } = require('./harness');

const etc = path.join(env.KOSMO_VAR, 'etc');

function readConf(file) {
  const out = {};
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const m = line.match(/^\s*([A-Za-z0-9_.]+)\s*=\s*(.*?)\s*$/);
    if (m) out[m[1]] = m[2];
  }
  return out;
}
const conf = readConf(path.join(etc, 'kosmo.conf'));
const secrets = readConf(path.join(etc, 'secrets.conf'));

// The limits in force on the test stack (config defaults where unset).
const limits = {
  identity_ip: { max: Number(conf['limits.identity_ip.max'] || 100), window: Number(conf['limits.identity_ip.window'] || 3600) },
  identity_card: { max: Number(conf['limits.identity_card.max'] || 10), window: Number(conf['limits.identity_card.window'] || 3600) },
  login_ip: { max: Number(conf['limits.login_ip.max_failures'] || 100), window: Number(conf['limits.login_ip.window'] || 3600) },
  login_id: { max: Number(conf['limits.login_id.max_failures'] || 5), window: Number(conf['limits.login_id.window'] || 86400) },
  lockout: Number(conf['limits.login_id.lockout'] || 60),
  lockoutMax: Number(conf['limits.login_id.lockout_max'] || 3600),
};

// HMAC-SHA256(HMAC-SHA256(csrf_key, "kosmo-limits-v1"), scope ":" subject), hex.
function limitHash(scope, subject) {
  const key = crypto.createHmac('sha256', Buffer.from(secrets.csrf_key, 'hex')).update('kosmo-limits-v1').digest();
  return crypto.createHmac('sha256', key).update(`${scope}:${subject}`).digest('hex').toUpperCase();
}
function cardSubject(symbol, number) { return `${symbol}\n${number}`; }

// Identity attempts and failed logins per address are rows of
// rate_limit_events (a sliding window); failed logins per login ID are one
// counter row per fixed window in rate_limits (fcgi/lib/account/rate_limits.h).
const EVENT_SCOPES = new Set(['identity_ip', 'identity_card', 'login_ip']);
const seeded = new Set();

// Removes every counter a test seeded (the test stack's limits are large, so
// a seeded subject holds many rows); call it from test.after().
function removeSeeded() {
  for (const key of seeded) {
    const [scope, hash] = key.split('/');
    sql(`DELETE FROM ${EVENT_SCOPES.has(scope) ? 'rate_limit_events' : 'rate_limits'} WHERE scope = '${scope}' AND subject_hash = UNHEX('${hash}')`);
  }
  seeded.clear();
}

// Makes the subject's count in its current window `hits`.
function seedHits(scope, subject, hits) {
  const hash = limitHash(scope, subject);
  seeded.add(`${scope}/${hash}`);
  if (EVENT_SCOPES.has(scope)) {
    sql(`DELETE FROM rate_limit_events WHERE scope = '${scope}' AND subject_hash = UNHEX('${hash}')`);
    // One statement for any count (MariaDB's SEQUENCE engine), a second old: inside the window.
    if (hits > 0) sql(`INSERT INTO rate_limit_events (scope, subject_hash, occurred_at) SELECT '${scope}', UNHEX('${hash}'), UTC_TIMESTAMP(6) - INTERVAL 1 SECOND FROM seq_1_to_${Math.floor(hits)}`);
    return;
  }
  const w = limits[scope].window;
  sql(`INSERT INTO rate_limits (scope, subject_hash, window_start, hits) VALUES ('${scope}', UNHEX('${hash}'), ` +
      `FROM_UNIXTIME(UNIX_TIMESTAMP() DIV ${w} * ${w}), ${hits}) ON DUPLICATE KEY UPDATE hits = ${hits}`);
}
// The subject's count in its current window.
function hitsOf(scope, subject) {
  const hash = limitHash(scope, subject);
  if (EVENT_SCOPES.has(scope)) {
    return Number(sqlValue(`SELECT COUNT(*) FROM rate_limit_events WHERE scope = '${scope}' AND subject_hash = UNHEX('${hash}') ` +
      `AND occurred_at > UTC_TIMESTAMP(6) - INTERVAL ${limits[scope].window} SECOND`));
  }
  return Number(sqlValue(`SELECT COALESCE(SUM(hits), 0) FROM rate_limits WHERE scope = '${scope}' AND subject_hash = UNHEX('${hash}')`));
}
function blockedSeconds(scope, subject) {
  const v = sqlValue(`SELECT TIMESTAMPDIFF(SECOND, UTC_TIMESTAMP(6), MAX(blocked_until)) FROM rate_limits WHERE scope = '${scope}' AND subject_hash = UNHEX('${limitHash(scope, subject)}')`);
  return v === null || v === undefined ? null : Number(v);
}
// Waits when the current fixed window of `scope` ends within `seconds`, so a
// test counting N and N+1 never straddles two windows (sliding windows: no-op).
async function awayFromWindowEnd(scope, seconds = 10) {
  if (EVENT_SCOPES.has(scope)) return;
  const w = limits[scope].window;
  const left = Number(sqlValue(`SELECT ${w} - UNIX_TIMESTAMP() MOD ${w}`));
  if (left <= seconds) await new Promise((r) => setTimeout(r, (left + 1) * 1000));
}

let nextAddress = 10 + Math.floor(Math.random() * 200);
// A fresh loopback source address (127.0.X.Y) for one test.
function freshAddress() {
  nextAddress += 1;
  return `127.${(process.pid % 200) + 20}.${Math.floor(nextAddress / 250) % 250}.${(nextAddress % 250) + 1}`;
}

// A Client whose connections leave from `address`: nginx's $remote_addr is
// that address, exactly as for a distinct machine.
class ClientFrom extends Client {
  constructor(address) { super(); this.address = address; }
  // settle: as Client's, after POST /forgot-id wait for the identity check.
  async request(method, urlPath, { form, headers = {}, body, settle = true } = {}) {
    const result = await this.send(method, urlPath, { form, headers, body });
    if (settle) await settleIdentityCheck(method, urlPath, result);
    return result;
  }
  send(method, urlPath, { form, headers, body }) {
    const h = { ...headers };
    if (this.cookies.size) h.cookie = this.cookieHeader();
    let payload = body;
    if (form) {
      payload = new URLSearchParams(form).toString();
      h['content-type'] = h['content-type'] || 'application/x-www-form-urlencoded';
    }
    if (payload !== undefined) h['content-length'] = Buffer.byteLength(payload);
    return new Promise((resolve, reject) => {
      const req = https.request({ host: '127.0.0.1', port: Number(env.KOSMO_HTTPS_PORT), path: urlPath, method,
        headers: h, localAddress: this.address, agent: false }, (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const raw = res.headers;
          const headersView = {
            get: (n) => { const v = raw[n.toLowerCase()]; return v === undefined ? null : Array.isArray(v) ? v.join(', ') : String(v); },
            getSetCookie: () => raw['set-cookie'] || [],
          };
          const result = { status: res.statusCode, headers: headersView, text: Buffer.concat(chunks).toString('utf8'), location: raw.location || null };
          this.remember(result);
          resolve(result);
        });
      });
      req.on('error', reject);
      if (payload !== undefined) req.write(payload);
      req.end();
    });
  }
}

// Drops what differs between two renderings of one page anyway.
function stripVolatile(text) {
  return text.replace(/name="csrf" value="[^"]+"/g, '').replace(/お問い合わせ番号[^<]*/g, '').replace(/value="[^"]*"/g, '');
}

module.exports = { conf, limits, limitHash, cardSubject, seedHits, removeSeeded, hitsOf, blockedSeconds, awayFromWindowEnd, freshAddress, ClientFrom, stripVolatile };
