// Faults (issue 3): a MariaDB restart while the programs run costs at most
// the requests in flight; the next request works without restarting anything.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { Client, createMember, stack, sqlValue } = require('../support/harness');

test('after a MariaDB restart the next requests work without restarting the programs', async () => {
  const member = createMember();
  const client = new Client();
  assert.equal((await client.login(member)).status, 303);
  stack('db_stop && db_start');
  // Every worker's connection is stale now; each must reconnect and retry on its own.
  for (let i = 0; i < 12; i += 1) {
    const page = await client.get('/mypage');
    assert.equal(page.status, 200, `request ${i} after the restart`);
  }
  const again = new Client();
  assert.equal((await again.login(member)).status, 303);
  assert.equal(sqlValue(`SELECT COUNT(*) FROM sessions WHERE member_id = ${member.member_id} AND ended_at IS NULL`), '2');
});

test('while MariaDB is down the member gets a Japanese 503 page, not a stack trace', async () => {
  const client = new Client();
  const token = await client.csrf('/login');
  stack('db_stop');
  try {
    const res = await client.post('/login', { csrf: token, login_id: '0010000000000', password: 'whatever-it-is' });
    assert.ok(res.status === 503 || res.status === 500, `status ${res.status}`);
    assert.match(res.text, /lang="ja"/);
    assert.match(res.text, /お問い合わせ番号/);
    assert.doesNotMatch(res.text, /SQL|mysql|mariadb|exception/i);
  } finally {
    stack('db_start');
  }
  assert.equal((await new Client().get('/login')).status, 200);
});
