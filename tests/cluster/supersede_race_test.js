// R8 across nodes (issue 8): two 本人確認 POSTs for one member reach the two
// web nodes (database nodes 1 and 2) at the same moment. Both mails go out,
// and afterwards the member has exactly one open token: the newer mail
// supersedes the older one whichever node issued which. The row lock a single
// server would rely on (SELECT ... FOR UPDATE) is local to a Galera node, so
// the two transactions must also conflict at certification.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { Client, createMember, waitForMails, tokenOf, sql } = require('./harness');

const kMembers = 25;
const kRounds = 2;

function openTokens(member) {
  return Number(sql(`SELECT COUNT(*) FROM recovery_tokens WHERE member_id = ${member.member_id}
    AND consumed_at IS NULL AND superseded_at IS NULL`)[0][0]);
}

// One round: kMembers members, each with one 本人確認 POST through web node 1
// and one through web node 2, all at once. A fifth of them already hold an
// open token (the supersede UPDATEs race), the rest none (only the INSERTs
// race: the case a node-local row lock does not serialise).
async function round(t, number) {
  const members = Array.from({ length: kMembers }, () => createMember());
  const preIssued = members.filter((_, i) => i % 5 === 0);
  await Promise.all(preIssued.map((m) => new Client('web1', m.address).requestIdMail(m)));
  await Promise.all(preIssued.map((m) => waitForMails(m.email, 1)));

  // Each member's two browsers share the member's address; members differ.
  const pairs = members.map((m) => [new Client('web1', m.address), new Client('web2', m.address)]);
  const csrf = await Promise.all(pairs.flat().map((c) => c.csrf('/forgot-id')));
  const answers = await Promise.all(members.flatMap((m, i) => pairs[i].map((c, j) => c.post('/forgot-id', {
    csrf: csrf[2 * i + j], card_symbol: m.card_symbol, card_number: m.card_number, birth_date: m.birth_date, email: m.email,
  }))));
  const statuses = answers.map((a) => a.status);
  assert.deepEqual(statuses, statuses.map(() => 303), `every POST answers the sent screen (${statuses})`);

  const open = members.map(openTokens);
  t.diagnostic(`round ${number}: open tokens per member ${open.join('')}`);
  assert.deepEqual(members.filter((m, i) => open[i] !== 1).map((m) => m.login_id), [], 'every member has exactly one open token');

  // Every mail of the race goes out; only the newest URL opens (R8), on either node.
  for (const [i, m] of members.entries()) {
    const mails = await waitForMails(m.email, preIssued.includes(m) ? 3 : 2);
    const usable = [];
    for (const mail of mails) {
      const page = await new Client(i % 2 ? 'web2' : 'web1').get(`/id-notice?t=${tokenOf(mail)}`);
      if (page.status === 200) usable.push(mail.file);
      else assert.equal(page.status, 410);
    }
    assert.equal(usable.length, 1, `${m.login_id}: one usable URL among ${mails.length} mails`);
  }
}

test(`${kRounds} rounds of ${kMembers} members with two identity POSTs on both web nodes at once: one open token each (R8)`, async (t) => {
  for (let number = 1; number <= kRounds; number += 1) await round(t, number);
});
