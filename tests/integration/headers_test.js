// Issue 5 item 4 (D12, ASVS V3.4, V14.4): every answer of every route, the
// programs' pages, redirects and error pages (400/403/404/405/413/415) and
// nginx's own (the / redirect, unknown paths, a body over nginx's limit),
// carries the strict CSP, HSTS, nosniff, no-referrer and no-store, and every
// cookie has __Host-, Secure, HttpOnly, SameSite=Lax and Path=/.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { Client, createMember } = require('../support/harness');

const REQUIRED_CSP = { 'default-src': "'self'", 'frame-ancestors': "'none'", 'form-action': "'self'", 'base-uri': "'none'" };

function checkCsp(value, where) {
  assert.ok(value, `${where}: no Content-Security-Policy`);
  const directives = value.split(';').map((d) => d.trim()).filter(Boolean).map((d) => {
    const [name, ...sources] = d.split(/\s+/);
    return [name.toLowerCase(), sources.join(' ')];
  });
  const names = directives.map(([n]) => n);
  assert.equal(new Set(names).size, names.length, `${where}: a directive twice (two CSP headers?): ${value}`);
  for (const [name, sources] of Object.entries(REQUIRED_CSP))
    assert.equal(directives.find(([n]) => n === name)?.[1], sources, `${where}: ${name} in ${value}`);
  // Anything we add may only restrict further.
  for (const [name, sources] of directives)
    if (!(name in REQUIRED_CSP)) assert.match(sources, /^'(none|self)'$/, `${where}: ${name} ${sources} weakens the policy`);
  assert.doesNotMatch(value, /unsafe-|\*|data:|blob:|https?:/, `${where}: ${value}`);
}

function checkCookies(res, where) {
  for (const cookie of res.headers.getSetCookie()) {
    assert.match(cookie, /^__Host-[A-Za-z0-9_-]+=[A-Za-z0-9_-]*; Path=\/; Secure; HttpOnly; SameSite=Lax(; Max-Age=\d+)?$/, `${where}: ${cookie}`);
    assert.doesNotMatch(cookie, /Domain=/i, `${where}: ${cookie}`);
  }
}

// Everything a page (or a redirect, or an error page) must carry.
function checkPage(res, where) {
  checkCsp(res.headers.get('content-security-policy'), where);
  assert.match(res.headers.get('strict-transport-security') || '', /^max-age=(\d+)/, `${where}: HSTS`);
  assert.ok(Number(res.headers.get('strict-transport-security').match(/max-age=(\d+)/)[1]) >= 31536000, `${where}: HSTS max-age`);
  assert.equal(res.headers.get('x-content-type-options'), 'nosniff', `${where}: nosniff`);
  assert.equal(res.headers.get('referrer-policy'), 'no-referrer', `${where}: Referrer-Policy`);
  assert.match(res.headers.get('cache-control') || '', /(^|,\s*)no-store(,|$)/, `${where}: Cache-Control`);
  checkCookies(res, where);
  if (res.status >= 400) assert.match(res.text, /<html lang="ja"/, `${where}: the error page is the Japanese one`);
}

async function expectPage(promise, status, where) {
  const res = await promise;
  assert.equal(res.status, status, `${where}: status`);
  checkPage(res, where);
  return res;
}

async function loggedIn() {
  const member = createMember();
  const client = new Client();
  assert.equal((await client.login(member)).status, 303);
  return { member, client };
}

test('login, its errors and the method, type, size and CSRF refusals carry every header', async () => {
  const member = createMember();
  const c = new Client();
  await expectPage(c.get('/login'), 200, 'GET /login');
  await expectPage(c.request('HEAD', '/login'), 200, 'HEAD /login');
  await expectPage(c.submit('/login', { login_id: '', password: '' }), 200, 'POST /login (empty fields)');
  await expectPage(c.submit('/login', { login_id: member.login_id, password: 'wrong' }), 200, 'POST /login (wrong password)');
  await expectPage(c.post('/login', { login_id: member.login_id, password: member.password }), 403, 'POST /login (no CSRF)');
  const token = await c.csrf('/login');
  await expectPage(c.request('POST', '/login', { body: `csrf=${token}`, headers: { 'content-type': 'text/plain' } }), 415, 'POST /login (text/plain)');
  await expectPage(c.request('POST', '/login', { body: `csrf=${token}&login_id=%zz`, headers: { 'content-type': 'application/x-www-form-urlencoded' } }), 400, 'POST /login (bad encoding)');
  await expectPage(c.post('/login', { csrf: token, login_id: 'x'.repeat(9000) }), 413, 'POST /login (over max_body_bytes)');
  await expectPage(c.post('/login', { csrf: token, login_id: 'x'.repeat(20000) }), 413, 'POST /login (over nginx client_max_body_size)');
  await expectPage(c.post('/login', { csrf: token, login_id: 'x'.repeat(300), password: 'p' }), 400, 'POST /login (field too long)');
  const put = await expectPage(c.request('PUT', '/login', { body: 'a=1' }), 405, 'PUT /login');
  assert.equal(put.headers.get('allow'), 'GET, HEAD, POST');
  await expectPage(c.request('DELETE', '/mypage'), 405, 'DELETE /mypage');
  await expectPage(c.get('/logout'), 405, 'GET /logout');
  await expectPage(c.get('/no-such-page'), 404, 'GET /no-such-page (nginx)');
  await expectPage(c.get('/login/extra'), 404, 'GET /login/extra (nginx)');
  await expectPage(c.get('/'), 303, 'GET / (nginx redirect)');
  const ok = await expectPage(new Client().login(member), 303, 'POST /login (success)');
  assert.match(ok.headers.getSetCookie().join('\n'), /__Host-kosmo_session=/);
});

test('the member pages, their forms and logout carry every header', async () => {
  const anonymous = new Client();
  await expectPage(anonymous.get('/mypage'), 303, 'GET /mypage (no session)');
  await expectPage(anonymous.get('/password'), 303, 'GET /password (no session)');
  const { member, client } = await loggedIn();
  await expectPage(client.get('/mypage'), 200, 'GET /mypage');
  await expectPage(client.get('/password'), 200, 'GET /password');
  await expectPage(client.submit('/password', { current_password: '', new_password: '', new_password_confirm: '' }), 200, 'POST /password (errors)');
  await expectPage(client.submit('/password', { current_password: member.password, new_password: 'a-brand-new-passphrase', new_password_confirm: 'a-brand-new-passphrase' }), 303, 'POST /password (changed)');
  await expectPage(client.post('/logout', {}), 403, 'POST /logout (no CSRF)');
  const out = await expectPage(client.submit('/mypage', {}, '/logout'), 303, 'POST /logout');
  assert.match(out.headers.getSetCookie().join('\n'), /__Host-kosmo_session=; Path=\/; Secure; HttpOnly; SameSite=Lax; Max-Age=0/);
});

test('the forgot-ID screens carry every header', async () => {
  const member = createMember();
  const c = new Client();
  await expectPage(c.get('/forgot-id'), 200, 'GET /forgot-id');
  await expectPage(c.submit('/forgot-id', { card_symbol: '', card_number: '', birth_date: '', email: '' }), 200, 'POST /forgot-id (format errors)');
  await expectPage(c.submit('/forgot-id', { card_symbol: member.card_symbol, card_number: member.card_number, birth_date: member.birth_date, email: member.email }), 303, 'POST /forgot-id');
  await expectPage(c.get('/forgot-id/sent'), 200, 'GET /forgot-id/sent');
  await expectPage(c.request('PUT', '/forgot-id/sent'), 405, 'PUT /forgot-id/sent');
  const invalid = await c.get(`/id-notice?t=${'A'.repeat(43)}`);
  assert.ok(invalid.status < 500, 'GET /id-notice (unknown token)');
  checkPage(invalid, 'GET /id-notice (unknown token)');
  const token = await c.csrf('/forgot-id');
  const posted = await c.post('/id-notice', { csrf: token, t: 'A'.repeat(43) });
  assert.ok(posted.status < 500);
  checkPage(posted, 'POST /id-notice (unknown token)');
  const reset = await c.post('/password-reset', { csrf: token });
  assert.ok(reset.status < 500);
  checkPage(reset, 'POST /password-reset (no grant)');
  const done = await c.get('/password-reset');
  assert.ok(done.status < 500);
  checkPage(done, 'GET /password-reset');
});

test('nginx\'s own pages for unavailable programs carry the same headers; static files are nosniff with HSTS', async () => {
  const c = new Client();
  await expectPage(c.get('/static/unavailable.html'), 200, 'GET /static/unavailable.html');
  await expectPage(c.get('/static/not-found.html'), 200, 'GET /static/not-found.html');
  const css = await c.get('/static/kosmo.css');
  assert.equal(css.status, 200);
  assert.equal(css.headers.get('x-content-type-options'), 'nosniff');
  assert.match(css.headers.get('strict-transport-security') || '', /max-age=\d{8}/);
  assert.match(css.headers.get('content-type'), /^text\/css/);
});
