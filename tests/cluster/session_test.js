// State lives in the database, so any web node serves any request (issue 8):
// a session made on one node works on the other and ends there for both; a
// D5 grant made on one node shows the ID and allows 「パスワード初期化」 once on
// the other.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { Client, createMember, waitForMails, tokenOf, sqlValue } = require('./harness');

test('a session created through web node 1 works through web node 2, and a logout there ends it everywhere', async () => {
  const member = createMember();
  const client = new Client('web1');
  const login = await client.login(member);
  assert.equal(login.status, 303);
  assert.equal(login.location, '/mypage');

  const page = await client.get('/mypage', { via: 'web2' });
  assert.equal(page.status, 200);
  assert.ok(page.text.includes(member.login_id), 'マイページ on web node 2 shows the member');

  const form = await client.get('/password', { via: 'web1' });
  assert.equal(form.status, 200);
  // A form rendered by web node 1 posts to web node 2: one CSRF key for the cluster.
  const token = page.text.match(/name="csrf" value="([^"]+)"/)[1];
  const logout = await client.post('/logout', { csrf: token }, { via: 'web2' });
  assert.equal(logout.status, 303);

  const replay = new Client('web1');
  replay.cookies.set('__Host-kosmo_session', login.headers['set-cookie'].find((c) => c.startsWith('__Host-kosmo_session=')).split(';')[0].split('=')[1]);
  const after = await replay.get('/mypage');
  assert.equal(after.status, 303, 'the session ended on web node 2 is dead on web node 1');
  assert.equal(after.location, '/login');
});

test('a D5 grant made on one web node shows the ID and allows one password initialisation on the other', async () => {
  const member = createMember();
  assert.equal((await new Client('web2').requestIdMail(member)).status, 303);
  const token = tokenOf((await waitForMails(member.email, 1))[0]);

  const browser = new Client('web1');
  const confirm = await browser.get(`/id-notice?t=${token}`);
  assert.equal(confirm.status, 200, 'GET never consumes the URL (D2)');
  const csrf = confirm.text.match(/name="csrf" value="([^"]+)"/)[1];
  const opened = await browser.post('/id-notice', { csrf, t: token });
  assert.equal(opened.status, 303);
  assert.equal(opened.location, '/id-notice');
  assert.ok(browser.cookies.has('__Host-kosmo_grant'));

  const shown = await browser.get('/id-notice', { via: 'web2' });
  assert.equal(shown.status, 200);
  assert.ok(shown.text.includes(member.login_id), 'web node 2 shows the ID under the grant from web node 1');

  // 「パスワード初期化」 opens its confirmation screen (a GET that claims
  // nothing), whose 「パスワードを初期化する」 POSTs.
  const warning = await browser.get('/password-reset', { via: 'web2' });
  assert.equal(warning.status, 200);
  const resetCsrf = warning.text.match(/action="\/password-reset">\s*<input type="hidden" name="csrf" value="([^"]+)"/)[1];
  const reset = await browser.post('/password-reset', { csrf: resetCsrf }, { via: 'web2' });
  assert.equal(reset.status, 303);
  assert.equal(reset.location, '/password-reset');
  const again = await browser.post('/password-reset', { csrf: resetCsrf }, { via: 'web1' });
  assert.equal(again.status, 403, 'the grant initialises once, whichever node gets the second press');
  assert.equal(sqlValue(`SELECT COUNT(*) FROM mail_outbox WHERE member_id = ${member.member_id} AND kind = 'temporary_password'`), '1');
});
