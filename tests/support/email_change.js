// Helpers for the tests of メールアドレス登録・変更 (D16): log in, submit the
// form as a browser would, read the confirmation link from the real .eml
// file, open it and press 「メールアドレスを確定する」.
'use strict';
const assert = require('node:assert/strict');
const { Client, createMember, sqlValue, mailFiles, mailsTo, waitForMail } = require('./harness');
const { waitFor } = require('./util');

async function loggedIn(opts) {
  const member = createMember(opts);
  const client = new Client();
  assert.equal((await client.login(member)).status, 303);
  return { member, client };
}

// POSTs the change form; `setup` submits it from the D17 step-2 page.
function requestChange(client, member, address, { confirm = address, password = member.password, setup = false } = {}) {
  const fields = { new_email: address, new_email_confirm: confirm, current_password: password };
  if (setup) fields.setup = '1';
  return client.submit(setup ? '/email?setup=1' : '/email', fields, '/email');
}

// The token of the link in メールアドレス確認のお願い.
function confirmTokenOf(mail) {
  const m = mail.body.match(/\/email\/confirm\?t=([A-Za-z0-9_-]{43})/);
  assert.ok(m, `no confirmation URL in the mail:\n${mail.body}`);
  return m[1];
}

// Requests a change to `address` and returns the token of its mail.
async function requestAndReadLink(client, member, address, opts) {
  const before = new Set(mailFiles());
  const res = await requestChange(client, member, address, opts);
  assert.equal(res.status, 303, `the change request answers 303 (got ${res.status})`);
  const mail = await waitForMail(address, { since: before });
  return { mail, token: confirmTokenOf(mail), answer: res };
}

// Opens the link in `client` (a fresh browser: no login needed) and presses the button.
async function openAndConfirmEmail(token, client = new Client()) {
  const page = await client.get(`/email/confirm?t=${token}`);
  const csrf = page.text.match(/name="csrf" value="([^"]+)"/);
  assert.ok(csrf, `no confirmation form (status ${page.status})`);
  return client.post('/email/confirm', { csrf: csrf[1], t: token });
}

function registeredEmail(member) {
  return sqlValue(`SELECT email FROM members WHERE member_id = ${Number(member.member_id)}`);
}

function changeRows(member, where = '1') {
  return Number(sqlValue(`SELECT COUNT(*) FROM email_changes WHERE member_id = ${Number(member.member_id)} AND ${where}`));
}

// Waits until `count` mails to `address` are in the sink; returns them.
async function mailsArrived(address, count) {
  await waitFor(`${count} mails to ${address}`, () => mailsTo(address).length >= count);
  return mailsTo(address);
}

module.exports = { mailsArrived, loggedIn, requestChange, confirmTokenOf, requestAndReadLink, openAndConfirmEmail, registeredEmail, changeRows };
