// 「パスワード初期化」 through nginx (issue 4): the current password dies at
// once, every session ends, パスワード初期化のお知らせ brings a 12-character
// temporary password to the stored address (R10, D6), it works once per grant
// (D5), nothing changes without a grant, and the temporary password forces a
// change at its first login (R11). The password never reaches a log (D12).
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { Client, createMember, sql, sqlValue, mailFiles, waitForMail, baseUrl } = require('../support/harness');
const { recoverLoginId, outboxCount, lastAudit, stackLogs } = require('../support/recovery');

const TEMPORARY = /仮パスワード: ([^\s]+)/;
const ALPHABET = /^[23456789acdefhjknprtuvxyADEFHJLMNQRT]{12}$/;  // D6: no 0/O, 1/l/I

async function loggedIn(member) {
  const client = new Client();
  assert.equal((await client.login(member)).status, 303);
  return client;
}

// Presses 「パスワード初期化」 on the ID screen the client shows (a GET of the
// confirmation, issue 15 item 1), then 「パスワードを初期化する」 there.
async function pressReset(client) {
  const idPage = await client.get('/id-notice');
  assert.match(idPage.text, /<form method="get" action="\/password-reset">\s*<button type="submit" class="secondary">パスワード初期化<\/button>/);
  const page = await client.get('/password-reset');
  const csrf = page.text.match(/action="\/password-reset">\s*<input type="hidden" name="csrf" value="([^"]+)"/);
  assert.ok(csrf, `no 「パスワードを初期化する」 form (status ${page.status})`);
  return client.post('/password-reset', { csrf: csrf[1] });
}

// The csrf field of the confirmation page, under the client's grant.
async function confirmationCsrf(client) {
  return (await client.get('/password-reset')).text.match(/name="csrf" value="([^"]+)"/)[1];
}

test('R10, D6: 「パスワード初期化」 kills the password and every session at once and mails a 12-character temporary password', async () => {
  const member = createMember();
  const sessions = [await loggedIn(member), await loggedIn(member)];
  const { client } = await recoverLoginId(member);
  const before = new Set(mailFiles());
  const res = await pressReset(client);
  assert.equal(res.status, 303);
  assert.equal(res.location, '/password-reset');

  // At once, before any mail is read.
  assert.equal((await new Client().login(member)).status, 200, 'the old password must stop working');
  for (const s of sessions) {
    const page = await s.get('/mypage');
    assert.equal(page.status, 303, 'every session must end');
    assert.equal(page.location, '/login');
  }
  assert.equal(sqlValue(`SELECT COUNT(*) FROM sessions WHERE member_id = ${member.member_id} AND ended_at IS NULL`), '0');
  assert.equal(sqlValue(`SELECT COUNT(DISTINCT end_reason) FROM sessions WHERE member_id = ${member.member_id}`), '1');
  assert.equal(sqlValue(`SELECT end_reason FROM sessions WHERE member_id = ${member.member_id} LIMIT 1`), 'password_initialized');

  const done = await client.get('/password-reset');
  assert.equal(done.status, 200);
  assert.match(done.text, /パスワードを初期化しました。/);
  assert.match(done.text, /仮パスワードが記載されたメールを送信しました/);
  assert.match(done.text, /メールアドレスはログインID再通知メールが届いたアドレスと同じです/);
  assert.match(done.text, /<form method="get" action="\/login">\s*<button type="submit">ログイン画面へ<\/button>/);

  const mail = await waitForMail(member.email, { since: before });
  assert.equal(mail.subject, '【KOSMO Communication Web】パスワード初期化のお知らせ');
  assert.ok(mail.to.includes(member.email));
  const temporary = mail.body.match(TEMPORARY)[1];
  assert.match(temporary, ALPHABET);
  assert.match(temporary, /[0-9]/);
  assert.match(temporary, /[A-Za-z]/);
  assert.match(mail.body, /このメールの送信から24時間有効です。/);
  assert.match(mail.body, /・有効期限: \d{1,2}月\d{1,2}日 \d{1,2}時\d{2}分まで（日本時間）/);
  assert.match(mail.body, /新しいパスワードを設定してください/);
  assert.match(mail.body, /お心当たりがない場合/);
  assert.ok(mail.body.includes(`${baseUrl}/login`));
  assert.equal(sqlValue(`SELECT password_is_temporary FROM members WHERE member_id = ${member.member_id}`), '1');
  assert.equal(sqlValue(`SELECT TIMESTAMPDIFF(SECOND, password_changed_at, password_expires_at) FROM members WHERE member_id = ${member.member_id}`), '86400');
  assert.equal(lastAudit('password_initialized', member.member_id), 'ok');
});

test('R11: the temporary password logs in and forces a new password before anything else', async () => {
  const member = createMember();
  const { client } = await recoverLoginId(member);
  const before = new Set(mailFiles());
  await pressReset(client);
  const temporary = (await waitForMail(member.email, { since: before })).body.match(TEMPORARY)[1];
  const browser = new Client();
  const login = await browser.login(member, temporary);
  assert.equal(login.status, 303);
  assert.equal(login.location, '/password');
  assert.equal((await browser.get('/mypage')).location, '/password');
  const change = await browser.submit('/password', { current_password: temporary, new_password: 'a brand new passphrase', new_password_confirm: 'a brand new passphrase' });
  assert.equal(change.status, 303);
  assert.equal((await browser.get('/mypage')).status, 200);
});

test('D5: 「パスワード初期化」 works once per grant; the second press is refused and changes nothing', async () => {
  const member = createMember();
  const { client } = await recoverLoginId(member);
  const csrf = await confirmationCsrf(client);
  assert.equal((await client.post('/password-reset', { csrf })).status, 303);
  const hash = sqlValue(`SELECT password_hash FROM members WHERE member_id = ${member.member_id}`);
  const second = await client.post('/password-reset', { csrf });
  assert.equal(second.status, 403);
  // Issue 15 item 6: it says what happened a moment ago, not 「変更されていません」.
  assert.doesNotMatch(second.text, /パスワードは変更されていません/);
  assert.match(second.text, /<h1>パスワード初期化済み<\/h1>/);
  assert.match(second.text, /パスワードの初期化は既に行われています。/);
  assert.equal(sqlValue(`SELECT password_hash FROM members WHERE member_id = ${member.member_id}`), hash);
  assert.equal(outboxCount(member.member_id, 'temporary_password'), 1);
  // The ID screen still reloads within the grant, now without the button.
  const reload = await client.get('/id-notice');
  assert.equal(reload.status, 200);
  assert.ok(reload.text.includes(member.login_id));
  assert.doesNotMatch(reload.text, /action="\/password-reset"/);
  assert.match(reload.text, /パスワードは初期化済みです/);
  // Issue 15 item 6: no sentence asks for the button that is gone.
  assert.doesNotMatch(reload.text, /パスワード初期化」ボタンを押して/);
});

test('D5, D6: ten parallel presses under one grant initialise the password exactly once', async () => {
  const member = createMember();
  const { client } = await recoverLoginId(member);
  const csrf = await confirmationCsrf(client);
  const cookie = client.cookieHeader();
  const statuses = await Promise.all(Array.from({ length: 10 }, () => fetch(`${baseUrl}/password-reset`, {
    method: 'POST', redirect: 'manual', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ csrf }).toString(),
  }).then((r) => r.status)));
  assert.equal(statuses.filter((s) => s === 303).length, 1, statuses.join(','));
  assert.equal(statuses.filter((s) => s === 403).length, 9, statuses.join(','));
  assert.equal(outboxCount(member.member_id, 'temporary_password'), 1);
});

test('R10: without a grant, or with an expired one, 「パスワード初期化」 is refused with a Japanese page and changes nothing', async () => {
  const member = createMember();
  const hash = sqlValue(`SELECT password_hash FROM members WHERE member_id = ${member.member_id}`);
  const session = await loggedIn(member);

  const stranger = new Client();
  const csrf = await stranger.csrf('/forgot-id');
  const noGrant = await stranger.post('/password-reset', { csrf });
  assert.equal(noGrant.status, 403);
  assert.match(noGrant.text, /lang="ja"/);
  assert.match(noGrant.text, /ログインID再通知画面でのみ行えます/);
  stranger.cookies.set('__Host-kosmo_grant', 'A'.repeat(43));
  assert.equal((await stranger.post('/password-reset', { csrf })).status, 403);

  const { client } = await recoverLoginId(member);
  const grantCsrf = await confirmationCsrf(client);
  sql(`UPDATE recovery_grants SET expires_at = UTC_TIMESTAMP(6) - INTERVAL 1 SECOND WHERE member_id = ${member.member_id}`);
  const expired = await client.post('/password-reset', { csrf: grantCsrf });
  assert.equal(expired.status, 403);
  assert.match(expired.text, /有効期限（15分）が過ぎました/);

  assert.equal(sqlValue(`SELECT password_hash FROM members WHERE member_id = ${member.member_id}`), hash);
  assert.equal(outboxCount(member.member_id, 'temporary_password'), 0);
  assert.equal((await session.get('/mypage')).status, 200, 'the session lives on');
  assert.equal((await new Client().login(member)).status, 303, 'the password still works');
  assert.equal(lastAudit('password_initialized', member.member_id), 'refused_expired');
  // The completion page is not shown to a browser that initialised nothing.
  assert.equal((await new Client().get('/password-reset')).status, 403);
});

test('issue 15 item 1, D5: 「パスワード初期化」 only opens a warning; 「やめる」 leaves the grant and the password as they were', async () => {
  const member = createMember();
  const { client } = await recoverLoginId(member);
  const hash = sqlValue(`SELECT password_hash FROM members WHERE member_id = ${member.member_id}`);
  const confirmation = await client.get('/password-reset');
  assert.equal(confirmation.status, 200);
  assert.match(confirmation.text, /<h1>パスワード初期化の確認<\/h1>/);
  assert.match(confirmation.text, /現在のパスワードは、初期化した時点で使えなくなります。/);
  assert.match(confirmation.text, /仮パスワードを記載したメールを、登録済みのメールアドレス/);
  assert.match(confirmation.text, /次回のログインは仮パスワードで行い、その際に新しいパスワードの設定が必要です。/);
  assert.match(confirmation.text, /<button type="submit" class="danger">パスワードを初期化する<\/button>/);
  assert.match(confirmation.text, /<form method="get" action="\/id-notice">\s*<button type="submit" class="secondary">やめる<\/button>/);
  // Showing it (twice) claimed nothing and changed nothing.
  assert.equal((await client.get('/password-reset')).status, 200);
  assert.equal(sqlValue(`SELECT password_hash FROM members WHERE member_id = ${member.member_id}`), hash);
  assert.equal(outboxCount(member.member_id, 'temporary_password'), 0);
  // 「やめる」: back on the ID screen, which still offers the reset; the password works.
  const back = await client.get('/id-notice');
  assert.equal(back.status, 200);
  assert.ok(back.text.includes(member.login_id));
  assert.match(back.text, /action="\/password-reset"/);
  assert.equal((await new Client().login(member)).status, 303, 'the password still works');
  assert.equal(sqlValue(`SELECT COUNT(*) FROM audit_events WHERE event = 'password_initialized' AND member_id = ${member.member_id}`), '0');
  // And the grant still initialises, once.
  assert.equal((await pressReset(client)).status, 303);
});

test('D12: the temporary password and the grant cookie appear in no log of the stack', async () => {
  const member = createMember();
  const { client } = await recoverLoginId(member);
  const before = new Set(mailFiles());
  await pressReset(client);
  const temporary = (await waitForMail(member.email, { since: before })).body.match(TEMPORARY)[1];
  await new Promise((r) => setTimeout(r, 300));
  for (const { file, text } of stackLogs()) {
    assert.ok(!text.includes(temporary), `the temporary password is in ${file}`);
    assert.ok(!text.includes(client.cookies.get('__Host-kosmo_grant')), `the grant cookie is in ${file}`);
  }
});
