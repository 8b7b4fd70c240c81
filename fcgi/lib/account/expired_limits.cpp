#include "expired_limits.h"

#include <algorithm>

namespace kosmo {
namespace {

// Each table's rows no limit reads any more, written once: the purge's DELETE
// and the dry run's COUNT are built from the same text, so `purge --dry-run`
// cannot count other rows than `purge` deletes. Each is a range on the table's
// time index (idx_rate_limit_events_time, idx_rate_limits_window), and its
// one "?" is bound by bind_ages.
#define KOSMO_EXPIRED_EVENTS "rate_limit_events WHERE occurred_at < UTC_TIMESTAMP(6) - INTERVAL ? SECOND"
#define KOSMO_EXPIRED_WINDOWS                                               \
  "rate_limits WHERE window_start < UTC_TIMESTAMP() - INTERVAL ? SECOND " \
  "AND (blocked_until IS NULL OR blocked_until < UTC_TIMESTAMP(6))"
const SqlStatement kPurgeEvents{"limits.purge_events", "DELETE FROM " KOSMO_EXPIRED_EVENTS " LIMIT ?"};
const SqlStatement kCountExpiredEvents{"limits.count_expired_events",
                                       "SELECT COUNT(*) AS n FROM " KOSMO_EXPIRED_EVENTS};
const SqlStatement kPurgeWindows{"limits.purge_windows", "DELETE FROM " KOSMO_EXPIRED_WINDOWS " LIMIT ?"};
const SqlStatement kCountExpiredWindows{"limits.count_expired_windows",
                                        "SELECT COUNT(*) AS n FROM " KOSMO_EXPIRED_WINDOWS};
#undef KOSMO_EXPIRED_EVENTS
#undef KOSMO_EXPIRED_WINDOWS

// The ages in the WHEREs, for the purge and the count alike. Events of every
// scope go at one age, the longest window: any younger event may still be in
// some limit's window. A login-ID window goes once its own window is over.
void bind_ages(sql::PreparedStatement& events, sql::PreparedStatement& windows, const AbuseLimits& l) {
  events.setInt(1, std::max({l.identity_per_ip.window_seconds, l.identity_per_card.window_seconds,
                             l.login_failures_per_ip.window_seconds, l.email_changes_per_member.window_seconds}));
  windows.setInt(1, l.login_failures_per_id.window_seconds);
}

long count_of(sql::PreparedStatement& count) {
  Rows rows = query(count);
  rows->next();
  return rows->getInt64("n");
}

}  // namespace

int purge_expired_limits(Transaction& tx, const Config& config, int batch) {
  sql::PreparedStatement& events = tx.statement(kPurgeEvents);
  sql::PreparedStatement& windows = tx.statement(kPurgeWindows);
  bind_ages(events, windows, config.limits);
  events.setInt(2, batch);
  windows.setInt(2, batch);
  const int removed = events.executeUpdate();
  return removed + windows.executeUpdate();
}

long count_expired_limits(Transaction& tx, const Config& config) {
  sql::PreparedStatement& events = tx.statement(kCountExpiredEvents);
  sql::PreparedStatement& windows = tx.statement(kCountExpiredWindows);
  bind_ages(events, windows, config.limits);
  return count_of(events) + count_of(windows);
}

}  // namespace kosmo
