// D16 with R7, D4 across nodes (issue 17): an address change requested on
// web node 1 is confirmed by its link pressed on web node 2, and 20 presses
// of one link at once, half through each web node (each on its own Galera
// node), set the address exactly once: one completion screen, every other
// one the invalid screen, never a 500 (a lost certification conflict is
// rerun by run_screen and then sees the link used).
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { Client, createMember, waitForMails, sql, sqlValue } = require('./harness');

function confirmTokenOf(mail) {
  const m = mail.body.match(/\/email\/confirm\?t=([A-Za-z0-9_-]{43})/);
  assert.ok(m, `no confirmation URL in the mail:\n${mail.body}`);
  return m[1];
}

// Logs the member in on web node 1 and asks there for a change to `address`.
async function requestOnNode1(member, address) {
  const browser = new Client('web1', member.address);
  assert.equal((await browser.login(member)).status, 303);
  const res = await browser.submit('/email', { new_email: address, new_email_confirm: address, current_password: member.password });
  assert.equal(res.status, 303, `the request answers 303 (got ${res.status})`);
  const mails = await waitForMails(address, 1);
  return confirmTokenOf(mails[0]);
}

function fresh(tag) { return `${tag}${Date.now() % 1e8}${Math.floor(Math.random() * 1e4)}@example.org`; }

test('D16: a change requested on web node 1 is confirmed by its link pressed on web node 2', async () => {
  const member = createMember();
  const address = fresh('cl');
  const token = await requestOnNode1(member, address);
  const phone = new Client('web2', member.address);
  const page = await phone.get(`/email/confirm?t=${token}`);
  assert.equal(page.status, 200, 'the link opens on the other node at once (causal reads)');
  const csrf = page.text.match(/name="csrf" value="([^"]+)"/)[1];
  const done = await phone.post('/email/confirm', { csrf, t: token });
  assert.equal(done.status, 200);
  assert.match(done.text, /メールアドレス変更完了/);
  assert.equal(sqlValue(`SELECT email FROM members WHERE member_id = ${member.member_id}`), address);
  assert.equal(sqlValue(`SELECT email_source FROM members WHERE member_id = ${member.member_id}`), 'member');
});

test('R7, D4, D16: 20 concurrent presses of one link over both web nodes set the address once, no 500', async (t) => {
  const kBrowsers = 20;
  const member = createMember();
  const address = fresh('cr');
  const token = await requestOnNode1(member, address);
  const browsers = Array.from({ length: kBrowsers }, (_, i) => new Client(i % 2 ? 'web2' : 'web1'));
  const csrf = await Promise.all(browsers.map(async (b) => {
    const page = await b.get(`/email/confirm?t=${token}`);  // reads only (D2); warms the connection
    assert.equal(page.status, 200);
    return page.text.match(/name="csrf" value="([^"]+)"/)[1];
  }));
  const answers = await Promise.all(browsers.map((b, i) => b.post('/email/confirm', { csrf: csrf[i], t: token })));
  const byStatus = {};
  for (const a of answers) byStatus[a.status] = (byStatus[a.status] || 0) + 1;
  t.diagnostic(`statuses: ${JSON.stringify(byStatus)}`);
  assert.equal(byStatus[500] || 0, 0);
  assert.equal(byStatus[200], 1, `exactly one completion (${JSON.stringify(byStatus)})`);
  assert.equal(byStatus[410], kBrowsers - 1);
  assert.deepEqual(sql(`SELECT COUNT(*), SUM(consumed_at IS NOT NULL) FROM email_changes WHERE member_id = ${member.member_id}`), [['1', '1']]);
  assert.equal(sqlValue(`SELECT COUNT(*) FROM audit_events WHERE member_id = ${member.member_id} AND event = 'email_change_confirm' AND outcome = 'confirmed'`), '1');
  assert.equal(sqlValue(`SELECT COUNT(*) FROM mail_outbox WHERE member_id = ${member.member_id} AND kind = 'email_changed'`), '2');
});
