// D7 abuse limits through nginx (issue 5 item 1): login failures per login
// ID (a lockout with a growing wait, the same for unknown IDs) and per
// client address, identity attempts per address and per card, counters
// shared by every process in the database, kosmo-admin limits reset, and
// no header a client can set changes who it is. Each limit is tried at N
// and N+1: the counter is seeded to N-1 (or N-2) and the last steps go
// through nginx from a loopback address of the test's own.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { createMember, sql, sqlValue, admin } = require('../support/harness');
const { limits, limitHash, cardSubject, seedHits, removeSeeded, hitsOf, blockedSeconds, awayFromWindowEnd, freshAddress, ClientFrom, stripVolatile } = require('../support/hardening');

test.after(() => removeSeeded());

const LOCKED = /ログインに続けて失敗したため、ログインを一時的に制限しています。(\d+)分ほど待ってから、もう一度お試しください。/;
const FAILED = /ログインIDまたはパスワードが正しくありません。/;

function auditCount(where) { return Number(sqlValue(`SELECT COUNT(*) FROM audit_events WHERE ${where}`)); }
function sessions(member) { return Number(sqlValue(`SELECT COUNT(*) FROM sessions WHERE member_id = ${member.member_id}`)); }

test('login ID: N-1 failures do not lock, and a success forgets them', async () => {
  await awayFromWindowEnd('login_id');
  const member = createMember();
  const client = new ClientFrom(freshAddress());
  seedHits('login_id', member.login_id, limits.login_id.max - 2);
  assert.match((await client.login(member, 'wrong-password-1')).text, FAILED);  // failure N-1
  assert.equal(hitsOf('login_id', member.login_id), limits.login_id.max - 1);
  const ok = await client.login(member);
  assert.equal(ok.status, 303);
  assert.equal(hitsOf('login_id', member.login_id), 0);
});

test('login ID: the N-th failure locks; attempt N+1 is refused with a wait even with the right password, which is not checked', async () => {
  await awayFromWindowEnd('login_id');
  const member = createMember();
  const client = new ClientFrom(freshAddress());
  seedHits('login_id', member.login_id, limits.login_id.max - 1);
  const nth = await client.login(member, 'wrong-password-N');
  assert.equal(nth.status, 200);
  assert.match(nth.text, FAILED);  // the N-th answer is still the ordinary one
  const wait = blockedSeconds('login_id', member.login_id);
  assert.ok(wait > limits.lockout - 5 && wait <= limits.lockout, `blocked for ${wait} s`);
  assert.equal(auditCount(`member_id = ${member.member_id} AND event = 'login_locked' AND outcome = 'lockout_started'`), 1);

  const failedBefore = auditCount(`member_id = ${member.member_id} AND event = 'login_failed'`);
  const lastLoginBefore = sqlValue(`SELECT last_login_at FROM members WHERE member_id = ${member.member_id}`);
  const locked = await client.login(member);  // N+1, correct password
  assert.equal(locked.status, 429);
  assert.match(locked.text, LOCKED);
  assert.equal(Number(locked.text.match(LOCKED)[1]), Math.ceil(limits.lockout / 60));
  assert.ok(Number(locked.headers.get('retry-after')) <= limits.lockout);
  assert.doesNotMatch(locked.text, FAILED);
  assert.equal(sessions(member), 0);
  assert.equal(sqlValue(`SELECT last_login_at FROM members WHERE member_id = ${member.member_id}`), lastLoginBefore);
  assert.equal(auditCount(`member_id = ${member.member_id} AND event = 'login_locked' AND outcome = 'refused'`), 1);
  // Not verified: no new login_failed row, and the counter did not move.
  assert.equal(auditCount(`member_id = ${member.member_id} AND event = 'login_failed'`), failedBefore);
  assert.equal(hitsOf('login_id', member.login_id), limits.login_id.max);
});

test('login ID: each further failure after a lock doubles the wait, and the lock ends by itself', async () => {
  await awayFromWindowEnd('login_id');
  const member = createMember();
  const client = new ClientFrom(freshAddress());
  const hash = limitHash('login_id', member.login_id);
  seedHits('login_id', member.login_id, limits.login_id.max - 1);
  await client.login(member, 'wrong-1');  // N: lock for `lockout`
  const expire = () => sql(`UPDATE rate_limits SET blocked_until = UTC_TIMESTAMP(6) - INTERVAL 1 SECOND WHERE scope = 'login_id' AND subject_hash = UNHEX('${hash}')`);
  expire();
  assert.match((await client.login(member, 'wrong-2')).text, FAILED);  // N+1 after the wait: checked, failed
  const second = blockedSeconds('login_id', member.login_id);
  const expected = Math.min(limits.lockout * 2, limits.lockoutMax);
  assert.ok(second > expected - 5 && second <= expected, `second wait ${second} s, expected ${expected}`);
  expire();
  assert.match((await client.login(member, 'wrong-3')).text, FAILED);
  const third = blockedSeconds('login_id', member.login_id);
  const expected3 = Math.min(limits.lockout * 4, limits.lockoutMax);
  assert.ok(third > expected3 - 5 && third <= expected3, `third wait ${third} s, expected ${expected3}`);
  expire();
  assert.equal((await client.login(member)).status, 303);  // the wait is over: the right password works
});

test('an unknown login ID locks exactly like a known one, with the same pages', async () => {
  await awayFromWindowEnd('login_id');
  const member = createMember();
  const unknownId = `8${member.login_id.slice(1)}`;
  assert.equal(sqlValue(`SELECT COUNT(*) FROM members WHERE login_id = '${unknownId}'`), '0');
  const pages = {};
  for (const [name, id] of [['known', member.login_id], ['unknown', unknownId]]) {
    const client = new ClientFrom(freshAddress());
    seedHits('login_id', id, limits.login_id.max - 1);
    const nth = await client.login({ login_id: id, password: 'wrong-password' });
    const next = await client.login({ login_id: id, password: member.password });
    pages[name] = { nth, next };
    assert.ok(blockedSeconds('login_id', id) > 0, `${name} ID is locked`);
  }
  assert.equal(pages.known.nth.status, pages.unknown.nth.status);
  assert.equal(pages.known.next.status, 429);
  assert.equal(pages.unknown.next.status, 429);
  assert.equal(stripVolatile(pages.known.nth.text), stripVolatile(pages.unknown.nth.text));
  assert.equal(stripVolatile(pages.known.next.text), stripVolatile(pages.unknown.next.text));
});

test('counters live in the database as keyed hashes only, and every concurrent failure is counted (no lost update, no 500)', async () => {
  const member = createMember();
  const client = new ClientFrom(freshAddress());
  const attempts = 24;
  const answers = await Promise.all(Array.from({ length: attempts }, async () => {
    const c = new ClientFrom(client.address);
    return (await c.login(member, 'wrong-in-parallel')).status;
  }));
  assert.deepEqual(answers, Array(attempts).fill(200));
  assert.equal(hitsOf('login_id', member.login_id), attempts);  // four workers, no lost update
  assert.equal(hitsOf('login_ip', client.address), attempts);
  for (const table of ['rate_limits', 'rate_limit_events']) {
    const clear = Number(sqlValue(`SELECT COUNT(*) FROM ${table} WHERE INSTR(subject_hash, '${member.login_id}') > 0 OR INSTR(subject_hash, '${client.address}') > 0 OR INSTR(HEX(subject_hash), HEX('${member.login_id}')) > 0`));
    assert.equal(clear, 0, `${table} holds a subject in clear`);
  }
});

test('login address: N failures from one address are answered as usual; attempt N+1 waits, other addresses do not', async () => {
  await awayFromWindowEnd('login_ip');
  const member = createMember();
  const address = freshAddress();
  const client = new ClientFrom(address);
  seedHits('login_ip', address, limits.login_ip.max - 1);
  const nth = await client.login(member, 'wrong-password');  // failure N
  assert.equal(nth.status, 200);
  assert.match(nth.text, FAILED);
  const next = await client.login(member);  // N+1, right password, same address
  assert.equal(next.status, 429);
  assert.match(next.text, LOCKED);
  assert.equal(sessions(member), 0);
  assert.equal(auditCount(`member_id = ${member.member_id} AND event = 'login_locked' AND detail = 'scope=login_ip'`), 1);
  // A client-set X-Forwarded-For does not make it another client (no trusted proxy).
  const spoofed = await client.submit('/login', { login_id: member.login_id, password: member.password }, '/login');
  assert.equal(spoofed.status, 429);
  const viaHeader = new ClientFrom(address);
  const token = await viaHeader.csrf('/login');
  const withHeader = await viaHeader.request('POST', '/login', {
    form: { csrf: token, login_id: member.login_id, password: member.password },
    headers: { 'x-forwarded-for': '198.51.100.23', 'x-real-ip': '198.51.100.23' } });
  assert.equal(withHeader.status, 429);
  // The same member from another address logs in.
  assert.equal((await new ClientFrom(freshAddress()).login(member)).status, 303);
});

test('kosmo-admin limits reset clears a locked login ID and a blocked address', async () => {
  const member = createMember();
  const address = freshAddress();
  const client = new ClientFrom(address);
  seedHits('login_id', member.login_id, limits.login_id.max - 1);
  await client.login(member, 'wrong');
  assert.equal((await client.login(member)).status, 429);
  const out = admin(['limits', 'reset', '--login-id', member.login_id]);
  assert.match(out, /counter rows removed/);
  assert.equal(hitsOf('login_id', member.login_id), 0);
  assert.equal((await client.login(member)).status, 303);

  seedHits('login_ip', address, limits.login_ip.max);
  assert.equal((await new ClientFrom(address).login(member)).status, 429);
  admin(['limits', 'reset', '--ip', address]);
  assert.equal((await new ClientFrom(address).login(member)).status, 303);

  seedHits('identity_card', cardSubject('ABC12', '345'), 3);
  const auditBefore = Number(sqlValue("SELECT COALESCE(MAX(audit_id), 0) FROM audit_events"));
  admin(['limits', 'reset', '--card', 'ＡＢＣ－１２', '３４５']);  // typed as members type it (D10)
  assert.equal(hitsOf('identity_card', cardSubject('ABC12', '345')), 0);
  // D7, D8: the reset is audited with its scope and count, never the card.
  const rows = sql(`SELECT event, outcome, detail FROM audit_events WHERE audit_id > ${auditBefore} AND outcome = 'limits_reset'`);
  assert.deepEqual(rows.map((r) => r.join('|')), ['admin_action|limits_reset|scopes=identity_card removed=3']);
});

// ---- 本人確認 (forgot-ID) ----
function identityFields(member) {
  return { card_symbol: member.card_symbol, card_number: member.card_number, birth_date: member.birth_date, email: member.email };
}
function outboxCount(member) { return Number(sqlValue(`SELECT COUNT(*) FROM mail_outbox WHERE member_id = ${member.member_id}`)); }

test('identity per card: attempt N sends the mail, attempt N+1 answers the same and sends nothing', async () => {
  await awayFromWindowEnd('identity_card');
  const member = createMember();
  const card = cardSubject(member.card_symbol, member.card_number);
  seedHits('identity_card', card, limits.identity_card.max - 1);
  const client = new ClientFrom(freshAddress());
  const nth = await client.submit('/forgot-id', identityFields(member));
  assert.equal(nth.status, 303);
  assert.equal(outboxCount(member), 1);
  const next = await client.submit('/forgot-id', identityFields(member));
  assert.equal(next.status, nth.status);
  assert.equal(next.location, nth.location);
  assert.equal(outboxCount(member), 1);
  assert.equal(hitsOf('identity_card', card), limits.identity_card.max + 1);
});

test('identity per address: attempt N is served, attempt N+1 answers the same and sends nothing', async () => {
  await awayFromWindowEnd('identity_ip');
  const address = freshAddress();
  const client = new ClientFrom(address);
  seedHits('identity_ip', address, limits.identity_ip.max - 1);
  const first = createMember();
  const nth = await client.submit('/forgot-id', identityFields(first));
  assert.equal(nth.status, 303);
  assert.equal(outboxCount(first), 1);
  const second = createMember();
  const next = await client.submit('/forgot-id', identityFields(second));
  assert.equal(next.status, 303);
  assert.equal(next.location, nth.location);
  assert.equal(outboxCount(second), 0);
  // The card is unaffected from another address.
  assert.equal((await new ClientFrom(freshAddress()).submit('/forgot-id', identityFields(second))).status, 303);
  assert.equal(outboxCount(second), 1);
});
