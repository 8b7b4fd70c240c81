// kosmo-admin for the tests, with a stack's config: members, limits and
// anything else an operator does. The limits in force and the keyed subject
// hashes come from `kosmo-admin limits show` and `limits key`, the programs'
// own code, never from a copy in JavaScript.
'use strict';
const path = require('node:path');
const { execFileSync } = require('node:child_process');

function adminRunner(buildDir, configFile) {
  const binary = path.join(buildDir, 'kosmo-admin');
  // Runs kosmo-admin ARGS with `input` on stdin; returns stdout; throws on a non-zero exit.
  function admin(args, input = '') {
    return execFileSync(binary, ['--config', configFile, ...args], { input, encoding: 'utf8' });
  }

  let shown;
  // Every limits.* key in force, as numbers (defaults where the config sets none).
  function limitsInForce() {
    if (!shown) {
      shown = {};
      for (const line of admin(['limits', 'show']).split('\n')) {
        const m = line.match(/^(limits\.[a-z_.]+) = (\d+)$/);
        if (m) shown[m[1]] = Number(m[2]);
      }
    }
    return shown;
  }

  const keys = new Map();
  // subject_hash of `subject` in `scope` (lower-case hex), as the programs store it.
  function limitKey(scope, subject) {
    const id = `${scope}\0${subject}`;
    if (!keys.has(id)) keys.set(id, admin(['limits', 'key', '--scope', scope, '--subject', subject]).trim());
    return keys.get(id);
  }

  return { admin, limitsInForce, limitKey };
}

module.exports = { adminRunner };
