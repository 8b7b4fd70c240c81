// kosmo-mailer (issue 3, D11): SMTP being down loses nothing and slows no
// screen; mails wait in the outbox with backoff and each arrives exactly once
// when the relay is back; delivered bodies are wiped. Issue 7: a mailer's
// delivery threads (mailer.threads) deliver a queue exactly once between
// them, and SIGTERM leaves nothing claimed and nothing sent twice.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { spawn } = require('node:child_process');
const { Client, createMember, env, stack, sql, sqlValue, q, waitForMail, mailFiles, parseMail, mailsTo, sleep } = require('../support/harness');

async function changePassword(member) {
  const client = new Client();
  assert.equal((await client.login(member)).status, 303);
  const started = Date.now();
  const res = await client.submit('/password', { current_password: member.password, new_password: `${member.password}-new`, new_password_confirm: `${member.password}-new` });
  assert.equal(res.status, 303);
  return Date.now() - started;
}

test('sink down -> mails wait with backoff -> sink up -> every mail arrives exactly once', async () => {
  const members = [createMember(), createMember(), createMember()];
  const ids = members.map((m) => m.member_id).join(',');
  stack('sink_stop');
  try {
    for (const member of members) {
      const ms = await changePassword(member);
      assert.ok(ms < 3000, `a screen must not wait for SMTP (took ${ms} ms)`);
    }
    // The mailer has tried and failed: the mails are queued for a later attempt.
    const deadline = Date.now() + 10000;
    while (Date.now() < deadline && sqlValue(`SELECT COUNT(*) FROM mail_outbox WHERE member_id IN (${ids}) AND attempts >= 1`) !== '3') await sleep(100);
    const rows = sql(`SELECT status, attempts, body IS NOT NULL, last_error IS NOT NULL FROM mail_outbox WHERE member_id IN (${ids})`);
    assert.equal(rows.length, 3);
    for (const [status, attempts, hasBody, hasError] of rows) {
      assert.ok(status === 'queued' || status === 'sending', status);
      assert.ok(Number(attempts) >= 1);
      assert.equal(hasBody, '1', 'nothing is lost while SMTP is down');
      assert.equal(hasError, '1');
    }
    for (const member of members) assert.equal(mailsTo(member.email).length, 0);
  } finally {
    stack('sink_start');
  }
  for (const member of members) await waitForMail(member.email, { timeoutMs: 20000 });
  await sleep(2500);  // longer than the test stack's backoff: a duplicate would have arrived by now
  for (const member of members) assert.equal(mailsTo(member.email).length, 1, member.email);
  assert.deepEqual(sql(`SELECT DISTINCT status FROM mail_outbox WHERE member_id IN (${ids})`), [['sent']]);
  assert.equal(sqlValue(`SELECT COUNT(*) FROM mail_outbox WHERE member_id IN (${ids}) AND body IS NOT NULL`), '0');
  assert.equal(sqlValue(`SELECT COUNT(*) FROM audit_events WHERE member_id IN (${ids}) AND event = 'mail_sent'`), '3');
});

// ---- several delivery threads (issue 7) ----

// Queues `count` mails whose Message-IDs start with `tag`, due now.
function queueMails(tag, count) {
  const rows = [];
  for (let i = 1; i <= count; i += 1) {
    rows.push(`('password_changed', NULL, ${q(`${tag}-${i}@example.jp`)}, 'threads test', ${q(`body ${i} of ${tag}`)}, ` +
      `${q(`<${tag}-${i}@kosmoweb.jp>`)}, 'queued', 0, UTC_TIMESTAMP(6), UTC_TIMESTAMP(6))`);
  }
  sql(`INSERT INTO mail_outbox (kind, member_id, to_address, subject, body, message_id, status, attempts, next_attempt_at, created_at)
    VALUES ${rows.join(',\n')}`);
}

// Message-ID -> how many .eml files in the sink carry it, for the mails of `tag`.
function sinkCounts(tag) {
  const counts = new Map();
  for (const file of mailFiles()) {
    const id = (parseMail(file).headers['message-id'] || '').replace(/^<|>$/g, '');
    if (id.startsWith(`${tag}-`)) counts.set(id, (counts.get(id) || 0) + 1);
  }
  return counts;
}

function statusCounts(tag) {
  return Object.fromEntries(sql(`SELECT status, COUNT(*) FROM mail_outbox WHERE message_id LIKE ${q(`<${tag}-%`)} GROUP BY status`)
    .map(([status, n]) => [status, Number(n)]));
}

// A kosmo-mailer of the test's own, on the stack's config plus `extra` lines,
// with the stack's mailer stopped so the queue is this one's alone.
function startMailer(name, extra) {
  const conf = path.join(env.KOSMO_VAR, 'etc', `${name}.conf`);
  fs.writeFileSync(conf, fs.readFileSync(path.join(env.KOSMO_VAR, 'etc', 'kosmo.conf'), 'utf8') + `\n${extra}\n`, { mode: 0o600 });
  const logFile = path.join(env.KOSMO_VAR, 'log', `${name}.log`);
  const log = fs.openSync(logFile, 'w');
  const child = spawn(path.join(env.KOSMO_BUILD, 'kosmo-mailer'), ['--config', conf], { stdio: ['ignore', 'ignore', log] });
  fs.closeSync(log);
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return { child, exited, logFile };
}

async function waitUntil(what, predicate, timeoutMs = 60000) {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await sleep(20);
  }
}

test('several delivery threads deliver every queued mail exactly once', async (t) => {
  const tag = `threads${Date.now()}`;
  const queued = 400;
  stack('mailer_stop');
  let mailer;
  try {
    queueMails(tag, queued);
    // Batches of 5 for 6 threads: the threads claim side by side all through the queue.
    mailer = startMailer('mailer-threads', 'mailer.threads = 6\nmailer.batch_size = 5');
    const claimers = new Set();
    await waitUntil('every mail sent', () => {
      for (const [claimer] of sql(`SELECT DISTINCT claimed_by FROM mail_outbox WHERE message_id LIKE ${q(`<${tag}-%`)} AND status = 'sending'`)) claimers.add(claimer);
      return (statusCounts(tag).sent || 0) === queued;
    });
    mailer.child.kill('SIGTERM');
    assert.deepEqual(await mailer.exited, { code: 0, signal: null });
    t.diagnostic(`claimers seen holding claims: ${[...claimers].sort().join(' ')}`);
    assert.ok(claimers.size > 1, `several threads held claims at once (saw ${[...claimers].join(' ')})`);
    assert.ok([...claimers].every((c) => /:\d+\/[1-6]$/.test(c)), 'claimed_by names host:pid/thread');

    await sleep(500);  // a double would be in the sink by now
    const counts = sinkCounts(tag);
    const doubles = [...counts].filter(([, n]) => n > 1);
    assert.deepEqual(doubles, [], 'no Message-ID twice in the sink');
    const outboxIds = sql(`SELECT message_id FROM mail_outbox WHERE message_id LIKE ${q(`<${tag}-%`)}`).map(([id]) => id.replace(/^<|>$/g, ''));
    assert.equal(outboxIds.length, queued);
    assert.deepEqual([...counts.keys()].sort(), outboxIds.sort(), 'the sink holds exactly the queued mails');
    assert.equal(sqlValue(`SELECT COUNT(*) FROM mail_outbox WHERE message_id LIKE ${q(`<${tag}-%`)} AND (body IS NOT NULL OR attempts <> 1)`), '0',
      'each sent once, at the first attempt, body wiped');
    const sentLines = fs.readFileSync(mailer.logFile, 'utf8').split('\n').filter((l) => l.includes('event=mail_sent'));
    assert.equal(sentLines.length, queued, 'one log line per mail');
    assert.ok(sentLines.every((l) => !l.includes('@')), 'no address in the log');
  } finally {
    if (mailer && mailer.child.exitCode === null) mailer.child.kill('SIGTERM');
    stack('mailer_start');
  }
});

test('SIGTERM during delivery by several threads leaves no mail claimed and none sent twice', async () => {
  const tag = `sigterm${Date.now()}`;
  const queued = 600;
  stack('mailer_stop');
  let mailer;
  try {
    queueMails(tag, queued);
    mailer = startMailer('mailer-sigterm', 'mailer.threads = 6\nmailer.batch_size = 20');
    await waitUntil('some mails sent', () => (statusCounts(tag).sent || 0) >= 60);
    mailer.child.kill('SIGTERM');
    assert.deepEqual(await mailer.exited, { code: 0, signal: null }, 'exit 0 after finishing the mails in flight');

    const afterStop = statusCounts(tag);
    assert.equal(afterStop.sending, undefined, 'no row left claimed: in-flight mails recorded, unsent claims released');
    assert.ok(afterStop.sent < queued, `stopped mid-queue (${JSON.stringify(afterStop)})`);
    assert.equal(afterStop.sent + (afterStop.queued || 0), queued);
    assert.equal(sqlValue(`SELECT COUNT(*) FROM mail_outbox WHERE message_id LIKE ${q(`<${tag}-%`)} AND status = 'queued' AND (attempts <> 0 OR claimed_by IS NOT NULL)`), '0',
      'a released claim does not count as an attempt');
    const log = fs.readFileSync(mailer.logFile, 'utf8');
    assert.match(log, /event=stopping signal=15/);
    assert.doesNotMatch(log, /event=(mail_unrecorded|mail_claim_lost|fault)/);
    await sleep(500);
    const counts = sinkCounts(tag);
    assert.deepEqual([...counts].filter(([, n]) => n > 1), [], 'no Message-ID twice in the sink');
    assert.equal(counts.size, afterStop.sent, 'the sink holds exactly the mails recorded as sent');
  } finally {
    if (mailer && mailer.child.exitCode === null) mailer.child.kill('SIGTERM');
    stack('mailer_start');
  }
  // The stack's mailer takes the rest: still once each.
  await waitUntil('the rest sent by the stack mailer', () => (statusCounts(tag).sent || 0) === queued, 120000);
  await sleep(500);
  const counts = sinkCounts(tag);
  assert.equal(counts.size, queued);
  assert.deepEqual([...counts].filter(([, n]) => n > 1), [], 'no Message-ID twice in the sink');
});
