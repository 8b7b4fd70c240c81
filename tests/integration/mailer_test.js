// kosmo-mailer (issue 3, D11): SMTP being down loses nothing and slows no
// screen; mails wait in the outbox with backoff and each arrives exactly once
// when the relay is back; delivered bodies are wiped.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { Client, createMember, stack, sql, sqlValue, waitForMail, mailsTo, sleep } = require('../support/harness');

async function changePassword(member) {
  const client = new Client();
  assert.equal((await client.login(member)).status, 303);
  const started = Date.now();
  const res = await client.submit('/password', { current_password: member.password, new_password: `${member.password}-new`, new_password_confirm: `${member.password}-new` });
  assert.equal(res.status, 303);
  return Date.now() - started;
}

test('sink down -> mails wait with backoff -> sink up -> every mail arrives exactly once', async () => {
  const members = [createMember(), createMember(), createMember()];
  const ids = members.map((m) => m.member_id).join(',');
  stack('sink_stop');
  try {
    for (const member of members) {
      const ms = await changePassword(member);
      assert.ok(ms < 3000, `a screen must not wait for SMTP (took ${ms} ms)`);
    }
    // The mailer has tried and failed: the mails are queued for a later attempt.
    const deadline = Date.now() + 10000;
    while (Date.now() < deadline && sqlValue(`SELECT COUNT(*) FROM mail_outbox WHERE member_id IN (${ids}) AND attempts >= 1`) !== '3') await sleep(100);
    const rows = sql(`SELECT status, attempts, body IS NOT NULL, last_error IS NOT NULL FROM mail_outbox WHERE member_id IN (${ids})`);
    assert.equal(rows.length, 3);
    for (const [status, attempts, hasBody, hasError] of rows) {
      assert.ok(status === 'queued' || status === 'sending', status);
      assert.ok(Number(attempts) >= 1);
      assert.equal(hasBody, '1', 'nothing is lost while SMTP is down');
      assert.equal(hasError, '1');
    }
    for (const member of members) assert.equal(mailsTo(member.email).length, 0);
  } finally {
    stack('sink_start');
  }
  for (const member of members) await waitForMail(member.email, { timeoutMs: 20000 });
  await sleep(2500);  // longer than the test stack's backoff: a duplicate would have arrived by now
  for (const member of members) assert.equal(mailsTo(member.email).length, 1, member.email);
  assert.deepEqual(sql(`SELECT DISTINCT status FROM mail_outbox WHERE member_id IN (${ids})`), [['sent']]);
  assert.equal(sqlValue(`SELECT COUNT(*) FROM mail_outbox WHERE member_id IN (${ids}) AND body IS NOT NULL`), '0');
  assert.equal(sqlValue(`SELECT COUNT(*) FROM audit_events WHERE member_id IN (${ids}) AND event = 'mail_sent'`), '3');
});
