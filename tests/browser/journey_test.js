// Member journeys in a real browser (Debian's chromium, playwright-core), with
// the product's CSP enforced: every screen is screenshotted at 375 px, checked
// for horizontal scrolling and run through axe-core (see support.js). Screens
// and controls are found by the labels and button texts of SCREENS.md, never
// by CSS classes.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { createMember, waitForMail, mailFiles, baseUrl, admin, env } = require('../support/harness');
const { launch, close, strictContext, checkScreen, navigation, heading, keyboardWalk } = require('./support');

test.before(async () => { await launch(); });
test.after(async () => { await close(); });

// A member of our own with known identity data (createMember keeps login IDs
// unique; the card number and address are made unique here too).
let serial = 0;
function member(opts = {}) {
  serial += 1;
  const stamp = `${String(Date.now()).slice(-9)}${serial % 10}`;
  return createMember({
    card_symbol: `${3000 + ((Date.now() + serial) % 1000)}`,
    card_number: stamp,
    birth_date: '1980-01-02',
    email: `browser${stamp}@example.jp`,
    ...opts,
  });
}

// Digits as many members type them on a Japanese IME: full width (D10).
function fullWidth(s) { return s.replace(/[0-9]/g, (d) => String.fromCharCode(0xff10 + Number(d))); }

// A page of a fresh strict context (own cookies, CSP enforced).
async function freshPage(options) {
  const context = await strictContext(options);
  const page = await context.newPage();
  return { context, page };
}

async function login(page, id, password, url = /\/mypage$/) {
  await page.getByLabel('ログインID', { exact: true }).fill(id);
  await page.getByLabel('パスワード', { exact: true }).fill(password);
  await navigation(page, () => page.getByRole('button', { name: 'ログイン', exact: true }).click(), { url });
}

async function logout(page) {
  await navigation(page, () => page.getByRole('button', { name: 'ログアウト', exact: true }).click(), { url: /\/login(\?|$)/ });
  assert.equal(await heading(page), 'ログイン');
}

async function changePassword(page, current, fresh) {
  await page.getByLabel('現在のパスワード', { exact: true }).fill(current);
  await page.getByLabel('新しいパスワード', { exact: true }).fill(fresh);
  await page.getByLabel('新しいパスワード（確認）', { exact: true }).fill(fresh);
  await navigation(page, () => page.getByRole('button', { name: '変更する', exact: true }).click(), { url: /\/mypage\?changed=1$/ });
}

async function bodyText(page) { return page.locator('body').innerText(); }

test('foundation: login by keyboard only, password change with notice and mail, logout, login with the new password', async () => {
  const m = member();
  const fresh = `browser new ${m.card_number} pass`;
  const { context, page } = await freshPage();
  try {
    await page.goto(`${baseUrl}/login`);
    assert.equal(await heading(page), 'ログイン');
    assert.equal(await page.title(), 'ログイン | KOSMO Communication Web');
    // The manual's link at the lower left (R2) and the password one (D14).
    await page.getByRole('link', { name: 'IDを忘れた方はこちら', exact: true }).waitFor();
    await page.getByRole('link', { name: 'パスワードを忘れた方はこちら', exact: true }).waitFor();
    await checkScreen(page, 'login');

    const before = await keyboardWalk(page, [['ログインID', m.login_id], ['パスワード', m.password]], 'ログイン', { url: /\/mypage$/ });
    assert.deepEqual(before, [], 'the login ID field is the first Tab stop');
    assert.equal(await heading(page), 'マイページ');
    assert.match(await bodyText(page), new RegExp(m.login_id));
    await checkScreen(page, 'mypage');

    await navigation(page, () => page.getByRole('link', { name: 'パスワード変更', exact: true }).click(), { url: /\/password$/ });
    assert.equal(await heading(page), 'パスワード変更');
    await checkScreen(page, 'password-change');

    const mailsBefore = new Set(mailFiles());
    await changePassword(page, m.password, fresh);
    assert.equal(await heading(page), 'マイページ');
    assert.match(await page.getByRole('status').innerText(), /パスワードを変更しました。/);
    await checkScreen(page, 'mypage-password-changed');

    const mail = await waitForMail(m.email, { since: mailsBefore, timeoutMs: 30000 });
    assert.equal(mail.subject, '【KOSMO Communication Web】パスワード変更完了のお知らせ');
    assert.doesNotMatch(mail.raw, new RegExp(fresh));

    await logout(page);
    assert.match(await page.getByRole('status').innerText(), /ログアウトしました。/);
    await checkScreen(page, 'logged-out');

    await login(page, m.login_id, m.password, /\/login$/);
    assert.match(await page.getByRole('alert').innerText(), /ログインIDまたはパスワードが正しくありません。/);
    await checkScreen(page, 'login-failed');

    await login(page, m.login_id, fresh);
    assert.equal(await heading(page), 'マイページ');
  } finally {
    await context.close();
  }
});

// The birth date as many members write it: the Japanese era (D10). Enough
// for the members made here (Shōwa 1926-12-25 .. 1989-01-07, Heisei .. 2019-04-30).
function japaneseEra(iso) {
  const [y, m, d] = iso.split('-').map(Number);
  const key = y * 10000 + m * 100 + d;
  if (key >= 19261225 && key <= 19890107) return `昭和${y - 1925}年${m}月${d}日`;
  if (key >= 19890108 && key <= 20190430) return `平成${y - 1988}年${m}月${d}日`;
  throw new Error(`no era for ${iso} in this helper`);
}

// The URL of the newest ログインID再通知のお知らせ to `address` (the real .eml in the sink).
async function idNoticeUrl(address, since) {
  const mail = await waitForMail(address, { since, timeoutMs: 30000 });
  assert.equal(mail.subject, '【KOSMO Communication Web】ログインID再通知のお知らせ');
  const urls = mail.body.match(/https?:\/\/[^\s<>"]+/g) || [];
  const url = urls.find((u) => /\/id-notice\?/.test(u));
  assert.ok(url, `no /id-notice URL in the mail:\n${mail.body}`);
  // D13: built from the configured public base URL.
  assert.ok(url.startsWith(`${baseUrl}/id-notice?`), `mail URL ${url} is not under ${baseUrl}`);
  return url;
}

// Login → 「IDを忘れた方はこちら」 → the identity form filled (by keyboard when
// asked) → 通知メール送信完了画面. Returns the URL of the mail.
async function requestIdNotice(page, m, { byKeyboard = false, shots = false } = {}) {
  await page.goto(`${baseUrl}/login`);
  await navigation(page, () => page.getByRole('link', { name: 'IDを忘れた方はこちら', exact: true }).click(), { url: /\/forgot-id$/ });
  assert.equal(await heading(page), '本人確認情報入力');
  if (shots) await checkScreen(page, 'forgot-id-form');
  // As people type them: full-width digits on a Japanese IME, the era date,
  // the address with capitals (D10); the mail must still go to the stored one.
  const typed = [
    ['保険証の記号', fullWidth(m.card_symbol)],
    ['保険証の番号', fullWidth(m.card_number)],
    ['生年月日', japaneseEra(m.birth_date)],
    ['メールアドレス', m.email.toUpperCase()],
  ];
  const since = new Set(mailFiles());
  if (byKeyboard) {
    const before = await keyboardWalk(page, typed, '確認', { url: /\/forgot-id\/sent$/ });
    assert.deepEqual(before, [], '保険証の記号 is the first Tab stop');
  } else {
    for (const [label, value] of typed) await page.getByLabel(label, { exact: true }).fill(value);
    await navigation(page, () => page.getByRole('button', { name: '確認', exact: true }).click(), { url: /\/forgot-id\/sent$/ });
  }
  assert.equal(await heading(page), '通知メール送信完了');
  return { since };
}

test('forgotten ID (manual 1-16): identity by keyboard with full-width digits and an era date → mail → ID shown → password reset → temporary password → forced change → login', async () => {
  const m = member();
  const fresh = `browser own ${m.card_number} words`;
  const { context, page } = await freshPage();
  try {
    const { since } = await requestIdNotice(page, m, { byKeyboard: true, shots: true });
    // R4: the help for a mail that does not arrive, with the sending domain.
    const help = page.getByRole('region', { name: 'メールが届かない場合' });
    const helpText = await help.innerText();
    assert.match(helpText, /迷惑メール/);
    assert.match(helpText, /@kosmoweb\.jp/);
    await checkScreen(page, 'forgot-id-sent');

    const url = await idNoticeUrl(m.email, since);
    // D2: opening the URL shows a button and no ID yet.
    await page.goto(url);
    assert.equal(await heading(page), 'ログインID再通知');
    assert.doesNotMatch(await bodyText(page), new RegExp(m.login_id));
    await checkScreen(page, 'id-notice-confirm');

    await navigation(page, () => page.getByRole('button', { name: 'ログインIDを表示する', exact: true }).click(), { url: /\/id-notice$/ });
    assert.equal(await heading(page), 'ログインID再通知');
    const text = await bodyText(page);
    assert.match(text, /あなたのログインIDは下記になります。/);
    // The ID sits next to 「あなたのID」 (same row, or right below it).
    const label = page.getByText('あなたのID', { exact: true });
    const id = page.getByText(m.login_id, { exact: true });
    const [lb, ib] = [await label.boundingBox(), await id.boundingBox()];
    assert.ok(lb && ib, 'both 「あなたのID」 and the ID are visible');
    const sameRow = Math.abs((lb.y + lb.height / 2) - (ib.y + ib.height / 2)) < Math.max(lb.height, ib.height) && ib.x >= lb.x + lb.width - 1;
    const rightBelow = ib.y >= lb.y + lb.height - 1 && ib.y - (lb.y + lb.height) < 48;
    assert.ok(sameRow || rightBelow, `the ID is not next to 「あなたのID」: ${JSON.stringify({ lb, ib })}`);
    await page.getByRole('button', { name: 'ログイン画面へ', exact: true }).waitFor();
    await checkScreen(page, 'id-notice-login-id');

    const beforeReset = new Set(mailFiles());
    await navigation(page, () => page.getByRole('button', { name: 'パスワード初期化', exact: true }).click(), { url: /\/password-reset$/ });
    assert.equal(await heading(page), 'パスワード初期化');
    assert.match(await page.getByRole('status').innerText(), /パスワードを初期化しました。/);
    assert.match(await bodyText(page), /仮パスワード/);
    await checkScreen(page, 'password-reset-done');

    const mail = await waitForMail(m.email, { since: beforeReset, timeoutMs: 30000 });
    assert.equal(mail.subject, '【KOSMO Communication Web】パスワード初期化のお知らせ');
    assert.equal(mail.to.replace(/^.*<|>.*$/g, ''), m.email, 'the mail goes to the stored address, not the typed capitals');
    const temp = (mail.body.match(/仮パスワード[:：]\s*(\S+)/) || [])[1];
    assert.ok(temp, `no temporary password in the mail:\n${mail.body}`);
    assert.match(temp, /^[^01OIl\s]{12}$/, 'D6: 12 characters without look-alikes');

    // R10: the old password stopped working at once.
    await navigation(page, () => page.getByRole('button', { name: 'ログイン画面へ', exact: true }).click(), { url: /\/login\??$/ });
    await login(page, m.login_id, m.password, /\/login$/);
    assert.match(await page.getByRole('alert').innerText(), /ログインIDまたはパスワードが正しくありません。/);

    // R11: the temporary password logs in, straight to the forced change.
    await login(page, m.login_id, temp, /\/password$/);
    assert.equal(await heading(page), 'パスワード変更');
    assert.match(await page.getByRole('status').innerText(), /仮パスワードでログインしています。/);
    await checkScreen(page, 'password-change-forced');
    await changePassword(page, temp, fresh);
    assert.equal(await heading(page), 'マイページ');

    await logout(page);
    await login(page, m.login_id, fresh);
    assert.equal(await heading(page), 'マイページ');
    assert.match(await bodyText(page), new RegExp(m.login_id));
  } finally {
    await context.close();
  }
});

test('URL無効通知画面 (R7, R9): the mail URL opened a second time shows 閉じる, the way back, and no ID', async () => {
  const m = member();
  const { context, page } = await freshPage();
  try {
    const { since } = await requestIdNotice(page, m);
    const url = await idNoticeUrl(m.email, since);
    await page.goto(url);
    assert.equal(await heading(page), 'ログインID再通知');
    assert.doesNotMatch(await bodyText(page), new RegExp(m.login_id), 'D2: opening the URL alone shows no ID');
    await navigation(page, () => page.getByRole('button', { name: 'ログインIDを表示する', exact: true }).click(), { url: /\/id-notice$/ });
    assert.match(await bodyText(page), new RegExp(m.login_id));

    // The member opens the same mail link again, in the same browser.
    const second = await page.goto(url);
    assert.equal(second.status(), 410);
    assert.equal(await heading(page), 'URL無効通知');
    const text = await bodyText(page);
    assert.doesNotMatch(text, new RegExp(m.login_id), 'an invalid URL never shows an ID');
    assert.match(await page.getByRole('alert').innerText(), /このURLは無効です。/);
    assert.match(text, /既に1度開かれています/, 'D3: the cause (used) is named');
    assert.equal(await page.getByRole('button', { name: '閉じる', exact: true }).count(), 1);
    assert.equal(await page.getByRole('link', { name: '本人確認情報入力画面へ', exact: true }).getAttribute('href'), '/forgot-id');
    await page.getByRole('button', { name: 'パスワード初期化' }).count().then((n) => assert.equal(n, 0));
    await checkScreen(page, 'id-notice-invalid');
  } finally {
    await context.close();
  }
});

// The accessible description of a field: the texts its aria-describedby points at.
async function description(page, label) {
  return page.getByLabel(label, { exact: true }).evaluate((el) => (el.getAttribute('aria-describedby') || '')
    .split(/\s+/).filter(Boolean).map((id) => { const d = document.getElementById(id); return d ? d.textContent.trim() : `#${id} missing`; }).join(' / '));
}

test('form errors sit next to their fields and are tied to them (aria-invalid, aria-describedby): identity form and password change', async () => {
  const m = member();
  const { context, page } = await freshPage();
  try {
    await page.goto(`${baseUrl}/forgot-id`);
    await page.getByLabel('保険証の記号', { exact: true }).fill(fullWidth(m.card_symbol));
    await page.getByLabel('保険証の番号', { exact: true }).fill('');
    await page.getByLabel('生年月日', { exact: true }).fill('昭和55年2月30日');
    await page.getByLabel('メールアドレス', { exact: true }).fill('not-an-address');
    await navigation(page, () => page.getByRole('button', { name: '確認', exact: true }).click(), { url: /\/forgot-id$/ });
    assert.equal(await heading(page), '本人確認情報入力');
    assert.equal(await page.getByLabel('保険証の記号', { exact: true }).getAttribute('aria-invalid'), null);
    for (const [label, message] of [['保険証の番号', /保険証の番号を入力してください。/], ['生年月日', /生年月日を正しく入力してください/], ['メールアドレス', /メールアドレスを正しく入力してください/]]) {
      assert.equal(await page.getByLabel(label, { exact: true }).getAttribute('aria-invalid'), 'true', label);
      assert.match(await description(page, label), message, label);
    }
    // What the member typed is kept (not the normalised value).
    assert.equal(await page.getByLabel('保険証の記号', { exact: true }).inputValue(), fullWidth(m.card_symbol));
    await checkScreen(page, 'forgot-id-form-errors');

    await page.goto(`${baseUrl}/login`);
    await login(page, m.login_id, m.password);
    await page.goto(`${baseUrl}/password`);
    assert.match(await description(page, '新しいパスワード'), /8文字以上128文字以内/, 'the rules describe the new password field');
    await page.getByLabel('現在のパスワード', { exact: true }).fill(m.password);
    await page.getByLabel('新しいパスワード', { exact: true }).fill('a long new password');
    await page.getByLabel('新しいパスワード（確認）', { exact: true }).fill('a long new passwore');
    await navigation(page, () => page.getByRole('button', { name: '変更する', exact: true }).click(), { url: /\/password$/ });
    assert.equal(await page.getByLabel('新しいパスワード（確認）', { exact: true }).getAttribute('aria-invalid'), 'true');
    assert.match(await description(page, '新しいパスワード（確認）'), /一致しません/);
    await checkScreen(page, 'password-change-errors');
  } finally {
    await context.close();
  }
});

test('no screen needs JavaScript: login, mypage, logout and the forgotten-ID screens work with JavaScript disabled', async () => {
  const m = member();
  const { context, page } = await freshPage({ javaScriptEnabled: false });
  try {
    await page.goto(`${baseUrl}/login`);
    assert.equal(await heading(page), 'ログイン');
    await login(page, m.login_id, m.password);
    assert.equal(await heading(page), 'マイページ');
    assert.match(await bodyText(page), new RegExp(m.login_id));
    await logout(page);
    assert.match(await page.getByRole('status').innerText(), /ログアウトしました。/);

    // The recovery screens too: identity form, sent screen, token page, ID.
    const { since } = await requestIdNotice(page, m);
    await page.goto(await idNoticeUrl(m.email, since));
    await navigation(page, () => page.getByRole('button', { name: 'ログインIDを表示する', exact: true }).click(), { url: /\/id-notice$/ });
    assert.match(await bodyText(page), /あなたのログインIDは下記になります。/);
    assert.match(await bodyText(page), new RegExp(m.login_id));
  } finally {
    await context.close();
  }
});

// D17: the insurer's letter (kosmo-admin member issue-initial) for a member
// who never logged in and has no address; the CSV's password is the one the
// member types.
function letterPassword(m) {
  const dir = path.join(env.KOSMO_BUILD, 'ops', 'browser-letters');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${m.login_id}.csv`);
  fs.rmSync(file, { force: true });
  admin(['member', 'issue-initial', '--login-id', m.login_id, '--out', file]);
  const [header, row] = fs.readFileSync(file, 'utf8').split('\r\n');
  assert.equal(header, 'login_id,display_name,temporary_password,valid_until');
  return row.split(',')[2];
}

// Tabs from the top of the page until `name` (a link) has the focus; the
// names of the stops before it are returned.
async function tabTo(page, name) {
  const stops = [];
  for (let i = 0; i < 20; i += 1) {
    await page.keyboard.press('Tab');
    const text = await page.evaluate(() => (document.activeElement ? document.activeElement.textContent.trim() : ''));
    if (text === name) return stops;
    stops.push(text);
  }
  assert.fail(`「${name}」 not reached by Tab; stops: ${stops.join(', ')}`);
}

test('first login (D17): the letter\'s password by keyboard → 初回設定（1/2）パスワード変更 → /email?setup=1; マイページ keeps asking for an address', async () => {
  const m = member({ logged_in: false, email: null });
  const temporary = letterPassword(m);
  const fresh = `my first own password ${m.card_number}`;
  const { context, page } = await freshPage();
  try {
    await page.goto(`${baseUrl}/login`);
    await keyboardWalk(page, [['ログインID', m.login_id], ['パスワード', temporary]], 'ログイン', { url: /\/password$/ });
    assert.equal(await heading(page), '初回設定（1/2）パスワード変更');
    assert.equal(await page.title(), '初回設定（1/2）パスワード変更 | KOSMO Communication Web');
    assert.match(await page.getByRole('status').innerText(), /はじめてのログインです。/);
    await checkScreen(page, 'first-login-password');

    // Step 2 is h-email's メールアドレス登録 (/email?setup=1, 「あとで登録する」 → マイページ);
    // this journey goes up to its redirect and continues on マイページ.
    const walk = await keyboardWalk(page,
      [['現在のパスワード', temporary], ['新しいパスワード', fresh], ['新しいパスワード（確認）', fresh]], '変更する',
      { url: /\/email\?setup=1$/ });
    assert.deepEqual(walk, [], '現在のパスワード is the first Tab stop');

    await page.goto(`${baseUrl}/mypage`);
    assert.equal(await heading(page), 'マイページ');
    assert.match(await bodyText(page), /メールアドレスを登録していないと、ログインIDやパスワードを忘れたときに/);
    await checkScreen(page, 'mypage-no-email');
    await tabTo(page, 'メールアドレスを登録する');
    assert.equal(await page.evaluate(() => document.activeElement.getAttribute('href')), '/email');
  } finally {
    await context.close();
  }
});
