// D7, D8 behind an HTTP balancer (issue 13 item 2): haproxy's second frontend
// (tests/cluster/cluster.sh: mode http, option forwardfor) terminates TLS and
// adds an X-Forwarded-For line after any the client sent, and connects to the
// web nodes from LB_HTTP_SOURCE, their client_ip.trusted_proxies (the
// documented setup of an HTTP balancer, README "Scaling out"). nginx 1.22
// passes each line as its own FastCGI parameter; the programs read the first
// one, the client's, until a repeated header from a trusted proxy was refused
// (fcgi/lib/http/client_ip.cpp). Here, through the real balancer: one line
// (the balancer's) names the client; a forged line, before the client's true
// address or after it, gets 400, no cookie, and counts and audits nothing.
// The balancer always adds its line last, so "the forged value last" is the
// last of the lines the client sent.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { Client, createMember, sql, sqlValue, env, limitSubjectHashHex, readLog } = require('./harness');

const balancer = env.LB_HTTP_SOURCE;
const where = (scope, subject) => `scope = '${scope}' AND subject_hash = UNHEX('${limitSubjectHashHex(scope, subject)}')`;
// D7 counts of a subject: per-event rows plus window counters (the login ID).
function hits(scope, subject) {
  const w = where(scope, subject);
  return Number(sql(`SELECT (SELECT COUNT(*) FROM rate_limit_events WHERE ${w}) + (SELECT COALESCE(SUM(hits), 0) FROM rate_limits WHERE ${w})`)[0][0]);
}
const auditedFrom = (address) => Number(sqlValue(`SELECT COUNT(*) FROM audit_events WHERE ip = '${address}'`));
// The program's own refusal lines (client_ip_header_repeated), per web node.
const refusals = () => ['web1', 'web2'].map((web) => readLog(web, 'login').split('\n').filter((l) => l.includes(' event=client_ip_header_repeated ')).length);

// Distinct per run and per test: loopback sources the kernel accepts, and
// documentation addresses (RFC 5737) for the forged values.
const run = process.pid % 250;
let next = 0;
function realAddress() { next += 1; return `127.4.${run}.${next}`; }
function forgedAddress() { next += 1; return `198.51.100.${1 + ((run + next) % 250)}`; }

test('D7, D8 through the HTTP balancer: the one X-Forwarded-For line it adds names the client, who is counted and audited under their own address',
  async () => {
    const member = createMember();
    const from = realAddress();
    const marker = `xff-one-line-${process.pid}-${Date.now()}`;
    const before = { client: hits('login_ip', from), balancer: hits('login_ip', balancer), id: hits('login_id', member.login_id) };
    const res = await new Client('lbHttp', from).login(member, 'a wrong password', { headers: { 'user-agent': marker } });
    assert.equal(res.status, 200, `failed login through the HTTP balancer answered ${res.status} ${res.error || ''}`);
    assert.equal(hits('login_ip', from) - before.client, 1, 'the failure counts under the client\'s address');
    assert.equal(hits('login_ip', balancer) - before.balancer, 0, 'and not under the balancer\'s');
    assert.equal(hits('login_id', member.login_id) - before.id, 1, 'the login ID counts it too');
    const audited = sqlValue(`SELECT GROUP_CONCAT(DISTINCT ip) FROM audit_events WHERE event = 'login_failed' AND member_id = ${Number(member.member_id)}`);
    assert.equal(audited, from, 'the audit trail names the client');
    // It came through the HTTP frontend: nginx saw the balancer's address.
    const seen = ['web1', 'web2'].flatMap((web) => readLog(web, 'kosmo-access').split('\n').filter((l) => l.includes(marker)));
    assert.ok(seen.length >= 2 && seen.every((l) => l.startsWith(`${balancer} [`)), `nginx's view of the requests: ${seen.join('\n')}`);
  });

const attacks = [
  ['one forged line: the forged value first, the balancer\'s line last', (forged) => forged],
  ['two lines sent, the forged value first', (forged, real) => [forged, real]],
  ['two lines sent, the forged value last', (forged, real) => [real, forged]],
];
for (const [name, lines] of attacks) {
  test(`D7, D8 through the HTTP balancer (${name}): 400, no cookie, nothing counted or audited under any address`, async () => {
    const member = createMember();
    const from = realAddress();
    const forged = forgedAddress();
    const client = new Client('lbHttp', from);
    const csrf = await client.csrf('/login');
    const counts = () => ({
      forgedIp: hits('login_ip', forged), realIp: hits('login_ip', from), balancerIp: hits('login_ip', balancer),
      loginId: hits('login_id', member.login_id),
      auditForged: auditedFrom(forged), auditReal: auditedFrom(from),
      auditMember: Number(sqlValue(`SELECT COUNT(*) FROM audit_events WHERE member_id = ${Number(member.member_id)}`)),
    });
    const before = counts();
    const refusedBefore = refusals();
    // Twice: haproxy (mode http) balances each request round-robin, so the
    // two land on both web nodes.
    for (let i = 0; i < 2; i += 1) {
      const res = await client.request('POST', '/login', {
        form: { csrf, login_id: member.login_id, password: 'a wrong password' },
        headers: { 'x-forwarded-for': lines(forged, from) },
      });
      assert.equal(res.status, 400, `attempt ${i + 1} answered ${res.status} ${res.error || ''}`);
      assert.match(res.text, /<html lang="ja"/, 'the program\'s own page, not nginx\'s or haproxy\'s');
      assert.deepEqual(res.headers.getSetCookie(), [], 'no cookie on a refused request');
    }
    assert.deepEqual(counts(), before, 'nothing counted or audited');
    assert.deepEqual(refusals().map((n, i) => n - refusedBefore[i]), [1, 1], 'each web node refused one and logged it');
  });
}
