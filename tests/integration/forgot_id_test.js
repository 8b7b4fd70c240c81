// 本人確認情報入力画面 and 通知メール送信完了画面 through nginx (issue 4): who
// gets ログインID再通知のお知らせ (R1), the form (R3), the sent screen (R4), the
// same answer whatever matched (D1), input as people type it (D10), and the
// mail URL built from the configuration, never from the Host header (D13).
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const test = require('node:test');
const assert = require('node:assert/strict');
const { env, baseUrl, Client, createMember, sql, sqlValue, q, mailFiles, waitForMail } = require('../support/harness');
const {
  identityOf, submitIdentity, tokenOf, requestIdNotice, outboxCount, lastAudit, rawRequest,
} = require('../support/recovery');

const toFullWidth = (s) => s.replace(/[0-9A-Za-z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
const identityChecks = () => Number(sqlValue("SELECT COUNT(*) FROM audit_events WHERE event = 'identity_check'"));
const configValue = (key) => {
  const conf = fs.readFileSync(path.join(env.KOSMO_VAR, 'etc/kosmo.conf'), 'utf8');
  const m = conf.match(new RegExp(`^${key.replace('.', '\\.')}\\s*=\\s*(.*)$`, 'm'));
  return m ? m[1].trim() : undefined;
};

// Submits and checks the answer every valid submission gets (D1).
async function submitExpectingSent(fields) {
  const res = await submitIdentity(new Client(), fields);
  assert.equal(res.status, 303);
  assert.equal(res.location, '/forgot-id/sent');
  return res;
}

test('R3: the identity screen has the four labelled fields, the birth-date example and 「確認」', async () => {
  const page = await new Client().get('/forgot-id');
  assert.equal(page.status, 200);
  for (const [id, label] of [['card_symbol', '保険証の記号'], ['card_number', '保険証の番号'], ['birth_date', '生年月日'], ['email', 'メールアドレス']]) {
    assert.match(page.text, new RegExp(`<label for="${id}">${label}</label>`), label);
    assert.match(page.text, new RegExp(`<input id="${id}" name="${id}" type="text"`), id);
  }
  assert.match(page.text, /placeholder="例: 1980-01-02 \/ 昭和55年1月2日"/);
  assert.match(page.text, /<button type="submit">確認<\/button>/);
  assert.match(page.text, /<form method="post" action="\/forgot-id"/);
  assert.match(page.text, /<input type="hidden" name="csrf" value="[^"]+">/);
});

test('R1: an eligible member gets ログインID再通知のお知らせ at the registered address, without the login ID in it', async () => {
  const member = createMember();
  const { mail, url } = await requestIdNotice(member);
  assert.equal(mail.subject, '【KOSMO Communication Web】ログインID再通知のお知らせ');
  assert.match(mail.to, new RegExp(`<?${member.email.replace(/\./g, '\\.')}>?`));
  assert.ok(url.startsWith(`${baseUrl}/id-notice?t=`), url);
  assert.match(mail.body, /このメールの送信から1時間有効です。/);
  // Issue 15 item 7: the absolute deadline, what to press, the society's signature.
  assert.match(mail.body, /・有効期限: \d{1,2}月\d{1,2}日 \d{1,2}時\d{2}分まで（日本時間）/);
  assert.match(mail.body, /表示された画面で\r?\n「ログインIDを表示する」を押して/);
  assert.match(mail.body, /\r?\n-- \r?\nサンプル健康保険組合\r?\n/);
  assert.match(mail.body, /1回のみ/);
  assert.match(mail.body, /最後に届いたメールのURLのみ有効/);
  assert.match(mail.body, /お心当たりがない場合/);
  assert.doesNotMatch(mail.raw, new RegExp(member.login_id));
  assert.doesNotMatch(mail.body, new RegExp(member.login_id));
  assert.equal(lastAudit('identity_check', member.member_id), 'matched');
  // D4: only the SHA-256 of the token is stored, never the token itself.
  const { token } = tokenOf(mail);
  assert.equal(sqlValue(`SELECT COUNT(*) FROM recovery_tokens WHERE token_hash = UNHEX(SHA2(FROM_BASE64(${q(token.replace(/-/g, '+').replace(/_/g, '/') + '=')}), 256))`), '1');
  assert.equal(sqlValue(`SELECT COUNT(*) FROM recovery_tokens WHERE member_id = ${member.member_id} AND LENGTH(token_hash) = 32`), '1');
});

test('R1 (オ): a member who never logged in gets no mail, and the same 303', async () => {
  const member = createMember({ logged_in: false });
  await submitExpectingSent(identityOf(member));
  assert.equal(outboxCount(member.member_id, 'id_notice'), 0);
  assert.equal(sqlValue(`SELECT COUNT(*) FROM recovery_tokens WHERE member_id = ${member.member_id}`), '0');
  assert.equal(lastAudit('identity_check', member.member_id), 'not_eligible_never_logged_in');
});

test('R1 (カ): a member without a registered address gets no mail, and the same 303', async () => {
  const member = createMember({ email: null });
  await submitExpectingSent(identityOf(member, { email: 'guess@example.jp' }));
  assert.equal(outboxCount(member.member_id, 'id_notice'), 0);
  assert.equal(sqlValue("SELECT COUNT(*) FROM mail_outbox WHERE to_address = 'guess@example.jp'"), '0');
  assert.equal(lastAudit('identity_check', member.member_id), 'not_eligible_no_email');
});

test('R1 (エ): a wrong card symbol, card number, birth date or address sends nothing', async () => {
  const member = createMember();
  const wrong = [
    { card_symbol: `${member.card_symbol}9` },
    { card_number: `${member.card_number}9` },
    { birth_date: '1980-01-03' },
    { email: `other.${member.email}` },
  ];
  for (const change of wrong) await submitExpectingSent(identityOf(member, change));
  assert.equal(outboxCount(member.member_id, 'id_notice'), 0);
  assert.equal(sqlValue(`SELECT COUNT(*) FROM mail_outbox WHERE to_address = ${q(`other.${member.email}`)}`), '0');
  assert.equal(lastAudit('identity_check', member.member_id), 'no_match');  // the address mismatch names the member
});

test('R1: a disabled member gets no mail', async () => {
  const member = createMember();
  sql(`UPDATE members SET is_disabled = 1 WHERE member_id = ${member.member_id}`);
  await submitExpectingSent(identityOf(member));
  assert.equal(outboxCount(member.member_id, 'id_notice'), 0);
  assert.equal(lastAudit('identity_check', member.member_id), 'not_eligible_disabled');
});

test('R4: the sent screen has the manual\'s help with the configured sending domain, the 1-hour validity and a way back', async () => {
  const domain = configValue('mail.sending_domain');
  assert.ok(domain, 'mail.sending_domain in the stack config');
  const page = await new Client().get('/forgot-id/sent');
  assert.equal(page.status, 200);
  assert.match(page.text, /<h1>通知メール送信完了<\/h1>/);
  assert.match(page.text, /登録済みのメールアドレスに「ログインID再通知のお知らせ」メールを送信しました/);
  assert.match(page.text, /<h2 id="no-mail">メールが届かない場合<\/h2>/);
  // The manual's two causes and two checks, its slips fixed (issue 15 item 6:
  // 「受信ができない」, a screen naming itself, a) and ✓ beside the list bullet).
  assert.match(page.text, /<li>迷惑メール対策などの設定で、メールを受信できない<\/li>/);
  assert.match(page.text, /<li>迷惑メールフォルダに振り分けられている<\/li>/);
  assert.ok(page.text.includes(`<li>迷惑メール対策などでドメイン指定受信を設定されている場合は、「@${domain}」のドメインからのメールを受信できるように設定してください。</li>`));
  assert.match(page.text, /<li>迷惑メールフォルダへの振り分けをご利用の場合は、迷惑メールフォルダにメールが届いていないかご確認ください。<\/li>/);
  assert.doesNotMatch(page.text, /受信ができない|通知メール送信完了画面が表示された|✓|<li>[ab]\)/);
  // Issue 15 item 4: the sender and subject to search for, minutes, D7, whom to call (オ, カ).
  assert.ok(page.text.includes(`差出人「${configValue('mail.from_address')}」、件名「【KOSMO Communication Web】ログインID再通知のお知らせ」`));
  assert.match(page.text, /メールは通常、数分以内に届きます。/);
  assert.match(page.text, /短い時間に何度もお手続きをされた場合、しばらくの間メールが送信されなくなります。/);
  assert.match(page.text, /ログインしたことがない方、メールアドレスを登録していない方、登録したメールアドレスを忘れた方は、この手続きをご利用いただけません。サンプル健康保険組合 適用グループ（電話: 03-0000-0000、受付時間: 平日 9時〜17時（土日祝日・年末年始を除く））へお問い合わせください。/);
  assert.match(page.text, /URLの有効期限はメール送信から1時間です/);
  assert.match(page.text, /<a href="\/login">ログイン画面へ<\/a>/);
});

test('D1: match and no match get the same status, Location, headers and sent page', async () => {
  const member = createMember();
  const nobody = createMember({ logged_in: false });
  const noEmail = createMember({ email: null });
  const answers = [];
  for (const fields of [identityOf(member), identityOf(member, { email: 'not-registered@example.jp' }),
    identityOf(nobody), identityOf(noEmail), { card_symbol: '0000', card_number: '0000000', birth_date: '2000-12-31', email: 'x@example.jp' }]) {
    const client = new Client();
    await client.get('/forgot-id');  // the CSRF cookie first, so no answer sets one
    const res = await submitIdentity(client, fields);
    const headers = [...res.headers].filter(([k]) => !['set-cookie', 'date'].includes(k));
    const sent = await client.get(res.location);
    answers.push({ status: res.status, location: res.location, headers, body: res.text, sent: sent.status, sentBody: sent.text });
  }
  assert.equal(outboxCount(member.member_id, 'id_notice'), 1, 'only the first submission matched');
  for (const other of answers.slice(1)) assert.deepEqual(other, answers[0]);
  assert.equal(answers[0].status, 303);
  assert.equal(answers[0].location, '/forgot-id/sent');
});

test('D1: format errors are shown next to their field with the input kept, and nothing is written', async () => {
  const before = identityChecks();
  const cases = [
    [{ card_symbol: '', card_number: '', birth_date: '', email: '' },
      ['保険証の記号を入力してください。', '保険証の番号を入力してください。', '生年月日を入力してください。', 'メールアドレスを入力してください。']],
    // Issue 15 item 5: the message says what is wrong with the date typed.
    [{ card_symbol: '1234', card_number: '5678', birth_date: '2023年2月30日', email: 'taro@example.jp' }, ['2023年2月30日は存在しない日付です']],
    [{ card_symbol: '1234', card_number: '5678', birth_date: '1980-02-30', email: 'taro@example.jp' }, ['1980年2月30日は存在しない日付です']],
    [{ card_symbol: '1234', card_number: '5678', birth_date: '平成元年1月7日', email: 'taro@example.jp' }, ['平成元年1月7日は存在しない日付です']],
    [{ card_symbol: '1234', card_number: '5678', birth_date: '1980/01-02', email: 'taro@example.jp' }, ['生年月日を日付として読み取れませんでした']],
    [{ card_symbol: '1234', card_number: '5678', birth_date: '2999-01-01', email: 'taro@example.jp' }, ['今日より後の日付は入力できません']],
    [{ card_symbol: '1234', card_number: '5678', birth_date: '1980-01-02', email: 'taro.example.jp' }, ['メールアドレスを正しく入力してください']],
    [{ card_symbol: '1234', card_number: '5678', birth_date: '1980-01-02', email: 'taro@@example.jp' }, ['メールアドレスを正しく入力してください']],
    [{ card_symbol: '1234', card_number: '5678', birth_date: '1980-01-02', email: 'taro@localhost' }, ['メールアドレスを正しく入力してください']],
    [{ card_symbol: '1234', card_number: '5678', birth_date: '1980-01-02', email: `${'a'.repeat(250)}@x.jp` }, ['254文字以内']],
    [{ card_symbol: '1'.repeat(65), card_number: '5678', birth_date: '1980-01-02', email: 'taro@example.jp' }, ['保険証の記号は64文字以内']],
  ];
  for (const [fields, messages] of cases) {
    const res = await submitIdentity(new Client(), fields);
    assert.equal(res.status, 200, JSON.stringify(fields));
    for (const message of messages) assert.ok(res.text.includes(message), `${message} for ${JSON.stringify(fields)}`);
    for (const [name, value] of Object.entries(fields))
      if (value) assert.ok(res.text.includes(`value="${value.replace(/&/g, '&amp;')}"`), `${name} kept`);
  }
  // Issue 15 items 3, 5: the title says so, and a summary at the top counts the
  // errors, links to each field and is announced.
  const four = await submitIdentity(new Client(), { card_symbol: '', card_number: '', birth_date: '2023年2月30日', email: 'x' });
  assert.match(four.text, /<title>エラー: 本人確認情報入力 \| サンプル健康保険組合<\/title>/);
  assert.match(four.text, /<div class="error-summary" role="alert"[^>]*>\s*<h2 id="error-summary-title">入力内容に誤りがあります（4件）<\/h2>/);
  for (const id of ['card_symbol', 'card_number', 'birth_date', 'email']) assert.match(four.text, new RegExp(`<li><a href="#${id}">`));
  assert.match(four.text, /<a href="#birth_date">生年月日: 2023年2月30日は存在しない日付です<\/a>/);
  const oneField = await submitIdentity(new Client(), { card_symbol: '1234', card_number: '5678', birth_date: '', email: 'taro@example.jp' });
  assert.match(oneField.text, /入力内容に誤りがあります（1件）/);
  assert.match(oneField.text, /<input id="birth_date"[^>]*aria-invalid="true"/);
  assert.doesNotMatch(oneField.text, /<input id="card_symbol"[^>]*aria-invalid/);
  assert.equal(identityChecks(), before, 'no audit row, no lookup');
});

test('issue 15 item 5, D10: an era date past its era (平成31年5月1日) is the same day; the form says which day was understood, then sends it', async () => {
  const member = createMember({ birth_date: '2019-05-01' });
  const before = new Set(mailFiles());
  const client = new Client();
  const first = await submitIdentity(client, identityOf(member, { birth_date: '平成31年5月1日' }));
  assert.equal(first.status, 200, 'the form comes back once, without an error');
  assert.doesNotMatch(first.text, /error-summary|aria-invalid/);
  assert.match(first.text, /<title>本人確認情報入力 \| /);
  assert.match(first.text, /生年月日「平成31年5月1日」は、令和元年5月1日（2019年5月1日）のことと読み取りました。/);
  assert.match(first.text, /<input id="birth_date"[^>]*value="2019-05-01"/);
  const second = await submitIdentity(client, identityOf(member, { birth_date: '2019-05-01' }));
  assert.equal(second.status, 303);
  assert.equal(second.location, '/forgot-id/sent');
  const mail = await waitForMail(member.email, { since: before });
  assert.match(mail.body, /\/id-notice\?t=/);
});

test('D10: full-width digits, spaces and hyphens in the card fields, an upper-case address and era dates all match', async () => {
  const member = createMember({ birth_date: '1980-01-02' });
  const variants = [
    { card_symbol: toFullWidth(member.card_symbol), card_number: toFullWidth(member.card_number) },
    { card_symbol: ` ${member.card_symbol.slice(0, 2)} ${member.card_symbol.slice(2)}　`, card_number: `${member.card_number.slice(0, 4)}-${member.card_number.slice(4)}` },
    { card_number: `${member.card_number.slice(0, 4)}ー${member.card_number.slice(4)}`, email: member.email.toUpperCase() },
    { birth_date: '昭和55年1月2日' },
    { birth_date: 'S55.1.2' },
    { birth_date: '１９８０年１月２日', email: toFullWidth(member.email).replace('＠', '@') },
  ];
  for (const change of variants) {
    const before = new Set(mailFiles());
    const res = await submitIdentity(new Client(), identityOf(member, change));
    assert.equal(res.status, 303, JSON.stringify(change));
    await waitForMail(member.email, { since: before });
  }
  assert.equal(outboxCount(member.member_id, 'id_notice'), variants.length);
});

test('D10 (CVE-2019-19844): the mail goes to the stored address when the typed one differs in case', async () => {
  const member = createMember({ email: `Taro.Case${Date.now() % 100000}@Example.JP` });
  const typed = member.email.toLowerCase();
  const before = new Set(mailFiles());
  const res = await submitIdentity(new Client(), identityOf(member, { email: typed }));
  assert.equal(res.status, 303);
  const mail = await waitForMail(member.email, { since: before });
  assert.ok(mail.to.includes(member.email), mail.to);
  assert.ok(!mail.to.includes(typed), mail.to);
  assert.equal(sqlValue(`SELECT to_address FROM mail_outbox WHERE member_id = ${member.member_id} AND kind = 'id_notice'`), member.email);
});

test('D13: a forged Host or X-Forwarded-Host header does not change the URL in the mail', async () => {
  const member = createMember();
  const client = new Client();
  const csrf = await client.csrf('/forgot-id');
  const body = new URLSearchParams({ csrf, ...identityOf(member) }).toString();
  const before = new Set(mailFiles());
  const res = await rawRequest('POST', '/forgot-id', {
    host: 'evil.example', 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'http', forwarded: 'host=evil.example',
    cookie: client.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded',
  }, body);
  assert.equal(res.status, 303);
  assert.equal(res.headers.location, '/forgot-id/sent', 'a relative Location, not one built from Host');
  const mail = await waitForMail(member.email, { since: before });
  assert.ok(tokenOf(mail).url.startsWith(`${configValue('public_base_url')}/id-notice?t=`));
  assert.doesNotMatch(mail.raw, /evil\.example/);
});

test('D12: the identity pages are no-store and no-referrer', async () => {
  for (const p of ['/forgot-id', '/forgot-id/sent']) {
    const res = await new Client().get(p);
    assert.equal(res.headers.get('cache-control'), 'no-store', p);
    assert.equal(res.headers.get('referrer-policy'), 'no-referrer', p);
  }
});
