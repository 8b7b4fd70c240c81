// パスワード変更画面 (issue 3, R11, D9): NIST SP 800-63B rules, every other
// session ends, and パスワード変更完了のお知らせ reaches the registered address.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { Client, createMember, sql, sqlValue, waitForMail, mailFiles } = require('../support/harness');

async function loggedIn(opts) {
  const member = createMember(opts);
  const client = new Client();
  assert.equal((await client.login(member)).status, 303);
  return { member, client };
}

function change(client, current, fresh, confirm = fresh) {
  return client.submit('/password', { current_password: current, new_password: fresh, new_password_confirm: confirm });
}

test('the change screen has the manual\'s three labelled fields', async () => {
  const { client } = await loggedIn();
  const page = await client.get('/password');
  for (const [id, label] of [['current_password', '現在のパスワード'], ['new_password', '新しいパスワード'], ['new_password_confirm', '新しいパスワード（確認）']])
    assert.match(page.text, new RegExp(`<label for="${id}">${label}</label>`));
});

test('a password change ends every other session, keeps this one, and mails パスワード変更完了のお知らせ (D9)', async () => {
  const { member, client } = await loggedIn();
  const other = new Client();
  assert.equal((await other.login(member)).status, 303);
  const before = new Set(mailFiles());
  const res = await change(client, member.password, 'an entirely new passphrase');
  assert.equal(res.status, 303);
  assert.equal(res.location, '/mypage?changed=1');
  assert.equal((await client.get('/mypage')).status, 200);
  const otherPage = await other.get('/mypage');
  assert.equal(otherPage.status, 303, 'the other session must be dead');
  assert.equal((await new Client().login(member)).status, 200, 'the old password must stop working');
  assert.equal((await new Client().login(member, 'an entirely new passphrase')).status, 303);

  const mail = await waitForMail(member.email, { since: before });
  assert.equal(mail.subject, '【KOSMO Communication Web】パスワード変更完了のお知らせ');
  assert.match(mail.headers.from, /<no-reply@kosmoweb\.jp>$/);
  assert.match(mail.headers.date, /^[A-Z][a-z]{2}, \d{1,2} [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d [+-]\d{4}$/);
  assert.match(mail.headers['message-id'], /^<[0-9a-f]+@kosmoweb\.jp>$/);
  assert.match(mail.headers['content-type'], /text\/plain; charset=UTF-8/i);
  assert.match(mail.body, /パスワードが変更されました/);
  assert.match(mail.body, /お心当たりがない場合/);
  assert.doesNotMatch(mail.raw, /an entirely new passphrase/);
  // The body is wiped from the outbox once delivered (D11).
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(sqlValue(`SELECT COUNT(*) FROM mail_outbox WHERE member_id = ${member.member_id} AND body IS NOT NULL`), '0');
});

for (const [name, fresh, confirm, message] of [
  ['7 characters are too short (N-1 of 8)', 'abcdefg', undefined, /8文字以上/],
  ['129 characters are too long (N+1 of 128)', 'x'.repeat(129), undefined, /128文字以内/],
  ['the login ID is refused', null, undefined, /ログインIDと同じ/],
  ['a common password is refused', 'password1', undefined, /推測されやすい/],
  ['a confirmation that differs is refused', 'a long new password', 'a long new passwore', /一致しません/],
]) {
  test(`new password rule: ${name}, and nothing changes`, async () => {
    const { member, client } = await loggedIn();
    const res = await change(client, member.password, fresh ?? member.login_id, confirm);
    assert.equal(res.status, 200);
    assert.match(res.text, message);
    assert.equal(sqlValue(`SELECT password_changed_at IS NULL FROM members WHERE member_id = ${member.member_id}`), '1');
  });
}

test('new password rule: exactly 8 and exactly 128 characters, and 8 kanji, are accepted', async () => {
  for (const fresh of ['kq7#mz2!', 'y'.repeat(127) + 'z', '健康保険組合員証']) {
    const { member, client } = await loggedIn();
    const res = await change(client, member.password, fresh);
    assert.equal(res.status, 303, `length ${[...fresh].length}`);
  }
});

test('a wrong current password is refused and audited', async () => {
  const { member, client } = await loggedIn();
  const res = await change(client, 'not-my-password', 'a long new password');
  assert.equal(res.status, 200);
  assert.match(res.text, /現在のパスワードが正しくありません。/);
  assert.equal(sqlValue(`SELECT COUNT(*) FROM audit_events WHERE member_id = ${member.member_id} AND event = 'password_change_failed'`), '1');
});

test('temporary password -> forced change -> mypage (R11)', async () => {
  const { member, client } = await loggedIn({ temporary: true });
  assert.equal((await client.get('/mypage')).location, '/password');
  const res = await change(client, member.password, 'my own new password');
  assert.equal(res.status, 303);
  assert.equal((await client.get('/mypage')).status, 200);
  assert.equal(sqlValue(`SELECT password_is_temporary FROM members WHERE member_id = ${member.member_id}`), '0');
});

test('a member without an address can change the password and no mail is queued', async () => {
  const { member, client } = await loggedIn({ email: null });
  assert.equal((await change(client, member.password, 'no mail for me please')).status, 303);
  assert.equal(sqlValue(`SELECT COUNT(*) FROM mail_outbox WHERE member_id = ${member.member_id}`), '0');
});
