// Faults (issue 8, deliverable 3). Under a bounded load of logins and
// マイページ views on both web nodes, database node 1 (the first host of web
// node 1 and of its mailer) gets SIGKILL: only steps in flight at that moment
// may fail, web node 1's programs fail over to the next host of db.hosts
// without a restart, every login the load saw committed is in the database,
// and node 1 rejoins by IST (--wsrep-recover, then --wsrep-start-position).
// Then web node 1's nginx gets SIGKILL: haproxy's health check takes it out
// and requests through the load balancer keep succeeding.
// Runs after every other cluster test (DEPENDS in CMakeLists.txt).
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { env, Client, createMember, sql, wsrepStatus, clusterAsync, boundedLoad, pidOf, readLog, rawRequest,
  lbServerStates, waitFor, sessionHashHex, sleep } = require('./harness');

const kConcurrency = 4;
const kMaxSteps = 400;
const kMaxSeconds = 30;
const kKillAfterMs = 3000;

// One step: a login (GET the form, POST it) and マイページ, on one web node.
async function loginStep(member, via) {
  const client = new Client(via);
  const csrf = await client.csrf('/login');
  const login = await client.post('/login', { csrf, login_id: member.login_id, password: member.password });
  const session = login.status === 303 ? client.cookies.get('__Host-kosmo_session') : undefined;
  const page = session ? await client.get('/mypage') : { status: 0 };
  return { ok: login.status === 303 && page.status === 200, via, login: login.status, page: page.status, session };
}

function sessionsStored(sessions, node) {
  const hashes = sessions.map((s) => `UNHEX('${sessionHashHex(s)}')`).join(',');
  return Number(sql(`SELECT COUNT(*) FROM sessions WHERE session_hash IN (${hashes})`, { node })[0][0]);
}

const programs = ['login', 'mypage', 'password-change', 'forgot-id', 'id-notice', 'password-reset'];

test('SIGKILL of database node 1 under load: in-flight steps only, failover without restart, nothing lost, IST rejoin', async (t) => {
  const members = Array.from({ length: 8 }, () => createMember());
  const pidsBefore = programs.map((p) => pidOf('web1', p));
  const galeraDir = path.join(env.GALERA_ROOT, 'node1');

  let killAt = 0;
  let killDone = 0;
  const killer = (async () => {
    await sleep(kKillAfterMs);
    killAt = Date.now();
    await clusterAsync('galera_kill 1');
    killDone = Date.now();
  })();
  const results = await boundedLoad({
    concurrency: kConcurrency, maxRequests: kMaxSteps, maxSeconds: kMaxSeconds,
    step: (i) => loginStep(members[i % members.length], i % 2 ? 'web2' : 'web1'),
  });
  await killer;
  assert.ok(killAt > 0 && results.some((r) => r.started > killDone), 'the load ran past the kill');

  // Only steps in flight when the node died may fail.
  const failed = results.filter((r) => !r.ok);
  const inFlight = (r) => r.started <= killDone && r.ended >= killAt;
  const stallMs = Math.max(...results.filter(inFlight).map((r) => r.ended - r.started));
  const firstWeb1AfterKill = results.filter((r) => r.ok && r.via === 'web1' && r.started >= killDone)
    .reduce((m, r) => Math.min(m, r.ended), Infinity);
  t.diagnostic(`${results.length} steps (${results.length * 3} requests), ${failed.length} failed ` +
    `(${failed.map((r) => `${r.via} login ${r.login} page ${r.page}${r.error ? ` ${r.error}` : ''}`).join('; ') || 'none'}); ` +
    `kill took ${killDone - killAt} ms; longest step in flight ${stallMs} ms; ` +
    `first web node 1 success started after the kill ended ${firstWeb1AfterKill - killDone} ms after it`);
  assert.ok(failed.every(inFlight), `a step failed that was not in flight: ${JSON.stringify(failed.filter((r) => !inFlight(r)))}`);
  assert.ok(failed.length <= kConcurrency, `${failed.length} failed steps, at most ${kConcurrency} were in flight`);

  // Web node 1's programs went on, on another database node, without a restart.
  assert.deepEqual(programs.map((p) => pidOf('web1', p)), pidsBefore, 'no program restarted');
  assert.ok(results.some((r) => r.ok && r.via === 'web1' && r.started > killDone), 'web node 1 served logins after the kill');
  const retries = readLog('web1', 'login').split('\n').filter((l) => /event=db_(retry|connect_failed|unavailable)/.test(l));
  assert.ok(retries.length > 0, 'kosmo-login of web node 1 saw the lost connection');
  assert.equal(wsrepStatus(2).wsrep_cluster_size, '2');

  // Every login the load saw succeed is committed, on both surviving nodes.
  const committed = results.filter((r) => r.login === 303 && r.session).map((r) => r.session);
  assert.equal(sessionsStored(committed, 2), committed.length, 'node 2 holds every committed session');
  assert.equal(sessionsStored(committed, 3), committed.length, 'node 3 holds every committed session');

  // Rejoin: recover the position, then IST from a survivor.
  const logSize = fs.statSync(path.join(galeraDir, 'error.log')).size;
  const rejoinStarted = Date.now();
  await clusterAsync('galera_start 1 --ist && galera_wait_synced 120 1');
  const rejoinMs = Date.now() - rejoinStarted;
  const log = fs.readFileSync(path.join(galeraDir, 'error.log'), 'utf8').slice(logSize);
  const ist = log.match(/Receiving IST: (\d+) writesets/);
  t.diagnostic(`node 1 rejoined in ${rejoinMs} ms (${ist ? `IST of ${ist[1]} writesets` : 'no IST line'})`);
  assert.ok(ist, 'node 1 caught up by IST, not a full SST');
  for (const node of [1, 2, 3]) {
    const status = wsrepStatus(node);
    assert.equal(status.wsrep_cluster_size, '3', `node ${node}`);
    assert.equal(status.wsrep_local_state_comment, 'Synced', `node ${node}`);
  }
  assert.equal(sessionsStored(committed, 1), committed.length, 'the rejoined node holds every committed session');
});

test('SIGKILL of web node 1\'s nginx: haproxy takes it out, requests through the load balancer keep succeeding', async (t) => {
  assert.deepEqual(lbServerStates(), { web1: 'UP', web2: 'UP' });
  const member = createMember();
  const marker = `web-kill-${process.pid}-${Date.now()}`;
  const killedAt = Date.now();
  await clusterAsync('web_nginx_kill 1');

  // Right away, before the health check has noticed: a refused connection is
  // redispatched to web node 2 (option redispatch).
  const downSeen = (async () => {
    await waitFor('haproxy to mark web1 DOWN', () => lbServerStates().web1 === 'DOWN', { timeoutMs: 10000, everyMs: 50 });
    return Date.now() - killedAt;
  })();
  const results = await boundedLoad({
    concurrency: 2, maxRequests: 60, maxSeconds: 20, step: async (i) => {
      if (i % 6 === 5) {  // now and then a whole login through the load balancer
        const client = new Client('lb');
        const login = await client.login(member, member.password, { headers: { 'user-agent': marker } });
        return { ok: login.status === 303, status: login.status, error: login.error };
      }
      const res = await rawRequest('lb', 'GET', '/login', { headers: { 'user-agent': marker } });
      return { ok: res.status === 200, status: res.status, error: res.error };
    },
  });
  const downAfterMs = await downSeen;
  t.diagnostic(`haproxy marked web1 DOWN ${downAfterMs} ms after the kill; ${results.length} steps through the load balancer`);
  assert.deepEqual(results.filter((r) => !r.ok).map((r) => `${r.status} ${r.error || ''}`), [], 'every request through the load balancer succeeded');
  assert.equal(readLog('web1', 'kosmo-access').split('\n').filter((l) => l.includes(marker)).length, 0);

  // Back: nginx again, the health check brings it in, both nodes serve.
  await clusterAsync('web_nginx_start 1');
  await waitFor('haproxy to mark web1 UP', () => lbServerStates().web1 === 'UP', { timeoutMs: 10000, everyMs: 50 });
  const back = `web-back-${process.pid}-${Date.now()}`;
  for (let i = 0; i < 10; i += 1) {
    assert.equal((await rawRequest('lb', 'GET', '/login', { headers: { 'user-agent': back } })).status, 200);
  }
  const served = () => ['web1', 'web2'].map((web) => readLog(web, 'kosmo-access').split('\n').filter((l) => l.includes(back)).length);
  await waitFor('ten access log lines', () => served()[0] + served()[1] === 10, { timeoutMs: 3000, everyMs: 50 });
  assert.ok(served()[0] > 0 && served()[1] > 0, `both web nodes serve again: ${served()}`);
});
