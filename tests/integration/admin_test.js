// kosmo-admin (issue 6) against the test stack: every command's manual and
// exit codes, import-members (columns, CSV quoting, validation report with
// line numbers and no values, all-or-nothing, idempotent upsert, hashes kept,
// a password set here wins), member show | unlock | disable | enable, outbox
// list | retry, purge and audit export. Time rules age rows, never sleep.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { spawn, spawnSync } = require('node:child_process');
const { env, Client, createMember, sql, sqlValue, q, sleep } = require('../support/harness');
const { readConf } = require('../support/env');

const scratch = path.join(env.KOSMO_BUILD, 'ops', 'admin');
fs.rmSync(scratch, { recursive: true, force: true });
fs.mkdirSync(scratch, { recursive: true });

// Runs kosmo-admin on the test stack; never throws on a non-zero exit (a
// run stopped at `timeout` ms has status null).
function admin(args, input = '', timeout = undefined) {
  const r = spawnSync(path.join(env.KOSMO_BUILD, 'kosmo-admin'),
    ['--config', path.join(env.KOSMO_VAR, 'etc/kosmo.conf'), ...args], { input, encoding: 'utf8', timeout });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
function csvFile(name, text) {
  const file = path.join(scratch, name);
  fs.writeFileSync(file, text);
  return file;
}
let serial = 0;
// 13-digit login IDs of this run, apart from createMember()'s 9... range.
function newLoginId() {
  serial += 1;
  return `5${String(Date.now() % 1e9).padStart(9, '0')}${String(serial).padStart(3, '0')}`;
}
const bcryptHash = '$2y$10$gXMcCj4VSW8amhRyc/kf9.koS6enPJS.is6vlsfqcuAdSz2GGy3t6';  // 'kosmo-php-2019' (PHP)

test('every command has a man-page style --help, exit 0; no or an unknown command is a usage error (64)', () => {
  for (const command of ['migrate', 'member', 'import-members', 'outbox', 'purge', 'audit', 'limits']) {
    const r = admin([command, '--help']);
    assert.equal(r.status, 0, command);
    assert.match(r.stdout, new RegExp(`^NAME\\n    kosmo-admin ${command.split(' ')[0]}`), command);
    assert.match(r.stdout, /\nSYNOPSIS\n/, command);
    assert.match(r.stdout, /\nEXIT STATUS\n/, command);
  }
  const overview = admin(['--help']);
  assert.equal(overview.status, 0);
  for (const command of ['import-members', 'member show', 'outbox list', 'purge', 'audit export']) {
    assert.ok(overview.stdout.includes(command), command);
  }
  assert.equal(admin([]).status, 64);
  assert.equal(admin(['no-such-command']).status, 64);
  assert.equal(admin(['member', 'frobnicate', 'x']).status, 64);
});

test('import-members: columns in any order, RFC 4180 quoting, BOM and CRLF; bcrypt kept and usable; argon2id kept', async () => {
  const [a, b, c] = [newLoginId(), newLoginId(), newLoginId()];
  const argon = '$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$3r1oM6W6ti4WUnUrxMFR+0nXbIgRLPqp41rkUdkiLfs';
  const file = csvFile('good.csv', '\uFEFF' + [
    'display_name,login_id,card_symbol,card_number,birth_date,email,password_hash,has_logged_in',
    `"山田, 太郎",${a},１２３４,5678-${a.slice(-4)},1980-01-02,taro.${a}@example.jp,${bcryptHash},1`,
    `"He said ""hi""",${b},ＡＢ,${b.slice(-6)},昭和55年1月2日,,"${argon}",0`,
    `,${c},9999,${c.slice(-6)},19750715,c${c}@example.jp,,`,
    '',
  ].join('\r\n'));
  const r = admin(['import-members', file]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^imported 3 members in /);
  assert.match(r.stderr, /3 rows read, 3 good, 0 bad/);

  const row = (id) => sql(`SELECT display_name, card_symbol, card_number, DATE_FORMAT(birth_date, '%Y-%m-%d'), email, password_hash, last_login_at IS NOT NULL, is_disabled FROM members WHERE login_id = ${q(id)}`)[0];
  assert.deepEqual(row(a), ['山田, 太郎', '1234', `5678${a.slice(-4)}`, '1980-01-02', `taro.${a}@example.jp`, bcryptHash, '1', '0']);
  assert.deepEqual(row(b), ['He said "hi"', 'AB', b.slice(-6), '1980-01-02', null, argon, '0', '0']);
  assert.deepEqual(row(c), [null, '9999', c.slice(-6), '1975-07-15', `c${c}@example.jp`, null, '0', '0']);
  // The PHP hash logs in as it is (and is re-hashed to argon2id at that login).
  const login = await new Client().login({ login_id: a }, 'kosmo-php-2019');
  assert.equal(login.status, 303);
});

test('import-members is idempotent, and a password set on this system is not replaced by the file\'s hash', () => {
  const [a, b] = [newLoginId(), newLoginId()];
  const file = csvFile('again.csv', [
    'login_id,card_symbol,card_number,birth_date,email,display_name,password_hash,has_logged_in',
    `${a},1111,${a.slice(-6)},1980-01-02,a${a}@example.jp,A,${bcryptHash},1`,
    `${b},1111,${b.slice(-6)},1980-01-02,b${b}@example.jp,B,${bcryptHash},0`,
  ].join('\n') + '\n');
  assert.equal(admin(['import-members', file]).status, 0);
  const before = sql(`SELECT login_id, member_id, password_hash, last_login_at FROM members WHERE login_id IN (${q(a)}, ${q(b)}) ORDER BY login_id`);
  // Member b changes the password here (the change screen sets password_changed_at).
  sql(`UPDATE members SET password_hash = '$argon2id$v=19$m=19456,t=2,p=1$bmV3c2FsdG5ld3NhbHQ$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', password_changed_at = UTC_TIMESTAMP(6) WHERE login_id = ${q(b)}`);
  const second = admin(['import-members', file]);
  assert.equal(second.status, 0, second.stderr);
  const after = sql(`SELECT login_id, member_id, password_hash, last_login_at FROM members WHERE login_id IN (${q(a)}, ${q(b)}) ORDER BY login_id`);
  assert.deepEqual(after[0], before[0], 'a second import of the same file changes nothing');
  assert.equal(after[1][1], before[1][1], 'same member_id');
  assert.match(after[1][2], /^\$argon2id\$.*AAAA$/, 'the password set here stays');
  assert.equal(sqlValue(`SELECT COUNT(*) FROM members WHERE login_id IN (${q(a)}, ${q(b)})`), '2');
});

test('import-members reports bad rows by line and column, never their values, and imports nothing (65)', () => {
  const [good, bad1, dup] = [newLoginId(), newLoginId(), newLoginId()];
  const secretCard = '77441122';
  const file = csvFile('bad.csv', [
    'login_id,card_symbol,card_number,birth_date,email',
    `${good},1234,${secretCard},1980-01-02,g${good}@example.jp`,
    `${bad1},1234,${secretCard},1980-02-30,x${bad1}@example.jp`,
    `${dup},1234,1,1980-01-02,`,
    `${dup},1234,2,1980-01-02,`,
    `${newLoginId()},,3,1980-01-02,`,
    `${newLoginId()},1234,4,1980-01-02`,
    `"${newLoginId()}"x,1234,5,1980-01-02,`,
    'with space,1234,6,1980-01-02,',
  ].join('\n') + '\n');
  const r = admin(['import-members', file]);
  assert.equal(r.status, 65);
  assert.match(r.stderr, /line 3: birth_date: /);
  assert.match(r.stderr, /line 5: login_id: also on line 4/);
  assert.match(r.stderr, /line 6: card_symbol: /);
  assert.match(r.stderr, /line 7: row: 4 fields, the header has 5/);
  assert.match(r.stderr, /line 8: row: a quote in the middle of a field/);
  assert.match(r.stderr, /line 9: login_id: /);
  assert.match(r.stderr, /8 rows read, 2 good, 6 bad/);
  assert.match(r.stderr, /nothing imported/);
  assert.ok(!r.stderr.includes(secretCard), 'the report shows no card number');
  assert.ok(!r.stderr.includes('@example.jp'), 'the report shows no address');
  assert.equal(sqlValue(`SELECT COUNT(*) FROM members WHERE login_id IN (${q(good)}, ${q(dup)})`), '0');

  const dry = admin(['import-members', '--dry-run', file]);
  assert.equal(dry.status, 65);
  const skip = admin(['import-members', '--skip-invalid', file]);
  assert.equal(skip.status, 65, 'skipped rows still make the exit status 65');
  assert.match(skip.stdout, /imported 2 members .*\(bad rows skipped\)/);
  assert.equal(sqlValue(`SELECT COUNT(*) FROM members WHERE login_id IN (${q(good)}, ${q(dup)})`), '2');
});

test('import-members: a bad header, an unreadable file and --dry-run of a good file', () => {
  const unknown = admin(['import-members', csvFile('header.csv', 'login_id,card_symbol,card_number,birth_date,mail\n')]);
  assert.equal(unknown.status, 65);
  assert.match(unknown.stderr, /line 1: header: unknown column 'mail'/);
  const missing = admin(['import-members', csvFile('header2.csv', 'login_id,card_symbol,birth_date\n')]);
  assert.equal(missing.status, 65);
  assert.match(missing.stderr, /no column 'card_number'/);
  assert.equal(admin(['import-members', path.join(scratch, 'no-such.csv')]).status, 66);
  assert.equal(admin(['import-members']).status, 64);
  const id = newLoginId();
  const dry = admin(['import-members', '--dry-run', csvFile('dry.csv', `login_id,card_symbol,card_number,birth_date\n${id},1,2,1980-01-02\n`)]);
  assert.equal(dry.status, 0, dry.stderr);
  assert.equal(sqlValue(`SELECT COUNT(*) FROM members WHERE login_id = ${q(id)}`), '0');
});

test('member show: state, open sessions and recent events, without the password hash or the card number', async () => {
  const member = createMember({ card_number: '98765432' });
  const client = new Client();
  assert.equal((await client.login(member)).status, 303);
  const r = admin(['member', 'show', member.login_id]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, new RegExp(`^login_id: +${member.login_id}$`, 'm'));
  assert.match(r.stdout, new RegExp(`^member_id: +${member.member_id}$`, 'm'));
  assert.match(r.stdout, /^card: +\d+ \/ \*{6}32$/m);
  assert.match(r.stdout, /^password: +set \(argon2id\)$/m);
  assert.match(r.stdout, /^temporary_password: +no$/m);
  assert.match(r.stdout, /^disabled: +no$/m);
  assert.match(r.stdout, /^last_login: +\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/m);
  assert.match(r.stdout, /^open_sessions: +1$/m);
  assert.match(r.stdout, /^login_lock: +none/m);
  assert.match(r.stdout, / login_succeeded +ok +ip=/);
  assert.doesNotMatch(r.stdout, /\$argon2id|98765432/);
  assert.equal(admin(['member', 'show', '0000000000001']).status, 67);
});

test('member show: the newest events first, 10 unless --events N asks for more (issue 16)', () => {
  const member = createMember();
  const m = member.member_id;
  // Only these: 30 events a minute apart, inserted oldest last, so the
  // order shown is the time's, not the insertion's.
  sql(`DELETE FROM audit_events WHERE member_id = ${m}`);
  sql(`INSERT INTO audit_events (occurred_at, event, outcome, member_id)
       SELECT UTC_TIMESTAMP(6) - INTERVAL seq MINUTE, 'logout', CONCAT('n', seq), ${m} FROM seq_1_to_30`);
  const shown = (r) => [...r.stdout.matchAll(/^ {2}\S+ \S+ UTC {2}logout {2}(n\d+)$/gm)].map((x) => x[1]);
  const r = admin(['member', 'show', member.login_id]);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(shown(r), Array.from({ length: 10 }, (_, i) => `n${i + 1}`));
  const more = admin(['member', 'show', member.login_id, '--events', '25']);
  assert.equal(more.status, 0, more.stderr);
  assert.deepEqual(shown(more), Array.from({ length: 25 }, (_, i) => `n${i + 1}`));
  assert.match(more.stdout, /at most 25;/);
  for (const bad of ['0', '1001', 'x', '-1']) assert.equal(admin(['member', 'show', member.login_id, '--events', bad]).status, 64);
});

test('member show: a member imported with has_logged_in=1 shows no login on this system until one happens (issue 14)', async () => {
  const id = newLoginId();
  const imported = admin(['import-members', csvFile('logged-in-before.csv',
    `login_id,card_symbol,card_number,birth_date,password_hash,has_logged_in\n${id},1,2,1980-01-02,${bcryptHash},1\n`)]);
  assert.equal(imported.status, 0, imported.stderr);
  const r = admin(['member', 'show', id]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^last_login: +none on this system \(imported as logged in before, has_logged_in=1, \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\)$/m);
  assert.match(r.stdout, /^previous_login: +never$/m);
  // A login here: last_login becomes its time, and the import's mark moves to previous_login.
  assert.equal((await new Client().login({ login_id: id, password: 'kosmo-php-2019' })).status, 303);
  const after = admin(['member', 'show', id]).stdout;
  assert.match(after, /^last_login: +\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/m);
  assert.match(after, /^previous_login: +none on this system \(imported as logged in before/m);
});

// The tests take the limits and the subject keys from these two commands
// (tests/support/limits.js), so they must name exactly what the screens count.
test('D7: limits key names the rows the screens count, limits show the limits in force; neither prints a secret', async () => {
  const address = `127.${(process.pid % 200) + 20}.251.${(Date.now() % 250) + 1}`;
  const member = createMember();
  const client = new Client(undefined, { from: address });
  assert.equal((await client.login(member, 'wrong-password')).status, 200);
  const key = (...args) => {
    const r = admin(['limits', 'key', ...args]);
    assert.equal(r.status, 0, r.stderr);
    return r.stdout.trim();
  };
  const rowsOf = (table, scope, hex) => sqlValue(`SELECT COUNT(*) FROM ${table} WHERE scope = '${scope}' AND subject_hash = UNHEX(${q(hex)})`);
  const loginIdKey = key('--scope', 'login_id', '--subject', member.login_id);
  assert.match(loginIdKey, /^[0-9a-f]{64}$/);
  assert.equal(rowsOf('rate_limits', 'login_id', loginIdKey), '1', 'the failed login counted under the printed key');
  const loginIpKey = key('--scope', 'login_ip', '--subject', address);
  assert.equal(rowsOf('rate_limit_events', 'login_ip', loginIpKey), '1');
  assert.notEqual(key('--scope', 'identity_ip', '--subject', address), loginIpKey, 'the scope is part of the key');

  // The identity POST, typed with full-width digits (D10): --card normalises as the screen does.
  const fullWidth = (s) => s.replace(/[0-9]/g, (d) => String.fromCharCode(d.charCodeAt(0) + 0xFEE0));
  const identity = { card_symbol: fullWidth(member.card_symbol), card_number: member.card_number, birth_date: member.birth_date, email: member.email };
  assert.equal((await client.submit('/forgot-id', identity)).status, 303);
  const cardKey = key('--card', fullWidth(member.card_symbol), member.card_number);
  assert.equal(cardKey, key('--scope', 'identity_card', '--subject', `${member.card_symbol}\n${member.card_number}`));
  assert.equal(rowsOf('rate_limit_events', 'identity_card', cardKey), '1');
  assert.equal(rowsOf('rate_limit_events', 'identity_ip', key('--scope', 'identity_ip', '--subject', address)), '1');

  const show = admin(['limits', 'show']);
  assert.equal(show.status, 0, show.stderr);
  const shown = Object.fromEntries(show.stdout.trim().split('\n').map((l) => l.split(' = ')));
  assert.deepEqual(Object.keys(shown).sort(), ['limits.email_change.max', 'limits.email_change.window',
    'limits.identity_card.max', 'limits.identity_card.window', 'limits.identity_ip.max',
    'limits.identity_ip.window', 'limits.login_id.lockout', 'limits.login_id.lockout_max', 'limits.login_id.max_failures',
    'limits.login_id.window', 'limits.login_ip.max_failures', 'limits.login_ip.window']);
  const conf = readConf(path.join(env.KOSMO_VAR, 'etc/kosmo.conf'));
  for (const [name, value] of Object.entries(shown)) {
    assert.match(value, /^\d+$/, name);
    if (conf[name] !== undefined) assert.equal(value, conf[name], `${name} as the config sets it`);
  }
  assert.equal(shown['limits.identity_ip.max'], '100000', 'the stack config is read, not the default');

  const secrets = Object.values(readConf(path.join(env.KOSMO_VAR, 'etc/secrets.conf'))).filter((v) => v.length >= 16);
  assert.ok(secrets.length > 0, 'the secrets file has keys to look for');
  for (const out of [show.stdout, loginIdKey, loginIpKey, cardKey])
    for (const secret of secrets) assert.ok(!out.toLowerCase().includes(secret.toLowerCase()), 'a secret was printed');

  assert.equal(admin(['limits', 'key', '--scope', 'nowhere', '--subject', 'x']).status, 64);
  assert.equal(admin(['limits', 'key']).status, 64);
  assert.equal(admin(['limits', 'show', 'extra']).status, 64);
});

test('member unlock clears the login ID\'s failures and lockout: the member logs in again', async () => {
  const member = createMember();
  const hashes = () => new Set(sql("SELECT HEX(subject_hash) FROM rate_limits WHERE scope = 'login_id'").map((r) => r[0]));
  const before = hashes();
  assert.equal((await new Client().login(member, 'wrong-password')).status, 200);
  const mine = [...hashes()].filter((h) => !before.has(h));
  assert.equal(mine.length, 1, 'one counter row for this login ID');
  // Locked now (the test stack's limits are set far above what tests send).
  sql(`UPDATE rate_limits SET blocked_until = UTC_TIMESTAMP(6) + INTERVAL 1 HOUR WHERE scope = 'login_id' AND subject_hash = UNHEX(${q(mine[0])})`);
  const locked = await new Client().login(member);
  assert.equal(locked.status, 429, 'the right password is refused while locked');
  assert.match(locked.text, /ログインを一時的に制限しています/);
  assert.match(admin(['member', 'show', member.login_id]).stdout, /^login_lock: +locked until .* UTC \(1 failed logins/m);

  const r = admin(['member', 'unlock', member.login_id]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /unlocked: 1 login counter rows removed/);
  assert.equal(sqlValue(`SELECT COUNT(*) FROM rate_limits WHERE scope = 'login_id' AND subject_hash = UNHEX(${q(mine[0])})`), '0');
  assert.equal((await new Client().login(member)).status, 303);
  assert.equal(sqlValue(`SELECT COUNT(*) FROM audit_events WHERE member_id = ${member.member_id} AND event = 'admin_action' AND outcome = 'member_unlocked'`), '1');
  assert.equal(admin(['member', 'unlock', '0000000000001']).status, 67);
});

test('member disable ends the sessions and stops logins; enable lets the member in again', async () => {
  const member = createMember();
  const client = new Client();
  assert.equal((await client.login(member)).status, 303);
  assert.equal((await client.get('/mypage')).status, 200);
  const r = admin(['member', 'disable', member.login_id]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /disabled; its sessions are ended/);
  assert.equal(sqlValue(`SELECT COUNT(*) FROM sessions WHERE member_id = ${member.member_id} AND ended_at IS NULL`), '0');
  assert.notEqual((await client.get('/mypage')).status, 200, 'the open session is gone');
  assert.equal((await new Client().login(member)).status, 200, 'no login while disabled');
  assert.match(admin(['member', 'disable', member.login_id]).stdout, /was already disabled/);
  assert.equal(admin(['member', 'enable', member.login_id]).status, 0);
  assert.equal((await new Client().login(member)).status, 303);
  const outcomes = sql(`SELECT outcome FROM audit_events WHERE member_id = ${member.member_id} AND event = 'admin_action' ORDER BY audit_id`).map((row) => row[0]);
  assert.deepEqual(outcomes, ['member_disabled', 'member_enabled']);
});

// Outbox rows made by the test: failed or sent (the stack's mailer leaves
// them alone) or queued far in the future.
function outboxRow({ status, to = 'taro.yamada@example.jp', body = 'secret body with a temporary password', error = null, nextInHours = 0 }) {
  const id = sqlValue(`INSERT INTO mail_outbox (kind, member_id, to_address, subject, body, message_id, status, attempts, next_attempt_at, created_at, sent_at, last_error)
    VALUES ('password_changed', NULL, ${q(to)}, 'test subject', ${body === null ? 'NULL' : q(body)}, ${q(`<${Date.now()}.${Math.random()}@example.jp>`)}, ${q(status)}, 8,
            UTC_TIMESTAMP(6) + INTERVAL ${nextInHours} HOUR, UTC_TIMESTAMP(6), ${status === 'sent' ? 'UTC_TIMESTAMP(6)' : 'NULL'}, ${error === null ? 'NULL' : q(error)});
    SELECT LAST_INSERT_ID();`);
  return Number(id);
}

test('outbox list: a summary and the newest mails, addresses masked (also inside errors), never a body', () => {
  const failed = outboxRow({ status: 'failed', body: null, error: '550 5.1.1 <taro.yamada@example.jp>: Recipient address rejected' });
  const waiting = outboxRow({ status: 'queued', nextInHours: 5 });
  const r = admin(['outbox', 'list', '--limit', '500']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^outbox: .*queued=\d+ \(oldest .* UTC, \d+ s ago\)/);
  assert.match(r.stdout, new RegExp(`^${failed} +failed +password_changed +8 .* t\\*\\*\\*@example\\.jp +550 5\\.1\\.1 <t\\*\\*\\*@example\\.jp>: Recipient`, 'm'));
  assert.match(r.stdout, new RegExp(`^${waiting} +queued `, 'm'));
  assert.doesNotMatch(r.stdout, /taro\.yamada|secret body/);
  const onlyFailed = admin(['outbox', 'list', '--status', 'failed']);
  assert.doesNotMatch(onlyFailed.stdout, new RegExp(`^${waiting} `, 'm'));
  assert.match(onlyFailed.stdout, new RegExp(`^${failed} `, 'm'));
  assert.equal(admin(['outbox', 'list', '--status', 'lost']).status, 64);
});

test('outbox retry: a mail with its body goes out now; sent, wiped or unknown mails are refused', async () => {
  const address = `retry${Date.now()}@example.jp`;
  const retryable = outboxRow({ status: 'failed', to: address, body: 'retry body' });
  const r = admin(['outbox', 'retry', String(retryable)]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, new RegExp(`mail ${retryable} is queued and due now \\(it was failed\\)`));
  for (let i = 0; i < 100 && sqlValue(`SELECT status FROM mail_outbox WHERE mail_id = ${retryable}`) !== 'sent'; i += 1) await sleep(100);
  assert.equal(sqlValue(`SELECT status FROM mail_outbox WHERE mail_id = ${retryable}`), 'sent', 'the mailer sent it');
  assert.equal(sqlValue(`SELECT COUNT(*) FROM audit_events WHERE event = 'admin_action' AND outcome = 'outbox_retry' AND detail = 'mail_id=${retryable}'`), '1');

  const wiped = outboxRow({ status: 'failed', body: null });
  const refused = admin(['outbox', 'retry', String(wiped)]);
  assert.equal(refused.status, 65);
  assert.match(refused.stderr, /body was wiped/);
  assert.equal(admin(['outbox', 'retry', String(retryable)]).status, 65, 'already sent');
  assert.equal(admin(['outbox', 'retry', '999999999']).status, 67);
  assert.equal(admin(['outbox', 'retry', 'abc']).status, 64);

  const all = admin(['outbox', 'retry', '--failed']);
  assert.equal(all.status, 0);
  assert.match(all.stdout, /failed mails cannot be sent again: their bodies were wiped/);
  const later = outboxRow({ status: 'queued', to: address, body: 'later body', nextInHours: 5 });
  const queued = admin(['outbox', 'retry', '--queued']);
  assert.equal(queued.status, 0);
  assert.match(queued.stdout, /^[1-9]\d* waiting mails are queued and due now/);
  for (let i = 0; i < 100 && sqlValue(`SELECT status FROM mail_outbox WHERE mail_id = ${later}`) !== 'sent'; i += 1) await sleep(100);
  assert.equal(sqlValue(`SELECT status FROM mail_outbox WHERE mail_id = ${later}`), 'sent');
});

// Another session's transaction holding row locks, as a screen's does while
// it counts a login failure: `statement` runs in it; release() rolls it back.
async function holdLocks(statement) {
  const child = spawn('mariadb', [`--defaults-file=${path.join(env.KOSMO_VAR, 'mariadb/my.cnf')}`, '-N', '-B', '--unbuffered', 'kosmo'],
    { stdio: ['pipe', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (chunk) => { out += chunk; });
  child.stdin.write(`START TRANSACTION; ${statement}; SELECT 'locks-held';\n`);
  for (let i = 0; i < 100 && !out.includes('locks-held'); i += 1) await sleep(50);
  assert.ok(out.includes('locks-held'), 'the other session holds its locks');
  return () => new Promise((resolve) => {
    child.on('exit', resolve);
    child.stdin.end('ROLLBACK;\n');
  });
}

// "table: N deleted" (or "would be deleted") lines of a purge, as numbers.
function purgeCounts(stdout, verb) {
  return Object.fromEntries([...stdout.matchAll(new RegExp(`^(\\w+): (\\d+) ${verb} \\(`, 'gm'))].map((m) => [m[1], Number(m[2])]));
}

test('purge deletes what is past its retention and keeps the rest; --dry-run only counts, without a lock, what the purge then deletes', async () => {
  const member = createMember();
  const m = member.member_id;
  const hash = (tag) => `UNHEX(SHA2(${q(`${tag}${Date.now()}${Math.random()}`)}, 256))`;
  sql(`INSERT INTO sessions (session_hash, member_id, created_at, last_seen_at, ended_at, end_reason) VALUES
    (${hash('old-ended')}, ${m}, UTC_TIMESTAMP(6) - INTERVAL 9 DAY, UTC_TIMESTAMP(6) - INTERVAL 9 DAY, UTC_TIMESTAMP(6) - INTERVAL 8 DAY, 'logout'),
    (${hash('old-idle')}, ${m}, UTC_TIMESTAMP(6) - INTERVAL 9 DAY, UTC_TIMESTAMP(6) - INTERVAL 8 DAY, NULL, NULL),
    (${hash('recent')}, ${m}, UTC_TIMESTAMP(6) - INTERVAL 2 DAY, UTC_TIMESTAMP(6) - INTERVAL 2 DAY, UTC_TIMESTAMP(6) - INTERVAL 1 DAY, 'logout')`);
  sql(`INSERT INTO recovery_tokens (token_hash, member_id, created_at, expires_at) VALUES
    (${hash('old-token')}, ${m}, UTC_TIMESTAMP(6) - INTERVAL 9 DAY, UTC_TIMESTAMP(6) - INTERVAL 9 DAY + INTERVAL 1 HOUR),
    (${hash('new-token')}, ${m}, UTC_TIMESTAMP(6) - INTERVAL 1 DAY, UTC_TIMESTAMP(6) - INTERVAL 1 DAY + INTERVAL 1 HOUR)`);
  const oldToken = sqlValue(`SELECT MIN(token_id) FROM recovery_tokens WHERE member_id = ${m}`);
  sql(`INSERT INTO recovery_grants (grant_hash, member_id, token_id, created_at, expires_at) VALUES
    (${hash('old-grant')}, ${m}, ${oldToken}, UTC_TIMESTAMP(6) - INTERVAL 9 DAY, UTC_TIMESTAMP(6) - INTERVAL 9 DAY + INTERVAL 15 MINUTE)`);
  const oldMail = outboxRow({ status: 'sent', body: null });
  const newMail = outboxRow({ status: 'sent', body: null });
  const keptQueued = outboxRow({ status: 'queued', nextInHours: 5 });
  sql(`UPDATE mail_outbox SET sent_at = UTC_TIMESTAMP(6) - INTERVAL 31 DAY, created_at = UTC_TIMESTAMP(6) - INTERVAL 31 DAY,
       next_attempt_at = UTC_TIMESTAMP(6) - INTERVAL 31 DAY WHERE mail_id = ${oldMail}`);
  sql(`UPDATE mail_outbox SET created_at = UTC_TIMESTAMP(6) - INTERVAL 400 DAY WHERE mail_id = ${keptQueued}`);
  sql(`INSERT INTO audit_events (occurred_at, event, outcome, member_id, detail) VALUES
    (UTC_TIMESTAMP(6) - INTERVAL 400 DAY, 'logout', 'ok', ${m}, 'purge-test-old'),
    (UTC_TIMESTAMP(6) - INTERVAL 300 DAY, 'logout', 'ok', ${m}, 'purge-test-kept')`);
  const subject = (tag) => crypto.createHash('sha256').update(`${tag}${Date.now()}${Math.random()}`).digest('hex');
  const [oldWindow, blockedWindow, oldEvent, newEvent] = ['old-window', 'blocked', 'old-event', 'new-event'].map(subject);
  sql(`INSERT INTO rate_limits (scope, subject_hash, window_start, hits, blocked_until) VALUES
    ('login_id', UNHEX('${oldWindow}'), UTC_TIMESTAMP() - INTERVAL 30 DAY, 3, NULL),
    ('login_id', UNHEX('${blockedWindow}'), UTC_TIMESTAMP() - INTERVAL 30 DAY, 9, UTC_TIMESTAMP(6) + INTERVAL 1 HOUR)`);
  sql(`INSERT INTO rate_limit_events (scope, subject_hash, occurred_at) VALUES
    ('identity_ip', UNHEX('${oldEvent}'), UTC_TIMESTAMP(6) - INTERVAL 30 DAY),
    ('identity_ip', UNHEX('${newEvent}'), UTC_TIMESTAMP(6))`);
  const limitRows = `SELECT LOWER(HEX(subject_hash)) FROM rate_limits WHERE subject_hash IN (UNHEX('${oldWindow}'), UNHEX('${blockedWindow}'))
    UNION ALL SELECT LOWER(HEX(subject_hash)) FROM rate_limit_events WHERE subject_hash IN (UNHEX('${oldEvent}'), UNHEX('${newEvent}'))`;

  const counts = () => ({
    sessions: sqlValue(`SELECT COUNT(*) FROM sessions WHERE member_id = ${m}`),
    tokens: sqlValue(`SELECT COUNT(*) FROM recovery_tokens WHERE member_id = ${m}`),
    grants: sqlValue(`SELECT COUNT(*) FROM recovery_grants WHERE member_id = ${m}`),
    mails: sql(`SELECT mail_id FROM mail_outbox WHERE mail_id IN (${oldMail}, ${newMail}, ${keptQueued}) ORDER BY mail_id`).map((r) => Number(r[0])),
    audit: sql(`SELECT detail FROM audit_events WHERE member_id = ${m} AND detail LIKE 'purge-test-%' ORDER BY detail`).map((r) => r[0]),
    limits: sql(limitRows).map((r) => r[0]).sort(),
  });
  const before = counts();
  // The dry run reads only: with the expired limit rows locked by another
  // transaction it still answers at once (a DELETE would wait for the locks,
  // innodb_lock_wait_timeout: 50 s).
  const release = await holdLocks(`SELECT COUNT(*) FROM rate_limits WHERE subject_hash = UNHEX('${oldWindow}') FOR UPDATE;
    SELECT COUNT(*) FROM rate_limit_events WHERE subject_hash = UNHEX('${oldEvent}') FOR UPDATE`);
  let dry;
  try {
    dry = admin(['purge', '--dry-run'], '', 15000);
  } finally {
    await release();
  }
  assert.equal(dry.status, 0, `--dry-run waited for another transaction's locks: ${dry.stderr}`);
  assert.match(dry.stdout, /^sessions: [1-9]\d* would be deleted/m);
  assert.match(dry.stdout, /^rate_limits: [1-9]\d* would be deleted \(events and windows no limit reads any more\)$/m);
  assert.deepEqual(counts(), before, '--dry-run deletes nothing');

  const r = admin(['purge']);
  assert.equal(r.status, 0, r.stderr);
  const wouldGo = purgeCounts(dry.stdout, 'would be deleted');
  assert.equal(Object.keys(wouldGo).length, 8, dry.stdout);
  assert.deepEqual(purgeCounts(r.stdout, 'deleted'), wouldGo, 'the purge deletes what the dry run counted');
  for (const table of ['sessions', 'recovery_grants', 'recovery_tokens', 'mail_outbox', 'rate_limits', 'audit_events']) {
    assert.match(r.stdout, new RegExp(`^${table}: \\d+ deleted`, 'm'));
  }
  const after = counts();
  assert.equal(after.sessions, '1', 'the recent session stays');
  assert.equal(after.grants, '0');
  assert.equal(after.tokens, '1', 'the expired token is gone once its grant is, the recent one stays');
  assert.deepEqual(after.mails, [newMail, keptQueued], 'old sent mail gone; a queued mail is never deleted');
  assert.deepEqual(after.audit, ['purge-test-kept']);
  assert.deepEqual(after.limits, [blockedWindow, newEvent].sort(), 'old windows and events go; a running lockout stays');
  assert.match(sqlValue("SELECT detail FROM audit_events WHERE event = 'admin_action' AND outcome = 'purge' ORDER BY audit_id DESC LIMIT 1"), /^sessions=\d+ recovery_grants=\d+ /);
  assert.equal(admin(['purge', '--everything']).status, 64);
});

// A queued identity whose check failed is set aside (004: failed_at) with what
// was typed in it; purge drops it after purge.tokens_days like an expired
// token, and never a queued one (the check's own to delete). Before, set-aside
// rows stayed for ever.
test('purge deletes identities set aside more than purge.tokens_days ago and keeps recent ones', () => {
  const days = Number(readConf(path.join(env.KOSMO_VAR, 'etc/kosmo.conf'))['purge.tokens_days'] || 7);
  const tag = `psa-${process.pid}-${Date.now() % 1e9}`;  // http_request_id: 32 ASCII characters at most
  const row = (name, failedDaysAgo) => `('X${name.length}', '${name}', '1980-01-02', 'set-aside@example.jp', '127.0.0.1', NULL, ${q(`${tag}-${name}`)},
    UTC_TIMESTAMP(6) - INTERVAL ${failedDaysAgo} DAY, UTC_TIMESTAMP(6) - INTERVAL ${failedDaysAgo} DAY, 'errno=1366')`;
  sql(`INSERT INTO identity_requests (card_symbol, card_number, birth_date, email, ip, user_agent, http_request_id, created_at, failed_at, failure)
    VALUES ${row('old', days + 1)}, ${row('recent', days - 1)}`);
  const left = () => sql(`SELECT http_request_id FROM identity_requests WHERE http_request_id LIKE ${q(`${tag}-%`)} ORDER BY http_request_id`).map((r) => r[0]);
  try {
    assert.deepEqual(left(), [`${tag}-old`, `${tag}-recent`]);
    const dry = admin(['purge', '--dry-run']);
    assert.equal(dry.status, 0, dry.stderr);
    assert.match(dry.stdout, /^identity_requests: [1-9]\d* would be deleted/m);
    assert.deepEqual(left(), [`${tag}-old`, `${tag}-recent`], '--dry-run deletes nothing');
    const r = admin(['purge']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^identity_requests: [1-9]\d* deleted/m);
    assert.deepEqual(left(), [`${tag}-recent`], 'the old set-aside row is gone, the recent one waits for the operator');
    assert.match(sqlValue("SELECT detail FROM audit_events WHERE event = 'admin_action' AND outcome = 'purge' ORDER BY audit_id DESC LIMIT 1"), / identity_requests=[1-9]\d* /);
  } finally {
    // A set-aside row counts in kosmo_identity_checks_set_aside: leave none behind.
    sql(`DELETE FROM identity_requests WHERE http_request_id LIKE ${q(`${tag}-%`)}`);
  }
});

test('audit export --since writes JSON lines (UTC or with an offset), oldest first; bad times are refused', async () => {
  const member = createMember();
  const since = sqlValue("SELECT DATE_FORMAT(UTC_TIMESTAMP() - INTERVAL 1 SECOND, '%Y-%m-%dT%H:%i:%sZ')");
  assert.equal((await new Client().login(member, 'wrong-password')).status, 200);
  assert.equal((await new Client().login(member)).status, 303);
  const odd = 'quote " backslash \\ tab \t 日本語';
  sql(`INSERT INTO audit_events (occurred_at, event, outcome, member_id, detail) VALUES (UTC_TIMESTAMP(6), 'logout', 'ok', ${member.member_id}, ${q(odd)})`);
  const r = admin(['audit', 'export', '--since', since]);
  assert.equal(r.status, 0, r.stderr);
  const events = r.stdout.trim().split('\n').map((line) => JSON.parse(line));
  const mine = events.filter((e) => e.member_id === member.member_id);
  assert.deepEqual(mine.map((e) => e.event), ['login_failed', 'login_succeeded', 'logout']);
  assert.equal(mine[2].detail, odd, 'escaped and read back as written');
  for (const e of mine) {
    assert.deepEqual(Object.keys(e), ['audit_id', 'occurred_at', 'event', 'outcome', 'member_id', 'ip', 'user_agent', 'request_id', 'detail']);
    assert.match(e.occurred_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    assert.ok(e.occurred_at >= since.replace('Z', '.000000Z'));
  }
  const ids = events.map((e) => e.audit_id);
  assert.deepEqual(ids, [...ids].sort((x, y) => x - y));
  // The same instant written in Japan time gives the same events.
  const jst = new Date(new Date(since).getTime() + 9 * 3600 * 1000).toISOString().replace('.000Z', '+09:00');
  const sameInJst = admin(['audit', 'export', '--since', jst, '--until', '2100-01-01']);
  assert.equal(sameInJst.status, 0, sameInJst.stderr);
  const jstIds = sameInJst.stdout.trim().split('\n').map((l) => JSON.parse(l).audit_id);
  assert.deepEqual(jstIds.slice(0, ids.length), ids);
  const none = admin(['audit', 'export', '--since', '2000-01-01', '--until', '2000-01-02']);
  assert.equal(none.status, 0);
  assert.equal(none.stdout, '');
  assert.equal(admin(['audit', 'export', '--since', 'yesterday']).status, 65);
  assert.equal(admin(['audit', 'export', '--since', '2026-02-30']).status, 65);
  assert.equal(admin(['audit', 'export']).status, 64);
});
