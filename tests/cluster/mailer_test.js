// D11 across nodes (issue 8): two kosmo-mailer daemons, web node 1's on
// database node 1 and web node 2's on database node 3, poll the same outbox
// every 200 ms in batches of 5. Forty mails queued through the product (ID
// mails of R5, requested on both web nodes) reach the SMTP sink exactly once
// each. SKIP LOCKED is local to a node; the claim UPDATE and the COMMIT's
// certification keep the second mailer off a row the first one took.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { Client, createMember, sql, mailsTo, logEvents, readLog, waitFor, sleep, tools } = require('./harness');

const bare = (messageId) => messageId.replace(/^<|>$/g, '');

const kMembers = 8;
const kMailsEach = tools.limitsInForce()['limits.identity_card.max'];  // mails per member: the card's limit

test(`${kMembers * kMailsEach} mails queued on both web nodes are delivered exactly once by two mailers on two database nodes`, async (t) => {
  const members = Array.from({ length: kMembers }, () => createMember());
  const sentBefore = new Set(logEvents('mailer', 'mail_sent'));
  // Queued in bursts, so both mailers find many due rows at once.
  for (let round = 0; round < kMailsEach; round += 1) {
    await Promise.all(members.map(async (m, i) => {
      const res = await new Client((i + round) % 2 ? 'web2' : 'web1', m.address).requestIdMail(m);
      assert.equal(res.status, 303);
    }));
  }
  const ids = members.map((m) => m.member_id).join(',');
  const queued = Number(sql(`SELECT COUNT(*) FROM mail_outbox WHERE member_id IN (${ids})`)[0][0]);
  assert.equal(queued, kMembers * kMailsEach);

  await waitFor('every mail sent', () => sql(`SELECT COUNT(*) FROM mail_outbox WHERE member_id IN (${ids}) AND status = 'sent'`)[0][0] === String(queued),
    { timeoutMs: 60000, everyMs: 200 });
  await sleep(1000);  // a double would be in the sink by now

  const delivered = members.flatMap((m) => mailsTo(m.email));
  const perMessageId = new Map();
  for (const mail of delivered) perMessageId.set(bare(mail.messageId), (perMessageId.get(bare(mail.messageId)) || 0) + 1);
  const doubles = [...perMessageId].filter(([, n]) => n > 1);
  assert.deepEqual(doubles, [], 'no Message-ID twice in the sink');
  assert.equal(delivered.length, queued, 'every queued mail in the sink once');
  const outboxIds = new Set(sql(`SELECT message_id FROM mail_outbox WHERE member_id IN (${ids})`).map((r) => bare(r[0])));
  assert.deepEqual([...perMessageId.keys()].sort(), [...outboxIds].sort(), 'the sink holds exactly the queued mails');

  // Which mailer sent what (their logs): together once per mail, and both took part.
  const mailIds = new Set(sql(`SELECT mail_id FROM mail_outbox WHERE member_id IN (${ids})`).map((r) => r[0]));
  const sentBy = ['web1', 'web2'].map((web) => readLog(web, 'mailer').split('\n')
    .filter((l) => !sentBefore.has(l) && l.includes('event=mail_sent'))
    .map((l) => (l.match(/mail_id=(\d+)/) || [])[1]).filter((id) => mailIds.has(id)));
  const [first, second] = sentBy.map((list) => list.length);
  assert.equal(new Set(sentBy.flat()).size, queued, 'every mail_id logged as sent');
  t.diagnostic(`mailer of web node 1 (database node 1) sent ${first}, mailer of web node 2 (database node 3) sent ${second}; ` +
    `claim conflicts logged: ${logEvents('mailer', 'claim_conflict').length}`);
  assert.equal(first + second, queued);
  assert.ok(first > 0 && second > 0, "both mailers delivered part of the queue");
});
