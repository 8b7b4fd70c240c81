// D7 behind a TCP load balancer: haproxy passes TLS through (mode tcp), so
// without more every connection reaches nginx from the balancer's address and
// the per-address limits would count all members as one. haproxy sends the
// PROXY protocol (send-proxy-v2) to each nginx's second listener, which
// takes the client's address from it, trusted from the balancer only
// (nginx/kosmo-site.conf.in, scripts/render-nginx PROXY_PROTOCOL_PORT/_FROM).
// Clients here connect from their own loopback addresses (127.0.0.x).
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const net = require('node:net');
const { Client, createMember, sqlValue, env, limitSubjectHashHex, readLog } = require('./harness');

const loginIpEvents = (address) => Number(sqlValue(`SELECT COUNT(*) FROM rate_limit_events WHERE scope = 'login_ip' AND subject_hash = UNHEX('${limitSubjectHashHex('login_ip', address)}')`));

test('D7 through the load balancer: each member counts under their own address, not the balancer\'s', async () => {
  // One member per address, two failures each (the cluster locks a login ID
  // at its third).
  const members = { '127.0.0.21': createMember(), '127.0.0.22': createMember() };
  const before = { a: loginIpEvents('127.0.0.21'), b: loginIpEvents('127.0.0.22'), lb: loginIpEvents('127.0.0.1') };
  // Four failed logins from two addresses: haproxy balances connections, so
  // they land on both web nodes.
  for (let i = 0; i < 2; i += 1) {
    for (const [from, member] of Object.entries(members)) {
      const res = await new Client('lb', from).login(member, 'a wrong password');
      assert.equal(res.status, 200, `failed login from ${from} answered ${res.status} ${res.error || ''}`);
    }
  }
  assert.equal(loginIpEvents('127.0.0.21') - before.a, 2, 'two failures counted for 127.0.0.21');
  assert.equal(loginIpEvents('127.0.0.22') - before.b, 2, 'two failures counted for 127.0.0.22');
  assert.equal(loginIpEvents('127.0.0.1') - before.lb, 0, 'none counted for the balancer');
  for (const [from, member] of Object.entries(members)) {
    const audited = sqlValue(`SELECT GROUP_CONCAT(DISTINCT ip) FROM audit_events WHERE event = 'login_failed' AND member_id = ${Number(member.member_id)}`);
    assert.equal(audited, from, 'the audit trail names the member\'s address');
  }
  const logged = ['web1', 'web2'].map((web) => readLog(web, 'kosmo-access')).join('');
  assert.match(logged, /^127\.0\.0\.21 \[/m, 'nginx logs the client, not the balancer');
});

test('the PROXY protocol listener refuses a connection without the PROXY header', async () => {
  // A client that reaches the balancer's port directly cannot speak for
  // another address: without a PROXY header nginx closes the connection.
  const closedWithoutAnswer = await new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port: Number(env.WEB1_PROXY_PORT) }, () => {
      socket.write('GET /login HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    });
    let answer = '';
    socket.on('data', (d) => { answer += d; });
    socket.on('close', () => resolve(!answer.startsWith('HTTP/')));
    socket.on('error', () => resolve(true));
    socket.setTimeout(5000, () => { socket.destroy(); resolve(false); });
  });
  assert.ok(closedWithoutAnswer, 'nginx answered a request that came without a PROXY header');
});
