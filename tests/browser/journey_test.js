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
const { createMember, waitForMail, mailFiles, baseUrl, sql, admin, env } = require('../support/harness');
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

// Issue 15 item 2: the local stack's sample society (scripts/stack.sh).
const SOCIETY = 'サンプル健康保険組合';
const CONTACT = 'サンプル健康保険組合 適用グループ';
const PHONE = '03-0000-0000';

// The insurer's own site: its name and logo in the header, its contact desk
// and links in the footer, its name in the title.
async function assertSocietyFrame(page) {
  const header = page.getByRole('banner');
  assert.match(await header.innerText(), new RegExp(SOCIETY));
  assert.equal(await header.locator('img').getAttribute('src'), '/static/sample-society-logo.svg');
  assert.ok((await header.locator('img').evaluate((img) => img.naturalWidth)) > 0, 'the logo loads (served by nginx)');
  const footer = page.getByRole('contentinfo');
  const text = await footer.innerText();
  for (const part of ['お問い合わせ', CONTACT, PHONE, '受付時間']) assert.ok(text.includes(part), `footer: ${part}`);
  assert.equal(await footer.getByRole('link', { name: '個人情報の取り扱いについて', exact: true }).getAttribute('href'), '/static/sample-privacy.html');
  assert.equal(await footer.getByRole('link', { name: 'よくあるご質問', exact: true }).getAttribute('href'), '/static/sample-help.html');
  assert.match(await page.title(), new RegExp(` \\| ${SOCIETY}$`));
}

// Issue 15 item 3: the step indicator marks exactly one step as current.
async function assertStep(page, name) {
  const steps = page.getByRole('navigation', { name: /手続きの流れ/ });
  const current = steps.locator('[aria-current="step"]');
  assert.equal(await current.count(), 1, 'one current step');
  assert.match(await current.innerText(), new RegExp(`^${name}`));
}

// Keyboard only: Tab from the top of the page to the button named `name`
// (its focus visible), Enter.
async function pressByKeyboard(page, name, { url } = {}) {
  for (let i = 0; i < 40; i += 1) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const el = document.activeElement;
      if (!el || el.tagName !== 'BUTTON') return null;
      return { text: el.textContent.trim(), outline: getComputedStyle(el).outlineStyle };
    });
    if (focused && focused.text === name) {
      assert.notEqual(focused.outline, 'none', `focus on 「${name}」 is visible`);
      await navigation(page, () => page.keyboard.press('Enter'), { url });
      return;
    }
  }
  assert.fail(`no button 「${name}」 reached by Tab`);
}

// Issue 15 item 8: the buttons of one row share the width at 375 px.
async function assertEvenButtons(page, names) {
  const widths = [];
  for (const name of names) widths.push((await page.getByRole('button', { name, exact: true }).boundingBox()).width);
  assert.ok(Math.max(...widths) - Math.min(...widths) <= 1, `buttons ${names.join(', ')} of even width: ${widths.join(', ')}`);
}

// Width in full-width characters: ASCII and half-width count a half.
function lineWidth(line) { let w = 0; for (const ch of line) w += ch.codePointAt(0) < 0x100 || (ch >= '\uff61' && ch <= '\uff9f') ? 0.5 : 1; return w; }

// Issue 15 item 7: an addressee, lines of at most 35 full-width characters
// (a URL may be longer), and the society's signature after `-- `.
function assertPoliteMail(mail, addressee) {
  const lines = mail.body.split(/\r?\n/);
  assert.equal(lines.find((l) => l.trim() !== ''), addressee, 'the first line names the addressee');
  for (const line of lines) if (!/https?:\/\//.test(line)) assert.ok(lineWidth(line) <= 35, `line longer than 35 full-width characters: ${line}`);
  const at = lines.indexOf('-- ');
  assert.ok(at > 0, 'the signature delimiter `-- ` with its space');
  const signature = lines.slice(at).join('\n');
  for (const part of [SOCIETY, CONTACT, PHONE, '受付時間']) assert.ok(signature.includes(part), `signature: ${part}`);
}

// 「12月2日 9時11分」 within two minutes of now + seconds, in Japan time.
function assertJstDeadline(text, seconds) {
  const m = text.match(/有効期限: (\d{1,2})月(\d{1,2})日 (\d{1,2})時(\d{2})分まで（日本時間）/);
  assert.ok(m, `no absolute deadline in Japanese form: ${text}`);
  const expected = new Date(Date.now() + seconds * 1000 + 9 * 3600 * 1000);
  const shown = Date.UTC(expected.getUTCFullYear(), Number(m[1]) - 1, Number(m[2]), Number(m[3]), Number(m[4]));
  assert.ok(Math.abs(shown - expected.getTime()) < 120000, `deadline ${m[0]} vs ${expected.toISOString()} (JST)`);
}

test('foundation: login by keyboard only, password change with notice and mail, logout, login with the new password', async () => {
  const m = member();
  sql(`UPDATE members SET display_name = '山田 花子' WHERE member_id = ${m.member_id}`);
  const fresh = `browser new ${m.card_number} pass`;
  const { context, page } = await freshPage();
  try {
    await page.goto(`${baseUrl}/login`);
    assert.equal(await heading(page), 'ログイン');
    assert.equal(await page.title(), `ログイン | ${SOCIETY}`);
    await assertSocietyFrame(page);
    // Issue 15 item 4: the login ID field says what an ID looks like.
    assert.match(await description(page, 'ログインID'), /13桁の数字/);
    // The manual's link at the lower left (R2) and the password one (D14).
    await page.getByRole('link', { name: 'IDを忘れた方はこちら', exact: true }).waitFor();
    await page.getByRole('link', { name: 'パスワードを忘れた方はこちら', exact: true }).waitFor();
    await checkScreen(page, 'login');

    const before = await keyboardWalk(page, [['ログインID', m.login_id], ['パスワード', m.password]], 'ログイン', { url: /\/mypage$/ });
    assert.deepEqual(before, [], 'the login ID field is the first Tab stop');
    assert.equal(await heading(page), 'マイページ');
    assert.match(await bodyText(page), new RegExp(m.login_id));
    // R1 ア: imported as logged in before (--logged-in), so no time and no 「今回が初めて…」 yet.
    assert.match(await bodyText(page), /前回のログイン\s*記録がありません（このサイトでのログインは今回が初めてです）/);
    await checkScreen(page, 'mypage');

    await navigation(page, () => page.getByRole('link', { name: 'パスワード変更', exact: true }).click(), { url: /\/password$/ });
    assert.equal(await heading(page), 'パスワード変更');
    // Issue 15 item 8: a chosen change can be left.
    assert.equal(await page.getByRole('link', { name: 'マイページへ戻る', exact: true }).getAttribute('href'), '/mypage');
    await checkScreen(page, 'password-change');

    const mailsBefore = new Set(mailFiles());
    await changePassword(page, m.password, fresh);
    assert.equal(await heading(page), 'マイページ');
    assert.match(await page.getByRole('status').innerText(), /パスワードを変更しました。/);
    await checkScreen(page, 'mypage-password-changed');

    const mail = await waitForMail(m.email, { since: mailsBefore, timeoutMs: 30000 });
    assert.equal(mail.subject, '【KOSMO Communication Web】パスワード変更完了のお知らせ');
    assert.doesNotMatch(mail.raw, new RegExp(fresh));
    assertPoliteMail(mail, '山田 花子 様');
    assert.match(mail.body, /\d{4}年\d{1,2}月\d{1,2}日 \d{1,2}時\d{2}分（日本時間）に、/);

    await logout(page);
    assert.match(await page.getByRole('status').innerText(), /ログアウトしました。/);
    await checkScreen(page, 'logged-out');

    await login(page, m.login_id, m.password, /\/login$/);
    assert.match(await page.getByRole('alert').innerText(), /ログインIDまたはパスワードが正しくありません。/);
    await checkScreen(page, 'login-failed');

    await login(page, m.login_id, fresh);
    assert.equal(await heading(page), 'マイページ');
    // Issue 15 item 7: dates on マイページ as in the mails.
    assert.match(await bodyText(page), /前回のログイン\s*\d{4}年\d{1,2}月\d{1,2}日 \d{1,2}時\d{2}分/);
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
  if (shots) {
    await assertStep(page, '本人確認');
    await assertSocietyFrame(page);
    // Issue 15 item 4: the card fields say where the values are, naming the documents members hold now.
    const help = await description(page, '保険証の記号');
    assert.match(help, /例: /);
    assert.match(help, /資格確認書/);
    assert.match(await bodyText(page), /資格情報のお知らせ/);
    assert.match(await bodyText(page), /マイナ保険証/);
    assert.equal(await page.locator('.required-mark').filter({ hasText: '必須' }).count() >= 4, true, 'required fields are marked');
    await checkScreen(page, 'forgot-id-form');
  }
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
    // Issue 15 items 4, 6: the manual's help in correct Japanese, one marker per
    // item; what to search for, how long it takes, D7, whom to call (オ, カ).
    assert.doesNotMatch(helpText, /受信ができない|通知メール送信完了画面が表示された|✓|^a\)/m);
    assert.equal(await help.locator('li').count(), 4);
    assert.ok(helpText.includes(`${CONTACT}（電話: ${PHONE}`), 'whom to contact');
    const sentText = await bodyText(page);
    assert.match(sentText, /差出人「no-reply@kosmoweb\.jp」、件名「【KOSMO Communication Web】ログインID再通知のお知らせ」/);
    assert.match(sentText, /数分以内に届きます/);
    assert.match(sentText, /短い時間に何度もお手続きをされた場合、しばらくの間メールが送信されなくなります/);
    await assertStep(page, 'メール送信');
    await assertSocietyFrame(page);
    await checkScreen(page, 'forgot-id-sent');

    const idMail = await waitForMail(m.email, { since, timeoutMs: 30000 });
    assertPoliteMail(idMail, 'ご加入者様');
    assertJstDeadline(idMail.body, 3600);
    assert.match(idMail.body, /「ログインIDを表示する」を\r?\n?押して/);
    const url = await idNoticeUrl(m.email, since);
    // D2: opening the URL shows a button and no ID yet; its own heading and title (issue 15 item 3).
    await page.goto(url);
    assert.equal(await heading(page), 'ログインIDの表示');
    assert.equal(await page.title(), `ログインIDの表示 | ${SOCIETY}`);
    await assertStep(page, 'ログインID表示');
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
    assert.equal(await page.title(), `ログインID再通知 | ${SOCIETY}`);
    await assertStep(page, 'ログインID表示');
    // Issue 15 items 1, 8: 「ログイン画面へ」 first (the primary action), buttons of even width.
    const buttons = await page.getByRole('main').getByRole('button').allInnerTexts();
    assert.deepEqual(buttons.map((b) => b.trim()), ['ログイン画面へ', 'パスワード初期化']);
    await assertEvenButtons(page, ['ログイン画面へ', 'パスワード初期化']);
    await checkScreen(page, 'id-notice-login-id');

    // Issue 15 item 1: a warning before anything irreversible; 「やめる」 changes nothing.
    await navigation(page, () => page.getByRole('button', { name: 'パスワード初期化', exact: true }).click(), { url: /\/password-reset\??$/ });
    assert.equal(await heading(page), 'パスワード初期化の確認');
    await assertStep(page, 'パスワード初期化');
    const warning = await bodyText(page);
    assert.match(warning, /現在のパスワードは、初期化した時点で使えなくなります。/);
    assert.match(warning, /仮パスワードを記載したメールを、登録済みのメールアドレス/);
    assert.match(warning, /新しいパスワードの設定が必要です/);
    await assertEvenButtons(page, ['パスワードを初期化する', 'やめる']);
    await checkScreen(page, 'password-reset-confirm');
    await navigation(page, () => page.getByRole('button', { name: 'やめる', exact: true }).click(), { url: /\/id-notice\??$/ });
    assert.equal(await heading(page), 'ログインID再通知');
    {
      const other = await freshPage();
      try {
        await other.page.goto(`${baseUrl}/login`);
        await login(other.page, m.login_id, m.password);
        assert.equal(await heading(other.page), 'マイページ', 'after 「やめる」 the password still works');
        await logout(other.page);
      } finally {
        await other.context.close();
      }
    }

    // Now by keyboard only: 「パスワード初期化」, then 「パスワードを初期化する」.
    const beforeReset = new Set(mailFiles());
    await page.reload();
    await pressByKeyboard(page, 'パスワード初期化', { url: /\/password-reset\??$/ });
    assert.equal(await heading(page), 'パスワード初期化の確認');
    await pressByKeyboard(page, 'パスワードを初期化する', { url: /\/password-reset\??$/ });
    assert.equal(await heading(page), 'パスワード初期化完了');
    assert.match(await page.getByRole('status').innerText(), /パスワードを初期化しました。/);
    assert.match(await bodyText(page), /仮パスワード/);
    await checkScreen(page, 'password-reset-done');

    const mail = await waitForMail(m.email, { since: beforeReset, timeoutMs: 30000 });
    assert.equal(mail.subject, '【KOSMO Communication Web】パスワード初期化のお知らせ');
    assertPoliteMail(mail, 'ご加入者様');
    assertJstDeadline(mail.body, 86400);
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

test('URL無効通知画面 (R7, R9): the mail URL opened a second time shows the way back as its button, and no ID', async () => {
  const m = member();
  const { context, page } = await freshPage();
  try {
    const { since } = await requestIdNotice(page, m);
    const url = await idNoticeUrl(m.email, since);
    await page.goto(url);
    assert.equal(await heading(page), 'ログインIDの表示');
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
    // Issue 15 item 6: the real next step is the primary action; the page may simply be closed.
    assert.equal(await page.getByRole('button', { name: '閉じる', exact: true }).count(), 0);
    assert.match(text, /このページは、そのまま閉じてかまいません。/);
    await page.getByRole('button', { name: '本人確認情報入力画面へ', exact: true }).waitFor();
    await page.getByRole('button', { name: 'パスワード初期化' }).count().then((n) => assert.equal(n, 0));
    await checkScreen(page, 'id-notice-invalid');
    await navigation(page, () => page.getByRole('button', { name: '本人確認情報入力画面へ', exact: true }).click(), { url: /\/forgot-id\??$/ });
    assert.equal(await heading(page), '本人確認情報入力');
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
    await page.getByLabel('生年月日', { exact: true }).fill('2023年2月30日');
    await page.getByLabel('メールアドレス', { exact: true }).fill('not-an-address');
    await navigation(page, () => page.getByRole('button', { name: '確認', exact: true }).click(), { url: /\/forgot-id$/ });
    assert.equal(await heading(page), '本人確認情報入力');
    assert.equal(await page.getByLabel('保険証の記号', { exact: true }).getAttribute('aria-invalid'), null);
    // Issue 15 items 3, 5: the title says so; a summary counts, links and has the focus.
    assert.equal(await page.title(), `エラー: 本人確認情報入力 | ${SOCIETY}`);
    const summary = page.getByRole('alert');
    assert.match(await summary.innerText(), /入力内容に誤りがあります（3件）/);
    assert.equal(await page.evaluate(() => document.activeElement && document.activeElement.getAttribute('role')), 'alert', 'the summary has the focus');
    assert.equal(await summary.getByRole('link', { name: /^保険証の番号/ }).getAttribute('href'), '#card_number');
    assert.equal(await summary.getByRole('link', { name: /^生年月日/ }).getAttribute('href'), '#birth_date');
    assert.equal(await summary.getByRole('link', { name: /^メールアドレス/ }).getAttribute('href'), '#email');
    for (const [label, message] of [['保険証の番号', /保険証の番号を入力してください。/], ['生年月日', /2023年2月30日は存在しない日付です/], ['メールアドレス', /メールアドレスを正しく入力してください/]]) {
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
    assert.equal(await page.title(), `エラー: パスワード変更 | ${SOCIETY}`);
    assert.match(await page.getByRole('alert').innerText(), /入力内容に誤りがあります（1件）/);
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

// The link in the newest メールアドレス確認のお願い to `address` (the real .eml in the sink).
async function emailConfirmUrl(address, since) {
  const mail = await waitForMail(address, { since, timeoutMs: 30000 });
  assert.equal(mail.subject, '【KOSMO Communication Web】メールアドレス確認のお願い');
  const addressee = mail.body.split(/\r?\n/).find((l) => l.trim() !== '');
  assert.match(addressee, / 様$|^ご加入者様$/);
  assertPoliteMail(mail, addressee);
  assertJstDeadline(mail.body, 86400);
  const url = (mail.body.match(/https?:\/\/[^\s<>"]+\/email\/confirm\?t=[A-Za-z0-9_-]{43}/) || [])[0];
  assert.ok(url && url.startsWith(`${baseUrl}/email/confirm?`), `no confirmation URL under ${baseUrl} in the mail:\n${mail.body}`);
  return url;
}

// Tab from the top of the page to the button named `name`, then Enter (keyboard only).
async function pressByKeyboard(page, name, { url } = {}) {
  for (let i = 0; i < 15; i += 1) {
    await page.keyboard.press('Tab');
    const text = await page.evaluate(() => (document.activeElement && document.activeElement.tagName === 'BUTTON' ? document.activeElement.textContent.trim() : ''));
    if (text === name) return navigation(page, () => page.keyboard.press('Enter'), { url });
  }
  throw new Error(`the button 「${name}」 is not reached by Tab`);
}

test('D16 (カ → イ): a member without an address logs in, registers one by keyboard, confirms it from the .eml, logs out and recovers the login ID with it', async () => {
  const m = member({ email: null });  // kind no_email: logged in before, no address
  const address = `registered${m.card_number}@example.org`;
  const { context, page } = await freshPage();
  try {
    await page.goto(`${baseUrl}/login`);
    await login(page, m.login_id, m.password);
    await navigation(page, () => page.getByRole('link', { name: 'メールアドレス登録', exact: true }).click(), { url: /\/email$/ });
    assert.equal(await heading(page), 'メールアドレス登録');
    await checkScreen(page, 'email-register');

    // Item 1's errors beside their fields, then the form by keyboard only.
    await page.getByLabel('新しいメールアドレス', { exact: true }).fill(address);
    await page.getByLabel('新しいメールアドレス（確認）', { exact: true }).fill(`x${address}`);
    await page.getByLabel('現在のパスワード', { exact: true }).fill(m.password);
    await navigation(page, () => page.getByRole('button', { name: '確認メールを送信', exact: true }).click(), { url: /\/email$/ });
    assert.equal(await page.getByLabel('新しいメールアドレス（確認）', { exact: true }).getAttribute('aria-invalid'), 'true');
    assert.match(await description(page, '新しいメールアドレス（確認）'), /一致しません/);
    await checkScreen(page, 'email-errors');

    await page.goto(`${baseUrl}/email`);
    const since = new Set(mailFiles());
    await keyboardWalk(page, [['新しいメールアドレス', address], ['新しいメールアドレス（確認）', address], ['現在のパスワード', m.password]],
      '確認メールを送信', { url: /\/email\/sent$/ });
    assert.equal(await heading(page), '確認メールを送信しました');
    await checkScreen(page, 'email-sent');

    // The link from the .eml, on a phone: no login, GET shows the button only (D2).
    const url = await emailConfirmUrl(address, since);
    const phone = await freshPage();
    try {
      await phone.page.goto(url);
      assert.equal(await heading(phone.page), 'メールアドレス確認');
      await checkScreen(phone.page, 'email-confirm');
      await pressByKeyboard(phone.page, 'メールアドレスを確定する', { url: /\/email\/confirm$/ });
      assert.equal(await heading(phone.page), 'メールアドレス変更完了');
      await phone.page.getByRole('link', { name: 'ログイン画面へ', exact: true }).waitFor();
      await checkScreen(phone.page, 'email-confirmed');
      // The same link again: the invalid screen names the cause (R7, R9).
      const again = await phone.page.goto(url);
      assert.equal(again.status(), 410);
      assert.equal(await heading(phone.page), 'URL無効通知');
      assert.match(await bodyText(phone.page), /既に使用されています/);
      assert.equal(await phone.page.getByRole('button', { name: '閉じる', exact: true }).count(), 1);
      await checkScreen(phone.page, 'email-invalid');
    } finally {
      await phone.context.close();
    }

    await page.goto(`${baseUrl}/mypage`);
    assert.match(await bodyText(page), new RegExp(address.replace(/\./g, '\\.')));
    await logout(page);

    // 「IDを忘れた方はこちら」 with the new address: the ID mail goes there.
    const registered = { ...m, email: address };
    const { since: idSince } = await requestIdNotice(page, registered);
    await page.goto(await idNoticeUrl(address, idSince));
    await navigation(page, () => page.getByRole('button', { name: 'ログインIDを表示する', exact: true }).click(), { url: /\/id-notice$/ });
    assert.match(await bodyText(page), new RegExp(m.login_id));
  } finally {
    await context.close();
  }
});

test('D17 step 2 (setup mode): 「初回設定（2/2）メールアドレス登録」 says why and 「あとで登録する」 leads to マイページ', async () => {
  const m = member({ email: null });
  const { context, page } = await freshPage();
  try {
    await page.goto(`${baseUrl}/login`);
    await login(page, m.login_id, m.password);
    await page.goto(`${baseUrl}/email?setup=1`);
    assert.equal(await heading(page), '初回設定（2/2）メールアドレス登録');
    assert.match(await bodyText(page), /ログインIDやパスワードを忘れたときに、メールで再通知や初期化を受けることができません/);
    await checkScreen(page, 'email-setup');
    await navigation(page, () => page.getByRole('link', { name: 'あとで登録する', exact: true }).click(), { url: /\/mypage$/ });
    assert.equal(await heading(page), 'マイページ');
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

test('first login (D17): the letter\'s password by keyboard → 初回設定（1/2）パスワード変更 → 初回設定（2/2） → 「あとで登録する」; マイページ keeps asking for an address', async () => {
  const m = member({ logged_in: false, email: null });
  const temporary = letterPassword(m);
  const fresh = `my first own password ${m.card_number}`;
  const { context, page } = await freshPage();
  try {
    await page.goto(`${baseUrl}/login`);
    await keyboardWalk(page, [['ログインID', m.login_id], ['パスワード', temporary]], 'ログイン', { url: /\/password$/ });
    assert.equal(await heading(page), '初回設定（1/2）パスワード変更');
    assert.equal(await page.title(), `初回設定（1/2）パスワード変更 | ${SOCIETY}`);
    assert.match(await page.getByRole('status').innerText(), /はじめてのログインです。/);
    await checkScreen(page, 'first-login-password');

    const walk = await keyboardWalk(page,
      [['現在のパスワード', temporary], ['新しいパスワード', fresh], ['新しいパスワード（確認）', fresh]], '変更する',
      { url: /\/email\?setup=1$/ });
    assert.deepEqual(walk, [], '現在のパスワード is the first Tab stop');

    // Step 2 of 初回設定, put off by keyboard: 「あとで登録する」 leads on to マイページ.
    assert.equal(await heading(page), '初回設定（2/2）メールアドレス登録');
    assert.match(await page.getByRole('navigation', { name: /手続きの流れ/ }).innerText(), /パスワード設定[\s\S]*メールアドレス登録/);
    await checkScreen(page, 'first-login-email');
    await tabTo(page, 'あとで登録する');
    await navigation(page, () => page.keyboard.press('Enter'), { url: /\/mypage$/ });
    assert.equal(await heading(page), 'マイページ');
    assert.match(await bodyText(page), /メールアドレスを登録していないと、ログインIDやパスワードを忘れたときに/);
    await checkScreen(page, 'mypage-no-email');
    await tabTo(page, 'メールアドレスを登録する');
    assert.equal(await page.evaluate(() => document.activeElement.getAttribute('href')), '/email');
  } finally {
    await context.close();
  }
});

test('issue 15 item 5: 平成31年5月1日, written after the era changed, is understood as 2019-05-01 and said so', async () => {
  const m = member({ birth_date: '2019-05-01' });
  const { context, page } = await freshPage();
  try {
    await page.goto(`${baseUrl}/forgot-id`);
    await page.getByLabel('保険証の記号', { exact: true }).fill(m.card_symbol);
    await page.getByLabel('保険証の番号', { exact: true }).fill(m.card_number);
    await page.getByLabel('生年月日', { exact: true }).fill('平成31年5月1日');
    await page.getByLabel('メールアドレス', { exact: true }).fill(m.email);
    await navigation(page, () => page.getByRole('button', { name: '確認', exact: true }).click(), { url: /\/forgot-id$/ });
    assert.match(await page.getByRole('status').innerText(), /生年月日「平成31年5月1日」は、令和元年5月1日（2019年5月1日）のことと読み取りました。/);
    assert.equal(await page.getByLabel('生年月日', { exact: true }).inputValue(), '2019-05-01');
    assert.equal(await page.getByRole('alert').count(), 0, 'not an error');
    await checkScreen(page, 'forgot-id-era-understood');
    const since = new Set(mailFiles());
    await navigation(page, () => page.getByRole('button', { name: '確認', exact: true }).click(), { url: /\/forgot-id\/sent$/ });
    assert.equal(await heading(page), '通知メール送信完了');
    await idNoticeUrl(m.email, since);
  } finally {
    await context.close();
  }
});

test('issue 15 item 8: at 1280 px the header text starts where the content column starts', async () => {
  const { context, page } = await freshPage({ viewport: { width: 1280, height: 800 } });
  try {
    await page.goto(`${baseUrl}/login`);
    const logo = await page.getByRole('banner').locator('img').boundingBox();
    const h1 = await page.getByRole('heading', { level: 1 }).boundingBox();
    assert.ok(Math.abs(logo.x - h1.x) <= 1, `header ${logo.x} px, content ${h1.x} px`);
    const footer = await page.getByRole('contentinfo').getByRole('heading', { name: 'お問い合わせ' }).boundingBox();
    assert.ok(Math.abs(footer.x - h1.x) <= 1, `footer ${footer.x} px, content ${h1.x} px`);
    await page.screenshot({ path: require('node:path').join(require('./support').screenshotDir, 'login-1280.png'), fullPage: true });
  } finally {
    await context.close();
  }
});
