// A batch of identity checks (issue 16): kosmo-forgot-id checks the queued
// identities of a batch set-based, each step one statement for the whole
// batch (fcgi/lib/recovery/identity_check.cpp). The batch's order must still
// be the order of the checks, as if they ran one after the other: the n-th
// attempt of an address or a card counts the n - 1 before it (D7), and of two
// matches of one member only the later URL opens (R8). The rows are queued
// with one INSERT, so the check takes them in one batch.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { createMember, sql, sqlValue, q, identityChecksDone, waitForMail, mailFiles, Client } = require('../support/harness');
const { limits, seedHits, removeSeeded, hitsOf, cardSubject } = require('../support/hardening');
const { tokenOf, openAndConfirm } = require('../support/recovery');

test.after(() => removeSeeded());

let batchNumber = 0;
// Queues the identities of `members` (in this order) from `address` in ONE
// INSERT and waits until the check has run; returns their request ids.
async function queueOneBatch(members, address) {
  const stamp = `b${process.pid}${Date.now() % 1e7}${batchNumber++}`;
  const ids = members.map((_, i) => `${stamp}x${i}`);
  const rows = members.map((m, i) => `(${q(m.card_symbol)}, ${q(m.card_number)}, ${q(m.birth_date)}, ${q(m.email)}, ` +
    `${q(address)}, 'Mozilla/5.0 (batch test)', ${q(ids[i])}, UTC_TIMESTAMP(6))`);
  sql(`INSERT INTO identity_requests (card_symbol, card_number, birth_date, email, ip, user_agent, http_request_id, created_at) VALUES ${rows.join(', ')}`);
  await identityChecksDone();
  return ids;
}

function outcomesOf(requestIds) {
  return requestIds.map((id) => sqlValue(`SELECT outcome FROM audit_events WHERE event = 'identity_check' AND request_id = ${q(id)}`));
}

function outboxCount(member) { return Number(sqlValue(`SELECT COUNT(*) FROM mail_outbox WHERE member_id = ${member.member_id}`)); }

test('D7, issue 16: in one batch the n-th attempt of an address counts the n-1 before it; those past the limit get nothing', async () => {
  const address = `192.0.2.${100 + (process.pid % 100)}`;
  seedHits('identity_ip', address, limits.identity_ip.max - 3);
  const members = [createMember(), createMember(), createMember(), createMember(), createMember()];
  const ids = await queueOneBatch(members, address);
  assert.deepEqual(outcomesOf(ids), ['matched', 'matched', 'matched', 'limited', 'limited']);
  assert.deepEqual(members.map(outboxCount), [1, 1, 1, 0, 0]);
  // Every attempt counted, the limited ones too.
  assert.equal(hitsOf('identity_ip', address), limits.identity_ip.max + 2);
});

test('D7, issue 16: in one batch the n-th attempt on a card counts the n-1 before it, from any address', async () => {
  const member = createMember();
  seedHits('identity_card', cardSubject(member.card_symbol, member.card_number), limits.identity_card.max - 1);
  const ids = await queueOneBatch([member, member, member], `192.0.2.${(process.pid % 90) + 1}`);
  assert.deepEqual(outcomesOf(ids), ['matched', 'limited', 'limited']);
  assert.equal(outboxCount(member), 1);
  assert.equal(hitsOf('identity_card', cardSubject(member.card_symbol, member.card_number)), limits.identity_card.max + 2);
});

test('R8, issue 16: two matches of one member in one batch send two mails, and only the later URL opens', async () => {
  const member = createMember();
  const other = createMember();
  const before = new Set(mailFiles());
  const ids = await queueOneBatch([member, other, member], '192.0.2.250');
  assert.deepEqual(outcomesOf(ids), ['matched', 'matched', 'matched']);
  assert.equal(outboxCount(member), 2);
  // The mails are sent in the order of the batch; take both from the sink.
  const first = await waitForMail(member.email, { since: before });
  const second = await waitForMail(member.email, { since: new Set([...before, first.file].filter(Boolean)) });
  const urls = [tokenOf(first).token, tokenOf(second).token];
  assert.notEqual(urls[0], urls[1]);
  // Exactly one of the member's tokens is open, the newer one.
  const open = sql(`SELECT token_id FROM recovery_tokens WHERE member_id = ${member.member_id} AND superseded_at IS NULL AND consumed_at IS NULL`);
  assert.equal(open.length, 1);
  const newest = sqlValue(`SELECT MAX(token_id) FROM recovery_tokens WHERE member_id = ${member.member_id}`);
  assert.equal(String(open[0][0]), String(newest));
  // The earlier URL shows why it no longer opens; the later one opens.
  const earlier = await new Client().get(`/id-notice?t=${urls[0]}`);
  assert.match(earlier.text, /古いメールに記載されたURLは無効になりました/);
  const later = await openAndConfirm(new Client(), urls[1]);
  assert.equal(later.status, 303);
  assert.equal(later.location, '/id-notice');
  // The other member of the batch is untouched by the first's supersede.
  assert.equal(sql(`SELECT token_id FROM recovery_tokens WHERE member_id = ${other.member_id} AND superseded_at IS NULL`).length, 1);
});
