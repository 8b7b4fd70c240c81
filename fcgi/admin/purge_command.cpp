// kosmo-admin purge: deletes what has done its job (issue 5, item 9; run daily
// by systemd/kosmo-purge.timer). Every table is purged in batches of 5000
// rows, each its own transaction, so no purge holds long locks or makes a
// write set too large for Galera. Retention comes from kosmo.conf (purge.*);
// the database clock decides what is old.
#include <sysexits.h>

#include <algorithm>
#include <iostream>
#include <string_view>

#include "admin_commands.h"
#include "audit.h"
#include "audit_totals.h"
#include "expired_limits.h"
#include "rate_limits.h"

namespace kosmo {

const char* const kPurgeHelp = R"(NAME
    kosmo-admin purge - delete expired sessions, tokens, grants, set-aside identities, mails, limits, audit

SYNOPSIS
    kosmo-admin [--config FILE] purge [--dry-run]

DESCRIPTION
    Deletes, in batches of 5000 rows (one transaction each):
      sessions          ended, or idle, more than purge.sessions_days ago (7)
      recovery_grants   expired more than purge.tokens_days ago (7)
      recovery_tokens   expired more than purge.tokens_days ago (7), once no
                        grant refers to them; until then a known token still
                        gets its precise invalid-URL screen (D3)
      email_changes     address changes (D16) whose link expired more than
                        purge.tokens_days ago (7), used or not
      identity_requests set aside (failed_at) more than purge.tokens_days ago
                        (7): a queued identity whose check failed, with
                        what was typed; queued ones are never deleted
      mail_outbox       sent, or failed, more than purge.mail_days ago (30);
                        queued mails are never deleted
      rate_limits,      what no abuse limit reads any more (D7): events older
      rate_limit_events than the longest limits.*.window, login-ID windows
                        that are over and whose lockout has run out (the
                        limits code decides: purge_expired_limits)
      audit_events      older than purge.audit_days (365; at least 30)
    The days are keys of kosmo.conf. Prints one line per table and writes one
    admin_action audit row with the counts. systemd/kosmo-purge.timer runs it
    daily (journalctl -u kosmo-purge).

OPTIONS
    --dry-run   count what would be deleted, delete nothing

EXIT STATUS
    0 done; 64 usage; 69 database unavailable (batches done so far stay
    deleted: run again); 78 configuration error.
)";

namespace {

constexpr int kBatchRows = 5000;

struct PurgeTarget {
  const char* table;
  const char* rule;  // for the report
  const SqlStatement& count;
  const SqlStatement& remove;  // one batch: LIMIT kBatchRows
  int Config::*days;            // purge.*_days: every "?" of count and remove
};

// Each pair: the same WHERE, once counted and once deleted.
// (LIMIT 5000 is kBatchRows.)
#define KOSMO_PURGE(name, table, where)                                                       \
  const SqlStatement kCount##name{"admin.purge_count_" #name, "SELECT COUNT(*) AS n FROM " table \
                                                              " WHERE " where};              \
  const SqlStatement kDelete##name{"admin.purge_delete_" #name,                                \
                                   "DELETE FROM " table " WHERE " where " LIMIT 5000"};

// last_seen_at first: a session ends after it was last seen, so the range on
// idx_sessions_last_seen holds every row the COALESCE keeps, and a batch reads
// those instead of every session (issue 16).
KOSMO_PURGE(Sessions, "sessions",
            "last_seen_at < UTC_TIMESTAMP(6) - INTERVAL ? DAY "
            "AND COALESCE(ended_at, last_seen_at) < UTC_TIMESTAMP(6) - INTERVAL ? DAY")
KOSMO_PURGE(Grants, "recovery_grants", "expires_at < UTC_TIMESTAMP(6) - INTERVAL ? DAY")
// The one pair whose WHEREs differ: the purge deletes the expired grants
// first, so a dry run, which deletes none, counts a token as gone when only
// grants old enough to go with it refer to it.
const SqlStatement kCountTokens{
    "admin.purge_count_Tokens",
    "SELECT COUNT(*) AS n FROM recovery_tokens WHERE expires_at < UTC_TIMESTAMP(6) - INTERVAL ? DAY AND NOT EXISTS "
    "(SELECT 1 FROM recovery_grants g WHERE g.token_id = recovery_tokens.token_id "
    "AND g.expires_at >= UTC_TIMESTAMP(6) - INTERVAL ? DAY)"};
const SqlStatement kDeleteTokens{
    "admin.purge_delete_Tokens",
    "DELETE FROM recovery_tokens WHERE expires_at < UTC_TIMESTAMP(6) - INTERVAL ? DAY AND NOT EXISTS "
    "(SELECT 1 FROM recovery_grants g WHERE g.token_id = recovery_tokens.token_id) LIMIT 5000"};
KOSMO_PURGE(EmailChanges, "email_changes", "expires_at < UTC_TIMESTAMP(6) - INTERVAL ? DAY")
// A set-aside identity (004: its check failed, failed_at is set) holds what
// was typed, card number and address included, and waits for an operator;
// after the tokens' retention it goes like an expired token. A queued one
// (failed_at NULL) is the check's to delete.
KOSMO_PURGE(SetAside, "identity_requests", "failed_at < UTC_TIMESTAMP(6) - INTERVAL ? DAY")
// next_attempt_at for sent mails: a mail is sent after it was due, so the
// range on idx_mail_outbox_due (status, next_attempt_at) holds every sent
// mail old enough, and a batch no longer reads every sent mail (issue 16).
KOSMO_PURGE(Mails, "mail_outbox",
            "((status = 'sent' AND next_attempt_at < UTC_TIMESTAMP(6) - INTERVAL ? DAY "
            "AND sent_at < UTC_TIMESTAMP(6) - INTERVAL ? DAY) "
            "OR (status = 'failed' AND created_at < UTC_TIMESTAMP(6) - INTERVAL ? DAY))")
KOSMO_PURGE(Audit, "audit_events", "occurred_at < UTC_TIMESTAMP(6) - INTERVAL ? DAY")
#undef KOSMO_PURGE

// Every parameter of a purge statement is the target's age in days.
void bind_age(sql::PreparedStatement& st, const SqlStatement& which, const Config& config, const PurgeTarget& target) {
  const std::string_view text = which.text();
  const int parameters = static_cast<int>(std::count(text.begin(), text.end(), '?'));
  for (int i = 1; i <= parameters; ++i) st.setInt(i, config.*target.days);
}

// The limits code knows what its rows mean. A dry run only counts them
// (SELECTs on the time indexes): deleting and rolling back, as it once did,
// locked every expired row for minutes at a large society's scale, while
// the screens write these tables on every login failure and identity check.
long purge_limits(Connection& db, const Config& config, bool dry_run) {
  if (dry_run) {
    Transaction tx(db);
    const long expired = count_expired_limits(tx, config);
    tx.commit();
    return expired;
  }
  long removed = 0;
  for (;;) {
    Transaction tx(db);
    const int batch = purge_expired_limits(tx, config, kBatchRows);
    tx.commit();
    removed += batch;
    if (batch == 0) return removed;
  }
}

}  // namespace

int admin_purge(const Config& config, Connection& db, const std::vector<std::string>& args) {
  const bool dry_run = args.size() == 1 && args[0] == "--dry-run";
  if (!args.empty() && !dry_run) {
    std::cerr << "usage: kosmo-admin purge [--dry-run]\n";
    return EX_USAGE;
  }
  // Grants before tokens: a grant refers to its token.
  const PurgeTarget targets[] = {
      {"sessions", "ended or idle more than purge.sessions_days ago", kCountSessions, kDeleteSessions,
       &Config::purge_sessions_days},
      {"recovery_grants", "expired more than purge.tokens_days ago", kCountGrants, kDeleteGrants,
       &Config::purge_tokens_days},
      {"recovery_tokens", "expired more than purge.tokens_days ago", kCountTokens, kDeleteTokens,
       &Config::purge_tokens_days},
      {"email_changes", "expired more than purge.tokens_days ago", kCountEmailChanges, kDeleteEmailChanges,
       &Config::purge_tokens_days},
      {"identity_requests", "set aside more than purge.tokens_days ago", kCountSetAside, kDeleteSetAside,
       &Config::purge_tokens_days},
      {"mail_outbox", "sent or failed more than purge.mail_days ago", kCountMails, kDeleteMails,
       &Config::purge_mail_days},
      {"audit_events", "older than purge.audit_days", kCountAudit, kDeleteAudit, &Config::purge_audit_days},
  };
  std::string summary;
  if (!dry_run) {
    // The metrics counters keep what the purge deletes (sql/007).
    Transaction tx(db);
    settle_audit_totals(tx);
    tx.commit();
  }
  for (const PurgeTarget& target : targets) {
    long removed = 0;
    if (dry_run) {
      sql::PreparedStatement& count = db.statement(target.count);
      bind_age(count, target.count, config, target);
      Rows rows = query(count);
      rows->next();
      removed = rows->getInt64("n");
    } else {
      for (;;) {
        Transaction tx(db);
        sql::PreparedStatement& remove = tx.statement(target.remove);
        bind_age(remove, target.remove, config, target);
        const int batch = remove.executeUpdate();
        tx.commit();
        removed += batch;
        if (batch < kBatchRows) break;
      }
    }
    std::cout << target.table << ": " << removed << (dry_run ? " would be deleted" : " deleted") << " ("
              << target.rule << ")\n";
    summary += (summary.empty() ? "" : " ") + std::string(target.table) + "=" + std::to_string(removed);
  }
  const long limits = purge_limits(db, config, dry_run);
  std::cout << "rate_limits: " << limits << (dry_run ? " would be deleted" : " deleted")
            << " (events and windows no limit reads any more)\n";
  summary += " rate_limits=" + std::to_string(limits);
  if (!dry_run) {
    Transaction tx(db);
    try_audit_system(tx, AdminActionOutcome::Purge, std::nullopt, summary);
    tx.commit();
  }
  return 0;
}

}  // namespace kosmo
