// Sessions (issue 3): logout ends the session on the server, idle and
// absolute timeouts from config (stored timestamps are moved, no sleeping),
// and the temporary-password gate of R11.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { Client, createMember, sql, sqlValue } = require('../support/harness');

async function loggedIn(opts) {
  const member = createMember(opts);
  const client = new Client();
  const res = await client.login(member);
  assert.equal(res.status, 303);
  return { member, client };
}

test('logout ends the session on the server, so a replayed cookie is dead', async () => {
  const { member, client } = await loggedIn();
  const cookie = client.cookies.get('__Host-kosmo_session');
  const page = await client.get('/mypage');
  assert.match(page.text, /<button type="submit">ログアウト<\/button>/);
  const token = page.text.match(/name="csrf" value="([^"]+)"/)[1];
  const res = await client.post('/logout', { csrf: token });
  assert.equal(res.status, 303);
  assert.equal(res.location, '/login?logged_out=1');
  assert.equal(client.cookies.has('__Host-kosmo_session'), false);
  const replay = new Client();
  replay.cookies.set('__Host-kosmo_session', cookie);
  const again = await replay.get('/mypage');
  assert.equal(again.status, 303);
  assert.equal(again.location, '/login');
  assert.equal(sqlValue(`SELECT end_reason FROM sessions WHERE member_id = ${member.member_id}`), 'logout');
});

test('a session idle longer than session.idle_timeout is ended', async () => {
  const { member, client } = await loggedIn();
  sql(`UPDATE sessions SET last_seen_at = last_seen_at - INTERVAL 1801 SECOND, created_at = created_at - INTERVAL 1801 SECOND WHERE member_id = ${member.member_id}`);
  const res = await client.get('/mypage');
  assert.equal(res.status, 303);
  assert.equal(res.location, '/login');
  assert.equal(sqlValue(`SELECT end_reason FROM sessions WHERE member_id = ${member.member_id}`), 'idle');
});

test('a session just inside session.idle_timeout still works', async () => {
  const { member, client } = await loggedIn();
  sql(`UPDATE sessions SET last_seen_at = last_seen_at - INTERVAL 1790 SECOND, created_at = created_at - INTERVAL 1790 SECOND WHERE member_id = ${member.member_id}`);
  assert.equal((await client.get('/mypage')).status, 200);
});

test('a session older than session.absolute_timeout is ended even when active', async () => {
  const { member, client } = await loggedIn();
  sql(`UPDATE sessions SET created_at = created_at - INTERVAL 28801 SECOND WHERE member_id = ${member.member_id}`);
  const res = await client.get('/mypage');
  assert.equal(res.status, 303);
  assert.equal(sqlValue(`SELECT end_reason FROM sessions WHERE member_id = ${member.member_id}`), 'absolute');
});

test('a member with a temporary password reaches the change screen and nothing else (R11)', async () => {
  const { client } = await loggedIn({ temporary: true });
  const mypage = await client.get('/mypage');
  assert.equal(mypage.status, 303);
  assert.equal(mypage.location, '/password');
  const form = await client.get('/password');
  assert.equal(form.status, 200);
  assert.match(form.text, /仮パスワードでログインしています/);
});

test('login with a temporary password answers 303 to the change screen', async () => {
  const member = createMember({ temporary: true });
  const res = await new Client().login(member);
  assert.equal(res.status, 303);
  assert.equal(res.location, '/password');
});

test('an expired temporary password no longer logs in (D6)', async () => {
  const member = createMember({ temporary: true });
  sql(`UPDATE members SET password_expires_at = UTC_TIMESTAMP(6) - INTERVAL 1 SECOND WHERE member_id = ${member.member_id}`);
  const res = await new Client().login(member);
  assert.equal(res.status, 200);
  assert.match(res.text, /ログインIDまたはパスワードが正しくありません。/);
});

test('pages behind login send an anonymous visitor to the login screen', async () => {
  for (const p of ['/mypage', '/password']) {
    const res = await new Client().get(p);
    assert.equal(res.status, 303, p);
    assert.equal(res.location, '/login', p);
  }
});
