// Support for the hardening tests (issue 5), bound to the test stack: a
// client that connects from a chosen loopback address (so REMOTE_ADDR really
// differs, without trusting any header), and the D7 counters of
// tests/support/limits.js (limits in force and keys from kosmo-admin).
'use strict';
const path = require('node:path');
const { env, Client, sql, sqlValue, tools } = require('./harness');
const { limitCounters, cardSubject } = require('./limits');
const { readConf } = require('./env');

const conf = readConf(path.join(env.KOSMO_VAR, 'etc/kosmo.conf'));
const counters = limitCounters({ sql, sqlValue }, tools);

let nextAddress = 10 + Math.floor(Math.random() * 200);
// A fresh loopback source address (127.X.Y.Z) for one test.
function freshAddress() {
  nextAddress += 1;
  return `127.${(process.pid % 200) + 20}.${Math.floor(nextAddress / 250) % 250}.${(nextAddress % 250) + 1}`;
}

// A Client whose connections leave from `address`: nginx's $remote_addr is
// that address, exactly as for a distinct machine.
class ClientFrom extends Client {
  constructor(address) { super(undefined, { from: address }); this.address = address; }
}

// Drops what differs between two renderings of one page anyway.
function stripVolatile(text) {
  return text.replace(/name="csrf" value="[^"]+"/g, '').replace(/お問い合わせ番号[^<]*/g, '').replace(/value="[^"]*"/g, '');
}

module.exports = { conf, ...counters, cardSubject, freshAddress, ClientFrom, stripVolatile };
