// Apache 2.4 instead of nginx (issue 6): Debian's apache2 runs the shipped
// apache/kosmo-site.conf unchanged (only its Define'd paths and ports differ)
// on loopback ports, in front of the screen programs of the test stack's
// build, database and configuration. The login and forgot-ID smoke tests go
// through it, and the site's own rules are checked: HSTS, static files with a
// long lifetime, 404 elsewhere, HTTP -> HTTPS, TLS 1.2+, no token in its logs.
//
// Why the programs are started here and not taken from the stack: Apache
// refuses to run its workers as root, the stack's programs and sockets belong
// to the invoking user (root) under a checkout www-data may not be able to
// enter (/root/...). So the sockets and a copy of static/ sit in a folder of
// /tmp that www-data can traverse; ServerRoot, config, pid and logs are under
// the build folder (BUILD/ops/apache).
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const net = require('node:net');
const tls = require('node:tls');
const path = require('node:path');
const { spawn, execFileSync } = require('node:child_process');
const { env, repo, Client, createMember, sqlValue, sleep } = require('../support/harness');

const apache2 = '/usr/sbin/apache2';
const modules = '/usr/lib/apache2/modules';
const serverRoot = path.join(env.KOSMO_BUILD, 'ops', 'apache');
const logDir = path.join(serverRoot, 'logs');
// mypage also answers /logout.
const screens = ['login', 'mypage', 'forgot-id'];

let shared;  // /tmp folder: sockets and static files that www-data reaches
let httpsPort;
let httpPort;
let apachePid;
const programs = [];

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function alive(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^\S+ \(.*\) [ZXx] /.test(stat);
  } catch {
    return false;
  }
}

async function waitFor(what, check, timeoutMs = 15000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

async function stopPid(pid, signal = 'SIGTERM') {
  if (!pid || !alive(pid)) return;
  try { process.kill(pid, signal); } catch { return; }
  try {
    await waitFor(`pid ${pid} to exit`, () => !alive(pid), 10000);
  } catch {
    try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ }
  }
}

function httpdConf() {
  const stackTls = path.join(env.KOSMO_VAR, 'etc/tls');
  const load = (name, file) => `LoadModule ${name}_module ${modules}/mod_${file || name}.so`;
  return [
    '# Written by tests/integration/apache_test.js: a private Apache for one test run.',
    `ServerRoot "${serverRoot}"`,
    `PidFile "${serverRoot}/apache2.pid"`,
    `ErrorLog "${logDir}/error.log"`,
    'LogLevel warn',
    'ServerName 127.0.0.1',
    'ServerTokens Prod',
    'User www-data',
    'Group www-data',
    load('mpm_event'), load('authz_core'), load('mime'), load('alias'), load('headers'),
    load('proxy'), load('proxy_fcgi'), load('socache_shmcb'), load('ssl'),
    'TypesConfig /etc/mime.types',
    `SSLSessionCache "shmcb:${serverRoot}/ssl_scache(512000)"`,
    `Listen 127.0.0.1:${httpsPort}`,
    `Listen 127.0.0.1:${httpPort}`,
    `Define KOSMO_RUN_DIR ${shared}/run`,
    `Define KOSMO_STATIC_DIR ${shared}/static`,
    `Define KOSMO_TLS_CERT ${stackTls}/cert.pem`,
    `Define KOSMO_TLS_KEY ${stackTls}/key.pem`,
    `Define KOSMO_LOG_DIR ${logDir}`,
    `Define KOSMO_HTTPS_PORT ${httpsPort}`,
    `Define KOSMO_HTTP_PORT ${httpPort}`,
    `Define KOSMO_PUBLIC_ORIGIN https://127.0.0.1:${httpsPort}`,
    `Include "${path.join(repo, 'apache/kosmo-site.conf')}"`,
    '',
  ].join('\n');
}

test.before(async () => {
  assert.ok(fs.existsSync(apache2), `${apache2} is missing: scripts/test installs apache2`);
  fs.rmSync(serverRoot, { recursive: true, force: true });
  fs.mkdirSync(logDir, { recursive: true });
  shared = fs.mkdtempSync(path.join(os.tmpdir(), 'kosmo-apache-'));
  fs.chmodSync(shared, 0o711);
  fs.mkdirSync(path.join(shared, 'run'), { mode: 0o711 });
  fs.cpSync(path.join(repo, 'static'), path.join(shared, 'static'), { recursive: true });
  execFileSync('chmod', ['-R', 'a+rX', path.join(shared, 'static')]);

  const conf = path.join(env.KOSMO_VAR, 'etc/kosmo.conf');
  for (const name of screens) {
    const sock = path.join(shared, 'run', `${name}.sock`);
    const log = fs.openSync(path.join(logDir, `${name}.log`), 'a');
    // 0666: www-data connects to a socket of a root-owned program (the units
    // give group www-data 0660 instead).
    const child = spawn(path.join(env.KOSMO_BUILD, `kosmo-${name}`),
      ['--config', conf, '--listen', sock, '--socket-mode', '0666'],
      { detached: true, stdio: ['ignore', log, log] });
    child.unref();
    programs.push(child.pid);
    await waitFor(`kosmo-${name} to create ${sock}`, () => {
      if (!alive(child.pid)) throw new Error(`kosmo-${name} exited; see ${logDir}/${name}.log`);
      return fs.existsSync(sock);
    });
  }

  httpsPort = await freePort();
  httpPort = await freePort();
  const confFile = path.join(serverRoot, 'apache2.conf');
  fs.writeFileSync(confFile, httpdConf());
  try {
    execFileSync(apache2, ['-d', serverRoot, '-f', confFile, '-t'], { encoding: 'utf8', stdio: 'pipe' });
    execFileSync(apache2, ['-d', serverRoot, '-f', confFile, '-k', 'start'], { encoding: 'utf8', stdio: 'pipe' });
  } catch (e) {
    throw new Error(`apache2 refused ${confFile}:\n${e.stderr || e.message}`);
  }
  await waitFor('apache2 to write its pid file', () => fs.existsSync(path.join(serverRoot, 'apache2.pid')));
  apachePid = Number(fs.readFileSync(path.join(serverRoot, 'apache2.pid'), 'utf8').trim());
  await waitFor('apache2 to answer', async () => {
    try {
      return (await fetch(`https://127.0.0.1:${httpsPort}/static/kosmo.css`)).status === 200;
    } catch {
      return false;
    }
  });
});

test.after(async () => {
  await stopPid(apachePid);
  for (const pid of programs) await stopPid(pid);
  if (shared) fs.rmSync(shared, { recursive: true, force: true });
});

const viaApache = () => new Client(`https://127.0.0.1:${httpsPort}`);

test('login through Apache: form, POST with CSRF, 303 to /mypage, マイページ 200', async () => {
  const member = createMember();
  const client = viaApache();
  const form = await client.get('/login');
  assert.equal(form.status, 200);
  assert.match(form.text, /<label for="login_id">ログインID<\/label>/);
  assert.equal(form.headers.get('strict-transport-security'), 'max-age=63072000');
  assert.match(form.headers.get('content-security-policy') || '', /default-src 'self'/);
  const res = await client.login(member);
  assert.equal(res.status, 303);
  assert.equal(res.location, '/mypage');
  const mypage = await client.get('/mypage');
  assert.equal(mypage.status, 200);
  assert.match(mypage.text, new RegExp(member.login_id));
  assert.equal(sqlValue(`SELECT COUNT(*) FROM audit_events WHERE member_id = ${member.member_id} AND event = 'login_succeeded'`), '1');
});

test('forgot-ID through Apache: form 200, a valid identity answers 303 to /forgot-id/sent', async () => {
  const member = createMember();
  const client = viaApache();
  const form = await client.get('/forgot-id');
  assert.equal(form.status, 200);
  const res = await client.submit('/forgot-id', {
    card_symbol: member.card_symbol, card_number: member.card_number,
    birth_date: member.birth_date, email: member.email,
  });
  assert.equal(res.status, 303);
  assert.equal(res.location, '/forgot-id/sent');
  assert.equal((await client.get('/forgot-id/sent')).status, 200);
});

test('a query string does not change the route (the site passes DOCUMENT_URI, the path alone)', async () => {
  const res = await viaApache().get('/login?logged_out=1');
  assert.equal(res.status, 200);
  assert.match(res.text, /<label for="login_id">/);
});

test('Apache serves static files for a week, /healthz, / with 303 to /login and anything else with a Japanese 404', async () => {
  const client = viaApache();
  const css = await client.get('/static/kosmo.css');
  assert.equal(css.status, 200);
  assert.equal(css.headers.get('cache-control'), 'public, max-age=604800');
  assert.equal(css.headers.get('x-content-type-options'), 'nosniff');
  assert.match(css.headers.get('content-type'), /^text\/css; charset=utf-8/);
  const root = await client.get('/');
  assert.equal(root.status, 303);
  assert.match(root.location, /\/login$/);
  for (const p of ['/nothing', '/static/', '/login/x', '/loginx', '/kosmo.css']) {
    const res = await client.get(p);
    assert.equal(res.status, 404, p);
    assert.match(res.text, /lang="ja"/, `${p}: the Japanese page of static/`);
  }
  const health = await client.get('/healthz');
  assert.equal(health.status, 200);
  assert.equal(health.text, 'ok\n');
  // A program that is not there: Apache's 503 with the Japanese page, not cached.
  const down = await client.get('/password-reset');
  assert.equal(down.status, 503);
  assert.match(down.text, /ただいまサービスを利用できません/);
  assert.equal(down.headers.get('cache-control'), null);
});

test('plain HTTP only redirects to the HTTPS origin', async () => {
  const res = await fetch(`http://127.0.0.1:${httpPort}/login`, { redirect: 'manual' });
  assert.equal(res.status, 301);
  assert.equal(res.headers.get('location'), `https://127.0.0.1:${httpsPort}/login`);
});

test('TLS below 1.2 is refused (Mozilla intermediate)', async () => {
  const outcome = await new Promise((resolve) => {
    const socket = tls.connect({ host: '127.0.0.1', port: httpsPort, maxVersion: 'TLSv1.1', minVersion: 'TLSv1', rejectUnauthorized: false },
      () => { socket.end(); resolve('connected'); });
    socket.on('error', (e) => resolve(e.code || e.message));
  });
  assert.notEqual(outcome, 'connected');
});

test('the ID-notice token never reaches Apache\'s logs (D12)', async () => {
  const secret = 'ApacheLogProbe_' + 'x'.repeat(28);
  const client = viaApache();
  await client.get(`/id-notice?t=${secret}`);
  await client.get(`/login?t=${secret}`);
  await sleep(200);  // access log lines are written after the response
  const access = fs.readFileSync(path.join(logDir, 'kosmo-access.log'), 'utf8');
  assert.match(access, /"GET \/id-notice HTTP\/1\.1" /);
  for (const file of fs.readdirSync(logDir)) {
    const text = fs.readFileSync(path.join(logDir, file), 'latin1');
    assert.ok(!text.includes(secret), `the token is in ${file}`);
  }
});
