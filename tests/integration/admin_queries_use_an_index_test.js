// Issue 16, item 5: every statement of kosmo-admin and kosmo-metrics reads
// the big tables through an index. The statements come from the programs
// themselves (`--list-sql` prints every SqlStatement linked into the
// binary), so a statement added to the code is explained here without
// editing this file, and one that loses its index (a full scan, or a sort
// of every row it reads) fails. EXPLAIN FORMAT=JSON runs in a scratch
// database with the stack's schema (CREATE TABLE ... LIKE) and enough rows
// that the optimizer chooses between an index and a scan as it would with a
// year of data; the stack's own tables are not touched.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { env, tableNames } = require('../support/harness');

const scratch = 'kosmo_explain';
const defaultsFile = path.join(env.KOSMO_VAR, 'mariadb/my.cnf');
// The tables that grow with the members and their traffic (issue 16).
const bigTables = ['members', 'audit_events', 'rate_limit_events', 'sessions', 'recovery_tokens', 'identity_requests',
  'mail_outbox'];
const seedRows = 20000;

function mariadb(database, query) {
  return execFileSync('mariadb', [`--defaults-file=${defaultsFile}`, '-N', '-B', '--raw', database, '-e', query],
    { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
}

// name -> text, from the binaries.
function statementsOf(program, args = []) {
  const out = execFileSync(path.join(env.KOSMO_BUILD, program), [...args, '--list-sql'], { encoding: 'utf8' });
  const statements = new Map();
  for (const line of out.split('\n').filter(Boolean)) {
    const tab = line.indexOf('\t');
    assert.ok(tab > 0, `${program} --list-sql: not "name<TAB>text": ${line}`);
    statements.set(line.slice(0, tab), line.slice(tab + 1));
  }
  assert.ok(statements.size > 0, `${program} --list-sql printed no statement`);
  return statements;
}

// Rows spread like real data over 30 days: audit events of few kinds and
// many members, mostly sent mails with a backlog of queued ones (a relay
// outage: /metrics is scraped most when the mail stalls), most sessions
// ended.
function seedScratch() {
  mariadb('kosmo', `DROP DATABASE IF EXISTS ${scratch}; CREATE DATABASE ${scratch}`);
  for (const table of tableNames()) mariadb(scratch, `CREATE TABLE ${table} LIKE kosmo.${table}`);
  const n = `seq_1_to_${seedRows}`;
  const at = () => `UTC_TIMESTAMP(6) - INTERVAL (seq * 7919 % ${30 * 86400}) SECOND`;
  mariadb(scratch, `
    INSERT INTO members (login_id, card_symbol, card_number, birth_date, email, password_hash, last_login_at, created_at, updated_at)
      SELECT CONCAT('9', LPAD(seq, 12, '0')), CONCAT('S', seq % 500), LPAD(seq, 8, '0'), '1980-01-01' + INTERVAL (seq % 9000) DAY,
             CONCAT('m', seq, '@example.jp'), 'x', ${at()}, ${at()}, ${at()} FROM ${n};
    INSERT INTO audit_events (occurred_at, event, outcome, member_id, ip, detail)
      SELECT ${at()}, ELT(1 + seq % 8, 'login_succeeded', 'login_failed', 'logout', 'identity_check', 'token_redeem',
             'mail_sent', 'mail_failed', 'login_locked'), ELT(1 + seq % 3, 'ok', 'no_match', 'lockout_started'),
             1 + seq % 4000, CONCAT('10.0.', seq % 250, '.1'), 'seed' FROM ${n};
    INSERT INTO rate_limit_events (scope, subject_hash, occurred_at)
      SELECT ELT(1 + seq % 3, 'identity_ip', 'identity_card', 'login_ip'), UNHEX(SHA2(seq % 5000, 256)), ${at()} FROM ${n};
    INSERT INTO rate_limits (scope, subject_hash, window_start, hits, blocked_until)
      SELECT 'login_id', UNHEX(SHA2(seq, 256)), UTC_TIMESTAMP() - INTERVAL seq MINUTE, 1, NULL FROM ${n};
    INSERT INTO sessions (session_hash, member_id, created_at, last_seen_at, ended_at, end_reason)
      SELECT UNHEX(SHA2(CONCAT('s', seq), 256)), 1 + seq % 4000, ${at()}, ${at()},
             IF(seq % 10 = 0, NULL, UTC_TIMESTAMP(6) - INTERVAL (seq % 100) HOUR), IF(seq % 10 = 0, NULL, 'logout') FROM ${n};
    INSERT INTO recovery_tokens (token_hash, member_id, created_at, expires_at)
      SELECT UNHEX(SHA2(CONCAT('t', seq), 256)), 1 + seq % 4000, ${at()}, ${at()} + INTERVAL 1 HOUR FROM ${n};
    INSERT INTO recovery_grants (grant_hash, member_id, token_id, created_at, expires_at)
      SELECT UNHEX(SHA2(CONCAT('g', seq), 256)), 1 + seq % 4000, seq, ${at()}, ${at()} + INTERVAL 15 MINUTE FROM seq_1_to_2000;
    INSERT INTO mail_outbox (kind, member_id, to_address, subject, body, message_id, status, attempts, next_attempt_at, created_at, sent_at)
      SELECT 'id_notice', 1 + seq % 4000, 'm@example.jp', 's', NULL, CONCAT('<', seq, '@kosmoweb.jp>'),
             ELT(1 + seq % 6, 'queued', 'sent', 'sent', 'sent', 'sent', IF(seq % 200 = 5, 'failed', 'sent')), 1,
             ${at()}, ${at()}, IF(seq % 6 = 0, NULL, ${at()}) FROM ${n};
    INSERT INTO identity_requests (card_symbol, card_number, birth_date, email, ip, created_at, failed_at, failure)
      SELECT 'S1', LPAD(seq, 8, '0'), '1980-01-01', 'm@example.jp', '10.0.0.1', ${at()},
             IF(seq % 1000 = 0, UTC_TIMESTAMP(6), NULL), IF(seq % 1000 = 0, 'errno=1366', NULL) FROM ${n};
    INSERT INTO audit_event_totals (event, outcome, n, counted_before)
      VALUES ('mail_sent', '', 0, UTC_TIMESTAMP(6)), ('mail_failed', '', 0, UTC_TIMESTAMP(6)),
             ('login_locked', 'lockout_started', 0, UTC_TIMESTAMP(6));
    ANALYZE TABLE ${bigTables.join(', ')}, recovery_grants, rate_limits;`);
}

// A plausible value for each "?", from the words before it: what the code
// binds there. Literals, not user variables: a literal converts to the
// column's character set as a bound parameter does (a utf8mb4 variable
// against an ascii column would defeat the index and fail falsely). Ages
// are 28 days in any unit, against rows spread over 30 days: a purge then
// selects the small part of a table that a daily purge finds (where most
// rows match, a scan is the optimizer's right choice, and no sign of a
// lost index).
function parameterValues(text) {
  const values = [];
  const parts = text.split('?');
  for (let i = 0; i < parts.length - 1; i += 1) {
    const before = parts[i].slice(-48);
    const after = parts[i + 1].slice(0, 12);
    const unit = /^\s*(DAY|HOUR|MINUTE|SECOND)\b/i.exec(after);
    if (/INTERVAL\s*$/i.test(before) && unit) {
      values.push(String({ DAY: 28, HOUR: 672, MINUTE: 40320, SECOND: 2419200 }[unit[1].toUpperCase()]));
    } else if (/(LIMIT|SET is_disabled =|is_disabled <>)\s*$/i.test(before)) values.push('10');
    else if (/_hash\s*(=|IN \()\s*$/i.test(before)) values.push("'subjectsubjectsubjectsubjectsubj'");
    else if (/((?<!login)_id|\bn = n \+)\s*(=|>|<|>=|<=)?\s*$/i.test(before)) values.push('1000');
    else if (/(_at|_before|_start)\s*(=|>|<|>=|<=)\s*$|COALESCE\(\s*$/i.test(before)) values.push('UTC_TIMESTAMP(6) - INTERVAL 1 DAY');
    else values.push("'login_failed'");
  }
  return values;
}

// Every table the plan reads, with how, and whether it sits under a sort.
function tablesIn(node, sorted = false, found = []) {
  if (Array.isArray(node)) {
    for (const child of node) tablesIn(child, sorted, found);
  } else if (node && typeof node === 'object') {
    if (typeof node.table_name === 'string' && typeof node.access_type === 'string') {
      found.push({ table: node.table_name, access: node.access_type, key: node.key, sorted });
    }
    for (const [key, child] of Object.entries(node)) tablesIn(child, sorted || key === 'filesort', found);
  }
  return found;
}

// Known full reads, each bounded by something other than an index, with the
// reason. Nothing else may read a big table in full.
const boundedOtherwise = new Map([
  ['admin.outbox_summary', 'counts every mail by status for `outbox list`: mail_outbox keeps purge.mail_days (30) of mails'],
  ['admin.outbox_list', '`outbox list --status S` sorts the mails of one status by id: mail_outbox keeps purge.mail_days of mails'],
  ['initial_passwords.never_logged_in', '`member issue-initial --never-logged-in` is a one-off batch for the letters that reads members once in key order; an index on last_login_at would cost every login a secondary-index write'],
]);

// Statements that read no table (a plain INSERT ... VALUES), or that run
// before the schema exists (migrate's own bookkeeping).
function needsNoPlan(text) {
  return /^CREATE /i.test(text) || (/^INSERT /i.test(text) && !/\bSELECT\b/i.test(text));
}

function explain(text) {
  const values = parameterValues(text);
  const using = values.length ? ` USING ${values.join(', ')}` : '';
  const quoted = `'${`EXPLAIN FORMAT=JSON ${text}`.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  return JSON.parse(mariadb(scratch, `PREPARE s FROM ${quoted}; EXECUTE s${using};`));
}

test('issue 16: every statement of kosmo-admin and kosmo-metrics reads the big tables by an index, unsorted', () => {
  const statements = new Map([...statementsOf('kosmo-admin'), ...statementsOf('kosmo-metrics')]);
  for (const name of ['admin.member_recent_audit', 'admin.audit_page', 'admin.purge_delete_Audit', 'audit_totals.count_between'])
    assert.ok(statements.has(name), `--list-sql lists ${name}`);
  seedScratch();
  const problems = [];
  let explained = 0;
  try {
    for (const [name, text] of statements) {
      if (needsNoPlan(text)) continue;
      let plan;
      try {
        plan = explain(text);
      } catch (e) {
        problems.push(`${name}: EXPLAIN failed: ${String(e.stderr || e.message).trim()}`);
        continue;
      }
      explained += 1;
      for (const t of tablesIn(plan)) {
        if (!bigTables.includes(t.table) || boundedOtherwise.has(name)) continue;
        if (t.access === 'ALL' || t.access === 'index') problems.push(`${name}: ${t.table} read in full (${t.access})`);
        else if (t.sorted) problems.push(`${name}: ${t.table} sorted row by row (filesort over ${t.key})`);
      }
    }
  } finally {
    mariadb('kosmo', `DROP DATABASE IF EXISTS ${scratch}`);
  }
  assert.ok(explained >= 20, `only ${explained} statements explained`);
  assert.deepEqual(problems, []);
});
