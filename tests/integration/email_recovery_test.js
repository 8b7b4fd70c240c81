// Who gets mail (D16, R1 イ/ウ; issue 17 item 4) through nginx: an address
// waiting for its confirmation link gets nothing but that mail. The
// forgotten-ID flow typed with it sends nothing, typed with the registered
// one it mails the registered one, and so does 「パスワード初期化」. The
// address's source and confirmation time are recorded and shown to
// support staff with the pending change, masked.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { Client, admin, sqlValue, mailsTo, waitForMail, mailFiles } = require('../support/harness');
const { submitIdentity, identityOf, requestIdNotice, openAndConfirm, outboxCount, lastAudit } = require('../support/recovery');
const { mailsArrived, loggedIn, requestAndReadLink, openAndConfirmEmail } = require('../support/email_change');

function fresh(tag) { return `${tag}${Date.now() % 1e8}${Math.floor(Math.random() * 1e4)}@example.org`; }

test('D16, R1: the forgotten-ID flow typed with a pending address sends nothing; typed with the registered one it mails the registered one', async () => {
  const { member, client } = await loggedIn();
  const pending = fresh('i');
  await requestAndReadLink(client, member, pending);
  const answer = await submitIdentity(new Client(), identityOf(member, { email: pending }));
  assert.equal(answer.status, 303, 'the same answer as any identity (D1)');
  assert.equal(outboxCount(member.member_id, 'id_notice'), 0, 'no ID notice for the pending address');
  assert.equal(lastAudit('identity_check', member.member_id), 'no_match');

  const { mail } = await requestIdNotice(member);  // the registered address
  assert.ok(mail.to.includes(member.email));
  assert.equal(mailsTo(pending).filter((m) => m.subject.includes('ログインID再通知')).length, 0);
  assert.equal(Number(sqlValue(`SELECT COUNT(*) FROM mail_outbox WHERE member_id = ${member.member_id} ` +
    `AND to_address = '${pending}' AND kind <> 'email_confirm'`)), 0, 'nothing but its confirmation mail');
});

test('D16, R10: the temporary password goes to the registered address, never to the pending one', async () => {
  const { member, client } = await loggedIn();
  const pending = fresh('t');
  await requestAndReadLink(client, member, pending);
  const { token } = await requestIdNotice(member);
  const browser = new Client();
  assert.equal((await openAndConfirm(browser, token)).status, 303);
  // 「パスワード初期化」 opens its confirmation screen (issue 15 item 1), whose form POSTs.
  const page = await browser.get('/password-reset');
  const csrf = page.text.match(/action="\/password-reset">\s*<input type="hidden" name="csrf" value="([^"]+)"/)[1];
  const before = new Set(mailFiles());
  assert.equal((await browser.post('/password-reset', { csrf })).status, 303);
  const mail = await waitForMail(member.email, { since: before });
  assert.equal(mail.subject, '【KOSMO Communication Web】パスワード初期化のお知らせ');
  assert.equal(Number(sqlValue(`SELECT COUNT(*) FROM mail_outbox WHERE member_id = ${member.member_id} ` +
    `AND kind = 'temporary_password' AND to_address = '${pending}'`)), 0);
  assert.equal(mailsTo(pending).length, 1, 'the pending address has its confirmation mail only');
});

test('D16: once confirmed, the forgotten-ID flow works with the new address and mails it', async () => {
  const { member, client } = await loggedIn();
  const address = fresh('j');
  const { token } = await requestAndReadLink(client, member, address);
  assert.equal((await openAndConfirmEmail(token)).status, 200);
  await mailsArrived(address, 2);  // its confirmation and completion mails first
  const { mail } = await requestIdNotice({ ...member, email: address });
  assert.ok(mail.to.includes(address));
});

test('D16 item 4: member add records the insurer as source; kosmo-admin member show shows source, confirmation time and the pending change masked', async () => {
  const { member, client } = await loggedIn();
  assert.equal(sqlValue(`SELECT email_source FROM members WHERE member_id = ${member.member_id}`), 'insurer');
  let shown = admin(['member', 'show', member.login_id]);
  assert.match(shown, /^email_source: +insurer/m);
  assert.match(shown, /^email_confirmed: +never$/m);
  assert.match(shown, /^pending_email: +none$/m);

  const address = fresh('q');
  const { token } = await requestAndReadLink(client, member, address);
  shown = admin(['member', 'show', member.login_id]);
  assert.match(shown, new RegExp(`^pending_email: +${address[0]}\\*\\*\\*@example\\.org \\(waits for its link, valid until \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d JST\\)$`, 'm'));
  assert.ok(!shown.includes(address), 'never the whole pending address');

  assert.equal((await openAndConfirmEmail(token)).status, 200);
  shown = admin(['member', 'show', member.login_id]);
  assert.match(shown, /^email_source: +member/m);
  assert.match(shown, /^email_confirmed: +\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/m);
  assert.match(shown, /^pending_email: +none$/m);
});

test('D16: import-members never brings back the address the member replaced; member add sets the insurer\'s', async () => {
  const { member, client } = await loggedIn();
  const address = fresh('u');
  const { token } = await requestAndReadLink(client, member, address);
  assert.equal((await openAndConfirmEmail(token)).status, 200);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kosmo-email-import-'));
  try {
    const file = path.join(dir, 'export.csv');
    fs.writeFileSync(file, ['login_id,card_symbol,card_number,birth_date,email,has_logged_in',
      `${member.login_id},${member.card_symbol},${member.card_number},${member.birth_date},${member.email},1`, ''].join('\n'));
    admin(['import-members', file]);  // the insurer's old export, run again
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const row = () => sqlValue(`SELECT CONCAT(email, ' ', email_source, ' ', email_confirmed_at IS NOT NULL) FROM members WHERE member_id = ${member.member_id}`);
  assert.equal(row(), `${address} member 1`);
  admin(['member', 'add', '--login-id', member.login_id, '--card-symbol', member.card_symbol, '--card-number', member.card_number,
    '--birth-date', member.birth_date, '--email', `support-${member.member_id}@example.jp`, '--logged-in'], `${member.password}\n`);
  assert.equal(row(), `support-${member.member_id}@example.jp insurer 0`);
});
