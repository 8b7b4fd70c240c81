// The identity check after the answer (D1), kosmo-forgot-id's background
// threads (fcgi/lib/recovery/identity_check_loop.cpp): a queued row whose check fails
// for a reason other than a conflict or a lost connection is audited as a
// fault and set aside while the rows queued with it are checked and mailed
// (issue 12); during a database outage the program logs one line, not one
// per thread and poll, and one when the database is back (issue 14).
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const test = require('node:test');
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const { env, Client, createMember, stack, sql, sqlValue, q, mailsTo, waitForMail, sleep } = require('../support/harness');
const { identityOf, requestIdNotice } = require('../support/recovery');

// SQL with statements the harness's one-line `sql()` cannot pass (a trigger
// body holds semicolons), as root over the stack's socket.
function sqlScript(script) {
  return execFileSync('mariadb', [`--defaults-file=${path.join(env.KOSMO_VAR, 'mariadb/my.cnf')}`, '-N', '-B', 'kosmo'],
    { input: script, encoding: 'utf8' });
}

const poll = 500;  // the checks' poll interval (identity_check_loop.cpp)

test('D1, D8: a queued identity whose check fails is audited as a fault and set aside, and the identities queued with it get their mails', async () => {
  const poisoned = createMember();
  const others = [createMember(), createMember(), createMember()];
  const stamp = `${Date.now()}`.slice(-9);
  const poisonAgent = `kosmo-test-refused-agent-${stamp}`;
  const poisonRequest = `a${stamp}`;
  // The database refuses to audit anything with this user agent (what
  // issue 13's undecodable user agents did to the audit INSERT): a row the
  // check cannot finish, for a reason that trying again never cures.
  sqlScript(`DELIMITER //
CREATE TRIGGER test_refuse_agent BEFORE INSERT ON audit_events FOR EACH ROW
BEGIN
  IF NEW.user_agent = ${q(poisonAgent)} THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'refused by the test'; END IF;
END//
DELIMITER ;
`);
  let poisonId;
  try {
    // One INSERT, so one check takes all four in one batch, the refused one first (oldest).
    const row = (m, agent, request) => `(${q(m.card_symbol)}, ${q(m.card_number)}, ${q(m.birth_date)}, ${q(m.email)}, '192.0.2.7', ${q(agent)}, ${q(request)}, UTC_TIMESTAMP(6))`;
    poisonId = Number(sqlScript(`INSERT INTO identity_requests (card_symbol, card_number, birth_date, email, ip, user_agent, http_request_id, created_at) VALUES
${[row(poisoned, poisonAgent, poisonRequest), ...others.map((m, i) => row(m, 'Mozilla/5.0 (test)', `b${stamp}${i}`))].join(',\n')};
SELECT LAST_INSERT_ID();`).trim());
    assert.ok(poisonId > 0);

    for (const member of others) await waitForMail(member.email);
    for (const member of others)
      assert.equal(sqlValue(`SELECT outcome FROM audit_events WHERE event = 'identity_check' AND member_id = ${member.member_id} ORDER BY audit_id DESC LIMIT 1`), 'matched');

    // Set aside, not deleted, and not waiting any more.
    const [failed, failure] = sql(`SELECT failed_at IS NOT NULL, failure FROM identity_requests WHERE identity_request_id = ${poisonId}`)[0];
    assert.equal(failed, '1');
    assert.equal(failure, 'errno=1644 sqlstate=45000');
    assert.equal(sqlValue('SELECT COUNT(*) FROM identity_requests WHERE failed_at IS NULL'), '0');
    // Audited as a fault under the POST's request id, without the refused user agent.
    const faults = () => sql(`SELECT request_id, ip, user_agent, member_id, detail FROM audit_events WHERE event = 'identity_check' AND outcome = 'fault' AND detail LIKE ${q(`queue_id=${poisonId} %`)}`);
    assert.deepEqual(faults(), [[poisonRequest, '192.0.2.7', null, null, `queue_id=${poisonId} errno=1644 sqlstate=45000`]]);
    // Nothing of the rolled-back check stayed: no token, no mail.
    assert.equal(sqlValue(`SELECT COUNT(*) FROM recovery_tokens WHERE member_id = ${poisoned.member_id}`), '0');
    assert.equal(mailsTo(poisoned.email).length, 0);

    // Not tried again: several polls later it is still the one fault, and a new identity is checked at once.
    await sleep(4 * poll);
    assert.equal(faults().length, 1);
    // (Not through requestIdNotice: the harness waits for an empty table, and the set-aside row stays.)
    const late = createMember();
    const client = new Client();
    const csrf = await client.csrf('/forgot-id');
    const res = await client.post('/forgot-id', { csrf, ...identityOf(late) }, { settle: false });
    assert.equal(res.status, 303);
    await waitForMail(late.email);
    assert.equal(faults().length, 1);
    assert.equal(sqlValue(`SELECT failed_at IS NOT NULL FROM identity_requests WHERE identity_request_id = ${poisonId}`), '1');
  } finally {
    sql('DROP TRIGGER IF EXISTS test_refuse_agent');
    // The other tests wait for an empty queue (tests/support): an operator's
    // DELETE of the looked-at row.
    if (poisonId) sql(`DELETE FROM identity_requests WHERE identity_request_id = ${poisonId}`);
  }
});

// Lines of kosmo-forgot-id's log written after `offset` bytes.
function logLinesSince(offset) {
  const file = path.join(env.KOSMO_VAR, 'log/forgot-id.log');
  const text = fs.readFileSync(file, 'utf8');
  return Buffer.from(text).subarray(offset).toString('utf8').split('\n').filter((l) => l.includes('prog=kosmo-forgot-id'));
}
const logSize = () => fs.statSync(path.join(env.KOSMO_VAR, 'log/forgot-id.log')).size;

test('issue 14: while MariaDB is down kosmo-forgot-id logs one line, not one per thread and poll, and one line when it is back', async () => {
  // Every check thread has an open connection that is about to break.
  await requestIdNotice(createMember());
  const start = logSize();
  stack('db_stop');
  let during;
  try {
    await sleep(6000);  // 12 polls of each of the four threads
    during = logLinesSince(start);
  } finally {
    stack('db_start');
  }
  assert.equal(during.length, 1, `lines during the outage:\n${during.join('\n')}`);
  assert.match(during[0], /^level=warn prog=kosmo-forgot-id event=db_unavailable /);

  const deadline = Date.now() + 10000;
  let after = [];
  while (Date.now() < deadline) {
    after = logLinesSince(start).slice(1);
    if (after.some((l) => l.includes('event=db_back'))) break;
    await sleep(100);
  }
  await sleep(3 * poll);  // every thread has polled again
  after = logLinesSince(start).slice(1).filter((l) => !l.includes('event=audit'));
  assert.equal(after.length, 1, `lines after the outage:\n${after.join('\n')}`);
  assert.match(after[0], /^level=info prog=kosmo-forgot-id event=db_back /);
  // And the checks work again.
  await requestIdNotice(createMember());
});
