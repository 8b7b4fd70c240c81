// R7, D4 across nodes (issue 8): 50 browsers POST one ID-notice token at the
// same moment, half through web node 1 (database node 1), half through web
// node 2 (database node 2). Exactly one gets the ID screen (303 to the
// token-free /id-notice with a grant), every other one the invalid screen,
// and none a 500: the loser of a Galera certification conflict (1213 at
// COMMIT) is rerun as a whole transaction by run_screen, and the rerun sees
// the token used.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { Client, createMember, waitForMails, tokenOf, sql, logEvents, wsrepStatus } = require('./harness');

const kBrowsers = 50;
const kRounds = 3;

// Certification failures and brute-force aborts on all three nodes: each is a
// transaction Galera rolled back because another node's won.
function galeraConflicts() {
  let sum = 0;
  for (const node of [1, 2, 3]) {
    const status = wsrepStatus(node);
    sum += Number(status.wsrep_local_cert_failures) + Number(status.wsrep_local_bf_aborts);
  }
  return sum;
}

async function race(round) {
  const member = createMember();
  assert.equal((await new Client(round % 2 ? 'web2' : 'web1').requestIdMail(member)).status, 303);
  const token = tokenOf((await waitForMails(member.email, 1))[0]);

  // Every browser opens the mail link first (GET: reads only, D2) on the node
  // it will POST to; that also warms its TLS connection, so the POSTs leave together.
  const browsers = Array.from({ length: kBrowsers }, (_, i) => new Client(i % 2 ? 'web2' : 'web1'));
  const csrf = await Promise.all(browsers.map(async (b) => {
    const page = await b.get(`/id-notice?t=${token}`);
    assert.equal(page.status, 200, `the confirm page (${page.status})`);
    return page.text.match(/name="csrf" value="([^"]+)"/)[1];
  }));
  const answers = await Promise.all(browsers.map((b, i) => b.post('/id-notice', { csrf: csrf[i], t: token })));

  const byStatus = {};
  for (const a of answers) byStatus[a.status] = (byStatus[a.status] || 0) + 1;
  const winners = answers.filter((a) => a.status === 303);
  assert.equal(byStatus[500] || 0, 0, `no 500 (statuses: ${JSON.stringify(byStatus)})`);
  assert.equal(winners.length, 1, `exactly one ID screen (statuses: ${JSON.stringify(byStatus)})`);
  assert.equal(byStatus[410], kBrowsers - 1, `the rest get the invalid screen (statuses: ${JSON.stringify(byStatus)})`);
  assert.equal(winners[0].location, '/id-notice');
  for (const a of answers.filter((x) => x.status === 410)) assert.match(a.text, /id-notice|URL/);

  // The winner's grant works on the other web node at once (read-your-writes).
  const winner = browsers[answers.indexOf(winners[0])];
  const other = winner.via === 'web1' ? 'web2' : 'web1';
  const shown = await winner.get('/id-notice', { via: other });
  assert.equal(shown.status, 200);
  assert.ok(shown.text.includes(member.login_id));

  assert.deepEqual(sql(`SELECT COUNT(*), SUM(consumed_at IS NOT NULL) FROM recovery_tokens WHERE member_id = ${member.member_id}`), [['1', '1']]);
  assert.equal(sql(`SELECT COUNT(*) FROM recovery_grants WHERE member_id = ${member.member_id}`)[0][0], '1');
  return { byStatus, winnerVia: winner.via };
}

test(`${kRounds} rounds of ${kBrowsers} parallel POSTs of one token over both web nodes: one ID screen, no 500`, async (t) => {
  const retriesBefore = logEvents('id-notice', 'db_conflict_retry').length;
  for (let round = 1; round <= kRounds; round += 1) {
    const { byStatus, winnerVia } = await race(round);
    t.diagnostic(`round ${round}: ${JSON.stringify(byStatus)}, winner via ${winnerVia}`);
  }
  // Diagnostic: how often Galera made run_screen rerun a transaction.
  t.diagnostic(`certification/deadlock reruns logged by kosmo-id-notice: ${logEvents('id-notice', 'db_conflict_retry').length - retriesBefore}`);
});

// The first POST on each node decides the race above, so a round rarely makes
// the two nodes collide. Here 25 tokens are each POSTed through both web nodes
// at the same moment: the pairs do collide (certification failures at COMMIT,
// brute-force aborts of the local loser), and every collision must end as one
// ID screen and one invalid screen, never a 500.
test('25 tokens each POSTed through both web nodes at once: real Galera conflicts, one winner each, no 500', async (t) => {
  const kPairs = 25;
  let conflicts = 0;
  for (let round = 1; round <= 4 && conflicts === 0; round += 1) {
    const members = Array.from({ length: kPairs }, () => createMember());
    await Promise.all(members.map((m, i) => new Client(i % 2 ? 'web1' : 'web2', m.address).requestIdMail(m)));
    const tokens = await Promise.all(members.map(async (m) => tokenOf((await waitForMails(m.email, 1))[0])));
    const posts = tokens.flatMap((token) => [{ b: new Client('web1'), token }, { b: new Client('web2'), token }]);
    const csrf = await Promise.all(posts.map(async ({ b, token }) => {
      const page = await b.get(`/id-notice?t=${token}`);
      assert.equal(page.status, 200);
      return page.text.match(/name="csrf" value="([^"]+)"/)[1];
    }));
    const before = galeraConflicts();
    const answers = await Promise.all(posts.map(({ b, token }, i) => b.post('/id-notice', { csrf: csrf[i], t: token })));
    conflicts = galeraConflicts() - before;
    assert.equal(answers.filter((a) => a.status === 500).length, 0, 'no 500');
    for (let i = 0; i < answers.length; i += 2) {
      assert.deepEqual([answers[i].status, answers[i + 1].status].sort(), [303, 410], `token ${i / 2}: one ID screen, one invalid screen`);
    }
    for (const m of members)
      assert.equal(sql(`SELECT COUNT(*) FROM recovery_grants WHERE member_id = ${m.member_id}`)[0][0], '1');
    t.diagnostic(`round ${round}: ${conflicts} certification failures + brute-force aborts, ` +
      `${answers.filter((a, i) => a.status === 303 && i % 2).length} of ${kPairs} won through web node 2`);
  }
  assert.ok(conflicts > 0, 'the nodes never collided in 4 rounds: this test would prove nothing');
});
