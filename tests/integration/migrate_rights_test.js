// kosmo-admin migrate on a database account made before sql/008 (the token
// POST's procedure) that lacks CREATE ROUTINE: migrate stops at 008 with exit
// 65, says which GRANT the README gives, records nothing from 008 on, and
// once the right is granted the same command applies the rest. A scratch
// database and account of their own; the stack's are not touched.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const crypto = require('node:crypto');
const { spawnSync } = require('node:child_process');
const { env } = require('../support/harness');

const database = 'kosmo_rights';
const account = `'kosmo_rights'@'localhost'`;
const defaultsFile = path.join(env.KOSMO_VAR, 'mariadb/my.cnf');
// The rights of README.md's GRANT line before 008 added the routine rights.
const rightsBefore008 = 'SELECT, INSERT, UPDATE, DELETE, CREATE, ALTER, INDEX, REFERENCES, DROP';

function root(query) {
  const r = spawnSync('mariadb', [`--defaults-file=${defaultsFile}`, '-N', '-B', '-e', query], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

// The stack's kosmo.conf with the scratch database and account, and a
// secrets file of its own (mode 0600, as the programs require).
function scratchConfig(dir, password) {
  const stackConf = fs.readFileSync(path.join(env.KOSMO_VAR, 'etc/kosmo.conf'), 'utf8');
  const secrets = path.join(dir, 'secrets.conf');
  fs.writeFileSync(secrets, `db.password = ${password}\ncsrf_key = ${crypto.randomBytes(32).toString('hex')}\n`,
    { mode: 0o600 });
  const conf = stackConf.split('\n')
    .filter((line) => !/^\s*(db\.name|db\.user|secrets_file)\s*=/.test(line))
    .concat([`db.name = ${database}`, 'db.user = kosmo_rights', `secrets_file = ${secrets}`, ''])
    .join('\n');
  const file = path.join(dir, 'kosmo.conf');
  fs.writeFileSync(file, conf);
  return file;
}

function migrate(conf) {
  return spawnSync(path.join(env.KOSMO_BUILD, 'kosmo-admin'), ['--config', conf, 'migrate'], { encoding: 'utf8' });
}

function applied() {
  return root(`SELECT version FROM ${database}.schema_migrations ORDER BY version`).split('\n').filter(Boolean).map(Number);
}

test('migrate on an account without CREATE ROUTINE stops at 008, names the GRANT, and finishes once it is granted', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kosmo-rights-'));
  const password = crypto.randomBytes(12).toString('hex');
  root(`DROP DATABASE IF EXISTS ${database}; DROP USER IF EXISTS ${account};
    CREATE DATABASE ${database} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
    CREATE USER ${account} IDENTIFIED BY '${password}';
    GRANT ${rightsBefore008} ON ${database}.* TO ${account};`);
  try {
    const conf = scratchConfig(dir, password);
    const refused = migrate(conf);
    assert.equal(refused.status, 65, refused.stderr);
    assert.match(refused.stderr, /008_token_redeem\.sql failed: error 1044/);
    assert.match(refused.stderr, /lacks a right 008_token_redeem\.sql needs: give it the GRANT of README\.md/);
    assert.doesNotMatch(refused.stdout, /applied 008/);
    const before = applied();
    assert.ok(before.includes(7), `the migrations before 008 were applied: ${before}`);
    assert.ok(before.every((v) => v < 8), `nothing from 008 on is recorded: ${before}`);
    assert.equal(root(`SELECT COUNT(*) FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = '${database}'`).trim(), '0');

    root(`GRANT CREATE ROUTINE, ALTER ROUTINE, EXECUTE ON ${database}.* TO ${account}`);
    const done = migrate(conf);
    assert.equal(done.status, 0, done.stderr);
    assert.match(done.stdout, /applied 008_token_redeem\.sql/);
    assert.match(done.stdout, /applied 009_/);
    assert.ok(applied().includes(8));
    assert.match(migrate(conf).stdout, /schema is up to date/);
  } finally {
    root(`DROP DATABASE IF EXISTS ${database}; DROP USER IF EXISTS ${account}`);
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
