// The D7 counters for the tests: the limits in force and each subject's
// stored key come from kosmo-admin (limits show, limits key), so a test
// never re-derives the keyed hash or copies a default; on top of them, a
// way to seed a counter close to its limit so N and N+1 can be tried
// through nginx without sending N requests first, and to read it back.
'use strict';

// Identity attempts, failed logins per address and address confirmation mails are rows of
// rate_limit_events (a sliding window); failed logins per login ID are one
// counter row per fixed window in rate_limits (fcgi/lib/account/rate_limits.h).
const EVENT_SCOPES = new Set(['identity_ip', 'identity_card', 'login_ip', 'email_change']);

// The subject of identity_card: both normalised card fields, joined by a line feed.
function cardSubject(symbol, number) { return `${symbol}\n${number}`; }

// db: a database(); tools: an adminRunner() of the same stack.
function limitCounters(db, tools) {
  const { sql, sqlValue } = db;
  const shown = tools.limitsInForce();
  const limits = {
    identity_ip: { max: shown['limits.identity_ip.max'], window: shown['limits.identity_ip.window'] },
    identity_card: { max: shown['limits.identity_card.max'], window: shown['limits.identity_card.window'] },
    login_ip: { max: shown['limits.login_ip.max_failures'], window: shown['limits.login_ip.window'] },
    login_id: { max: shown['limits.login_id.max_failures'], window: shown['limits.login_id.window'] },
    lockout: shown['limits.login_id.lockout'],
    lockoutMax: shown['limits.login_id.lockout_max'],
    // D16: confirmation mails per member (subject: the member_id in decimal).
    email_change: { max: shown['limits.email_change.max'], window: shown['limits.email_change.window'] },
  };
  for (const [name, value] of Object.entries(limits)) {
    if (value === undefined || (typeof value === 'object' && Object.values(value).some((v) => v === undefined)))
      throw new Error(`kosmo-admin limits show did not name ${name}`);
  }
  // Upper-case hex, as HEX() prints it.
  const limitHash = (scope, subject) => tools.limitKey(scope, subject).toUpperCase();
  const tableOf = (scope) => (EVENT_SCOPES.has(scope) ? 'rate_limit_events' : 'rate_limits');
  const where = (scope, subject) => `scope = '${scope}' AND subject_hash = UNHEX('${limitHash(scope, subject)}')`;

  const seeded = new Set();
  // Removes every counter a test seeded (the test stack's limits are large,
  // so a seeded subject holds many rows); call it from test.after().
  function removeSeeded() {
    for (const key of seeded) {
      const [scope, hash] = key.split('/');
      sql(`DELETE FROM ${tableOf(scope)} WHERE scope = '${scope}' AND subject_hash = UNHEX('${hash}')`);
    }
    seeded.clear();
  }
  // Makes the subject's count in its current window `hits`.
  function seedHits(scope, subject, hits) {
    const hash = limitHash(scope, subject);
    seeded.add(`${scope}/${hash}`);
    if (EVENT_SCOPES.has(scope)) {
      sql(`DELETE FROM rate_limit_events WHERE ${where(scope, subject)}`);
      // One statement for any count (MariaDB's SEQUENCE engine), a second old: inside the window.
      if (hits > 0) sql(`INSERT INTO rate_limit_events (scope, subject_hash, occurred_at) SELECT '${scope}', UNHEX('${hash}'), UTC_TIMESTAMP(6) - INTERVAL 1 SECOND FROM seq_1_to_${Math.floor(hits)}`);
      return;
    }
    const w = limits[scope].window;
    sql(`INSERT INTO rate_limits (scope, subject_hash, window_start, hits) VALUES ('${scope}', UNHEX('${hash}'), ` +
        `FROM_UNIXTIME(UNIX_TIMESTAMP() DIV ${w} * ${w}), ${hits}) ON DUPLICATE KEY UPDATE hits = ${hits}`);
  }
  // The subject's count in its current window.
  function hitsOf(scope, subject) {
    if (EVENT_SCOPES.has(scope)) {
      return Number(sqlValue(`SELECT COUNT(*) FROM rate_limit_events WHERE ${where(scope, subject)} ` +
        `AND occurred_at > UTC_TIMESTAMP(6) - INTERVAL ${limits[scope].window} SECOND`));
    }
    return Number(sqlValue(`SELECT COALESCE(SUM(hits), 0) FROM rate_limits WHERE ${where(scope, subject)}`));
  }
  // Everything counted for the subject, in either table, whatever its window.
  function allHitsOf(scope, subject) {
    return Number(sqlValue(`SELECT (SELECT COALESCE(SUM(hits), 0) FROM rate_limits WHERE ${where(scope, subject)}) + ` +
      `(SELECT COUNT(*) FROM rate_limit_events WHERE ${where(scope, subject)})`));
  }
  function blockedSeconds(scope, subject) {
    const v = sqlValue(`SELECT TIMESTAMPDIFF(SECOND, UTC_TIMESTAMP(6), MAX(blocked_until)) FROM rate_limits WHERE ${where(scope, subject)}`);
    return v === null || v === undefined ? null : Number(v);
  }
  // Waits when the current fixed window of `scope` ends within `seconds`, so a
  // test counting N and N+1 never straddles two windows (sliding windows: no-op).
  async function awayFromWindowEnd(scope, seconds = 10) {
    if (EVENT_SCOPES.has(scope)) return;
    const w = limits[scope].window;
    const left = Number(sqlValue(`SELECT ${w} - UNIX_TIMESTAMP() MOD ${w}`));
    if (left <= seconds) await new Promise((r) => setTimeout(r, (left + 1) * 1000));
  }
  return { limits, limitHash, seedHits, removeSeeded, hitsOf, allHitsOf, blockedSeconds, awayFromWindowEnd };
}

module.exports = { limitCounters, cardSubject, EVENT_SCOPES };
