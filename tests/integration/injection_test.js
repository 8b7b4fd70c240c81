// Issue 5 item 6 (ASVS V5.3.3, V5.3.4): classic SQL and XSS payloads posted
// to every field of every form (and put in the query parameters) execute
// nothing: no SQL error or 500, no sleep, no table or other member touched,
// no session or mail for anyone; and whatever the page echoes is escaped.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { Client, createMember, sqlValue } = require('../support/harness');

const SQL_PAYLOADS = [
  "' OR '1'='1", "' OR 1=1 -- ", '" OR ""="', "'; DROP TABLE members; -- ", '1; DELETE FROM sessions',
  "' UNION SELECT login_id, password_hash FROM members -- ", "1' AND SLEEP(3) -- -", "' OR SLEEP(3)#",
  "\\' OR 1=1 #", '%27%20OR%201%3D1', "0010000005750' -- ", "1' AND (SELECT 1 FROM (SELECT SLEEP(3))x) -- ",
];
const XSS_PAYLOADS = [
  '<script>alert(1)</script>', '"><svg onload=alert(1)>', "' onmouseover='alert(1)", '</title><script>alert(1)</script>',
  '<img src=x onerror=alert(1)>', 'javascript:alert(1)', '{{CSRF_TOKEN}}{{#LOGIN_FAILED}}',
];
const PAYLOADS = [...SQL_PAYLOADS, ...XSS_PAYLOADS];

// Everything outside the test's own member that a payload must not touch.
function fingerprint(ownIds) {
  const others = ownIds.length ? `WHERE member_id NOT IN (${ownIds.join(',')})` : '';
  return sqlValue(`SELECT CONCAT_WS('/',
    (SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'kosmo'),
    (SELECT COUNT(*) FROM members), (SELECT BIT_XOR(CRC32(CONCAT_WS(',', member_id, login_id, COALESCE(email, ''),
      COALESCE(password_hash, ''), is_disabled, COALESCE(last_login_at, '')))) FROM members ${others}),
    (SELECT COUNT(*) FROM sessions ${others}), (SELECT COUNT(*) FROM mail_outbox),
    (SELECT COUNT(*) FROM recovery_grants))`);
}

function assertEscaped(res, payload, where) {
  assert.ok(res.status < 500, `${where}: status ${res.status}`);
  if (/[<>"']/.test(payload)) assert.ok(!res.text.includes(payload), `${where}: the payload came back unescaped`);
  assert.doesNotMatch(res.text, /<script>alert|<svg onload|<img src=x|onmouseover='alert/, `${where}: markup from input`);
  assert.doesNotMatch(res.text, /SQLSTATE|syntax error|You have an error in your SQL|mysql|mariadb/i, `${where}: database text leaked`);
}

async function timed(promise) {
  const started = Date.now();
  const res = await promise;
  return { res, ms: Date.now() - started };
}

const forms = [
  { name: 'login', page: '/login', path: '/login', setup: async () => ({ client: new Client(), own: [] }),
    fields: () => ({ login_id: '0010000005750', password: 'pw-not-right' }) },
  { name: 'password change', page: '/password', path: '/password',
    setup: async () => {
      const member = createMember();
      const client = new Client();
      assert.equal((await client.login(member)).status, 303);
      return { client, member, own: [member.member_id] };
    },
    // A mismatching confirmation keeps the change from happening whatever the payload.
    fields: (s) => ({ current_password: s.member.password, new_password: 'another-long-passphrase', new_password_confirm: 'mismatch-on-purpose' }) },
  // Logout ends the session, so each payload gets a browser of its own, logged in beforehand.
  { name: 'logout', page: '/mypage', path: '/logout',
    setup: async () => {
      const member = createMember();
      const clients = [];
      for (let i = 0; i < PAYLOADS.length; i += 1) {
        const c = new Client();
        assert.equal((await c.login(member)).status, 303);
        clients.push(c);
      }
      return { client: clients[0], clients, member, own: [member.member_id] };
    },
    fields: () => ({ extra: '' }) },
  { name: 'identity (forgot-id)', page: '/forgot-id', path: '/forgot-id',
    setup: async () => ({ client: new Client(), member: createMember(), own: [] }),
    fields: (s) => ({ card_symbol: s.member.card_symbol, card_number: s.member.card_number, birth_date: s.member.birth_date, email: `other-${s.member.email}` }) },
  { name: 'ID notice', page: '/forgot-id', path: '/id-notice',
    setup: async () => ({ client: new Client(), own: [] }),
    fields: () => ({ t: 'A'.repeat(43), birth_date: '1980-01-02' }) },
  { name: 'password reset', page: '/forgot-id', path: '/password-reset',
    setup: async () => ({ client: new Client(), own: [] }),
    fields: () => ({ extra: '' }) },
];

for (const form of forms) {
  test(`${form.name}: SQL and XSS payloads in every field execute nothing and come back escaped`, async () => {
    const state = await form.setup();
    const { client } = state;
    const before = fingerprint(state.own);
    const valid = form.fields(state);
    for (const field of Object.keys(valid)) {
      for (const [i, payload] of PAYLOADS.entries()) {
        const browser = state.clients ? state.clients[i] : client;
        const token = await browser.csrf(form.page);
        const { res, ms } = await timed(browser.post(form.path, { csrf: token, ...valid, [field]: payload }));
        const where = `${form.path} ${field}=${payload}`;
        assertEscaped(res, payload, where);
        assert.ok(ms < 2500, `${where}: took ${ms} ms (a SLEEP ran?)`);
        if (form.path === '/login') assert.notEqual(res.status, 303, `${where}: logged in`);
      }
    }
    assert.equal(fingerprint(state.own), before, `${form.name}: something outside the test member changed`);
  });
}

test('payloads in query parameters execute nothing and come back escaped', async () => {
  const before = fingerprint([]);
  const client = new Client();
  for (const payload of PAYLOADS) {
    for (const path of ['/login?logged_out=', '/id-notice?t=', '/forgot-id?x=', '/mypage?changed=']) {
      const { res, ms } = await timed(client.get(path + encodeURIComponent(payload)));
      assertEscaped(res, payload, path + payload);
      assert.ok(ms < 2500, `${path}${payload}: took ${ms} ms`);
    }
  }
  assert.equal(fingerprint([]), before);
});

test('a login ID with SQL around a real ID never logs in, even with the right password', async () => {
  const member = createMember();
  for (const id of [`${member.login_id}' -- `, `${member.login_id}' OR '1'='1`, `' OR login_id='${member.login_id}' -- `, `${member.login_id}%`, `${member.login_id}\u0000`]) {
    const res = await new Client().submit('/login', { login_id: id, password: member.password });
    assert.notEqual(res.status, 303, `logged in with ${id}`);
  }
  assert.equal(sqlValue(`SELECT COUNT(*) FROM sessions WHERE member_id = ${member.member_id}`), '0');
});
