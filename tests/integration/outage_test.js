// Issue 14: a database outage. A program that starts while MariaDB is down
// starts anyway (only configuration and template errors stop a start),
// answers the Japanese 503 page and /healthz 503 at once, and serves again
// once MariaDB is back, without a restart; kosmo-forgot-id's check threads and
// kosmo-mailer start without it too. A running program answers within 2 s
// while MariaDB is away. The first requests after MariaDB returns are
// retried on a fresh connection and leave no error line (an error line asks an
// operator to act). Programs are started on their own sockets and driven with
// cgi-fcgi (libfcgi-bin), so their stderr is the test's.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const crypto = require('node:crypto');
const { spawn } = require('node:child_process');
const { env, stack, Client, createMember } = require('../support/harness');

const conf = path.join(env.KOSMO_VAR, 'etc/kosmo.conf');

function sleep(ms) { return new Promise((r) => setTimeout(r, ms)); }

// Sends one FastCGI request; resolves with its output and how long it took.
function fastcgi(socket, params, body = '') {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn('cgi-fcgi', ['-bind', '-connect', socket], {
      env: { QUERY_STRING: '', REMOTE_ADDR: '127.0.0.1', ...params, CONTENT_LENGTH: String(Buffer.byteLength(body)), PATH: process.env.PATH },
    });
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    child.on('close', () => resolve({ out, ms: Date.now() - started }));
    child.stdin.end(body);
  });
}
const get = (socket, uri) => fastcgi(socket, { REQUEST_METHOD: 'GET', DOCUMENT_URI: uri, SCRIPT_NAME: uri });

// A login POST with a valid CSRF pair (the key is the stack's).
function loginPost(socket, loginId, password) {
  const key = Buffer.from(fs.readFileSync(path.join(env.KOSMO_VAR, 'etc/secrets.conf'), 'utf8').match(/csrf_key = (\w+)/)[1], 'hex');
  const cookie = crypto.randomBytes(32).toString('base64url');
  const token = crypto.createHmac('sha256', key).update(`kosmo-csrf-v1:${cookie}`).digest('base64url');
  return fastcgi(socket, {
    REQUEST_METHOD: 'POST', DOCUMENT_URI: '/login', SCRIPT_NAME: '/login',
    CONTENT_TYPE: 'application/x-www-form-urlencoded', HTTP_COOKIE: `__Host-kosmo_csrf=${cookie}`,
  }, new URLSearchParams({ csrf: token, login_id: loginId, password }).toString());
}

// Starts a program; resolves once it logged event=started (or exited).
async function startProgram(name, args) {
  const program = spawn(path.join(env.KOSMO_BUILD, name), ['--config', conf, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  const run = { program, stderr: '', exitCode: null };
  program.stderr.on('data', (d) => { run.stderr += d; });
  run.exited = new Promise((resolve) => program.on('exit', (code) => { run.exitCode = code; resolve(code); }));
  for (let i = 0; i < 200 && run.exitCode === null && !run.stderr.includes('event=started'); i += 1) await sleep(50);
  return run;
}

async function until(what, fn, timeoutMs = 10000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const result = await fn();
    if (result) return result;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await sleep(100);
  }
}

test('issue 14: programs started while MariaDB is down answer 503 at once and serve once it is back, without a restart', async () => {
  const member = createMember();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kosmo-outage-'));
  const loginSock = path.join(dir, 'login.sock');
  const forgotSock = path.join(dir, 'forgot-id.sock');
  const runs = [];
  stack('db_stop');
  try {
    const login = await startProgram('kosmo-login', ['--listen', loginSock]);
    runs.push(login);
    const forgot = await startProgram('kosmo-forgot-id', ['--listen', forgotSock]);
    runs.push(forgot);
    const mailer = await startProgram('kosmo-mailer', []);
    runs.push(mailer);
    await sleep(300);
    for (const run of runs) assert.equal(run.exitCode, null, `exited during an outage:\n${run.stderr}`);
    assert.match(login.stderr, /level=warn .*event=db_unavailable_at_start/);
    assert.match(login.stderr, /event=started .*db=unavailable/);

    for (const sock of [loginSock, forgotSock]) {
      const health = await get(sock, '/healthz');
      assert.match(health.out, /^Status: 503 Service Unavailable\r?\n/, health.out.slice(0, 200));
      assert.match(health.out, /\r?\n\r?\ndatabase unavailable\n$/);
      assert.ok(health.ms < 2000, `/healthz took ${health.ms} ms`);
    }
    const page = await loginPost(loginSock, member.login_id, member.password);
    assert.match(page.out, /^Status: 503 /, page.out.slice(0, 200));
    assert.match(page.out, /lang="ja"/);
    assert.match(page.out, /お問い合わせ番号/);
    assert.ok(page.ms < 2000, `the 503 page took ${page.ms} ms`);
  } finally {
    stack('db_start');
  }
  try {
    await until('/healthz 200 after MariaDB is back', async () => /^Status: 200 OK/.test((await get(loginSock, '/healthz')).out));
    await until('/healthz 200 on kosmo-forgot-id', async () => /^Status: 200 OK/.test((await get(forgotSock, '/healthz')).out));
    const login = await loginPost(loginSock, member.login_id, member.password);
    assert.match(login.out, /^Status: 303 See Other/, login.out.slice(0, 300));
    assert.match(runs[0].stderr, /level=info .*event=db_back/);
    // The mailer connects too once the database is back.
    await until('the mailer connects', async () => /event=db_back/.test(runs[2].stderr));
    for (const run of runs) assert.equal(run.exitCode, null, run.stderr);
  } finally {
    for (const run of runs) run.program.kill('SIGTERM');
  }
  for (const run of runs) assert.equal(await run.exited, 0, run.stderr);
});

test('issue 14: a running program answers the 503 page and /healthz 503 within 2 s while MariaDB is away', async () => {
  const client = new Client();
  const token = await client.csrf('/login');
  stack('db_stop');
  try {
    for (let i = 0; i < 3; i += 1) {
      const started = Date.now();
      const health = await new Client().get('/healthz');
      assert.equal(health.status, 503);
      assert.equal(health.text, 'database unavailable\n');
      const page = await client.post('/login', { csrf: token, login_id: '0010000000000', password: 'whatever-it-is' });
      assert.equal(page.status, 503);
      assert.match(page.text, /lang="ja"/);
      assert.ok(Date.now() - started < 2000, `answered after ${Date.now() - started} ms`);
    }
  } finally {
    stack('db_start');
  }
  assert.equal((await new Client().get('/healthz')).status, 200);
});

test('issue 14: the first requests after MariaDB returns are retried without an error line', async () => {
  const member = createMember();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kosmo-outage-'));
  const sock = path.join(dir, 'login.sock');
  // Started with the database up: every worker's connection is open, and no
  // statement of the login POST has been prepared on it yet.
  const run = await startProgram('kosmo-login', ['--listen', sock]);
  try {
    assert.equal(run.exitCode, null, run.stderr);
    stack('db_stop && db_start');
    const before = run.stderr.length;
    // Enough requests, one after another, for every worker to meet its stale connection.
    for (let i = 0; i < 8; i += 1) {
      const answer = await loginPost(sock, member.login_id, member.password);
      assert.match(answer.out, /^Status: 303 See Other/, `request ${i}: ${answer.out.slice(0, 300)}\n${run.stderr}`);
    }
    const logged = run.stderr.slice(before);
    assert.match(logged, /level=warn .*event=db_retry /, 'the stale connections were met and retried');
    assert.doesNotMatch(logged, /level=error/, `a retried success is no error:\n${logged}`);
  } finally {
    run.program.kill('SIGTERM');
  }
  assert.equal(await run.exited, 0);
});
