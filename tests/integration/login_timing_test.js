// Issue 13 item 6: login timing must not tell members imported with a PHP
// bcrypt hash ($2y$) apart from others. An unknown ID used to spend one
// argon2id dummy, an argon2id member one argon2id, and an imported member
// bcrypt time instead, so a guesser learnt which accounts still hold the old
// hash (and that they exist). Now every login spends one argon2id and one
// bcrypt computation (before, the kinds differed by the whole gap between
// the two). Interleaved tries through nginx, each with a wrong password; each
// round times the three kinds back to back, and the median of the per-round
// differences stays within 4 ms or 3 % of a login, whichever is more. Pairing
// within a round cancels the load drift of a shared 2-core machine, which
// moved plain medians by more; on a loaded machine a login takes 4x as long
// and its noise grows with it, and so does the gap the test looks for.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { createMember, sql, q } = require('../support/harness');
const { freshAddress, ClientFrom } = require('../support/hardening');

const ROUNDS = 60;   // 180 logins, about 20 s
const WARM_UP = 5;
const TOLERANCE_MS = 4;
const TOLERANCE_SHARE = 0.03;
// PHP manual's password_hash example ("rasmuslerdorf", cost 10, PHP's default).
const PHP_BCRYPT = '$2y$10$.vGA1O9wmRjrwAVXD98HNOgsNpDczlqm3Jq7KnEd1rVAGv3Fykk1a';

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
function shuffle(list) {
  for (let i = list.length - 1; i > 0; i -= 1) {
    const j = Math.floor(Math.random() * (i + 1));
    [list[i], list[j]] = [list[j], list[i]];
  }
  return list;
}

test('issue 13: an unknown ID, an argon2id member and a bcrypt-imported member answer a wrong password in the same time', async (t) => {
  const argon = createMember();
  const bcrypt = createMember();
  sql(`UPDATE members SET password_hash = ${q(PHP_BCRYPT)} WHERE member_id = ${bcrypt.member_id}`);
  const unknownId = `8${argon.login_id.slice(1)}`;
  const ids = { unknown: unknownId, argon2id: argon.login_id, bcrypt: bcrypt.login_id };
  const times = { unknown: [], argon2id: [], bcrypt: [] };
  const rounds = [];
  for (let round = 0; round < WARM_UP + ROUNDS; round += 1) {
    // Three POSTs per address stay inside nginx's POST burst.
    const client = new ClientFrom(freshAddress());
    const csrf = await client.csrf('/login');
    const round_times = {};
    for (const kind of shuffle(Object.keys(ids))) {
      const started = process.hrtime.bigint();
      const res = await client.post('/login', { csrf, login_id: ids[kind], password: `wrong-${round}` });
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      assert.equal(res.status, 200, `${kind}: status`);
      round_times[kind] = ms;
      if (round >= WARM_UP) times[kind].push(ms);
    }
    if (round >= WARM_UP) rounds.push(round_times);
  }
  const pairedMedian = (a, b) => median(rounds.map((r) => r[a] - r[b]));
  const medians = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, median(v)]));
  t.diagnostic(`medians (ms) over ${ROUNDS} each: ${JSON.stringify(Object.fromEntries(Object.entries(medians).map(([k, v]) => [k, v.toFixed(2)])))}`);
  const tolerance = Math.max(TOLERANCE_MS, TOLERANCE_SHARE * median(Object.values(times).flat()));
  for (const [a, b] of [['bcrypt', 'argon2id'], ['bcrypt', 'unknown'], ['argon2id', 'unknown']]) {
    const difference = pairedMedian(a, b);
    t.diagnostic(`median per-round ${a} - ${b}: ${difference.toFixed(2)} ms`);
    assert.ok(Math.abs(difference) <= tolerance, `${a} - ${b}: ${difference.toFixed(2)} ms per round, over ${tolerance.toFixed(2)} (medians ${medians[a].toFixed(2)} vs ${medians[b].toFixed(2)})`);
  }
  // The wrong passwords left the imported hash as it was (no rehash without a match).
  assert.equal(sql(`SELECT password_hash FROM members WHERE member_id = ${bcrypt.member_id}`)[0][0], PHP_BCRYPT);
});
