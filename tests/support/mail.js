// The mails of an SMTP sink (scripts/smtp_sink.py writes each as an .eml
// file): list, parse (headers, MIME words, base64 bodies), wait for one.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { sleep } = require('./util');

function decodeWords(value) {
  return value.replace(/\r?\n[ \t]/g, ' ').replace(/=\?UTF-8\?B\?([^?]+)\?=\s*/gi, (_, b) => Buffer.from(b, 'base64').toString('utf8')).trim();
}

function parseMail(file) {
  const raw = fs.readFileSync(file, 'utf8');
  const split = raw.search(/\r?\n\r?\n/);
  const head = raw.slice(0, split);
  const rawBody = raw.slice(split).replace(/^\r?\n\r?\n/, '');
  const headers = {};
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i > 0) headers[line.slice(0, i).toLowerCase()] = line.slice(i + 1).trim();
  }
  const encoding = (headers['content-transfer-encoding'] || '').toLowerCase();
  const body = encoding === 'base64' ? Buffer.from(rawBody.replace(/\s+/g, ''), 'base64').toString('utf8') : rawBody;
  return { file, raw, headers, subject: decodeWords(headers.subject || ''), to: headers.to || '',
    messageId: headers['message-id'] || '', body };
}

// The token of the ID-notice URL in a mail (R5).
function idNoticeToken(mail) {
  const m = mail.body.match(/\/id-notice\?t=([A-Za-z0-9_-]{43})/);
  if (!m) throw new Error(`no ID-notice URL in ${mail.file}`);
  return m[1];
}

function mailbox(mailDir) {
  function mailFiles() {
    if (!fs.existsSync(mailDir)) return [];
    return fs.readdirSync(mailDir).filter((f) => f.endsWith('.eml')).sort().map((f) => path.join(mailDir, f));
  }
  function mailsTo(address) { return mailFiles().map(parseMail).filter((m) => m.to.includes(address)); }
  // Waits until a mail to `address` arrives that was not there before; returns it.
  async function waitForMail(address, { timeoutMs = 15000, since = new Set() } = {}) {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      for (const file of mailFiles()) {
        if (since.has(file)) continue;
        const mail = parseMail(file);
        if (mail.to.includes(address)) return mail;
      }
      await sleep(100);
    }
    throw new Error(`no mail to ${address} within ${timeoutMs} ms`);
  }
  // Waits until `count` mails to `address` are in the sink; returns them oldest first.
  async function waitForMails(address, count = 1, { timeoutMs = 20000 } = {}) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const mails = mailsTo(address);
      if (mails.length >= count) return mails;
      if (Date.now() > deadline) throw new Error(`${mails.length} of ${count} mails to ${address} within ${timeoutMs} ms`);
      await sleep(100);
    }
  }
  return { mailDir, mailFiles, mailsTo, waitForMail, waitForMails };
}

module.exports = { mailbox, parseMail, decodeWords, idNoticeToken };
