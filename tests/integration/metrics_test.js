// GET /metrics (issue 6): Prometheus text on loopback only, with requests and
// errors per screen, the latency histogram, the outbox depth and the age of
// its oldest mail, mails delivered and failed, lockouts.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const { Client, createMember, sql, sqlValue, admin, env, stack } = require('../support/harness');

async function metrics() {
  const res = await new Client().get('/metrics');
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /^text\/plain; version=0\.0\.4/);
  const values = new Map();
  for (const line of res.text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const m = line.match(/^(\S+) (\S+)$/);
    assert.ok(m, `not a Prometheus sample line: ${line}`);
    values.set(m[1], Number(m[2]));
  }
  return { text: res.text, values };
}

test('requests per screen and status class grow with the requests answered', async () => {
  const before = (await metrics()).values;
  const key = 'kosmo_requests_total{screen="login",code="2xx"}';
  const client = new Client();
  for (let i = 0; i < 3; i += 1) assert.equal((await client.get('/login')).status, 200);
  const after = (await metrics()).values;
  assert.equal(after.get(key) - (before.get(key) || 0), 3);
  const notFound = 'kosmo_requests_total{screen="mypage",code="4xx"}';
  await client.post('/logout', {});  // 403: no CSRF token
  assert.equal((await metrics()).values.get(notFound) - (after.get(notFound) || 0), 1);
});

test('the latency histogram is cumulative and its count matches the requests', async () => {
  const { values } = await metrics();
  const buckets = [...values].filter(([k]) => k.startsWith('kosmo_request_duration_seconds_bucket{screen="login"'));
  assert.equal(buckets.length, 11);
  for (let i = 1; i < buckets.length; i += 1) assert.ok(buckets[i][1] >= buckets[i - 1][1], 'buckets must not decrease');
  assert.equal(buckets[buckets.length - 1][0], 'kosmo_request_duration_seconds_bucket{screen="login",le="+Inf"}');
  const total = [1, 2, 3, 4, 5].reduce((sum, c) => sum + (values.get(`kosmo_requests_total{screen="login",code="${c}xx"}`) || 0), 0);
  // The metrics request itself is not a login request, so both were read at one moment.
  assert.equal(values.get('kosmo_request_duration_seconds_count{screen="login"}'), total);
});

test('5xx answers count as errors of their screen', async () => {
  const member = createMember();
  const client = new Client();
  const token = await client.csrf('/login');
  const before = (await metrics()).values.get('kosmo_request_errors_total{screen="login"}') || 0;
  sql('RENAME TABLE audit_events TO audit_events_away');
  try {
    // The right password: its audit row fails the login (D18; a wrong one keeps
    // its count and its page, audit_failure_test.js).
    assert.equal((await client.post('/login', { csrf: token, login_id: member.login_id, password: member.password })).status, 500);
  } finally {
    sql('RENAME TABLE audit_events_away TO audit_events');
  }
  assert.equal((await metrics()).values.get('kosmo_request_errors_total{screen="login"}'), before + 1);
});

test('the outbox depth and the age of its oldest mail show a stalled relay', async () => {
  stack('mailer_stop');
  try {
    sql(`INSERT INTO mail_outbox (kind, to_address, subject, body, message_id, status, attempts, next_attempt_at, created_at)
         VALUES ('password_changed', 'm@example.jp', 's', 'b', '<metrics-test@kosmoweb.jp>', 'queued', 0,
                 UTC_TIMESTAMP(6) + INTERVAL 1 HOUR, UTC_TIMESTAMP(6) - INTERVAL 120 SECOND)`);
    const { values } = await metrics();
    assert.ok(values.get('kosmo_outbox_waiting') >= 1);
    assert.ok(values.get('kosmo_outbox_oldest_waiting_seconds') >= 120);
  } finally {
    sql("DELETE FROM mail_outbox WHERE message_id = '<metrics-test@kosmoweb.jp>'");
    stack('mailer_start');
  }
});

test('delivered, failed and lockout counters follow the audit events', async () => {
  const before = (await metrics()).values;
  sql(`INSERT INTO audit_events (occurred_at, event, outcome) VALUES (UTC_TIMESTAMP(6), 'mail_sent', 'ok'),
       (UTC_TIMESTAMP(6), 'mail_failed', 'smtp_rejected'), (UTC_TIMESTAMP(6), 'login_locked', 'lockout_started')`);
  const after = (await metrics()).values;
  for (const name of ['kosmo_mails_delivered_total', 'kosmo_mails_failed_total', 'kosmo_login_lockouts_total'])
    assert.equal(after.get(name) - before.get(name), 1, name);
  assert.equal(after.get('kosmo_identity_checks_waiting'), 0);
});

// The index reads of the whole server (every InnoDB index entry read after the first).
const indexReads = () => Number(sql("SHOW GLOBAL STATUS LIKE 'Handler_read_next'")[0][1]);

test('issue 16: a scrape reads the last minutes of audit rows, not the whole trail, and the counters keep every event', async () => {
  const name = 'kosmo_mails_delivered_total';
  const before = (await metrics()).values.get(name);
  sql(`INSERT INTO audit_events (occurred_at, event, outcome, detail)
       SELECT UTC_TIMESTAMP(6), 'mail_sent', 'ok', 'metrics-scale-test' FROM seq_1_to_100000`);
  try {
    assert.equal((await metrics()).values.get(name) - before, 100000, 'rows of the last minutes are counted at once');
    // An hour passes: every stored time of the counter moves back by an
    // hour, its settled total's with them (sql/007).
    sql("UPDATE audit_events SET occurred_at = occurred_at - INTERVAL 1 HOUR WHERE event = 'mail_sent'");
    sql("UPDATE audit_event_totals SET counted_before = counted_before - INTERVAL 1 HOUR WHERE event = 'mail_sent'");
    assert.equal((await metrics()).values.get(name) - before, 100000, 'the settled total took the hour over');
    const reads = indexReads();
    assert.equal((await metrics()).values.get(name) - before, 100000);
    const read = indexReads() - reads;
    assert.ok(read < 10000, `one scrape read ${read} index entries (COUNT(*) over the trail reads every row)`);
    // The purge deletes audit rows past purge.audit_days; the counters keep
    // them (rows aged within the settled total stay counted there only).
    sql("UPDATE audit_events SET occurred_at = occurred_at - INTERVAL 400 DAY WHERE detail = 'metrics-scale-test'");
    const purge = admin(['purge']);
    assert.match(purge, /^audit_events: (\d{6,}) deleted/m);
    assert.equal(sqlValue("SELECT COUNT(*) FROM audit_events WHERE detail = 'metrics-scale-test'"), '0');
    assert.equal((await metrics()).values.get(name) - before, 100000, 'the purged events stay counted');
  } finally {
    sql("DELETE FROM audit_events WHERE detail = 'metrics-scale-test'");
  }
});

test('the metrics page answers loopback 127.0.0.1 only', () => {
  // curl from another loopback address: nginx's allow/deny must refuse it.
  const status = execFileSync('curl', ['-sk', '-o', '/dev/null', '-w', '%{http_code}', '--interface', '127.0.0.2',
    `https://127.0.0.1:${env.KOSMO_HTTPS_PORT}/metrics`], { encoding: 'utf8' });
  assert.equal(status, '403');
});
