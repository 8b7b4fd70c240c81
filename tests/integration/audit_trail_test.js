// Issue 5 item 3, D8, D12: one member's whole journey (login, a failure, a
// lockout, logout, 本人確認, the mail link, 「パスワード初期化」, the temporary
// password, the forced change, logout) leaves one audit row and one stderr
// line per event, with time, member, address, user agent and outcome; and no
// secret of the journey (the mail token, the grant, the temporary password,
// any password, any session cookie, the full card number, the address)
// appears in audit_events, in a program log or in nginx's logs.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { Client, createMember, sql, env, waitForMail, mailFiles } = require('../support/harness');
const { limits, seedHits, removeSeeded } = require('../support/hardening');

test.after(() => removeSeeded());

const UA = `kosmo-audit-test/${process.pid}`;
class Browser extends Client {
  request(method, urlPath, options = {}) {
    return super.request(method, urlPath, { ...options, headers: { 'user-agent': UA, ...(options.headers || {}) } });
  }
}

// Every log of the stack: the programs', the mailer's, nginx's and MariaDB's.
// Not the SMTP sink's: it stands in for the member's mail server, which is
// meant to see the address (and the mail).
function logFiles() {
  const dir = path.join(env.KOSMO_VAR, 'log');
  return fs.readdirSync(dir).filter((f) => f.endsWith('.log') && f !== 'smtp-sink.log')
    .map((f) => ({ file: f, text: fs.readFileSync(path.join(dir, f), 'latin1') }));
}

test('D8, D12: a whole journey is audited event by event, and none of its secrets is in the audit table or any log', async () => {
  const cardNumber = `6${String(Date.now()).slice(-9)}`;
  const member = createMember({ card_number: cardNumber });
  const firstAudit = Number(sql('SELECT COALESCE(MAX(audit_id), 0) FROM audit_events')[0][0]);
  const secrets = { 'card number': cardNumber, 'original password': member.password, address: member.email };
  const browser = new Browser();

  // Login, logout, a failure, a lockout (seeded to N-1: the N-th failure locks).
  assert.equal((await browser.login(member)).status, 303);
  secrets['first session cookie'] = browser.cookies.get('__Host-kosmo_session');
  const mypage = await browser.get('/mypage');
  const logoutToken = mypage.text.match(/name="csrf" value="([^"]+)"/)[1];
  assert.equal((await browser.post('/logout', { csrf: logoutToken })).status, 303);
  seedHits('login_id', member.login_id, limits.login_id.max - 1);
  secrets['wrong password'] = `wrong-${process.pid}-Passw0rd`;
  assert.equal((await browser.login(member, secrets['wrong password'])).status, 200);
  assert.equal((await browser.login(member)).status, 429);
  sql(`UPDATE rate_limits SET blocked_until = NULL WHERE scope = 'login_id'`);  // the journey goes on

  // 本人確認 -> mail -> 「ログインIDを表示する」 -> 「パスワード初期化」 -> temporary password.
  let before = new Set(mailFiles());
  const token = await browser.csrf('/forgot-id');
  const sent = await browser.post('/forgot-id', { csrf: token, card_symbol: member.card_symbol, card_number: cardNumber, birth_date: member.birth_date, email: member.email });
  assert.equal(sent.status, 303);
  const idMail = await waitForMail(member.email, { since: before });
  secrets['mail token'] = idMail.body.match(/id-notice\?t=([A-Za-z0-9_-]{43})/)[1];
  const notice = await browser.get(`/id-notice?t=${secrets['mail token']}`);
  const confirmToken = notice.text.match(/name="csrf" value="([^"]+)"/)[1];
  assert.equal((await browser.post('/id-notice', { csrf: confirmToken, t: secrets['mail token'] })).status, 303);
  secrets['grant cookie'] = browser.cookies.get('__Host-kosmo_grant');
  assert.ok(secrets['grant cookie'], 'a grant after the confirmation');
  const idPage = await browser.get('/password-reset');  // the confirmation (issue 15 item 1)
  const resetToken = idPage.text.match(/action="\/password-reset">\s*<input type="hidden" name="csrf" value="([^"]+)"/)[1];
  before = new Set(mailFiles());
  assert.equal((await browser.post('/password-reset', { csrf: resetToken })).status < 400, true);
  const tempMail = await waitForMail(member.email, { since: before });
  secrets['temporary password'] = tempMail.body.match(/仮パスワード: ([^\s]+)/)[1];

  // Temporary password -> forced change -> logout.
  assert.equal((await browser.login(member, secrets['temporary password'])).status, 303);
  secrets['second session cookie'] = browser.cookies.get('__Host-kosmo_session');
  secrets['new password'] = `new-${process.pid}-long-passphrase`;
  before = new Set(mailFiles());
  const change = await browser.submit('/password', { current_password: secrets['temporary password'], new_password: secrets['new password'], new_password_confirm: secrets['new password'] });
  assert.equal(change.status, 303);
  await waitForMail(member.email, { since: before });
  const page = await browser.get('/mypage');
  assert.equal((await browser.post('/logout', { csrf: page.text.match(/name="csrf" value="([^"]+)"/)[1] })).status, 303);
  // The mailer has recorded the third delivery (mail_sent) by now or shortly.
  for (let i = 0; i < 50 && Number(sql(`SELECT COUNT(*) FROM audit_events WHERE event = 'mail_sent' AND member_id = ${member.member_id}`)[0][0]) < 3; i += 1)
    await new Promise((r) => setTimeout(r, 100));

  // One audit row per event, each with time, member, address, user agent and outcome.
  const rows = sql(`SELECT event, outcome, member_id, ip, user_agent, request_id, occurred_at IS NOT NULL FROM audit_events WHERE audit_id > ${firstAudit} AND member_id = ${member.member_id} ORDER BY audit_id`);
  const seen = rows.map((r) => `${r[0]}:${r[1]}`);
  for (const expected of ['login_succeeded:ok', 'logout:ok', 'login_failed:wrong_password', 'login_locked:lockout_started', 'login_locked:refused',
    'identity_check:matched', 'token_redeem:granted', 'password_initialized:ok', 'login_succeeded:temporary_password',
    'password_changed:from_temporary', 'mail_sent:ok'])
    assert.ok(seen.some((s) => s.startsWith(expected)), `no audit row ${expected} in ${seen.join(', ')}`);
  assert.equal(seen.filter((s) => s.startsWith('mail_sent')).length, 3, 'three mails sent and audited');
  for (const [event, , memberId, ip, ua, requestId, hasTime] of rows) {
    assert.equal(memberId, String(member.member_id));
    assert.equal(hasTime, '1');
    if (event === 'mail_sent') continue;  // the mailer has no request
    assert.equal(ip, '127.0.0.1', `${event}: ip`);
    assert.equal(ua, UA, `${event}: user agent`);
    assert.match(requestId, /^[0-9a-f]{12}$/, `${event}: request id`);
  }
  // ... and one stderr line each, in the programs' logs.
  const logs = logFiles();
  const programText = logs.filter(({ file }) => !file.startsWith('nginx') && !file.startsWith('kosmo-')).map(({ text }) => text).join('\n');
  for (const event of ['login_succeeded', 'logout', 'login_failed', 'login_locked', 'identity_check', 'token_redeem', 'password_initialized', 'password_changed', 'mail_sent'])
    assert.match(programText, new RegExp(`audit=${event} .*member_id=${member.member_id}\\b`), `no log line for ${event}`);

  // No secret anywhere: the audit table (every column), every log file.
  const auditText = sql(`SELECT CONCAT_WS('|', audit_id, occurred_at, event, outcome, COALESCE(member_id, ''), COALESCE(ip, ''), COALESCE(user_agent, ''), COALESCE(request_id, ''), COALESCE(detail, '')) FROM audit_events`).map((r) => r[0]).join('\n');
  for (const [what, secret] of Object.entries(secrets)) {
    assert.ok(secret && secret.length >= 8, `${what} was captured`);
    assert.ok(!auditText.includes(secret), `the ${what} is in audit_events`);
    for (const { file, text } of logs) assert.ok(!text.includes(secret), `the ${what} is in log/${file}`);
  }
  // D11: delivered mails keep no body (URL, temporary password).
  assert.equal(sql(`SELECT COUNT(*) FROM mail_outbox WHERE member_id = ${member.member_id} AND status = 'sent' AND body IS NOT NULL`)[0][0], '0');
});
