// ログインID再通知画面 and URL無効通知画面 through nginx (issue 4), with the URL
// taken from the real .eml file: the ID screen (R5), expiry (R6), single use
// (R7, also under 50 concurrent presses), supersession (R8), the invalid
// screen and its causes (R9, D3), scanner-safe GET and HEAD (D2), the grant
// (D5), the three link_confirm modes (D15) and no token in any log (D12).
'use strict';
const crypto = require('node:crypto');
const test = require('node:test');
const assert = require('node:assert/strict');
const { Client, createMember, sql, sqlValue, q } = require('../support/harness');
const {
  requestIdNotice, openAndConfirm, recoverLoginId, lastAudit, withIdNoticeMode, restoreIdNoticeMode, stackLogs, baseUrl,
} = require('../support/recovery');

const IDLE = /<button type="submit">ログインIDを表示する<\/button>/;
// Issue 15 item 6: the real next step is the primary action; a 「閉じる」 that
// could not close a tab (and opened the login page) is gone.
const NEXT_STEP = /<form method="get" action="\/forgot-id">\s*<button type="submit">本人確認情報入力画面へ<\/button>/;
const tokenRow = (token, column) => sqlValue(`SELECT ${column} FROM recovery_tokens WHERE token_hash = ${hashOf(token)}`);
function hashOf(token) {
  return `UNHEX(${q(crypto.createHash('sha256').update(Buffer.from(token, 'base64url')).digest('hex'))})`;
}

function assertInvalid(res, member, cause) {
  assert.equal(res.status, 410);
  assert.match(res.text, /<h1>URL無効通知<\/h1>/);
  assert.match(res.text, NEXT_STEP, '「本人確認情報入力画面へ」');
  assert.doesNotMatch(res.text, />閉じる</);
  assert.match(res.text, /このページは、そのまま閉じてかまいません。/);
  assert.match(res.text, /<a href="\/login">ログイン画面へ<\/a>/);
  if (member) assert.doesNotMatch(res.text, new RegExp(member.login_id), 'never the ID');
  if (cause) assert.match(res.text, cause);
}

// A mode switch by an earlier run that died must not leak into these tests.
test.before(() => restoreIdNoticeMode());

test('R5: the URL from the .eml leads, after 「ログインIDを表示する」, to the ID screen worded as the manual', async () => {
  const member = createMember();
  const { pathAndQuery, token } = await requestIdNotice(member);
  const client = new Client();
  const landing = await client.get(pathAndQuery);
  assert.equal(landing.status, 200);
  assert.match(landing.text, IDLE);
  assert.doesNotMatch(landing.text, new RegExp(member.login_id), 'no ID before the button');
  assert.match(landing.text, new RegExp(`<input type="hidden" name="t" value="${token}">`));
  assert.match(landing.text, /<form method="post" action="\/id-notice"/);

  const res = await openAndConfirm(client, token);
  assert.equal(res.status, 303);
  assert.equal(res.location, '/id-notice', 'the token leaves the URL');
  const page = await client.get(res.location);
  assert.equal(page.status, 200);
  assert.match(page.text, /あなたのログインIDは下記になります。/);
  assert.match(page.text, new RegExp(`<th scope="row">あなたのID</th><td id="login-id">${member.login_id}</td>`));
  assert.match(page.text, /あわせてパスワードを初期化したい場合は、「パスワード初期化」ボタンを押してください。/);
  // Issue 15 item 1: 「ログイン画面へ」 is the primary action and comes first;
  // 「パスワード初期化」 is secondary and only opens its confirmation (a GET).
  assert.match(page.text, /<form method="get" action="\/login">\s*<button type="submit">ログイン画面へ<\/button>\s*<\/form>\s*<form method="get" action="\/password-reset">\s*<button type="submit" class="secondary">パスワード初期化<\/button>/);
  assert.equal(lastAudit('token_redeem', member.member_id), 'granted');
});

test('D12: the token page and the ID screen are no-store and no-referrer', async () => {
  const member = createMember();
  const { token } = await requestIdNotice(member);
  const client = new Client();
  const landing = await client.get(`/id-notice?t=${token}`);
  const res = await openAndConfirm(client, token);
  const page = await client.get(res.location);
  for (const r of [landing, res, page]) {
    assert.equal(r.headers.get('cache-control'), 'no-store');
    assert.equal(r.headers.get('referrer-policy'), 'no-referrer');
  }
});

test('D2: GET and HEAD of the mail URL never consume it', async () => {
  const member = createMember();
  const { token } = await requestIdNotice(member);
  const scanner = new Client();
  for (let i = 0; i < 3; i += 1) {
    assert.equal((await scanner.get(`/id-notice?t=${token}`)).status, 200);
    assert.equal((await scanner.request('HEAD', `/id-notice?t=${token}`)).status, 200);
  }
  assert.equal(tokenRow(token, 'consumed_at'), null);
  const res = await openAndConfirm(new Client(), token);
  assert.equal(res.status, 303);
  assert.equal(res.location, '/id-notice');
});

test('R6: the URL stays valid for token.ttl (3600 s) and not beyond', async () => {
  const member = createMember();
  const { token } = await requestIdNotice(member);
  assert.equal(tokenRow(token, 'TIMESTAMPDIFF(SECOND, created_at, expires_at)'), '3600');
  // Just inside the hour (N-1 s): still works.
  sql(`UPDATE recovery_tokens SET created_at = created_at - INTERVAL 3599 SECOND, expires_at = expires_at - INTERVAL 3599 SECOND WHERE token_hash = ${hashOf(token)}`);
  assert.equal((await new Client().get(`/id-notice?t=${token}`)).status, 200);
  // Past it (N+1 s): the invalid screen names the expiry, and the POST is refused too.
  sql(`UPDATE recovery_tokens SET created_at = created_at - INTERVAL 2 SECOND, expires_at = expires_at - INTERVAL 2 SECOND WHERE token_hash = ${hashOf(token)}`);
  const client = new Client();
  const page = await client.get(`/id-notice?t=${token}`);
  assertInvalid(page, member, /URLの有効期限が切れています（有効期限はメール送信から1時間です）/);
  const csrf = await client.csrf('/forgot-id');
  const post = await client.post('/id-notice', { csrf, t: token });
  assertInvalid(post, member, /有効期限が切れています/);
  assert.equal(tokenRow(token, 'consumed_at'), null);
  assert.equal(lastAudit('token_redeem', member.member_id), 'expired');
});

test('R7: the URL works once; a second press shows the invalid screen', async () => {
  const member = createMember();
  const { token } = await requestIdNotice(member);
  assert.equal((await openAndConfirm(new Client(), token)).status, 303);
  const again = new Client();
  const page = await again.get(`/id-notice?t=${token}`);
  assertInvalid(page, member, /既に1度開かれています/);
  const csrf = await again.csrf('/forgot-id');
  assertInvalid(await again.post('/id-notice', { csrf, t: token }), member, /既に1度開かれています/);
  assert.equal(sqlValue(`SELECT COUNT(*) FROM recovery_grants WHERE member_id = ${member.member_id}`), '1');
});

test('R7, D4: 50 parallel presses of one URL through nginx give exactly one ID screen and 49 invalid screens', async () => {
  const member = createMember();
  const { token } = await requestIdNotice(member);
  const client = new Client();
  const landing = await client.get(`/id-notice?t=${token}`);
  const csrf = landing.text.match(/name="csrf" value="([^"]+)"/)[1];
  const cookie = client.cookieHeader();
  const presses = await Promise.all(Array.from({ length: 50 }, () => fetch(`${baseUrl}/id-notice`, {
    method: 'POST', redirect: 'manual',
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ csrf, t: token }).toString(),
  }).then(async (res) => ({ status: res.status, location: res.headers.get('location'), text: await res.text(), grant: res.headers.getSetCookie().some((c) => c.startsWith('__Host-kosmo_grant=')) }))));
  const granted = presses.filter((r) => r.status === 303);
  const refused = presses.filter((r) => r.status === 410);
  assert.equal(granted.length, 1, `statuses: ${presses.map((r) => r.status).join(',')}`);
  assert.equal(granted[0].location, '/id-notice');
  assert.equal(granted[0].grant, true);
  assert.equal(refused.length, 49);
  for (const r of refused) {
    assert.match(r.text, /既に1度開かれています/);
    assert.doesNotMatch(r.text, new RegExp(member.login_id));
    assert.equal(r.grant, false);
  }
  assert.equal(sqlValue(`SELECT COUNT(*) FROM recovery_grants WHERE member_id = ${member.member_id}`), '1');
  assert.equal(sqlValue(`SELECT COUNT(*) FROM audit_events WHERE event = 'token_redeem' AND member_id = ${member.member_id} AND outcome = 'granted'`), '1');
});

test('R8: a second request supersedes the URL of the first mail', async () => {
  const member = createMember();
  const first = await requestIdNotice(member);
  const second = await requestIdNotice(member);
  assert.notEqual(first.token, second.token);
  assert.notEqual(tokenRow(first.token, 'superseded_at'), null);
  assertInvalid(await new Client().get(`/id-notice?t=${first.token}`), member, /古いメールに記載されたURLは無効になりました/);
  assert.equal((await openAndConfirm(new Client(), second.token)).status, 303, 'the newer URL works');
  assertInvalid(await new Client().get(`/id-notice?t=${first.token}`), member, /古いメール/);
  assert.equal(sqlValue(`SELECT COUNT(*) FROM recovery_tokens WHERE member_id = ${member.member_id} AND consumed_at IS NULL AND superseded_at IS NULL`), '0');
});

test('R8: the newest URL works after several requests', async () => {
  const member = createMember();
  const mails = [];
  for (let i = 0; i < 3; i += 1) mails.push(await requestIdNotice(member));
  for (const old of mails.slice(0, 2)) assertInvalid(await new Client().get(`/id-notice?t=${old.token}`), member, /古いメール/);
  assert.equal((await openAndConfirm(new Client(), mails[2].token)).status, 303);
});

// A URL that had expired when a newer mail was issued opens nothing either
// way: the identity check leaves it unmarked (no UPDATE of it per request),
// and the invalid screen, the POST and the audit row still name the newer
// mail, as for a URL that was open then.
test('R8, D3: a URL long expired when a newer mail is issued is left unmarked and still named superseded', async () => {
  const member = createMember();
  const first = await requestIdNotice(member);
  sql(`UPDATE recovery_tokens SET created_at = created_at - INTERVAL 2 HOUR, expires_at = expires_at - INTERVAL 2 HOUR WHERE token_hash = ${hashOf(first.token)}`);
  assertInvalid(await new Client().get(`/id-notice?t=${first.token}`), member, /URLの有効期限が切れています/);
  const second = await requestIdNotice(member);
  assert.equal(tokenRow(first.token, 'superseded_at'), null, 'the expired URL is not written again');
  assertInvalid(await new Client().get(`/id-notice?t=${first.token}`), member, /古いメールに記載されたURLは無効になりました/);
  const client = new Client();
  const csrf = await client.csrf('/forgot-id');
  assertInvalid(await client.post('/id-notice', { csrf, t: first.token }), member, /古いメールに記載されたURLは無効になりました/);
  assert.equal(lastAudit('token_redeem', member.member_id), 'superseded');
  assert.equal((await openAndConfirm(new Client(), second.token)).status, 303, 'the newer URL works');
});

// Two web nodes' clocks may differ a little: a URL that expired only just
// (by this node's clock) may still open on another, so it is marked.
test('R8: a URL that expired less than 10 minutes before a newer mail is marked superseded', async () => {
  const member = createMember();
  const first = await requestIdNotice(member);
  sql(`UPDATE recovery_tokens SET created_at = created_at - INTERVAL 3900 SECOND, expires_at = expires_at - INTERVAL 3900 SECOND WHERE token_hash = ${hashOf(first.token)}`);
  await requestIdNotice(member);
  assert.notEqual(tokenRow(first.token, 'superseded_at'), null);
  assertInvalid(await new Client().get(`/id-notice?t=${first.token}`), member, /古いメールに記載されたURLは無効になりました/);
});

test('R9, D3: each known cause is named; an unknown or malformed token gets the generic list of four causes; never an ID', async () => {
  const member = createMember();
  const { token } = await requestIdNotice(member);
  await openAndConfirm(new Client(), token);
  // Used: says security software may have opened it (cause 4 of the manual).
  const used = await new Client().get(`/id-notice?t=${token}`);
  assertInvalid(used, member, /既に1度開かれています（2回目以降は無効となります）/);
  assert.match(used.text, /セキュリティソフト/);
  assert.doesNotMatch(used.text, /有効期限が切れています|古いメールに記載/);

  const unknownToken = crypto.randomBytes(32).toString('base64url');
  for (const t of [unknownToken, 'abc', '', `${unknownToken}=`, token.slice(0, 42)]) {
    const page = await new Client().get(`/id-notice?t=${encodeURIComponent(t)}`);
    assertInvalid(page, member);
    assert.match(page.text, /既に1度URLを開いている（2回目以降は無効となります）/);
    assert.match(page.text, /URLの有効期限が切れている（有効期限は1時間です。）/);
    assert.match(page.text, /古いメールに記載されたURLである/);
    assert.match(page.text, /「検閲機能」にて、事前にURLが開かれている可能性があります/);
    assert.doesNotMatch(page.text, /既に1度開かれています|有効期限が切れています（/);
  }
});

test('D5: the ID screen reloads for the grant\'s 15 minutes in that browser only, and not after', async () => {
  const member = createMember();
  const { token } = await requestIdNotice(member);
  const client = new Client();
  const res = await openAndConfirm(client, token);
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith('__Host-kosmo_grant='));
  assert.match(cookie, /^__Host-kosmo_grant=[A-Za-z0-9_-]{43}; Path=\/; Secure; HttpOnly; SameSite=Lax; Max-Age=900$/);
  for (let i = 0; i < 3; i += 1) {
    const page = await client.get('/id-notice');
    assert.equal(page.status, 200);
    assert.ok(page.text.includes(member.login_id));
  }
  assert.equal(sqlValue(`SELECT TIMESTAMPDIFF(SECOND, created_at, expires_at) FROM recovery_grants WHERE member_id = ${member.member_id}`), '900');
  // Another browser (no grant) sees nothing.
  assertInvalid(await new Client().get('/id-notice'), member);
  // Only the SHA-256 of the cookie is stored.
  const value = client.cookies.get('__Host-kosmo_grant');
  assert.equal(sqlValue(`SELECT COUNT(*) FROM recovery_grants WHERE grant_hash = UNHEX(SHA2(${q(value)}, 256))`), '1');
  // Past the grant's expiry the reload shows no ID.
  sql(`UPDATE recovery_grants SET expires_at = UTC_TIMESTAMP(6) - INTERVAL 1 SECOND WHERE member_id = ${member.member_id}`);
  const late = await client.get('/id-notice');
  assertInvalid(late, member, /ログインIDを表示できる時間（「ログインIDを表示する」を押してから15分）が過ぎたか、メールのURLを開いたときとは別のブラウザやアプリでこの画面を開いています。/);
});

test('D12: after a full flow the token appears in no log of the stack, nginx\'s included', async () => {
  const member = createMember();
  const { token } = await requestIdNotice(member);
  const client = new Client();
  await client.get(`/id-notice?t=${token}`);
  await client.request('HEAD', `/id-notice?t=${token}`);
  await openAndConfirm(client, token);
  await client.get('/id-notice');
  await client.get(`/id-notice?t=${token}`);  // the invalid screen, once more through the query
  await new Promise((r) => setTimeout(r, 300));  // nginx writes its access log line after the response
  const logs = stackLogs();
  assert.ok(logs.some((l) => l.file === 'kosmo-access.log' && l.text.includes('/id-notice')), 'the access log records the requests');
  for (const { file, text } of logs) assert.ok(!text.includes(token), `the token is in ${file}`);
  const grant = client.cookies.get('__Host-kosmo_grant');
  for (const { file, text } of logs) assert.ok(!text.includes(grant), `the grant cookie is in ${file}`);
});

test('D15 (link_confirm = button, the default): the token page has no birth-date field and one press shows the ID', async () => {
  const member = createMember();
  const { token } = await requestIdNotice(member);
  const page = await new Client().get(`/id-notice?t=${token}`);
  assert.match(page.text, IDLE);
  assert.doesNotMatch(page.text, /<label for="birth_date">/);
  assert.equal((await openAndConfirm(new Client(), token)).status, 303);
});

test('D15 (link_confirm = birth_date): the birth date is asked; a wrong one counts and shows nothing; 3 wrong spend the URL', async () => {
  await withIdNoticeMode('birth_date', async () => {
    const member = createMember({ birth_date: '1980-01-02' });
    const { token } = await requestIdNotice(member);
    const client = new Client();
    const page = await client.get(`/id-notice?t=${token}`);
    assert.equal(page.status, 200);
    assert.match(page.text, /<label for="birth_date">生年月日<\/label>/);
    assert.match(page.text, IDLE);
    // A scanner pressing the button without a date: a format error, not counted.
    const empty = await openAndConfirm(client, token);
    assert.equal(empty.status, 200);
    assert.match(empty.text, /生年月日を入力してください。/);
    assert.equal(tokenRow(token, 'failed_confirmations'), '0');
    // A wrong date: counted, no ID, the tries left are shown.
    const wrong = await openAndConfirm(client, token, { birth_date: '1980-01-03' });
    assert.equal(wrong.status, 200);
    assert.match(wrong.text, /生年月日がご登録の情報と一致しません。あと2回/);
    assert.doesNotMatch(wrong.text, new RegExp(member.login_id));
    assert.equal(tokenRow(token, 'failed_confirmations'), '1');
    assert.equal(tokenRow(token, 'consumed_at'), null);
    // The right date, typed in the Japanese era: the ID.
    const right = await openAndConfirm(client, token, { birth_date: '昭和55年1月2日' });
    assert.equal(right.status, 303);
    assert.equal(right.location, '/id-notice');
    assert.ok((await client.get('/id-notice')).text.includes(member.login_id));

    // Another URL: three wrong dates spend it (N = 3), and the right one no longer works.
    const second = await requestIdNotice(member);
    const scanner = new Client();
    const first = await openAndConfirm(scanner, second.token, { birth_date: '2000-01-01' });
    assert.match(first.text, /あと2回/);
    assert.equal(lastAudit('token_redeem', member.member_id), 'wrong_birth_date', 'a wrong date is audited while the URL stays usable');
    const next = await openAndConfirm(scanner, second.token, { birth_date: '2000-01-01' });
    assert.match(next.text, /あと1回/);
    const third = await openAndConfirm(scanner, second.token, { birth_date: '2000-01-01' });
    assertInvalid(third, member, /規定の回数以上誤って入力された/);
    assert.equal(tokenRow(second.token, 'failed_confirmations'), '3');
    assert.notEqual(tokenRow(second.token, 'consumed_at'), null);
    assertInvalid(await new Client().get(`/id-notice?t=${second.token}`), member, /規定の回数以上誤って入力された/);
    const csrf = await scanner.csrf('/forgot-id');
    assertInvalid(await scanner.post('/id-notice', { csrf, t: second.token, birth_date: '1980-01-02' }), member);
    assert.equal(lastAudit('token_redeem', member.member_id), 'too_many_failures');
  });
});

test('D15 (link_confirm = birth_date): the third wrong entry itself answers with the invalid screen', async () => {
  await withIdNoticeMode('birth_date', async () => {
    const member = createMember();
    const { token } = await requestIdNotice(member);
    const client = new Client();
    const csrf = await client.csrf('/forgot-id');
    const answers = [];
    for (let i = 0; i < 3; i += 1) answers.push(await client.post('/id-notice', { csrf, t: token, birth_date: '1999-09-09' }));
    assert.deepEqual(answers.map((r) => r.status), [200, 200, 410]);
    assertInvalid(answers[2], member, /規定の回数以上/);
  });
});

test('D15 (link_confirm = off): opening the URL consumes it at once, as the manual describes; HEAD still does not', async () => {
  await withIdNoticeMode('off', async () => {
    const member = createMember();
    const { token } = await requestIdNotice(member);
    assert.equal((await new Client().request('HEAD', `/id-notice?t=${token}`)).status, 200);
    assert.equal(tokenRow(token, 'consumed_at'), null);
    const client = new Client();
    const res = await client.get(`/id-notice?t=${token}`);
    assert.equal(res.status, 303);
    assert.equal(res.location, '/id-notice');
    assert.match(res.headers.get('set-cookie'), /__Host-kosmo_grant=/);
    const page = await client.get('/id-notice');
    assert.ok(page.text.includes(member.login_id));
    assertInvalid(await new Client().get(`/id-notice?t=${token}`), member, /既に1度開かれています/);
  });
});

test('D15: after the mode tests kosmo-id-notice runs with the stack\'s own config (button) again', async () => {
  const member = createMember();
  const { token } = await requestIdNotice(member);
  const page = await new Client().get(`/id-notice?t=${token}`);
  assert.equal(page.status, 200);
  assert.doesNotMatch(page.text, /<label for="birth_date">/);
  assert.equal(tokenRow(token, 'consumed_at'), null);
});
