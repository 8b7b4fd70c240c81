// The screens' database sessions run with autocommit = 0 so a transaction
// costs no START TRANSACTION round trip (fcgi/lib/db/db.h). The price of that is
// a rule: every statement runs inside a Transaction that ends with its
// request. A read left without COMMIT would keep an idle connection's
// metadata lock on the table it read, and the next migration (ALTER TABLE)
// would hang behind it. This drives every screen's reads and writes, then
// takes a write lock on their tables from another session, which waits for
// any such lock (and fails after lock_wait_timeout).
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { Client, createMember, identityChecksDone, sql, sqlValue } = require('../support/harness');
const { recoverLoginId, requestIdNotice } = require('../support/recovery');

const TABLES = ['members', 'sessions', 'recovery_tokens', 'recovery_grants', 'identity_requests', 'rate_limit_events',
  'rate_limits', 'audit_events', 'mail_outbox'];

// Succeeds only if no other session holds a metadata lock on the tables.
function tablesFreeWithin(seconds) {
  try {
    sql(`SET SESSION lock_wait_timeout = ${seconds}; LOCK TABLES ${TABLES.map((t) => `${t} WRITE`).join(', ')}; UNLOCK TABLES`);
    return true;
  } catch (e) {
    return false;
  }
}

test('no transaction or table lock outlives a request: after every screen has read and written, a write lock on their tables is granted at once', async () => {
  const member = createMember();
  // Reads only: the pages, an unknown and a real token page, the health check.
  const reader = new Client();
  for (const page of ['/login', '/forgot-id', '/forgot-id/sent', '/healthz']) await reader.get(page);
  await reader.get(`/id-notice?t=${'A'.repeat(43)}`);
  const { token } = await requestIdNotice(member);  // identity POST, background check, mail
  assert.equal((await reader.get(`/id-notice?t=${token}`)).status, 200);
  await recoverLoginId(createMember());             // token POST and the ID screen with its grant
  // Writes that fail and writes that succeed: a wrong password, a login, a logout.
  const wrong = new Client();
  await wrong.login(member, 'not-the-password');
  const user = new Client();
  const landing = await user.login(member);
  assert.equal(landing.status, 303);
  await identityChecksDone();

  // Every worker of every program has been idle for a moment now.
  assert.ok(tablesFreeWithin(5), 'a screen connection still holds a lock on one of the tables');
  // No InnoDB transaction stays open on any kosmo connection between requests
  // (the mailer's short claim transactions may be caught in flight: sampled).
  let open = 1;
  for (let i = 0; i < 20 && open > 0; i += 1) {
    open = Number(sqlValue("SELECT COUNT(*) FROM information_schema.innodb_trx t JOIN information_schema.processlist p ON p.id = t.trx_mysql_thread_id WHERE p.user = 'kosmo' AND t.trx_started < NOW() - INTERVAL 2 SECOND"));
    if (open > 0) await new Promise((r) => setTimeout(r, 250));
  }
  assert.equal(open, 0, 'an InnoDB transaction of a kosmo connection has stayed open for over 2 s');
});
