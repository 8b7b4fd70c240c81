// メールアドレス確認 (D16 with D2-D4, D12, R6-R9; issue 17 item 3) through
// nginx: the link from the real .eml, GET and HEAD consume nothing, the
// button sets the address once (50 presses at once: one), both addresses
// hear of it, the newest request wins, expiry by ageing the stored row, and
// the invalid screen names each cause.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { Client, sql, sqlValue, mailFiles, mailsTo, waitForMail } = require('../support/harness');
const { rawRequest, stackLogs } = require('../support/recovery');
const { mailsArrived, loggedIn, requestAndReadLink, openAndConfirmEmail, registeredEmail, changeRows } = require('../support/email_change');

function fresh(tag) { return `${tag}${Date.now() % 1e8}${Math.floor(Math.random() * 1e4)}@example.org`; }
function audits(member, outcome) {
  return Number(sqlValue(`SELECT COUNT(*) FROM audit_events WHERE member_id = ${member.member_id} ` +
    `AND event = 'email_change_confirm' AND outcome = '${outcome}'`));
}
const INVALID = /<h1>URL無効通知<\/h1>/;

function assertInvalid(res, cause) {
  assert.equal(res.status, 410);
  assert.match(res.text, INVALID);
  assert.match(res.text, /メールアドレスは変更されていません。/);
  assert.match(res.text, cause);
  assert.match(res.text, /<button type="submit">閉じる<\/button>/);
  assert.match(res.text, /<a href="\/email">/);
}

test('D16 item 3: the old address gets its two mails and the new address its two; the link sets the address as confirmed by the member', async () => {
  const { member, client } = await loggedIn();
  const before = new Set(mailFiles());
  const address = fresh('c');
  const { token } = await requestAndReadLink(client, member, address);
  await waitForMail(member.email, { since: before });  // 変更手続きのお知らせ

  const browser = new Client();  // a phone: not logged in
  const page = await browser.get(`/email/confirm?t=${token}`);
  assert.equal(page.status, 200);
  assert.ok(page.text.includes(`${address[0]}***@example.org`), 'the new address, masked');
  assert.match(page.text, /<button type="submit">メールアドレスを確定する<\/button>/);
  const done = await openAndConfirmEmail(token, browser);
  assert.equal(done.status, 200);
  assert.match(done.text, /<h1>メールアドレス変更完了<\/h1>/);
  assert.match(done.text, /<a href="\/login">ログイン画面へ<\/a>/);

  assert.equal(registeredEmail(member), address);
  assert.equal(sqlValue(`SELECT email_source FROM members WHERE member_id = ${member.member_id}`), 'member');
  assert.equal(sqlValue(`SELECT email_confirmed_at > UTC_TIMESTAMP(6) - INTERVAL 1 MINUTE FROM members WHERE member_id = ${member.member_id}`), '1');
  assert.equal(audits(member, 'confirmed'), 1);

  await mailsArrived(member.email, 2);
  await mailsArrived(address, 2);
  const old = mailsTo(member.email).map((m) => m.subject);
  const now = mailsTo(address).map((m) => m.subject);
  assert.deepEqual(old.sort(), ['【KOSMO Communication Web】メールアドレス変更完了のお知らせ', '【KOSMO Communication Web】メールアドレス変更手続きのお知らせ'].sort());
  assert.deepEqual(now.sort(), ['【KOSMO Communication Web】メールアドレス変更完了のお知らせ', '【KOSMO Communication Web】メールアドレス確認のお願い'].sort());
  const changed = mailsTo(member.email).find((m) => m.subject.includes('変更完了'));
  assert.ok(changed.body.includes(`${address[0]}***@example.org`) && !changed.body.includes(address));
  assert.match(changed.body, /お心当たりがない場合/);
  assert.match((await client.get('/mypage')).text, new RegExp(address.replace(/\./g, '\\.')));
});

test('D16: a first registration (カ) sends only the confirmation mail, and the completion mail to the new address alone', async () => {
  const { member, client } = await loggedIn({ email: null });
  const address = fresh('f');
  const { token } = await requestAndReadLink(client, member, address);
  assert.equal((await openAndConfirmEmail(token)).status, 200);
  assert.equal(registeredEmail(member), address);
  const mails = await mailsArrived(address, 2);
  assert.ok(mails.some((m) => m.subject.includes('メールアドレス変更完了のお知らせ')));
  assert.equal(Number(sqlValue(`SELECT COUNT(*) FROM mail_outbox WHERE member_id = ${member.member_id}`)), 2);
});

test('D2: GET and HEAD of the link consume nothing; the button still works afterwards', async () => {
  const { member, client } = await loggedIn();
  const { token } = await requestAndReadLink(client, member, fresh('g'));
  for (let i = 0; i < 3; i++) assert.equal((await new Client().get(`/email/confirm?t=${token}`)).status, 200);
  assert.equal((await rawRequest('HEAD', `/email/confirm?t=${token}`)).status, 200);
  assert.equal(changeRows(member, 'consumed_at IS NULL'), 1);
  assert.equal(registeredEmail(member), member.email);
  assert.equal((await openAndConfirmEmail(token)).status, 200);
});

test('R7, D4: 50 concurrent presses of one link through nginx give exactly one completion and 49 invalid screens', async () => {
  const { member, client } = await loggedIn();
  const address = fresh('r');
  const { token } = await requestAndReadLink(client, member, address);
  const browsers = [];
  for (let i = 0; i < 50; i++) {
    const browser = new Client();
    const page = await browser.get(`/email/confirm?t=${token}`);
    browsers.push({ browser, csrf: page.text.match(/name="csrf" value="([^"]+)"/)[1] });
  }
  const answers = await Promise.all(browsers.map(({ browser, csrf }) => browser.post('/email/confirm', { csrf, t: token })));
  const statuses = answers.map((a) => a.status);
  assert.equal(statuses.filter((s) => s === 200).length, 1, `statuses: ${statuses}`);
  assert.equal(statuses.filter((s) => s === 410).length, 49);
  assert.equal(registeredEmail(member), address);
  assert.equal(audits(member, 'confirmed'), 1);
  assert.equal(audits(member, 'already_used'), 49);
  assert.equal(Number(sqlValue(`SELECT COUNT(*) FROM mail_outbox WHERE member_id = ${member.member_id} AND kind = 'email_changed'`)), 2);
});

test('R8, R9, D3: a newer request supersedes the older link, which names the cause; the newest works, then says used', async () => {
  const { member, client } = await loggedIn();
  const first = await requestAndReadLink(client, member, fresh('a'));
  const second = await requestAndReadLink(client, member, fresh('b'));
  assertInvalid(await new Client().get(`/email/confirm?t=${first.token}`), /再度メールアドレスの登録・変更を行ったため/);
  assertInvalid(await openAndConfirmEmailRaw(first.token), /再度メールアドレスの登録・変更を行ったため/);
  assert.equal((await openAndConfirmEmail(second.token)).status, 200);
  assertInvalid(await openAndConfirmEmailRaw(second.token), /既に使用されています/);
  assert.equal(audits(member, 'superseded'), 1);
  assert.equal(audits(member, 'already_used'), 1);
});

// Presses the button of a link whose page is already invalid (a stale tab):
// the CSRF field comes from any page of the site.
async function openAndConfirmEmailRaw(token) {
  const browser = new Client();
  const csrf = await browser.csrf('/login');
  return browser.post('/email/confirm', { csrf, t: token });
}

test('R6: the link works until email_confirm.ttl has passed and not beyond (stored times moved, no sleeping)', async () => {
  const { member, client } = await loggedIn();
  const late = await requestAndReadLink(client, member, fresh('x'));
  const where = `member_id = ${member.member_id} AND consumed_at IS NULL AND superseded_at IS NULL`;
  // 86400 - 1 s of its validity gone: still open.
  sql(`UPDATE email_changes SET created_at = created_at - INTERVAL 86399 SECOND, expires_at = expires_at - INTERVAL 86399 SECOND WHERE ${where}`);
  assert.equal((await new Client().get(`/email/confirm?t=${late.token}`)).status, 200);
  // 86400 + 1 s gone: expired, and the press changes nothing.
  sql(`UPDATE email_changes SET created_at = created_at - INTERVAL 2 SECOND, expires_at = expires_at - INTERVAL 2 SECOND WHERE ${where}`);
  assertInvalid(await new Client().get(`/email/confirm?t=${late.token}`), /有効期限が切れています（有効期限はメール送信から24時間です）/);
  assertInvalid(await openAndConfirmEmailRaw(late.token), /有効期限が切れています/);
  assert.equal(registeredEmail(member), member.email);
  assert.equal(audits(member, 'expired'), 1);
});

test('R9, D3: a link whose member\'s address changed meanwhile names that cause; an unknown link stays generic', async () => {
  const { member, client } = await loggedIn();
  const { token } = await requestAndReadLink(client, member, fresh('h'));
  sql(`UPDATE members SET email = 'insurer-${member.member_id}@example.jp' WHERE member_id = ${member.member_id}`);  // the insurer's import
  assertInvalid(await new Client().get(`/email/confirm?t=${token}`), /登録済みのメールアドレスが変更されたため/);
  assertInvalid(await openAndConfirmEmailRaw(token), /登録済みのメールアドレスが変更されたため/);
  assert.equal(registeredEmail(member), `insurer-${member.member_id}@example.jp`);
  assert.equal(audits(member, 'address_changed'), 1);
  for (const unknown of ['A'.repeat(43), 'short', '']) {
    const res = await new Client().get(`/email/confirm?t=${unknown}`);
    assertInvalid(res, /下記のことが考えられます/);
    assert.doesNotMatch(res.text, /既に使用されています|有効期限が切れています（有効期限はメール送信から/);
  }
});

test('D12: the link pages are no-store and no-referrer, and the token reaches no log of the stack', async () => {
  const { member, client } = await loggedIn();
  const { token } = await requestAndReadLink(client, member, fresh('k'));
  const page = await new Client().get(`/email/confirm?t=${token}`);
  assert.equal(page.headers.get('cache-control'), 'no-store');
  assert.equal(page.headers.get('referrer-policy'), 'no-referrer');
  const done = await openAndConfirmEmail(token);
  assert.equal(done.headers.get('cache-control'), 'no-store');
  await new Promise((r) => setTimeout(r, 300));
  for (const { file, text } of stackLogs()) assert.ok(!text.includes(token), `the token is in ${file}`);
});
