// GET /healthz for load balancers (issue 6): every screen program answers it,
// 200 "ok" while its database answers and 503 while it does not, and after a
// database restart it is 200 again without restarting anything. Through
// nginx (the login program stands for the node) and on each program's socket.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { env, Client, stack } = require('../support/harness');

const screens = ['login', 'password-change', 'mypage', 'forgot-id', 'id-notice', 'password-reset', 'email'];

// A FastCGI GET straight to a program's socket (cgi-fcgi, libfcgi-bin).
function fastcgi(sock, method, uri) {
  const r = spawnSync('cgi-fcgi', ['-bind', '-connect', sock], {
    env: { REQUEST_METHOD: method, DOCUMENT_URI: uri, SCRIPT_NAME: uri, QUERY_STRING: '', SERVER_PROTOCOL: 'HTTP/1.1', REMOTE_ADDR: '127.0.0.1' },
    encoding: 'utf8', timeout: 20000,
  });
  return r.stdout || '';
}

test('GET /healthz answers 200 "ok" as plain text, never cached; HEAD too; POST is 405', async () => {
  const client = new Client();
  const res = await client.get('/healthz');
  assert.equal(res.status, 200);
  assert.equal(res.text, 'ok\n');
  assert.match(res.headers.get('content-type'), /^text\/plain; charset=utf-8/);
  assert.equal(res.headers.get('cache-control'), 'no-store');
  assert.equal(res.headers.get('set-cookie'), null, 'no CSRF cookie, no session');
  assert.equal((await client.request('HEAD', '/healthz')).status, 200);
  const post = await client.post('/healthz', { a: '1' });
  assert.equal(post.status, 405);
});

test('every screen program answers /healthz on its own socket', () => {
  for (const name of screens) {
    const sock = path.join(env.KOSMO_VAR, 'run', `${name}.sock`);
    // Every screen is built: a missing socket is a program that did not start.
    assert.ok(fs.existsSync(sock), `kosmo-${name} has no socket ${sock}`);
    const out = fastcgi(sock, 'GET', '/healthz');
    assert.match(out, /^Status: 200 OK\r?\n/, `kosmo-${name}: ${out.slice(0, 200)}`);
    assert.match(out, /\r?\n\r?\nok\n$/, `kosmo-${name}`);
  }
});

test('while the database is down /healthz is 503, and 200 again after it is back', async () => {
  stack('db_stop');
  try {
    const down = await new Client().get('/healthz');
    assert.equal(down.status, 503);
    assert.equal(down.text, 'database unavailable\n');
  } finally {
    stack('db_start');
  }
  const up = await new Client().get('/healthz');
  assert.equal(up.status, 200, 'the stale connection is replaced at once');
});
