// The integration and browser tests' view of the stack started by
// tests/support/stack-up (its test.env): the library of tests/support bound
// to that stack. client.js (cookies, CSRF, forms, a source address, raw
// requests), db.js, admin.js, members.js, mail.js and limits.js hold the
// code once; this file only names the stack's nginx, database, kosmo-admin
// config and mail folder, and runs its shell functions.
'use strict';
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { repo, loadEnvFile } = require('./env');
const { Client: BaseClient } = require('./client');
const { database, q } = require('./db');
const { adminRunner } = require('./admin');
const { memberFactory } = require('./members');
const { mailbox, parseMail } = require('./mail');
const { sleep } = require('./util');

const env = loadEnvFile('KOSMO_TEST_ENV', 'run through ctest');
const baseUrl = `https://127.0.0.1:${env.KOSMO_HTTPS_PORT}`;
// The certificate names "localhost" too, so a forged Host header (D13) does
// not change which name the TLS check expects.
const target = { host: '127.0.0.1', port: Number(env.KOSMO_HTTPS_PORT), servername: 'localhost' };
const db = database(path.join(env.KOSMO_VAR, 'mariadb/my.cnf'));
const { sql, sqlValue, tableNames, identityChecksDone } = db;
const tools = adminRunner(env.KOSMO_BUILD, path.join(env.KOSMO_VAR, 'etc/kosmo.conf'));
const { admin } = tools;
const createMember = memberFactory(admin, { idBase: 9000000000000, symbolBase: 7000, emailPrefix: 'member' });
const { mailDir, mailFiles, waitForMail, mailsTo } = mailbox(path.join(env.KOSMO_VAR, 'mail'));

// Runs a function of scripts/stack.sh (db_stop, sink_start, ...) with the test stack's environment.
function stack(fn) {
  return execFileSync('bash', ['-c', `set -a; source "$KOSMO_TEST_ENV"; set +a; source "${repo}/scripts/stack.sh"; ${fn}`],
    { env: process.env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

// After a POST /forgot-id answered 303, waits until its identity check ran
// (after the answer, D1), so the test can look for the mail or the audit row.
async function settleIdentityCheck(method, urlPath, result) {
  if (method === 'POST' && urlPath === '/forgot-id' && result.status === 303) await identityChecksDone();
}

// A browser on the stack: `new Client()` talks to nginx, `new Client(base)`
// to another front end of the same stack (the Apache test's
// https://127.0.0.1:PORT); `from` is the source address (127.x.y.z).
class Client extends BaseClient {
  constructor(base = target, { from } = {}) {
    super(base, { from, settle: settleIdentityCheck });
  }
}

module.exports = {
  identityChecksDone, settleIdentityCheck, env, baseUrl, target, mailDir, stack, sql, sqlValue, tableNames, q, admin, tools,
  createMember, Client, mailFiles, parseMail, waitForMail, mailsTo, sleep, repo,
};
