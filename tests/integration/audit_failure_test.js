// Issue 12 item 3 and D18: an audit row's log line is written after its
// transaction's COMMIT, never for a rolled-back or retried one; and an audit
// row that cannot be written never undoes a counted login failure or a D7
// event, never lets a failed request set a cookie, and is itself logged
// (event=audit_write_failed, no values) and counted (/metrics).
//
// The failures are made on the database side by a trigger the test creates
// on the test stack's database and drops afterwards: it refuses only rows of
// this test (its member, its user agent), as strict mode refuses an invalid
// UTF-8 user agent (errno 1366), or it fails a later statement as a lost
// conflict does (SQLSTATE 40001, which run_screen retries).
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { Client, createMember, sql, sqlValue, env } = require('../support/harness');
const { requestIdNotice } = require('../support/recovery');

const triggers = new Set();
function createTrigger(name, table, body) {
  sql(`DROP TRIGGER IF EXISTS ${name}`);
  // The mariadb client would split the body at its ';' without another delimiter.
  sql(`DELIMITER //\nCREATE TRIGGER ${name} BEFORE INSERT ON ${table} FOR EACH ROW BEGIN ${body} END //`);
  triggers.add(name);
}
function dropTrigger(name) {
  sql(`DROP TRIGGER IF EXISTS ${name}`);
  triggers.delete(name);
}
test.after(() => { for (const name of [...triggers]) dropTrigger(name); });

function programLog(program) {
  const file = path.join(env.KOSMO_VAR, 'log', `${program}.log`);
  return fs.existsSync(file) ? fs.readFileSync(file, 'latin1') : '';
}
function auditLines(program, event, memberId) {
  return programLog(program).split('\n')
    .filter((l) => l.includes(' event=audit ') && l.includes(` audit=${event} `) && l.includes(` member_id=${memberId} `));
}
function requestIdOf(page) {
  const m = page.text.match(/お問い合わせ番号: ([0-9a-f]{12})/);
  assert.ok(m, `no request id on the page (status ${page.status})`);
  return m[1];
}

test('issue 12: a rolled-back transaction logs no audit line, however often it was retried; a committed one logs exactly one', async () => {
  const member = createMember();
  const { token } = await requestIdNotice(member);
  const client = new Client();
  const page = await client.get(`/id-notice?t=${token}`);
  const csrf = page.text.match(/name="csrf" value="([^"]+)"/)[1];

  // The token_redeem audit row is written before the grant; the grant's
  // INSERT then fails as a lost conflict: run_screen runs the whole
  // transaction four times, each rolled back, and answers 500.
  createTrigger('audit_test_grant_conflict', 'recovery_grants',
    `IF NEW.member_id = ${member.member_id} THEN SIGNAL SQLSTATE '40001' SET MESSAGE_TEXT = 'audit test: lost conflict'; END IF;`);
  let failed;
  try {
    failed = await client.post('/id-notice', { csrf, t: token });
  } finally {
    dropTrigger('audit_test_grant_conflict');
  }
  assert.equal(failed.status, 500);
  const req = requestIdOf(failed);
  assert.equal(sqlValue(`SELECT COUNT(*) FROM audit_events WHERE event = 'token_redeem' AND member_id = ${member.member_id}`), '0');
  const retries = programLog('id-notice').split('\n').filter((l) => l.includes(' event=db_conflict_retry ') && l.includes(` req=${req} `));
  assert.equal(retries.length, 3, 'the transaction was retried three times');
  assert.deepEqual(auditLines('id-notice', 'token_redeem', member.member_id), [], 'no audit line for rolled-back transactions');

  // The same press again commits: one row, one line.
  const granted = await client.post('/id-notice', { csrf, t: token });
  assert.equal(granted.status, 303);
  assert.equal(sqlValue(`SELECT COUNT(*) FROM audit_events WHERE event = 'token_redeem' AND member_id = ${member.member_id}`), '1');
  const lines = auditLines('id-notice', 'token_redeem', member.member_id);
  assert.equal(lines.length, 1, lines.join('\n'));
  assert.match(lines[0], / outcome=granted /);
});
