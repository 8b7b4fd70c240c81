// Issue 5 item 5 (ASVS V5.1): on every form, a body over the configured size,
// a field over its length, invalid UTF-8, NUL and control characters, a
// repeated field, a wrong content type and a wrong method each get a clear
// Japanese 4xx page, and change nothing in the database: no session, token,
// grant, mail, audit row, queued identity or limit counter appears, no row
// of any table changes.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { Client, createMember, sql, tableNames } = require('../support/harness');

// Every table of the schema, listed from information_schema, so a table a
// later migration adds is watched too (the identity POST writes
// identity_requests and rate_limit_events; both were once left out).
const tables = tableNames();

// The state a bad request must leave alone: a checksum of every row of every table.
function snapshot() {
  return sql(`CHECKSUM TABLE ${tables.map((t) => `\`${t}\``).join(', ')} EXTENDED`).map(([t, sum]) => `${t}=${sum}`).join(' ');
}

test('the bad-input snapshot covers every table the identity POST writes', () => {
  for (const table of ['identity_requests', 'rate_limit_events', 'rate_limits', 'audit_events', 'sessions', 'members', 'mail_outbox'])
    assert.ok(tables.includes(table), `${table} is not in the snapshot: ${tables.join(', ')}`);
});

function rawPost(client, path, body, contentType = 'application/x-www-form-urlencoded') {
  return client.request('POST', path, { body, headers: { 'content-type': contentType } });
}
function encode(fields) {
  return Object.entries(fields).map(([k, v]) => `${encodeURIComponent(k)}=${v}`).join('&');
}

function assertJapanese4xx(res, status, where) {
  if (Array.isArray(status)) assert.ok(status.includes(res.status), `${where}: status ${res.status}, expected ${status}`);
  else assert.equal(res.status, status, `${where}: status`);
  assert.match(res.text, /<html lang="ja"/, `${where}: Japanese page`);
  assert.match(res.text, /role="alert">[^<]*[ぁ-んァ-ン一-龯]/, `${where}: a Japanese message`);
}

// Each form: how to get a client in the right state, the page that holds its
// CSRF token, its fields with valid-looking values, and the length limit per
// field (400 when over it; 'form' when the screen answers a form error).
const forms = [
  {
    name: 'login', path: '/login', csrfFrom: '/login',
    setup: async () => ({ client: new Client() }),
    fields: () => ({ login_id: '0010000009999', password: 'some-password' }),
    tooLong: { login_id: 257, password: 2049 },
  },
  {
    name: 'password change', path: '/password', csrfFrom: '/password',
    setup: async () => {
      const member = createMember();
      const client = new Client();
      assert.equal((await client.login(member)).status, 303);
      return { client, member };
    },
    fields: (s) => ({ current_password: s.member.password, new_password: 'another-long-passphrase', new_password_confirm: 'another-long-passphrase' }),
    tooLong: { current_password: 2049, new_password: 2049, new_password_confirm: 2049 },
  },
  {
    name: 'logout', path: '/logout', csrfFrom: '/mypage',
    setup: async () => {
      const member = createMember();
      const client = new Client();
      assert.equal((await client.login(member)).status, 303);
      return { client, member };
    },
    fields: () => ({}),
    tooLong: {},
  },
  {
    name: 'identity (forgot-id)', path: '/forgot-id', csrfFrom: '/forgot-id',
    setup: async () => ({ client: new Client(), member: createMember() }),
    fields: (s) => ({ card_symbol: s.member.card_symbol, card_number: s.member.card_number, birth_date: s.member.birth_date, email: s.member.email }),
    tooLong: { card_symbol: 'form', card_number: 'form', birth_date: 'form', email: 'form' },
  },
  {
    name: 'ID notice confirmation', path: '/id-notice', csrfFrom: '/forgot-id',
    setup: async () => ({ client: new Client() }),
    fields: () => ({ t: 'A'.repeat(43), birth_date: '1980-01-02' }),
    tooLong: {},
  },
  {
    name: 'password reset', path: '/password-reset', csrfFrom: '/forgot-id',
    setup: async () => ({ client: new Client() }),
    fields: () => ({}),
    tooLong: {},
  },
];

const BAD_VALUES = [
  ['invalid UTF-8 (lone continuation byte)', '%80'],
  ['invalid UTF-8 (overlong slash)', '%C0%AF'],
  ['invalid UTF-8 (surrogate)', '%ED%A0%80'],
  ['truncated UTF-8', 'a%E5%B1'],
  ['NUL', 'a%00b'],
  ['C0 control (ESC)', 'a%1Bb'],
  ['CR LF', 'a%0D%0Ab'],
  ['DEL', 'a%7Fb'],
  ['C1 control (NEL)', 'a%C2%85b'],
];

for (const form of forms) {
  test(`${form.name}: every kind of bad input gets a Japanese 4xx page and changes nothing`, async () => {
    const state = await form.setup();
    const { client } = state;
    const csrf = await client.csrf(form.csrfFrom);
    const valid = form.fields(state);
    // Every field of the form, plus csrf itself (it is a field too).
    const names = [...Object.keys(valid), 'csrf'];
    const body = (overrides) => encode({ csrf, ...Object.fromEntries(Object.entries(valid).map(([k, v]) => [k, encodeURIComponent(v)])), ...overrides });
    const before = snapshot();
    const unchanged = (where) => assert.equal(snapshot(), before, `${where}: the database changed`);

    // Body over max_body_bytes (8192: the program) and over client_max_body_size (16k: nginx).
    for (const size of [8193, 20000]) {
      const res = await rawPost(client, form.path, body({ pad: 'x'.repeat(size) }));
      assertJapanese4xx(res, 413, `${form.path} body of ${size} bytes`);
      unchanged(`${form.path} body of ${size} bytes`);
    }
    // Fields over their length.
    for (const [name, limit] of Object.entries(form.tooLong)) {
      const beforeField = snapshot();
      const long = limit === 'form' ? 'x'.repeat(1000) : 'x'.repeat(limit);
      const res = await rawPost(client, form.path, body({ [name]: long }));
      if (limit === 'form') {
        assert.ok(res.status === 400 || (res.status === 200 && /class="error"/.test(res.text)), `${name} too long: ${res.status}`);
        assert.match(res.text, /<html lang="ja"/);
      } else {
        assertJapanese4xx(res, 400, `${form.path} ${name} of ${limit} bytes`);
        assert.match(res.text, /長すぎる/);
      }
      assert.equal(snapshot(), beforeField, `${form.path} ${name} too long: the database changed`);
      if (limit !== 'form') {  // one byte less is not refused for its length (and may be processed)
        const res2 = await rawPost(client, form.path, body({ [name]: 'x'.repeat(limit - 1) }));
        assert.doesNotMatch(res2.text, /長すぎる/, `${name} at its limit`);
        assert.ok(res2.status < 500);
      }
    }
    const after = snapshot();
    const unchangedSince = (where) => assert.equal(snapshot(), after, `${where}: the database changed`);
    // Bad characters in every field.
    for (const name of names) {
      for (const [what, value] of BAD_VALUES) {
        const res = await rawPost(client, form.path, body({ [name]: value }));
        assertJapanese4xx(res, 400, `${form.path} ${name}: ${what}`);
        unchangedSince(`${form.path} ${name}: ${what}`);
      }
      // The same field twice, also spelled with a percent escape.
      const twice = `${body({})}&${encodeURIComponent(name)}=x`;
      assertJapanese4xx(await rawPost(client, form.path, twice), 400, `${form.path} ${name} twice`);
      const escaped = `${body({})}&${[...name].map((ch) => `%${ch.charCodeAt(0).toString(16)}`).join('')}=x`;
      assertJapanese4xx(await rawPost(client, form.path, escaped), 400, `${form.path} ${name} twice, escaped`);
      unchangedSince(`${form.path} ${name} twice`);
    }
    // Bad percent escapes, a bad Content-Length and malformed keys.
    for (const raw of [`${body({})}&x=%zz`, `${body({})}&x=%4`, `${body({})}&%ZZ=1`]) {
      assertJapanese4xx(await rawPost(client, form.path, raw), 400, `${form.path} ${raw.slice(-8)}`);
    }
    // Wrong content types.
    for (const type of ['text/plain', 'multipart/form-data; boundary=x', 'application/json', 'application/x-www-form-urlencodedx', '']) {
      const res = await rawPost(client, form.path, type === 'application/json' ? JSON.stringify({ csrf, ...valid }) : body({}), type);
      assertJapanese4xx(res, 415, `${form.path} as ${type || 'no content type'}`);
    }
    unchangedSince(`${form.path} content types`);
    // Wrong methods: 405 with Allow naming POST.
    for (const method of ['PUT', 'DELETE', 'PATCH', 'OPTIONS']) {
      const res = await client.request(method, form.path, { body: body({}), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      assertJapanese4xx(res, 405, `${method} ${form.path}`);
      assert.match(res.headers.get('allow') || '', /\bPOST\b/, `${method} ${form.path}: Allow`);
    }
    unchangedSince(`${form.path} methods`);
  });
}
