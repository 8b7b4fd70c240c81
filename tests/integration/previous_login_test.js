// マイページ's 「前回のログイン」 through nginx. A member the insurer imports
// as logged in before (has_logged_in = 1, or member add --logged-in; R1 ア)
// gets the row's creation time in last_login_at, and the first login here
// moves that mark to previous_login_at: it must never be shown as a login
// time, nor as 「今回が初めてのログインです」 (they did log in, in the former
// system). A real previous login shows its time; a member who never logged
// in anywhere sees 「今回が初めてのログインです」.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { env, Client, admin, createMember, sql, sqlValue, q } = require('../support/harness');

const scratch = path.join(env.KOSMO_BUILD, 'ops', 'previous-login');
fs.rmSync(scratch, { recursive: true, force: true });
fs.mkdirSync(scratch, { recursive: true });

const NOT_HERE_YET = '記録がありません（このサイトでのログインは今回が初めてです）';
const FIRST_EVER = '今回が初めてのログインです';
const JST_TIME = /^\d{4}年\d{1,2}月\d{1,2}日 \d{1,2}時\d{2}分$/;
const bcryptHash = '$2y$10$gXMcCj4VSW8amhRyc/kf9.koS6enPJS.is6vlsfqcuAdSz2GGy3t6';  // 'kosmo-php-2019' (PHP)
const bcryptPassword = 'kosmo-php-2019';

let serial = 0;
// 13-digit login IDs of this file, apart from createMember()'s 9... range.
function newLoginId() {
  serial += 1;
  return `3${String(Date.now() % 1e9).padStart(9, '0')}${String(serial).padStart(3, '0')}`;
}

// kosmo-admin import-members with one row; has_logged_in as given.
function importMember(loginId, hasLoggedIn) {
  serial += 1;
  const file = path.join(scratch, `import-${process.pid}-${serial}.csv`);
  fs.writeFileSync(file, 'login_id,card_symbol,card_number,birth_date,password_hash,has_logged_in\n' +
    `${loginId},1,2,1980-01-02,${bcryptHash},${hasLoggedIn}\n`);
  admin(['import-members', file]);
  return { login_id: loginId, password: bcryptPassword };
}

// A column of the member's row as マイページ writes times (JST, to the minute).
function jstOf(member, column) {
  return sqlValue(`SELECT DATE_FORMAT(DATE_ADD(${column}, INTERVAL 9 HOUR), '%Y年%c月%e日 %k時%i分') ` +
    `FROM members WHERE login_id = ${q(member.login_id)}`);
}

// Logs in through nginx and returns マイページ's text beside 「前回のログイン」, and the page.
async function previousLoginShown(member) {
  const client = new Client();
  const login = await client.login(member);
  assert.equal(login.status, 303);
  assert.equal(login.location, '/mypage');
  const page = await client.get('/mypage');
  assert.equal(page.status, 200);
  const shown = page.text.match(/<dt>前回のログイン<\/dt>\s*<dd>([^<]*)<\/dd>/);
  assert.ok(shown, 'マイページ has 「前回のログイン」 with one value');
  const token = page.text.match(/name="csrf" value="([^"]+)"/)[1];
  assert.equal((await client.post('/logout', { csrf: token })).status, 303);
  return { text: shown[1], page: page.text };
}

// The first login here shows no time and no 「今回が初めて…」 of a member who
// never logged in; the next login shows the first one's time.
async function assertImportMarkNeverShown(member) {
  const importTimes = [jstOf(member, 'created_at'), jstOf(member, 'last_login_at')];
  const first = await previousLoginShown(member);
  assert.equal(first.text, NOT_HERE_YET);
  for (const time of importTimes) assert.ok(!first.page.includes(time), `the import's time ${time} is not on マイページ`);
  assert.ok(!first.page.includes(FIRST_EVER));

  const second = await previousLoginShown(member);
  assert.match(second.text, JST_TIME);
  assert.equal(second.text, jstOf(member, 'previous_login_at'));
  assert.ok(!second.page.includes(NOT_HERE_YET));
}

test('R1 ア: a member imported with has_logged_in=1 never sees the import\'s time as 「前回のログイン」; after a login here, its time', async () => {
  await assertImportMarkNeverShown(importMember(newLoginId(), 1));
});

test('R1 ア: a member added with member add --logged-in never sees the add\'s time as 「前回のログイン」; after a login here, its time', async () => {
  await assertImportMarkNeverShown(createMember());
});

test('R1 ア: a member imported as never logged in, then again with has_logged_in=1, never sees either import\'s time as 「前回のログイン」', async () => {
  const loginId = newLoginId();
  importMember(loginId, 0);
  // The first import a day earlier, so its time and the second's differ on the page.
  sql(`UPDATE members SET created_at = created_at - INTERVAL 1 DAY WHERE login_id = ${q(loginId)}`);
  await assertImportMarkNeverShown(importMember(loginId, 1));
});

test('オ: a member who never logged in anywhere sees 「今回が初めてのログインです」, then the first login\'s time', async () => {
  const member = importMember(newLoginId(), 0);
  const first = await previousLoginShown(member);
  assert.equal(first.text, FIRST_EVER);
  assert.ok(!first.page.includes(NOT_HERE_YET));
  const second = await previousLoginShown(member);
  assert.match(second.text, JST_TIME);
  assert.equal(second.text, jstOf(member, 'previous_login_at'));
});
