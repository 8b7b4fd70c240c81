// CSRF (issue 3, ASVS V4.2): every POST form carries a token the server
// checks; a missing or wrong one gets 403 with a Japanese page and changes
// nothing.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { Client, createMember, sqlValue } = require('../support/harness');

test('a login POST without the CSRF token is refused with 403 and creates no session', async () => {
  const member = createMember();
  const client = new Client();
  await client.get('/login');
  const res = await client.post('/login', { login_id: member.login_id, password: member.password });
  assert.equal(res.status, 403);
  assert.match(res.text, /lang="ja"/);
  assert.match(res.text, /画面を開き直して/);
  assert.equal(sqlValue(`SELECT COUNT(*) FROM sessions WHERE member_id = ${member.member_id}`), '0');
});

test('a token that belongs to another browser is refused with 403', async () => {
  const member = createMember();
  const other = new Client();
  const foreignToken = await other.csrf('/login');
  const client = new Client();
  await client.get('/login');
  const res = await client.post('/login', { csrf: foreignToken, login_id: member.login_id, password: member.password });
  assert.equal(res.status, 403);
  assert.equal(sqlValue(`SELECT COUNT(*) FROM sessions WHERE member_id = ${member.member_id}`), '0');
});

test('a POST without the CSRF cookie is refused even with a well-formed token', async () => {
  const member = createMember();
  const client = new Client();
  const token = await client.csrf('/login');
  client.cookies.delete('__Host-kosmo_csrf');
  const res = await client.post('/login', { csrf: token, login_id: member.login_id, password: member.password });
  assert.equal(res.status, 403);
});

test('logout and password change refuse a missing token and keep the session', async () => {
  const member = createMember();
  const client = new Client();
  assert.equal((await client.login(member)).status, 303);
  assert.equal((await client.post('/logout', {})).status, 403);
  assert.equal((await client.post('/password', { current_password: member.password, new_password: 'a-new-long-password', new_password_confirm: 'a-new-long-password' })).status, 403);
  assert.equal((await client.get('/mypage')).status, 200);
  assert.equal(sqlValue(`SELECT password_changed_at IS NULL FROM members WHERE member_id = ${member.member_id}`), '1');
});

test('the CSRF cookie carries every flag: __Host-, Secure, HttpOnly, SameSite=Lax, Path=/', async () => {
  const res = await new Client().get('/login');
  assert.match(res.headers.get('set-cookie'), /^__Host-kosmo_csrf=[A-Za-z0-9_-]{43}; Path=\/; Secure; HttpOnly; SameSite=Lax$/);
});
