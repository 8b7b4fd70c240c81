// メールアドレス登録・変更 (D16, issue 17 items 1, 2 and 7) through nginx: the
// form and its errors, the current password counted as a login (D7), the
// request's two mails in one transaction, マイページ while a change waits,
// the D17 step-2 setup mode and limits.email_change at N and N+1.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { Client, sqlValue, mailFiles, mailsTo, waitForMail } = require('../support/harness');
const { limits, seedHits, removeSeeded, hitsOf, blockedSeconds, awayFromWindowEnd, freshAddress, ClientFrom } = require('../support/hardening');
const { loggedIn, requestChange, requestAndReadLink, registeredEmail, changeRows } = require('../support/email_change');

test.after(() => removeSeeded());

function fresh(tag) { return `${tag}${Date.now() % 1e8}${Math.floor(Math.random() * 1e4)}@example.org`; }
function outboxRows(member) { return Number(sqlValue(`SELECT COUNT(*) FROM mail_outbox WHERE member_id = ${member.member_id}`)); }
function audits(member, event, outcome) {
  return Number(sqlValue(`SELECT COUNT(*) FROM audit_events WHERE member_id = ${member.member_id} AND event = '${event}'` +
    (outcome ? ` AND outcome = '${outcome}'` : '')));
}

test('D16: マイページ offers 「メールアドレス変更」, or 「メールアドレス登録」 while none is registered; the form has its three labelled fields and 「確認メールを送信」', async () => {
  const { client } = await loggedIn();
  const mypage = await client.get('/mypage');
  assert.match(mypage.text, /<a href="\/email">メールアドレス変更<\/a>/);
  assert.doesNotMatch(mypage.text, /メールアドレス登録<\/a>/);
  const form = await client.get('/email');
  assert.equal(form.status, 200);
  assert.match(form.text, /<h1>メールアドレス変更<\/h1>/);
  for (const [id, label] of [['new_email', '新しいメールアドレス'], ['new_email_confirm', '新しいメールアドレス（確認）'], ['current_password', '現在のパスワード']])
    assert.match(form.text, new RegExp(`<label for="${id}">${label}</label>`));
  assert.match(form.text, /<button type="submit">確認メールを送信<\/button>/);

  const { client: without } = await loggedIn({ email: null });
  assert.match((await without.get('/mypage')).text, /<a href="\/email">メールアドレス登録<\/a>/);
  assert.match((await without.get('/email')).text, /<h1>メールアドレス登録<\/h1>/);
  assert.equal((await new Client().get('/email')).location, '/login', 'login required');
});

// Item 1: each error beside its field, the addresses kept, the password never, nothing written.
for (const [name, make, field, message] of [
  ['an empty new address', () => ({ address: '', confirm: '' }), 'new_email', /新しいメールアドレスを入力してください。/],
  ['an empty confirmation', () => ({ address: fresh('e'), confirm: '' }), 'new_email_confirm', /確認のため、新しいメールアドレスをもう一度入力してください。/],
  ['an empty password', () => ({ address: fresh('p'), password: '' }), 'current_password', /現在のパスワードを入力してください。/],
  ['a malformed address', () => ({ address: 'taro.example.jp' }), 'new_email', /メールアドレスを正しく入力してください/],
  ['an address of 255 octets after NFKC (N+1 of 254)', () => ({ address: `${'a'.repeat(255 - '@example.jp'.length)}@example.jp` }), 'new_email', /254文字以内/],
  ['two addresses that differ', () => { const a = fresh('d'); return { address: a, confirm: `x${a}` }; }, 'new_email_confirm', /一致しません。/],
  ['the registered address again, typed full-width and upper-case', (m) => ({ address: m.email.toUpperCase().replace('@', '＠') }), 'new_email', /登録済みのメールアドレスと同じです。/],
  ['a wrong current password', () => ({ address: fresh('w'), password: 'not-my-password' }), 'current_password', /現在のパスワードが正しくありません。/],
]) {
  test(`D16 item 1: ${name} is shown beside its field, the input is kept (never the password), and nothing is queued`, async () => {
    const { member, client } = await loggedIn();
    const input = make(member);
    const res = await requestChange(client, member, input.address, { confirm: input.confirm ?? input.address, password: input.password ?? member.password });
    assert.equal(res.status, 200);
    assert.match(res.text, message);
    assert.match(res.text, new RegExp(`id="${field}"[^>]*aria-invalid="true" aria-describedby="${field}_error"`));
    if (input.address) assert.ok(res.text.includes(`value="${input.address.replace(/&/g, '&amp;')}"`), 'the typed address is kept');
    assert.ok(!res.text.includes(member.password), 'the password is never sent back');
    assert.equal(changeRows(member), 0);
    assert.equal(outboxRows(member), 0);
    assert.equal(registeredEmail(member), member.email);
  });
}

test('issue 15 items 3, 5: the form shown again says 「エラー: 」 in its title and sums up its errors, each linking to its field', async () => {
  const { member, client } = await loggedIn();
  const res = await requestChange(client, member, '', { confirm: '', password: '' });
  assert.equal(res.status, 200);
  assert.match(res.text, /<title>エラー: メールアドレス登録・変更 \| /);
  assert.match(res.text, /<div class="error-summary" role="alert"[^>]*>\s*<h2[^>]*>入力内容に誤りがあります（3件）<\/h2>/);
  for (const field of ['new_email', 'new_email_confirm', 'current_password'])
    assert.match(res.text, new RegExp(`<li><a href="#${field}">`));
  const plain = await client.get('/email');
  assert.doesNotMatch(plain.text, /エラー: |error-summary/);
});

test('D16, D7: a wrong current password is a failed login of that login ID; the N-th locks it, then this screen and /login refuse it', async () => {
  await awayFromWindowEnd('login_id');
  const { member } = await loggedIn();
  const client = new ClientFrom(freshAddress());
  assert.equal((await client.login(member)).status, 303);
  seedHits('login_id', member.login_id, limits.login_id.max - 1);
  const nth = await requestChange(client, member, fresh('l'), { password: 'wrong-password-N' });
  assert.equal(nth.status, 200);
  assert.match(nth.text, /現在のパスワードが正しくありません。/);
  assert.equal(hitsOf('login_id', member.login_id), limits.login_id.max, 'counted as a login failure');
  const wait = blockedSeconds('login_id', member.login_id);
  assert.ok(wait > limits.lockout - 5 && wait <= limits.lockout, `blocked for ${wait} s`);
  assert.equal(audits(member, 'email_change_refused', 'wrong_password'), 1);
  assert.equal(audits(member, 'login_locked', 'lockout_started'), 1);

  // N+1 with the right password: refused before the password is looked at.
  const locked = await requestChange(client, member, fresh('l'));
  assert.equal(locked.status, 429);
  assert.match(locked.text, /一時的にご利用いただけません。\d+分ほど待ってから/);
  assert.ok(Number(locked.headers.get('retry-after')) <= limits.lockout);
  assert.equal(audits(member, 'email_change_refused', 'login_id_locked'), 1);
  assert.equal(hitsOf('login_id', member.login_id), limits.login_id.max, 'not counted again');
  assert.equal(changeRows(member), 0);
  assert.equal((await new ClientFrom(freshAddress()).login(member)).status, 429, 'the lockout holds at /login too');
});

test('D16 item 2: one request queues メールアドレス確認のお願い to the new address and メールアドレス変更手続きのお知らせ to the registered one; マイページ shows the change masked while the registered address stays', async () => {
  const { member, client } = await loggedIn();
  const before = new Set(mailFiles());
  const address = fresh('n');
  const { mail, token, answer } = await requestAndReadLink(client, member, address);
  assert.equal(answer.location, '/email/sent');
  assert.equal(mail.subject, '【KOSMO Communication Web】メールアドレス確認のお願い');
  assert.match(mail.body, /https:\/\/[^/\s]+\/email\/confirm\?t=[A-Za-z0-9_-]{43}/);
  assert.match(mail.body, /24時間/);
  assert.match(mail.body, /1回のみ有効/);
  assert.match(mail.body, /お心当たりがない場合/);
  const stored = sqlValue(`SELECT HEX(token_hash) FROM email_changes WHERE member_id = ${member.member_id}`);
  assert.equal(stored.length, 64, 'only the SHA-256 is stored (D4)');
  assert.ok(!stored.includes(token));
  assert.equal(sqlValue(`SELECT TIMESTAMPDIFF(SECOND, created_at, expires_at) FROM email_changes WHERE member_id = ${member.member_id}`), '86400');

  const notice = await waitForMail(member.email, { since: before });
  assert.equal(notice.subject, '【KOSMO Communication Web】メールアドレス変更手続きのお知らせ');
  const masked = `${address[0]}***@example.org`;
  assert.ok(notice.body.includes(masked), 'the new address, masked');
  assert.ok(!notice.body.includes(address), 'never the whole new address');
  assert.match(notice.body, /\d{4}年\d{1,2}月\d{1,2}日 \d{1,2}時\d\d分（日本時間）/);
  assert.match(notice.body, /お心当たりがない場合/);
  assert.match(notice.body, /パスワードを変更/);
  assert.equal(mailsTo(address).length, 1, 'the new address gets its confirmation mail and nothing else');

  const sent = await client.get('/email/sent');
  assert.equal(sent.status, 200);
  assert.match(sent.text, /<h1>確認メールを送信しました<\/h1>/);
  assert.ok(sent.text.includes(masked));
  const mypage = await client.get('/mypage');
  assert.ok(mypage.text.includes(member.email), 'the registered address stays');
  assert.match(mypage.text, new RegExp(`確認待ちのメールアドレス</dt><dd>${masked.replace(/[*.]/g, '\\$&')}（確認メールのURLの有効期限: \\d{4}年\\d{1,2}月\\d{1,2}日 \\d{1,2}時\\d\\d分（日本時間）まで）`));
  assert.equal(registeredEmail(member), member.email);
  assert.equal(audits(member, 'email_change_requested', 'registered_told'), 1);
});

test('D17 step 2 (setup mode): 「初回設定（2/2）メールアドレス登録」 says why, offers 「あとで登録する」, and the sent screen offers マイページへ', async () => {
  const { member, client } = await loggedIn({ email: null });
  const page = await client.get('/email?setup=1');
  assert.equal(page.status, 200);
  assert.match(page.text, /<h1>初回設定（2\/2）メールアドレス登録<\/h1>/);
  assert.match(page.text, /登録がないと、ログインIDやパスワードを忘れたときに、メールで再通知や初期化を受けることができません。/);
  assert.match(page.text, /<a href="\/mypage">あとで登録する<\/a>/);
  const address = fresh('s');
  const { answer } = await requestAndReadLink(client, member, address, { setup: true });
  assert.equal(answer.location, '/email/sent?setup=1');
  const sent = await client.get('/email/sent?setup=1');
  assert.match(sent.text, /初回設定（2\/2）/);
  assert.match(sent.text, /<a href="\/mypage">マイページへ<\/a>/);
  assert.equal(outboxRows(member), 1, 'no registered address: only the confirmation mail');
  assert.equal(audits(member, 'email_change_requested', 'first_address'), 1);
});

test('D16, D7: limits.email_change: the N-th confirmation mail goes, N+1 is refused with when to try again and sends nothing', async () => {
  const { member, client } = await loggedIn();
  const subject = String(member.member_id);
  seedHits('email_change', subject, limits.email_change.max - 1);
  const address = fresh('m');
  await requestAndReadLink(client, member, address);  // N
  assert.equal(hitsOf('email_change', subject), limits.email_change.max);
  const rows = outboxRows(member);
  const over = await requestChange(client, member, fresh('o'));  // N+1
  assert.equal(over.status, 429);
  assert.match(over.text, /確認メールの送信回数が上限に達しました。\d+分ほど待ってから/);
  assert.ok(Number(over.headers.get('retry-after')) > 0);
  assert.equal(outboxRows(member), rows, 'nothing queued');
  assert.equal(changeRows(member), 1);
  assert.equal(audits(member, 'email_change_refused', 'over_limit'), 1);
});
