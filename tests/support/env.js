// The environment file a fixture writes for the tests (KEY=value lines):
// tests/support/stack-up's test.env, tests/cluster/cluster-up's cluster.env.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const repo = path.resolve(__dirname, '../..');

// Reads the file named by the environment variable `variable`; `hint` says how to run.
function loadEnvFile(variable, hint) {
  const file = process.env[variable];
  if (!file || !fs.existsSync(file)) throw new Error(`${variable} does not name an environment file (${hint})`);
  const env = {};
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const m = line.match(/^([A-Z0-9_]+)=(.*)$/);
    if (m) env[m[1]] = m[2].replace(/^'|'$/g, '');
  }
  return env;
}

// "key = value" lines with # comments (kosmo.conf, secrets.conf).
function readConf(file) {
  const out = {};
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const m = line.match(/^\s*([A-Za-z0-9_.]+)\s*=\s*(.*?)\s*$/);
    if (m) out[m[1]] = m[2];
  }
  return out;
}

module.exports = { repo, loadEnvFile, readConf };
