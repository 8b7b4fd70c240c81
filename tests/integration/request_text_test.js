// D18 (issue 13 items 1 and 3): request data is untrusted bytes. A header that
// is not valid UTF-8, or a multi-byte one cut inside a character, used to make
// the audit INSERT fail in strict SQL mode: the request's transaction rolled
// back with the counted login failure in it, the answer was a 500, and a right
// password still got its session cookie. So password guessing was unlimited
// and unaudited. Here every header the programs read carries such bytes on
// every screen, through nginx: never a 5xx, the failures still count and lock,
// the audit rows exist, and no session cookie comes with a failure. A field
// that grows under NFKC is measured after it, and no input of any form gives
// a 5xx (a seeded property test).
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const tls = require('node:tls');
const { env, createMember, sql, sqlValue, q, identityChecksDone } = require('../support/harness');
const { limits, seedHits, hitsOf, blockedSeconds, awayFromWindowEnd, freshAddress, ClientFrom, removeSeeded } = require('../support/hardening');

test.after(() => removeSeeded());

const FAILED = /ログインIDまたはパスワードが正しくありません。/;
const LOCKED = /ログインを一時的に制限しています/;

// A client from its own loopback address that writes every header byte as
// given: Node's http client would re-encode a header string as UTF-8, and
// no invalid byte would ever reach nginx. Header values are latin1 strings
// (one char, one byte) or arrays of them (one line each).
// It replaces Client.request (tests/support/client.js), which every other
// call of the client (get, post, csrf, login) goes through.
class RawClient extends ClientFrom {
  request(method, urlPath, { form, headers = {}, body } = {}) {
    const h = { ...headers };
    if (this.cookies.size) h.cookie = this.cookieHeader();
    let payload = body;
    if (form) {
      payload = new URLSearchParams(form).toString();
      h['content-type'] = h['content-type'] || 'application/x-www-form-urlencoded';
    }
    const lines = [`${method} ${urlPath} HTTP/1.1`, `host: 127.0.0.1:${env.KOSMO_HTTPS_PORT}`, 'connection: close'];
    for (const [name, value] of Object.entries(h)) for (const v of [].concat(value)) lines.push(`${name}: ${v}`);
    if (payload !== undefined) lines.push(`content-length: ${Buffer.byteLength(payload)}`);
    const head = Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1');
    return new Promise((resolve, reject) => {
      const socket = tls.connect({ host: '127.0.0.1', port: Number(env.KOSMO_HTTPS_PORT), localAddress: this.address,
        servername: 'localhost', rejectUnauthorized: false }, () => {
        socket.write(head);
        if (payload !== undefined) socket.write(payload);
      });
      const chunks = [];
      socket.on('data', (c) => chunks.push(c));
      socket.on('error', reject);
      socket.on('end', () => {
        const raw = Buffer.concat(chunks);
        const split = raw.indexOf('\r\n\r\n');
        const headLines = raw.subarray(0, split).toString('latin1').split('\r\n');
        const status = Number(headLines[0].split(' ')[1]);
        const fields = headLines.slice(1).map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]);
        let bodyBytes = raw.subarray(split + 4);
        if (fields.some(([n, v]) => n === 'transfer-encoding' && /chunked/i.test(v))) {
          const parts = [];
          for (let at = 0; ;) {
            const eol = bodyBytes.indexOf('\r\n', at);
            const size = parseInt(bodyBytes.subarray(at, eol).toString('latin1'), 16);
            if (!size) break;
            parts.push(bodyBytes.subarray(eol + 2, eol + 2 + size));
            at = eol + 2 + size + 2;
          }
          bodyBytes = Buffer.concat(parts);
        }
        const get = (n) => { const v = fields.filter(([k]) => k === n.toLowerCase()).map(([, x]) => x); return v.length ? v.join(', ') : null; };
        const headersView = { get, getSetCookie: () => fields.filter(([k]) => k === 'set-cookie').map(([, x]) => x) };
        const result = { status, headers: headersView, text: bodyBytes.toString('utf8'), location: get('location') };
        this.remember(result);
        resolve(result);
      });
    });
  }
}

// Header values as latin1 strings: each char below U+0100 is one byte on the wire.
const bytes = (...b) => Buffer.from(b).toString('latin1');
const utf8Bytes = (text) => Buffer.from(text, 'utf8').toString('latin1');
const BAD = {
  // An invalid byte, a byte-order-mark pair, an overlong '/', a UTF-16 surrogate.
  invalid: `Mozilla/5.0 ${bytes(0xff, 0xfe, 0xc0, 0xaf, 0xed, 0xa0, 0x80)} Gecko`,
  // "A" + 86 × あ = 259 bytes: the old substr(0, 255) cut the 85th あ in two.
  truncated: utf8Bytes(`A${'あ'.repeat(86)}`),
  // A cut character at the very end.
  cutEnd: `Mozilla${bytes(0xe3, 0x81)}`,
};
const VARIANTS = Object.entries(BAD);

// Every header the programs read (fcgi/lib/screen.cpp handle_request):
// User-Agent, Cookie, Content-Type, and the client-address header.
function badHeaders(value) {
  return { 'user-agent': value, 'x-forwarded-for': value, 'x-real-ip': value };
}
function withBadCookie(client, value) {
  client.cookies.set('kosmo_junk', value);
  client.cookies.set('__Host-kosmo_grant', value);
}

function sessionCookies(res) {
  return res.headers.getSetCookie().filter((c) => /^__Host-kosmo_session=[^;]/.test(c));
}
function assertNo5xx(res, where) {
  assert.ok(res.status < 500, `${where}: status ${res.status}`);
  if (res.status >= 400) assert.deepEqual(sessionCookies(res), [], `${where}: a failure set a session cookie`);
}
function auditRows(memberId, event) {
  return sql(`SELECT HEX(user_agent), CHAR_LENGTH(user_agent), LENGTH(user_agent) FROM audit_events ` +
    `WHERE member_id = ${memberId} AND event = ${q(event)} ORDER BY audit_id`);
}

// Valid UTF-8 survives a decode and re-encode byte for byte.
function isValidUtf8Hex(hex) {
  const stored = Buffer.from(hex, 'hex');
  return Buffer.from(stored.toString('utf8'), 'utf8').equals(stored);
}

async function postWith(client, path, fields, headers, csrfFrom = path) {
  const token = await client.csrf(csrfFrom);
  return client.request('POST', path, { form: { csrf: token, ...fields }, headers });
}

for (const [name, value] of VARIANTS) {
  test(`D18, D7, D8 (${name} User-Agent): item 1's attack meets the lockout; every failure is counted and audited, no 500`, async () => {
    await awayFromWindowEnd('login_id');
    const member = createMember();
    const attacker = new RawClient(freshAddress());
    // Three failures before the lock, as the stack's limit is set far out of the way.
    seedHits('login_id', member.login_id, limits.login_id.max - 3);
    const statuses = [];
    for (let i = 1; i <= 8; i += 1) {
      const res = await postWith(attacker, '/login', { login_id: member.login_id, password: `wrong-${i}` }, badHeaders(value));
      assertNo5xx(res, `wrong password ${i}`);
      assert.deepEqual(sessionCookies(res), []);
      statuses.push(res.status);
    }
    // The first `max` are checked and counted, the rest meet the lock (D7).
    assert.deepEqual(statuses, [200, 200, 200, 429, 429, 429, 429, 429]);
    assert.equal(hitsOf('login_id', member.login_id), limits.login_id.max);
    assert.ok(blockedSeconds('login_id', member.login_id) > 0, 'the login ID is locked');
    // D8: each attempt left its row, with the agent as valid UTF-8 of at most 255 bytes.
    const failed = auditRows(member.member_id, 'login_failed');
    assert.equal(failed.length, 3);
    const locked = auditRows(member.member_id, 'login_locked');
    assert.equal(locked.length, 1 + 5);  // lockout_started, then five refused
    for (const [hex, chars, length] of [...failed, ...locked]) {
      assert.ok(Number(length) <= 255 && Number(chars) > 0, `user_agent of ${length} bytes`);
      assert.ok(isValidUtf8Hex(hex), `user_agent ${hex} is valid UTF-8`);
    }
    // A fresh, normal attempt with the right password meets the lockout.
    const normal = await new RawClient(freshAddress()).login(member);
    assert.equal(normal.status, 429);
    assert.match(normal.text, LOCKED);
    assert.deepEqual(sessionCookies(normal), []);
  });
}

test('D18: a right password with an invalid or cut User-Agent logs in normally, audited with the agent made valid', async () => {
  for (const [name, value] of VARIANTS) {
    const member = createMember();
    const client = new RawClient(freshAddress());
    const res = await postWith(client, '/login', { login_id: member.login_id, password: member.password }, badHeaders(value));
    assert.equal(res.status, 303, name);
    assert.equal(sessionCookies(res).length, 1, name);
    const [[hex, , length]] = auditRows(member.member_id, 'login_succeeded');
    const stored = Buffer.from(hex, 'hex');
    assert.ok(Number(length) <= 255, `${name}: ${length} bytes`);
    assert.ok(isValidUtf8Hex(hex), `${name}: stored agent is valid UTF-8`);
    if (name === 'invalid') assert.ok(stored.toString('utf8').includes('\uFFFD'), 'invalid bytes became U+FFFD');
    if (name === 'truncated') assert.equal(stored.toString('utf8'), `A${'あ'.repeat(84)}`, 'cut between characters');
    assert.equal((await client.get('/mypage')).status, 200, `${name}: the session works`);
  }
});

test('D18: invalid and cut values in every header the programs read, on every screen, give no 5xx and no session cookie on failure', async () => {
  for (const [name, value] of VARIANTS) {
    const member = createMember();
    const client = new RawClient(freshAddress());
    assert.equal((await client.login(member)).status, 303);
    withBadCookie(client, value);
    const headers = { ...badHeaders(value) };
    const steps = [
      ['GET', '/login'], ['GET', '/forgot-id'], ['GET', '/forgot-id/sent'], ['GET', '/id-notice?t=abc'],
      ['GET', '/password-reset'], ['GET', '/password'], ['GET', '/mypage'], ['GET', '/healthz'],
      ['GET', '/email'], ['GET', '/email/confirm?t=abc'],
    ];
    for (const [method, path] of steps) assertNo5xx(await client.request(method, path, { headers }), `${name} ${method} ${path}`);
    const contentType = `application/x-www-form-urlencoded; charset=${value}`;
    const posts = [
      ['/forgot-id', { card_symbol: member.card_symbol, card_number: member.card_number, birth_date: member.birth_date, email: member.email }],
      ['/id-notice', { t: 'x'.repeat(43) }, '/forgot-id'],
      ['/password-reset', {}, '/forgot-id'],
      ['/password', { current_password: 'wrong', new_password: 'a-new-Passw0rd-here', new_password_confirm: 'a-new-Passw0rd-here' }],
      ['/email', { new_email: 'new@example.org', new_email_confirm: 'new@example.org', current_password: 'wrong' }],
      ['/email/confirm', { t: 'x'.repeat(43) }, '/forgot-id'],
      ['/login', { login_id: member.login_id, password: 'wrong' }],
      ['/logout', {}, '/mypage'],
    ];
    for (const [path, fields, csrfFrom] of posts) {
      const res = await postWith(client, path, fields, { ...headers, 'content-type': contentType }, csrfFrom || path);
      assertNo5xx(res, `${name} POST ${path}`);
    }
    // The identity check ran after the answer and audited it with the agent made valid (D8).
    await identityChecksDone();
    const [[hex]] = auditRows(member.member_id, 'identity_check');
    const stored = Buffer.from(hex, 'hex');
    assert.ok(isValidUtf8Hex(hex) && stored.length <= 255, `${name}: identity_check agent`);
    assert.equal(auditRows(member.member_id, 'password_change_failed').length, 1, `${name}: the wrong current password is audited`);
    assert.equal(auditRows(member.member_id, 'email_change_refused').length, 1, `${name}: the address change's wrong password is audited (D16)`);
  }
});

test('D18 (item 3): 64 × U+FDFA passes no length check it should not: the form shows the error beside the field, nothing is queued', async () => {
  const client = new RawClient(freshAddress());
  const before = sqlValue('SELECT COUNT(*) FROM identity_requests');
  const auditBefore = sqlValue("SELECT COUNT(*) FROM audit_events WHERE event = 'identity_check'");
  const grown = '\uFDFA'.repeat(64);  // 64 characters typed, 1,152 after NFKC
  const res = await postWith(client, '/forgot-id', { card_symbol: grown, card_number: grown, birth_date: '1980-01-02', email: 'taro@example.jp' });
  assert.equal(res.status, 200);
  assert.match(res.text, /id="card_symbol_error">保険証の記号は64文字以内で入力してください。/);
  assert.match(res.text, /id="card_number_error">保険証の番号は64文字以内で入力してください。/);
  assert.equal(sqlValue('SELECT COUNT(*) FROM identity_requests'), before);
  assert.equal(sqlValue("SELECT COUNT(*) FROM audit_events WHERE event = 'identity_check'"), auditBefore);
});

// A small seeded generator, so a failure can be replayed (the seed is printed).
function generator(seed) {
  let s = seed >>> 0;
  const next = () => { s = (s + 0x6d2b79f5) >>> 0; let t = s; t = Math.imul(t ^ (t >>> 15), t | 1); t ^= t + Math.imul(t ^ (t >>> 7), t | 61); return ((t ^ (t >>> 14)) >>> 0) / 4294967296; };
  const pick = (list) => list[Math.floor(next() * list.length)];
  return { next, pick };
}
// Pieces people and attackers type, percent-encoded as the body carries them:
// characters that grow under NFKC, full-width forms, combining marks, emoji,
// era dates, and bytes that are not UTF-8 at all.
const PIECES = [
  '1', 'A', 'ａ', '１', '－', 'ー', ' ', '　', '@', '.', 'example.jp', '昭和55年1月2日', 'S55.1.2', '1980-01-02',
  '\uFDFA', '\u3300', '\uFB03', '\u2474', 'e\u0301', '😀', '\u202E', 'ｶﾞ', '%', '<script>', "'", '"', '\\',
].map(encodeURIComponent).concat(['%FF', '%C0%AF', '%ED%A0%80', '%E3%81', '%00', '%0A', '%C2%85', '%F4%90%80%80']);
function randomValue(rng) {
  const count = rng.pick([0, 1, 2, 8, 30, 64, 65, 200]);
  let out = '';
  for (let i = 0; i < count; i += 1) out += rng.pick(PIECES);
  return out;
}

test('D18 (property): no input of any form gives a 5xx', async () => {
  const seed = Number(process.env.KOSMO_PROPERTY_SEED || Date.now() % 100000);
  const rng = generator(seed);
  const member = createMember();
  const forms = [
    ['/login', ['login_id', 'password'], false],
    ['/forgot-id', ['card_symbol', 'card_number', 'birth_date', 'email'], false],
    ['/id-notice', ['t', 'birth_date'], false],
    ['/password', ['current_password', 'new_password', 'new_password_confirm'], true],
  ];
  const rounds = 30;  // 120 POSTs, about 10 s
  let client = null;
  let tokens = {};
  for (let round = 0; round < rounds; round += 1) {
    // A new address every 3 rounds stays under nginx's POST rate per address.
    if (round % 3 === 0) {
      client = new RawClient(freshAddress());
      assert.equal((await client.login(member)).status, 303);
      tokens = {};
      for (const [path] of forms) tokens[path] = await client.csrf(path === '/id-notice' ? '/forgot-id' : path);
    }
    for (const [path, fields] of forms) {
      const body = [`csrf=${tokens[path]}`, ...fields.map((f) => `${f}=${randomValue(rng)}`)].join('&');
      const res = await client.request('POST', path, { body, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      // The current password is random too, so no change ever succeeds.
      assert.ok(res.status < 500, `seed ${seed} round ${round} POST ${path} ${body.slice(0, 300)}: status ${res.status}`);
    }
  }
});
