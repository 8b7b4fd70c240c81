// SQL for the tests, as root through the mariadb client (the product never
// builds SQL; tests may, with q()). Rows come back as arrays of strings,
// NULL as null.
'use strict';
const { execFileSync } = require('node:child_process');
const { sleep } = require('./util');

// A database reached with `defaultsFile` (a my.cnf with socket and user);
// `prefix` runs before every query (the cluster's wsrep_sync_wait).
function database(defaultsFile, { prefix = '' } = {}) {
  function sql(query, { prefix: p = prefix } = {}) {
    const out = execFileSync('mariadb', [`--defaults-file=${defaultsFile}`, '-N', '-B', '--raw', 'kosmo', '-e', p + query],
      { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });  // whole-table reads (the audit trail test)
    return out.split('\n').filter((l) => l !== '').map((l) => l.split('\t').map((v) => (v === 'NULL' ? null : v)));
  }
  function sqlValue(query, opts) {
    const rows = sql(query, opts);
    return rows.length ? rows[0][0] : undefined;
  }
  // Every table of the schema, from information_schema: a snapshot over
  // them includes a table added by a later migration by itself.
  function tableNames() {
    return sql("SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'kosmo' AND TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_NAME")
      .map((r) => r[0]);
  }
  // The identity check of POST /forgot-id runs after the answer (D1): its
  // effects (token, outbox row, audit row) exist once no row waits (a row
  // set aside as a fault, failed_at, waits for an operator, not a check).
  async function identityChecksDone(timeoutMs = 20000) {
    const deadline = Date.now() + timeoutMs;
    while (sqlValue('SELECT COUNT(*) FROM identity_requests WHERE failed_at IS NULL') !== '0') {
      if (Date.now() > deadline) throw new Error(`identity checks still queued after ${timeoutMs} ms`);
      await sleep(20);
    }
  }
  return { sql, sqlValue, tableNames, identityChecksDone };
}

// Quotes a string for SQL built by tests only.
function q(value) { return `'${String(value).replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`; }

module.exports = { database, q };
