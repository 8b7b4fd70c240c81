// Issue 5 item 2, D1: the identity POST answers the same whether a member
// matched, did not (unknown card, another address, never logged in, no
// address) or is over a limit (D7): the same status, Location, headers and
// body, and the same time. At least 200 requests of each kind go through
// nginx, interleaved in a random order; the medians may differ by at most
// 1 ms (matched against unmatched), and the sent pages only in their CSRF value.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { Client, createMember } = require('../support/harness');
const { limits, seedHits, removeSeeded, cardSubject } = require('../support/hardening');

test.after(() => removeSeeded());

const PER_KIND = 220;
const WARM_UP = 30;
const TOLERANCE_MS = 1;
const LIMITED_TOLERANCE_MS = 2;

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

// Everything about an answer except what differs on every answer anyway.
function shape(res) {
  const headers = [...res.headers.entries()].filter(([name]) => name !== 'date').map(([n, v]) => `${n}: ${v}`).sort();
  return JSON.stringify({ status: res.status, location: res.location, headers, body: res.text });
}

test('D1: matched, unmatched and limited identity POSTs get identical answers in the same time (D7 counted after the answer)', async (t) => {
  const eligible = createMember();
  const neverLoggedIn = createMember({ logged_in: false });
  const noEmail = createMember({ email: null });
  const limited = createMember();
  const fields = (m, overrides = {}) => ({ card_symbol: m.card_symbol, card_number: m.card_number, birth_date: m.birth_date, email: m.email || 'nobody@example.jp', ...overrides });
  let unknownCard = 0;
  const unmatched = [
    () => fields(eligible, { card_number: `9${String(unknownCard += 1).padStart(7, '0')}` }),  // no such card
    () => fields(eligible, { email: 'someone.else@example.jp' }),                            // another address
    () => fields(neverLoggedIn),                                                              // R1 (オ)
    () => fields(noEmail),                                                                    // R1 (カ)
  ];
  const kinds = {
    matched: () => fields(eligible),
    unmatched: (i) => unmatched[i % unmatched.length](),
    limited: () => fields(limited),
  };
  // The limited member's card is over its limit for the whole run.
  seedHits('identity_card', cardSubject(limited.card_symbol, limited.card_number), limits.identity_card.max + 1);

  const client = new Client();
  const token = await client.csrf('/forgot-id');
  // The answer alone is timed: the identity check runs after it (D1), and
  // its load falls on whichever request comes next, matched or not.
  const post = (form) => client.post('/forgot-id', { csrf: token, ...form }, { settle: false });
  for (let i = 0; i < WARM_UP; i += 1) await post(kinds[['matched', 'unmatched'][i % 2]](i));

  const order = [];
  for (let i = 0; i < PER_KIND; i += 1) {
    // Limited ones (same answer, time not compared: see below) every tenth round.
    const round = i % 10 === 0 ? ['matched', 'unmatched', 'limited'] : ['matched', 'unmatched'];
    for (let j = round.length - 1; j > 0; j -= 1) {  // shuffled within each round: interleaved, no fixed order
      const k = Math.floor(Math.random() * (j + 1));
      [round[j], round[k]] = [round[k], round[j]];
    }
    order.push(...round.map((kind) => [kind, i]));
  }
  const times = { matched: [], unmatched: [], limited: [] };
  const shapes = { matched: new Set(), unmatched: new Set(), limited: new Set() };
  for (const [kind, i] of order) {
    const form = kinds[kind](i);
    const started = process.hrtime.bigint();
    const res = await post(form);
    times[kind].push(Number(process.hrtime.bigint() - started) / 1e6);
    shapes[kind].add(shape(res));
  }

  // One and the same answer for all.
  for (const kind of Object.keys(shapes)) assert.equal(shapes[kind].size, 1, `${kind}: answers differ among themselves`);
  assert.equal([...shapes.unmatched][0], [...shapes.matched][0], 'unmatched answer differs from matched');
  assert.equal([...shapes.limited][0], [...shapes.matched][0], 'limited answer differs from matched');
  assert.equal(JSON.parse([...shapes.matched][0]).status, 303);

  const medians = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, median(v)]));
  t.diagnostic(`medians (ms) over ${PER_KIND} matched and unmatched, ${times.limited.length} limited: ${JSON.stringify(Object.fromEntries(Object.entries(medians).map(([k, v]) => [k, v.toFixed(3)])))}`);
  assert.ok(Math.abs(medians.matched - medians.unmatched) <= TOLERANCE_MS, `matched ${medians.matched} ms vs unmatched ${medians.unmatched} ms`);
  // Limited requests take the same time too: the D7 count runs in the check
  // after the answer. It reads up to limit + 1 events of the card, and the
  // test stack raises identity_card.max to 100000 (so the suite never trips
  // it), so here it reads 100001 rows, 40-56 ms when the answer counted; 22
  // samples and that difference make a looser bound enough.
  const others = median([...times.matched, ...times.unmatched]);
  assert.ok(Math.abs(medians.limited - others) <= LIMITED_TOLERANCE_MS, `limited ${medians.limited} ms vs others ${others} ms`);

  // The sent page each browser then sees differs only in the CSRF value.
  const pages = [];
  for (const kind of Object.keys(kinds)) {
    const c = new Client();
    const tok = await c.csrf('/forgot-id');
    const res = await c.post('/forgot-id', { csrf: tok, ...kinds[kind](1) });
    assert.equal(res.status, 303);
    const page = await c.get(res.location);
    pages.push(page.text.replace(/name="csrf" value="[^"]+"/g, 'name="csrf" value=""').replace(/お問い合わせ番号[^<]*/g, ''));
  }
  assert.equal(pages[1], pages[0]);
  assert.equal(pages[2], pages[0]);
});
