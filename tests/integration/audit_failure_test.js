// Issue 12 item 3 and D18: an audit row's log line is written after its
// transaction's COMMIT, never for a rolled-back or retried one; and an audit
// row that cannot be written never undoes a counted login failure or a D7
// event, never lets a failed request set a cookie, and is itself logged
// (event=audit_write_failed, no values) and counted (/metrics), kosmo-mailer's
// under screen="mailer".
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
const { Client, createMember, sql, sqlValue, env, mailFiles, waitForMail, q, sleep } = require('../support/harness');
const { spawnSync } = require('node:child_process');
const { requestIdNotice, identityOf } = require('../support/recovery');
const {
  limits, seedHits, hitsOf, blockedSeconds, awayFromWindowEnd, freshAddress, ClientFrom, cardSubject, removeSeeded,
} = require('../support/hardening');

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
test.after(() => {
  for (const name of [...triggers]) dropTrigger(name);
  removeSeeded();
});

// This file's requests carry their own user agent, and only their audit rows
// are refused: as strict mode refuses a user agent that is not valid UTF-8.
const UA = `kosmo-audit-failure-test/${process.pid}`;
function refuseAuditRows() {
  createTrigger('audit_test_refuse_row', 'audit_events',
    `IF NEW.user_agent = '${UA}' THEN SIGNAL SQLSTATE 'HY000' SET MYSQL_ERRNO = 1366, MESSAGE_TEXT = 'audit test: incorrect string value'; END IF;`);
}
class Browser extends ClientFrom {
  request(method, urlPath, options = {}) {
    return super.request(method, urlPath, { ...options, headers: { 'user-agent': UA, ...(options.headers || {}) } });
  }
}

async function auditWriteFailures(screen) {
  const res = await new Client().get('/metrics');
  assert.equal(res.status, 200);
  const m = res.text.match(new RegExp(`^kosmo_audit_write_failures_total\\{screen="${screen}"\\} (\\d+)$`, 'm'));
  return m ? Number(m[1]) : 0;
}

// kosmo-mailer's series in GET /metrics: its refused audit rows, present
// from its start, and no request series, since it answers no requests.
async function mailerAuditWriteFailures() {
  const res = await new Client().get('/metrics');
  assert.equal(res.status, 200);
  const m = res.text.match(/^kosmo_audit_write_failures_total\{screen="mailer"\} (\d+)$/m);
  assert.ok(m, `no kosmo_audit_write_failures_total{screen="mailer"} in /metrics:\n${res.text}`);
  const requestSeries = res.text.split('\n').filter((l) => /^kosmo_request\w*\{screen="mailer"/.test(l));
  assert.deepEqual(requestSeries, [], 'request series for kosmo-mailer, which answers no requests');
  return Number(m[1]);
}

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

test('D18: wrong passwords count and lock out when their audit rows cannot be written; each refused row is logged without values and counted', async () => {
  const member = createMember();
  const address = freshAddress();
  const browser = new Browser(address);
  await awayFromWindowEnd('login_id', 30);
  const failuresBefore = await auditWriteFailures('login');
  const logStart = programLog('login').length;
  // Two failures before the limit: the second locks (limits_test.js proves N and N+1).
  seedHits('login_id', member.login_id, limits.login_id.max - 2);
  refuseAuditRows();
  try {
    for (let i = 1; i <= 2; i += 1) {
      const res = await browser.login(member, `wrong-${process.pid}-password`);
      assert.equal(res.status, 200, `failure ${i}: the usual failure page, not an error`);
    }
    assert.equal((await browser.login(member)).status, 429, 'locked out, even with the right password');
  } finally {
    dropTrigger('audit_test_refuse_row');
  }
  assert.equal(hitsOf('login_id', member.login_id), limits.login_id.max, 'every failure counted per login ID');
  assert.equal(hitsOf('login_ip', address), 2, 'every failure counted per address');
  assert.ok(blockedSeconds('login_id', member.login_id) > 0, 'the lockout started');
  assert.equal(sqlValue(`SELECT COUNT(*) FROM audit_events WHERE user_agent = '${UA}'`), '0');

  // login_failed for each failure, lockout_started, refused: one line each, no value of the row.
  const refused = 4;
  const lines = programLog('login').slice(logStart).split('\n').filter((l) => l.includes(' event=audit_write_failed '));
  assert.equal(lines.length, refused, lines.join('\n'));
  for (const line of lines) {
    assert.match(line, /^level=error .* errno=1366 /);
    for (const value of [UA, member.login_id, address, 'wrong-']) assert.ok(!line.includes(value), `${value} in: ${line}`);
  }
  assert.equal(await auditWriteFailures('login') - failuresBefore, refused);
});

test('D18: a right password whose audit row cannot be written answers 500 with no cookie and starts no session', async () => {
  const member = createMember();
  const browser = new Browser(freshAddress());
  const token = await browser.csrf('/login');
  refuseAuditRows();
  let res;
  try {
    res = await browser.post('/login', { csrf: token, login_id: member.login_id, password: member.password });
  } finally {
    dropTrigger('audit_test_refuse_row');
  }
  assert.equal(res.status, 500);
  assert.deepEqual(res.headers.getSetCookie(), [], 'a 5xx sets no cookie');
  assert.equal(sqlValue(`SELECT COUNT(*) FROM sessions WHERE member_id = ${member.member_id}`), '0');
  assert.match(programLog('login'), new RegExp(` event=audit_write_failed req=${requestIdOf(res)} audit=login_succeeded errno=1366 `));
});

test('D18: a page that fails sets neither the session nor the CSRF cookie', async () => {
  const member = createMember();
  const first = new Browser(freshAddress());
  assert.equal((await first.login(member)).status, 303);
  const session = first.cookies.get('__Host-kosmo_session');
  // An idle session ends on the next page, with an audit row and a cleared cookie;
  // a browser without a CSRF cookie would get one with the page.
  sql(`UPDATE sessions SET last_seen_at = last_seen_at - INTERVAL 1 DAY, created_at = created_at - INTERVAL 1 DAY WHERE member_id = ${member.member_id}`);
  const browser = new Browser(freshAddress());
  browser.cookies.set('__Host-kosmo_session', session);
  refuseAuditRows();
  let res;
  try {
    res = await browser.get('/mypage');
  } finally {
    dropTrigger('audit_test_refuse_row');
  }
  assert.equal(res.status, 500);
  assert.deepEqual(res.headers.getSetCookie(), [], 'a 5xx sets no cookie');
});

test('D18: an identity check whose audit row cannot be written still counts against D7, sends its mail and leaves the queue', async () => {
  const member = createMember();
  const address = freshAddress();
  const browser = new Browser(address);
  const logStart = programLog('forgot-id').length;
  const before = new Set(mailFiles());
  refuseAuditRows();
  try {
    // Waits until the check after the answer has emptied the queue (15 s at most).
    assert.equal((await browser.submit('/forgot-id', identityOf(member))).status, 303);
    await waitForMail(member.email, { since: before });
  } finally {
    dropTrigger('audit_test_refuse_row');
  }
  assert.equal(hitsOf('identity_ip', address), 1);
  assert.equal(hitsOf('identity_card', cardSubject(member.card_symbol, member.card_number)), 1);
  assert.equal(sqlValue(`SELECT COUNT(*) FROM audit_events WHERE event = 'identity_check' AND member_id = ${member.member_id}`), '0');
  assert.match(programLog('forgot-id').slice(logStart), / event=audit_write_failed .*audit=identity_check errno=1366 /);
});

test('D18, D8: in one batch of identity checks a refused audit row is missing alone; the others are written once each', async () => {
  // issue 16 writes a batch's audit rows in one or two INSERTs: when the
  // database refuses one row, the batch's rows are tried one at a time, so
  // the refused row alone is missing and logged, and no other row is lost
  // or written twice.
  const refused = createMember();
  const others = [createMember(), createMember(), createMember(), createMember(), createMember()];
  const logStart = programLog('forgot-id').length;
  const stamp = `${Date.now()}`.slice(-9);
  const row = (m, agent, request) => `(${q(m.card_symbol)}, ${q(m.card_number)}, ${q(m.birth_date)}, ${q(m.email)}, ` +
    `'192.0.2.8', ${q(agent)}, ${q(request)}, UTC_TIMESTAMP(6))`;
  refuseAuditRows();
  try {
    // One INSERT, so one check takes all six in one batch (the refused one in the middle).
    sql(`INSERT INTO identity_requests (card_symbol, card_number, birth_date, email, ip, user_agent, http_request_id, created_at) VALUES ${[
      ...others.slice(0, 2).map((m, i) => row(m, 'Mozilla/5.0 (test)', `c${stamp}${i}`)),
      row(refused, UA, `r${stamp}`),
      ...others.slice(2).map((m, i) => row(m, 'Mozilla/5.0 (test)', `d${stamp}${i}`)),
    ].join(', ')}`);
    for (const member of [refused, ...others]) await waitForMail(member.email);
  } finally {
    dropTrigger('audit_test_refuse_row');
  }
  for (const member of others)
    assert.equal(sqlValue(`SELECT COUNT(*) FROM audit_events WHERE event = 'identity_check' AND outcome = 'matched' AND member_id = ${member.member_id}`), '1');
  assert.equal(sqlValue(`SELECT COUNT(*) FROM audit_events WHERE event = 'identity_check' AND member_id = ${refused.member_id}`), '0');
  const failures = programLog('forgot-id').slice(logStart).split('\n').filter((l) => / event=audit_write_failed .*audit=identity_check errno=1366 /.test(l));
  assert.equal(failures.length, 1);
  for (const member of others)
    assert.equal(auditLines('forgot-id', 'identity_check', member.member_id).length, 1);
});

test('D18, D8: a token POST whose audit row cannot be written answers 500 with no cookie, consumes nothing, and is logged without values and counted', async () => {
  // Issue 16 writes the token_redeem row inside the procedure that consumes
  // the token (sql/008_token_redeem.sql): the refusal must still reach the
  // program, be logged and counted, and fail the request as audit() does;
  // the URL then still works from a browser whose row can be written.
  const member = createMember();
  const { token } = await requestIdNotice(member);
  const browser = new Browser(freshAddress());
  const page = await browser.get(`/id-notice?t=${token}`);
  const csrf = page.text.match(/name="csrf" value="([^"]+)"/)[1];
  const failuresBefore = await auditWriteFailures('id-notice');
  const logStart = programLog('id-notice').length;
  refuseAuditRows();
  let res;
  try {
    res = await browser.post('/id-notice', { csrf, t: token });
  } finally {
    dropTrigger('audit_test_refuse_row');
  }
  assert.equal(res.status, 500);
  assert.deepEqual(res.headers.getSetCookie(), [], 'a 5xx sets no cookie');
  assert.equal(sqlValue(`SELECT COUNT(*) FROM recovery_grants WHERE member_id = ${member.member_id}`), '0');
  assert.equal(sqlValue(`SELECT COUNT(*) FROM audit_events WHERE event = 'token_redeem' AND member_id = ${member.member_id}`), '0');
  assert.equal(sqlValue(`SELECT COUNT(*) FROM recovery_tokens WHERE member_id = ${member.member_id} AND consumed_at IS NULL`), '1');
  const lines = programLog('id-notice').slice(logStart).split('\n').filter((l) => l.includes(' event=audit_write_failed '));
  assert.equal(lines.length, 1, lines.join('\n'));
  assert.match(lines[0], new RegExp(`^level=error .* req=${requestIdOf(res)} audit=token_redeem errno=1366 `));
  for (const value of [UA, token]) assert.ok(!lines[0].includes(value), `${value} in: ${lines[0]}`);
  assert.equal(await auditWriteFailures('id-notice') - failuresBefore, 1);

  const client = new Client();
  const again = await client.get(`/id-notice?t=${token}`);
  const granted = await client.post('/id-notice', { csrf: again.text.match(/name="csrf" value="([^"]+)"/)[1], t: token });
  assert.equal(granted.status, 303);
  assert.equal(sqlValue(`SELECT COUNT(*) FROM audit_events WHERE event = 'token_redeem' AND outcome = 'granted' AND member_id = ${member.member_id}`), '1');
  assert.equal(sqlValue(`SELECT COUNT(*) FROM recovery_grants WHERE member_id = ${member.member_id}`), '1');
});

// kosmo-mailer's and kosmo-admin's rows have no request: the trigger refuses
// only rows of this test's member. Their rows describe what has happened
// already, so a refused one must not undo it (D18).
function refuseMemberRows(event, memberId) {
  createTrigger('audit_test_refuse_member', 'audit_events',
    `IF NEW.event = '${event}' AND NEW.member_id = ${memberId} THEN SIGNAL SQLSTATE 'HY000' SET MYSQL_ERRNO = 1366, MESSAGE_TEXT = 'audit test: incorrect string value'; END IF;`);
}

test('D18, D11: a sent mail whose mail_sent row cannot be written stays sent, wiped and sent once; the row is logged without values and counted under screen="mailer"', async () => {
  const member = createMember();
  const address = `d18-mailer-${process.pid}-${Date.now() % 1e9}@example.jp`;
  const logStart = programLog('mailer').length;
  const failuresBefore = await mailerAuditWriteFailures();
  refuseMemberRows('mail_sent', member.member_id);
  let mailId;
  try {
    mailId = Number(sqlValue(`INSERT INTO mail_outbox (kind, member_id, to_address, subject, body, message_id, status, attempts, next_attempt_at, created_at)
      VALUES ('password_changed', ${member.member_id}, ${q(address)}, 'd18 test', 'a body with a temporary password',
              ${q(`<d18.${Date.now()}.${process.pid}@example.jp>`)}, 'queued', 0, UTC_TIMESTAMP(6), UTC_TIMESTAMP(6));
      SELECT LAST_INSERT_ID();`));
    await waitForMail(address);
    for (let i = 0; i < 100 && sqlValue(`SELECT status FROM mail_outbox WHERE mail_id = ${mailId}`) !== 'sent'; i += 1) await sleep(100);
  } finally {
    dropTrigger('audit_test_refuse_member');
  }
  assert.deepEqual(sql(`SELECT status, body IS NULL, attempts FROM mail_outbox WHERE mail_id = ${mailId}`)[0], ['sent', '1', '1'],
    'sent, its body wiped, after one attempt');
  assert.equal(sqlValue(`SELECT COUNT(*) FROM audit_events WHERE event = 'mail_sent' AND member_id = ${member.member_id}`), '0');
  const lines = programLog('mailer').slice(logStart).split('\n').filter((l) => l.includes(' event=audit_write_failed '));
  assert.equal(lines.length, 1, lines.join('\n'));
  assert.match(lines[0], /^level=error .*audit=mail_sent errno=1366 /);
  for (const value of [address, String(mailId), String(member.member_id)]) assert.ok(!lines[0].includes(value), `${value} in: ${lines[0]}`);
  assert.equal(mailFiles().filter((f) => fs.readFileSync(f, 'latin1').includes(address)).length, 1, 'sent once');
  assert.equal(await mailerAuditWriteFailures() - failuresBefore, 1, 'the refused row counted in /metrics');
});

test('D18: kosmo-admin member disable whose admin_action row cannot be written still disables, exit 0, the row logged without values', () => {
  const member = createMember();
  refuseMemberRows('admin_action', member.member_id);
  let run;
  try {
    run = spawnSync(path.join(env.KOSMO_BUILD, 'kosmo-admin'),
      ['--config', path.join(env.KOSMO_VAR, 'etc/kosmo.conf'), 'member', 'disable', member.login_id], { encoding: 'utf8' });
  } finally {
    dropTrigger('audit_test_refuse_member');
  }
  assert.equal(run.status, 0, run.stderr);
  assert.equal(sqlValue(`SELECT is_disabled FROM members WHERE member_id = ${member.member_id}`), '1');
  assert.equal(sqlValue(`SELECT COUNT(*) FROM audit_events WHERE event = 'admin_action' AND member_id = ${member.member_id}`), '0');
  const lines = run.stderr.split('\n').filter((l) => l.includes(' event=audit_write_failed '));
  assert.equal(lines.length, 1, run.stderr);
  assert.match(lines[0], /^level=error .*audit=admin_action errno=1366 /);
  for (const value of [member.login_id, String(member.member_id)]) assert.ok(!lines[0].includes(value), `${value} in: ${lines[0]}`);
});
