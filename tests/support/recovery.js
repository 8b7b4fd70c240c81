// Helpers for the tests of the forgotten-ID flow (issue 4): submit
// 本人確認情報入力画面, read the URL from the real .eml file, open and confirm
// it, and switch kosmo-id-notice to another link_confirm mode (D15) and back.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const assert = require('node:assert/strict');
const { env, baseUrl, target, stack, sqlValue, Client, mailFiles, waitForMail } = require('./harness');
const { rawRequest: sendRaw } = require('./client');

// What a member types on 本人確認情報入力画面, from a createMember() member.
function identityOf(member, overrides = {}) {
  return {
    card_symbol: member.card_symbol,
    card_number: member.card_number,
    birth_date: member.birth_date,
    email: member.email || 'nobody@example.jp',
    ...overrides,
  };
}

// POSTs the identity form as a browser would (CSRF field from the GET).
function submitIdentity(client, fields) {
  return client.submit('/forgot-id', fields);
}

// The URL and token of an ID-notice mail.
function tokenOf(mail) {
  const m = mail.body.match(/(https?:\/\/\S+\/id-notice\?t=([A-Za-z0-9_-]{43}))/);
  assert.ok(m, `no ID-notice URL in the mail:\n${mail.body}`);
  return { url: m[1], token: m[2], pathAndQuery: m[1].slice(m[1].indexOf('/id-notice')) };
}

// Runs the identity check for the member and returns the mail it caused.
async function requestIdNotice(member, { client = new Client(), fields = identityOf(member) } = {}) {
  const before = new Set(mailFiles());
  const res = await submitIdentity(client, fields);
  assert.equal(res.status, 303, 'a valid identity submission answers 303');
  const mail = await waitForMail(member.email, { since: before });
  return { mail, ...tokenOf(mail) };
}

// Opens the mail URL in `client` and presses 「ログインIDを表示する」.
async function openAndConfirm(client, token, extraFields = {}) {
  const page = await client.get(`/id-notice?t=${token}`);
  const csrf = page.text.match(/name="csrf" value="([^"]+)"/);
  assert.ok(csrf, `no confirmation form (status ${page.status})`);
  return client.post('/id-notice', { csrf: csrf[1], t: token, ...extraFields });
}

// The whole recovery in one browser: returns the client holding the grant.
async function recoverLoginId(member) {
  const { token } = await requestIdNotice(member);
  const client = new Client();
  const res = await openAndConfirm(client, token);
  assert.equal(res.status, 303);
  assert.equal(res.location, '/id-notice');
  return { client, token };
}

// Outbox rows of a kind for a member (the mail is queued in the transaction
// of the 303, so "no row" right after it means "no mail", without waiting).
function outboxCount(memberId, kind) {
  return Number(sqlValue(`SELECT COUNT(*) FROM mail_outbox WHERE member_id = ${Number(memberId)} AND kind = '${kind}'`));
}

function lastAudit(event, memberId) {
  return sqlValue(`SELECT outcome FROM audit_events WHERE event = '${event}' AND member_id = ${Number(memberId)} ORDER BY audit_id DESC LIMIT 1`);
}

// A raw HTTPS request, for headers a browser will not send (Host, D13).
function rawRequest(method, urlPath, headers = {}, body = '') {
  return sendRaw(target, method, urlPath, headers, body);
}

// ---- link_confirm modes (D15) ----
// The stack runs kosmo-id-notice with etc/kosmo.conf (link_confirm = button).
// For another mode the test stops that process by its pid and starts one on
// the same socket with a copy of the config that differs in link_confirm
// only; restoreIdNoticeMode() stops it and lets programs_start start the
// default again. The pid file stays the stack's, so stack-down stops either.
const idNoticeShell = `
  _kosmo_env
  _id_notice_stop() {
    local pid
    if pid=$(_running "$_RUN/id-notice.pid" "$_RUN/id-notice.sock"); then
      kill -TERM "$pid"; _wait_gone 10 "$pid" || kill -KILL "$pid"; _wait_gone 5 "$pid"
    fi
    rm -f -- "$_RUN/id-notice.pid" "$_RUN/id-notice.sock"
  }`;

function currentIdNoticeConfig() {
  return stack(`${idNoticeShell}
    pid=$(_running "$_RUN/id-notice.pid" "$_RUN/id-notice.sock") || exit 0
    tr '\\0' '\\n' <"/proc/$pid/cmdline" | sed -n '/^--config$/{n;p}'`).trim();
}

function setIdNoticeMode(mode) {
  assert.match(mode, /^(button|birth_date|off)$/);
  stack(`${idNoticeShell}
    conf="$_ETC/kosmo-link-confirm-${mode}.conf"
    grep -v '^[[:space:]]*link_confirm[[:space:]]*=' "$_CONF" >"$conf.tmp" && echo "link_confirm = ${mode}" >>"$conf.tmp" && mv -f "$conf.tmp" "$conf"
    _id_notice_stop
    _spawn "$_RUN/id-notice.pid" "$_LOG/id-notice.log" "$KOSMO_BUILD/kosmo-id-notice" --config "$conf" --listen "$_RUN/id-notice.sock"
    for i in $(seq 100); do [ -S "$_RUN/id-notice.sock" ] && exit 0; sleep 0.1; done
    _fail "kosmo-id-notice (link_confirm = ${mode}) made no socket" "$_LOG/id-notice.log"`);
}

// Back to the stack's own config; a no-op when it already runs with it.
function restoreIdNoticeMode() {
  const defaultConf = path.join(env.KOSMO_VAR, 'etc/kosmo.conf');
  if (currentIdNoticeConfig() === defaultConf) return;
  stack(`${idNoticeShell}
    _id_notice_stop
    programs_start >/dev/null`);
}

// Runs fn with kosmo-id-notice in `mode`; the default comes back even when
// fn throws, and at process exit if the test process is torn down early.
let exitHookInstalled = false;
async function withIdNoticeMode(mode, fn) {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on('exit', () => { try { restoreIdNoticeMode(); } catch { /* reported by the next check */ } });
  }
  setIdNoticeMode(mode);
  try {
    return await fn();
  } finally {
    restoreIdNoticeMode();
  }
}

// Every log file of the stack, nginx's included, as one string per file.
function stackLogs() {
  const dir = path.join(env.KOSMO_VAR, 'log');
  return fs.readdirSync(dir).filter((f) => f.endsWith('.log'))
    .map((f) => ({ file: f, text: fs.readFileSync(path.join(dir, f), 'latin1') }));
}

module.exports = {
  identityOf, submitIdentity, tokenOf, requestIdNotice, openAndConfirm, recoverLoginId, outboxCount, lastAudit,
  rawRequest, setIdNoticeMode, restoreIdNoticeMode, currentIdNoticeConfig, withIdNoticeMode, stackLogs, baseUrl,
};
