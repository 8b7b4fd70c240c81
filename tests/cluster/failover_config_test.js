// db.hosts is a failover list tried in order, and db.connect_timeout bounds
// each try (issue 8, deliverable 4): a host that accepts TCP but never greets
// (a hung server) costs connect_timeout seconds, a closed port costs nothing,
// and the first host that answers is used. Shown with kosmo-admin, which opens
// its connection exactly like the screens and the mailer do (fcgi/lib/db/db.cpp).
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');
const { execFile } = require('node:child_process');
const { env, dir, dbPorts } = require('./harness');

function listen(server) {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server.address().port)));
}

// A port nothing listens on: bound, then closed.
async function closedPort() {
  const server = net.createServer();
  const port = await listen(server);
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function admin(config, args) {
  return new Promise((resolve) => {
    const started = Date.now();
    execFile(path.join(env.KOSMO_BUILD, 'kosmo-admin'), ['--config', config, ...args], { encoding: 'utf8', timeout: 60000 },
      (error, stdout, stderr) => resolve({ code: error ? error.code : 0, stdout, stderr, ms: Date.now() - started }));
  });
}

for (const timeout of [1, 3]) {
  test(`a hung first host costs db.connect_timeout = ${timeout} s, a closed second host nothing; the third answers`, async () => {
    const held = [];
    const hung = net.createServer((socket) => held.push(socket));  // accepts, never sends the greeting
    const hungPort = await listen(hung);
    const deadPort = await closedPort();
    const config = path.join(dir, `failover-${timeout}.conf`);
    const base = fs.readFileSync(path.join(dir, 'admin.conf'), 'utf8');
    fs.writeFileSync(config, base
      .replace(/^db\.hosts = .*$/m, `db.hosts = 127.0.0.1:${hungPort}, 127.0.0.1:${deadPort}, 127.0.0.1:${dbPorts[2]}`)
      .replace(/^db\.connect_timeout = .*$/m, `db.connect_timeout = ${timeout}`));
    try {
      const run = await admin(config, ['migrate']);
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stdout, /up to date/);
      const tries = run.stderr.split('\n').filter((l) => l.includes('event=db_connect_failed'));
      assert.equal(tries.length, 2, run.stderr);
      assert.match(tries[0], new RegExp(`server=127\\.0\\.0\\.1:${hungPort} errno=2013`), 'the hung host first: lost at the handshake');
      assert.match(tries[1], new RegExp(`server=127\\.0\\.0\\.1:${deadPort} errno=200[23]`), 'then the closed port: refused');
      assert.ok(run.ms >= timeout * 1000 - 100, `waited ${run.ms} ms for the hung host`);
      assert.ok(run.ms < timeout * 1000 + 2500, `${run.ms} ms: no more than connect_timeout on the hung host`);
    } finally {
      held.forEach((s) => s.destroy());
      await new Promise((resolve) => hung.close(resolve));
      fs.rmSync(config, { force: true });
    }
  });
}
