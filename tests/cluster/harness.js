// Harness of the cluster tests: only the topology started by
// tests/cluster/cluster-up (its cluster.env): which port is web node 1, web
// node 2 and the load balancer, SQL on any Galera node, the shared SMTP
// sink's folder, the topology's shell functions (kill a database node,
// restart it, kill an nginx), logs and pids. The client, members, mail,
// limits and load loops are tests/support's library, bound here.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const crypto = require('node:crypto');
const { execFileSync, execFile } = require('node:child_process');
const { repo, loadEnvFile } = require('../support/env');
const { Client: BaseClient, send } = require('../support/client');
const { database } = require('../support/db');
const { adminRunner } = require('../support/admin');
const { memberFactory } = require('../support/members');
const { mailbox, parseMail, idNoticeToken: tokenOf } = require('../support/mail');
const { sleep, waitFor, boundedLoad } = require('../support/util');

const env = loadEnvFile('KOSMO_CLUSTER_ENV', 'run through ctest -L cluster');
const dir = env.KOSMO_CLUSTER;
const ca = fs.readFileSync(path.join(dir, 'shared/tls/cert.pem'));
// lb: haproxy's TCP frontend (PROXY protocol); lbHttp: its HTTP frontend
// (X-Forwarded-For, from env.LB_HTTP_SOURCE), tests/cluster/cluster.sh.
const ports = { web1: Number(env.WEB1_PORT), web2: Number(env.WEB2_PORT), lb: Number(env.LB_PORT), lbHttp: Number(env.LB_HTTP_PORT) };
const dbPorts = { 1: Number(env.DB1_PORT), 2: Number(env.DB2_PORT), 3: Number(env.DB3_PORT) };
const targets = Object.fromEntries(Object.entries(ports).map(([via, port]) => [via, { host: '127.0.0.1', port, ca }]));
const { mailFiles, mailsTo, waitForMails } = mailbox(path.join(dir, 'web1/mail'));

// ---- SQL on a Galera node (root over its socket) ----
// Waits for the cluster's committed writes first (wsrep_sync_wait), so a check
// reads what the cluster holds, whichever node it asks.
const nodes = [1, 2, 3].map((n) => database(path.join(env.GALERA_ROOT, `node${n}/my.cnf`), { prefix: 'SET SESSION wsrep_sync_wait = 1; ' }));
function sql(query, { node = 3, causal = true } = {}) { return nodes[node - 1].sql(query, causal ? {} : { prefix: '' }); }
function sqlValue(query, opts) {
  const rows = sql(query, opts);
  return rows.length ? rows[0][0] : undefined;
}
const { identityChecksDone } = nodes[2];
function wsrepStatus(node) {
  const out = execFileSync('mariadb', [`--defaults-file=${path.join(env.GALERA_ROOT, `node${node}/my.cnf`)}`, '-N', '-B', '-e',
    "SHOW GLOBAL STATUS LIKE 'wsrep_%'"], { encoding: 'utf8' });
  const status = {};
  for (const line of out.split('\n')) { const [k, v] = line.split('\t'); if (k) status[k] = v; }
  return status;
}

const tools = adminRunner(env.KOSMO_BUILD, path.join(dir, 'admin.conf'));
const { admin } = tools;
// Members are different people on different networks: a browser of this
// member (new Client(via, member.address)) talks from its own address.
const createMember = memberFactory(admin, { idBase: 8000000000000, symbolBase: 6000, emailPrefix: 'cluster',
  address: (counter) => `127.1.${Math.floor(counter / 250) % 250}.${(counter % 250) + 1}` });

// One HTTPS request to web1, web2, lb or lbHttp; never throws: a network failure is
// status 0 with `error`. `from` is the client's address (D7 counts it).
async function rawRequest(via, method, urlPath, { headers = {}, body, timeoutMs = 30000, from } = {}) {
  const started = Date.now();
  try {
    const res = await send(targets[via], { method, path: urlPath, headers, body, from, timeoutMs });
    return { ...res, headers: res.headers.raw, via };
  } catch (error) {
    return { status: 0, error: error.code || error.message, headers: {}, text: '', via, ms: Date.now() - started };
  }
}

// A browser-like client (tests/support/client.js) that sends each request to
// `via` (web1, web2, lb or lbHttp) unless the call names another, from the address
// `from`. Through the load balancer every request opens a new connection:
// haproxy balances connections (mode tcp), so consecutive requests alternate
// between the nodes. After a POST /forgot-id it waits until every node's
// identity queue is empty (the check runs after the answer, D1).
class Client extends BaseClient {
  constructor(via = 'lb', from = undefined) {
    super(targets[via], { from, keepAlive: via !== 'lb', failAsStatus0: true,
      settle: async (method, urlPath, res) => { if (method === 'POST' && urlPath === '/forgot-id' && res.status === 303) await identityChecksDone(); } });
    this.via = via;
  }
  async request(method, urlPath, o = {}) {
    const via = o.via || this.via;
    const res = await super.request(method, urlPath, { ...o, target: targets[via], agent: via === 'lb' ? false : this.agent });
    return { ...res, via };
  }
}

// The sessions row of a session cookie (only its SHA-256 is stored).
function sessionHashHex(cookie) { return crypto.createHash('sha256').update(cookie).digest('hex'); }

// ---- the topology's shell functions (tests/cluster/cluster.sh) ----
function clusterScript(fn) {
  return `source "${path.join(__dirname, 'cluster.sh')}" && cluster_env "${env.KOSMO_BUILD}" && ${fn}`;
}
function cluster(fn) {
  return execFileSync('bash', ['-c', clusterScript(fn)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}
// The same, without blocking the event loop (a load runs meanwhile).
function clusterAsync(fn) {
  return new Promise((resolve, reject) => {
    execFile('bash', ['-c', clusterScript(fn)], { encoding: 'utf8' }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${fn}: ${error.message}\n${stderr}`)); else resolve(stdout + stderr);
    });
  });
}

function readLog(web, name) {
  const file = path.join(dir, web, 'log', `${name}.log`);
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
}
// Lines of a program's log with `event=NAME`, across both web nodes.
function logEvents(name, event) {
  return ['web1', 'web2'].flatMap((web) => readLog(web, name).split('\n').filter((l) => l.includes(` event=${event} `) || l.endsWith(` event=${event}`)));
}
function pidOf(web, name) {
  const file = path.join(dir, web, 'run', `${name}.pid`);
  return fs.existsSync(file) ? Number(fs.readFileSync(file, 'utf8').trim()) : 0;
}

// ---- haproxy's view of the web nodes (its stats socket) ----
function lbServerStates() {
  const out = execFileSync('socat', ['-', `UNIX-CONNECT:${path.join(dir, 'lb/haproxy.sock')}`], { input: 'show stat\n', encoding: 'utf8' });
  const states = {};
  for (const line of out.split('\n')) {
    const f = line.split(',');
    if (f[0] === 'be_web' && /^web\d$/.test(f[1])) states[f[1]] = f[17];
  }
  return states;
}
// rate_limit_events.subject_hash of a subject, from kosmo-admin limits key
// (the programs' own derivation, fcgi/lib/account/rate_limits.cpp).
function limitSubjectHashHex(scope, subject) { return tools.limitKey(scope, subject); }

module.exports = {
  env, dir, ports, dbPorts, repo, Client, rawRequest, sql, sqlValue, wsrepStatus, admin, tools, createMember, sessionHashHex,
  mailFiles, parseMail, mailsTo, waitForMails, tokenOf, cluster, clusterAsync, readLog, logEvents, pidOf,
  lbServerStates, waitFor, boundedLoad, sleep, limitSubjectHashHex, identityChecksDone,
};
