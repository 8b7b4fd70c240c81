// ログイン画面 through nginx (issue 3): success and failure, session cookie
// flags and rotation, last_login_at (R1 ア), bcrypt import, lockless CSRF.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { Client, createMember, sql, sqlValue, q } = require('../support/harness');

test('login screen shows the manual\'s fields, button and both recovery links (R2, D14)', async () => {
  const page = await new Client().get('/login');
  assert.equal(page.status, 200);
  assert.match(page.text, /<label for="login_id">ログインID<\/label>/);
  assert.match(page.text, /<label for="password">パスワード<\/label>/);
  assert.match(page.text, /<button type="submit">ログイン<\/button>/);
  assert.match(page.text, /<a href="\/forgot-id">IDを忘れた方はこちら<\/a>/);
  assert.match(page.text, /<a href="\/forgot-id">パスワードを忘れた方はこちら<\/a>/);
});

test('successful login answers 303 to /mypage with a fresh __Host- session cookie and records last_login_at', async () => {
  const member = createMember();
  const client = new Client();
  client.cookies.set('__Host-kosmo_session', 'A'.repeat(43));  // planted before login (fixation attempt)
  const res = await client.login(member);
  assert.equal(res.status, 303);
  assert.equal(res.location, '/mypage');
  const setCookie = res.headers.get('set-cookie');
  assert.match(setCookie, /__Host-kosmo_session=[A-Za-z0-9_-]{43}; Path=\/; Secure; HttpOnly; SameSite=Lax/);
  assert.notEqual(client.cookies.get('__Host-kosmo_session'), 'A'.repeat(43));
  assert.equal(sqlValue(`SELECT last_login_at IS NOT NULL FROM members WHERE member_id = ${member.member_id}`), '1');
  const mypage = await client.get('/mypage');
  assert.equal(mypage.status, 200);
  assert.match(mypage.text, new RegExp(member.login_id));
  assert.match(mypage.text, new RegExp(member.email.replace('.', '\\.')));
});

test('wrong password and unknown login ID give one identical message that does not say which part was wrong', async () => {
  const member = createMember();
  const wrong = await new Client().login(member, 'not-the-password');
  const unknown = await new Client().login({ login_id: '0000000000000', password: member.password });
  for (const res of [wrong, unknown]) {
    assert.equal(res.status, 200);
    assert.match(res.text, /ログインIDまたはパスワードが正しくありません。/);
    assert.doesNotMatch(res.headers.get('set-cookie') || '', /__Host-kosmo_session=/);
  }
  const strip = (t) => t.replace(/name="csrf" value="[^"]+"/, '').replace(/お問い合わせ番号[^<]*/, '').replace(/value="\d+"/, '');
  assert.equal(strip(wrong.text), strip(unknown.text));
  assert.equal(sqlValue(`SELECT COUNT(*) FROM audit_events WHERE member_id = ${member.member_id} AND event = 'login_failed'`), '1');
});

test('an empty field is reported next to it and nothing is written', async () => {
  const member = createMember();
  const res = await new Client().submit('/login', { login_id: member.login_id, password: '' });
  assert.equal(res.status, 200);
  assert.match(res.text, /パスワードを入力してください。/);
  assert.match(res.text, new RegExp(`value="${member.login_id}"`));
  assert.equal(sqlValue(`SELECT COUNT(*) FROM audit_events WHERE member_id = ${member.member_id}`), '0');
});

test('full-width digits in the login ID still log in (D10)', async () => {
  const member = createMember();
  const fullWidth = member.login_id.replace(/[0-9]/g, (d) => String.fromCharCode(0xff10 + Number(d)));
  const res = await new Client().submit('/login', { login_id: fullWidth, password: member.password });
  assert.equal(res.status, 303);
});

test('a $2y$ bcrypt hash imported from PHP logs in and is re-hashed to argon2id at that login', async () => {
  const member = createMember();
  sql(`UPDATE members SET password_hash = ${q('$2y$10$gXMcCj4VSW8amhRyc/kf9.koS6enPJS.is6vlsfqcuAdSz2GGy3t6')} WHERE member_id = ${member.member_id}`);
  const res = await new Client().login(member, 'kosmo-php-2019');
  assert.equal(res.status, 303);
  assert.match(sqlValue(`SELECT password_hash FROM members WHERE member_id = ${member.member_id}`), /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  assert.equal((await new Client().login(member, 'kosmo-php-2019')).status, 303);
});

test('stored passwords are argon2id PHC strings with m=19 MiB, t=2, p=1', () => {
  const member = createMember();
  assert.match(sqlValue(`SELECT password_hash FROM members WHERE member_id = ${member.member_id}`), /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
});

test('a disabled member cannot log in and sees the same message', async () => {
  const member = createMember();
  sql(`UPDATE members SET is_disabled = 1 WHERE member_id = ${member.member_id}`);
  const res = await new Client().login(member);
  assert.equal(res.status, 200);
  assert.match(res.text, /ログインIDまたはパスワードが正しくありません。/);
});
