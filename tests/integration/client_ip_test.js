// Issue 13 item 2 (D7, D8): behind an HTTP balancer listed in
// client_ip.trusted_proxies, a client that sends its own X-Forwarded-For line
// chose its address: nginx 1.22 passes each line of a repeated header as its
// own FastCGI parameter and the programs read the first, the client's, while
// the balancer (haproxy `option forwardfor`) adds a second. Now a request from
// a trusted proxy that carries the header more than once is refused (400),
// whichever line comes first, and counts and audits nothing; one line is
// believed as before; from any other address the header is ignored.
// kosmo-login runs here with a copy of the stack's config that trusts one
// loopback address, and the stack's own again afterwards.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { createMember, stack, sqlValue, q } = require('../support/harness');
const { hitsOf, freshAddress, ClientFrom } = require('../support/hardening');

const proxy = freshAddress();
const loginShell = `
  _kosmo_env
  _login_restart() {
    local pid
    if pid=$(_running "$_RUN/login.pid" "$_RUN/login.sock"); then
      kill -TERM "$pid"; _wait_gone 10 "$pid" || kill -KILL "$pid"; _wait_gone 5 "$pid"
    fi
    rm -f -- "$_RUN/login.pid" "$_RUN/login.sock"
    _spawn "$_RUN/login.pid" "$_LOG/login.log" "$KOSMO_BUILD/kosmo-login" --config "$1" --listen "$_RUN/login.sock"
    for i in $(seq 100); do [ -S "$_RUN/login.sock" ] && return 0; sleep 0.1; done
    _fail "kosmo-login made no socket" "$_LOG/login.log"
  }`;

test.before(() => {
  stack(`${loginShell}
    conf="$_ETC/kosmo-trusted-proxy.conf"
    grep -v '^[[:space:]]*client_ip\\.' "$_CONF" >"$conf.tmp" && echo "client_ip.trusted_proxies = ${proxy}" >>"$conf.tmp" && mv -f "$conf.tmp" "$conf"
    _login_restart "$conf"`);
});
test.after(() => stack(`${loginShell}
  _login_restart "$_CONF"`));

function failuresAudited(address) { return Number(sqlValue(`SELECT COUNT(*) FROM audit_events WHERE event = 'login_failed' AND ip = ${q(address)}`)); }
function fresh198() { return `198.51.100.${1 + Math.floor(Math.random() * 250)}`; }

async function failWith(from, xff) {
  const member = createMember();
  const client = new ClientFrom(from);
  const csrf = await client.csrf('/login');
  return client.request('POST', '/login', { form: { csrf, login_id: member.login_id, password: 'wrong' }, headers: { 'x-forwarded-for': xff } });
}

test('issue 13 item 2: from a trusted proxy, one X-Forwarded-For line is the client address (counted and audited under it)', async () => {
  const client = fresh198();
  const before = hitsOf('login_ip', client);
  const res = await failWith(proxy, `203.0.113.77, ${client}`);
  assert.equal(res.status, 200);
  assert.equal(hitsOf('login_ip', client), before + 1);
  assert.ok(failuresAudited(client) >= 1);
});

for (const order of ['client line first', 'proxy line first']) {
  test(`issue 13 item 2: from a trusted proxy, two X-Forwarded-For lines (${order}) are refused; nothing is counted or audited`, async () => {
    const forged = fresh198();
    const real = `192.0.2.${1 + Math.floor(Math.random() * 250)}`;
    const lines = order === 'client line first' ? [forged, real] : [real, forged];
    const counts = () => [hitsOf('login_ip', forged), hitsOf('login_ip', real), hitsOf('login_ip', proxy), failuresAudited(forged), failuresAudited(real)];
    const before = counts();
    const res = await failWith(proxy, lines);
    assert.equal(res.status, 400);
    assert.match(res.text, /<html lang="ja"/);
    assert.deepEqual(counts(), before);
  });
}

test('issue 13 item 2: from an address that is not a trusted proxy, repeated X-Forwarded-For lines are ignored, not refused', async () => {
  const address = freshAddress();
  const forged = fresh198();
  const res = await failWith(address, [forged, fresh198()]);
  assert.equal(res.status, 200);
  assert.equal(hitsOf('login_ip', address), 1);
  assert.equal(failuresAudited(forged), 0);
});
