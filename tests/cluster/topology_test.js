// The topology itself (issue 8, deliverable 1): three Synced Galera nodes
// with the settings the product needs, each web node's programs on their own
// first database host, and haproxy spreading requests over both web nodes.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { dbPorts, rawRequest, sql, wsrepStatus, readLog, lbServerStates, waitFor } = require('./harness');

test('three Galera nodes are Synced members of one Primary component', () => {
  const uuids = new Set();
  for (const node of [1, 2, 3]) {
    const status = wsrepStatus(node);
    assert.equal(status.wsrep_ready, 'ON', `node ${node}`);
    assert.equal(status.wsrep_local_state_comment, 'Synced', `node ${node}`);
    assert.equal(status.wsrep_cluster_status, 'Primary', `node ${node}`);
    assert.equal(status.wsrep_cluster_size, '3', `node ${node}`);
    uuids.add(status.wsrep_cluster_state_uuid);
  }
  assert.equal(uuids.size, 1, 'one cluster state on every node');
});

test('every node runs the settings Galera needs, and every table has a primary key', () => {
  for (const node of [1, 2, 3]) {
    const [row] = sql('SELECT @@binlog_format, @@innodb_autoinc_lock_mode, @@wsrep_on, @@default_storage_engine', { node });
    assert.deepEqual(row, ['ROW', '2', '1', 'InnoDB'], `node ${node}`);
  }
  // Galera replicates a table without a primary key badly (or not at all, for deletes).
  const withoutKey = sql(`SELECT t.TABLE_NAME FROM information_schema.TABLES t
    LEFT JOIN information_schema.TABLE_CONSTRAINTS c
      ON c.TABLE_SCHEMA = t.TABLE_SCHEMA AND c.TABLE_NAME = t.TABLE_NAME AND c.CONSTRAINT_TYPE = 'PRIMARY KEY'
    WHERE t.TABLE_SCHEMA = 'kosmo' AND c.CONSTRAINT_NAME IS NULL`);
  assert.deepEqual(withoutKey, []);
  const engines = sql("SELECT DISTINCT ENGINE FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'kosmo'");
  assert.deepEqual(engines, [['InnoDB']]);
});

test('each web node connects to its own first database host (failover order of db.hosts)', () => {
  for (const [web, node] of [['web1', 1], ['web2', 2]]) {
    for (const program of ['login', 'mypage', 'password-change', 'forgot-id', 'id-notice', 'password-reset']) {
      const started = readLog(web, program).split('\n').filter((l) => l.includes('event=started'));
      // Every screen is built: one that never started fails here, not passes.
      assert.ok(started.length > 0, `${web} kosmo-${program} never logged event=started`);
      assert.match(started[0], new RegExp(` db=127\\.0\\.0\\.1:${dbPorts[node]}( |$)`), `${web} kosmo-${program}`);
    }
  }
  assert.match(readLog('web1', 'mailer'), new RegExp(`event=started .*server=127\\.0\\.0\\.1:${dbPorts[1]}`));
  assert.match(readLog('web2', 'mailer'), new RegExp(`event=started .*server=127\\.0\\.0\\.1:${dbPorts[3]}`));
});

test('haproxy spreads new connections round-robin over both web nodes', async () => {
  assert.deepEqual(lbServerStates(), { web1: 'UP', web2: 'UP' });
  const marker = `round-robin-${process.pid}-${Date.now()}`;
  for (let i = 0; i < 10; i += 1) {
    const res = await rawRequest('lb', 'GET', '/login', { headers: { 'user-agent': marker } });
    assert.equal(res.status, 200);
  }
  // nginx writes the access log line just after the response: wait for all ten.
  const served = () => ['web1', 'web2'].map((web) => readLog(web, 'kosmo-access').split('\n').filter((l) => l.includes(marker)).length);
  await waitFor('ten access log lines', () => served()[0] + served()[1] === 10, { timeoutMs: 3000, everyMs: 50 });
  assert.deepEqual(served(), [5, 5], `requests per web node: ${served()}`);
});
