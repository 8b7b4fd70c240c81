#include "expired_limits.h"

#include <algorithm>

namespace kosmo {
namespace {

// The WHEREs of limits.purge_events and limits.purge_windows (rate_limits.cpp),
// each a range on its table's time index. admin_test's purge test compares a
// dry run with the purge that follows it, so the two cannot drift apart unseen.
const SqlStatement kCountExpiredEvents{
    "limits.count_expired_events",
    "SELECT COUNT(*) AS n FROM rate_limit_events WHERE occurred_at < UTC_TIMESTAMP(6) - INTERVAL ? SECOND"};
const SqlStatement kCountExpiredWindows{
    "limits.count_expired_windows",
    "SELECT COUNT(*) AS n FROM rate_limits WHERE window_start < UTC_TIMESTAMP() - INTERVAL ? SECOND "
    "AND (blocked_until IS NULL OR blocked_until < UTC_TIMESTAMP(6))"};

long count_of(sql::PreparedStatement& count) {
  Rows rows = query(count);
  rows->next();
  return rows->getInt64("n");
}

}  // namespace

long count_expired_limits(Transaction& tx, const Config& config) {
  const AbuseLimits& l = config.limits;
  // One age for the events of every scope, as the purge takes: the longest window.
  const int longest = std::max({l.identity_per_ip.window_seconds, l.identity_per_card.window_seconds,
                                l.login_failures_per_ip.window_seconds, l.email_changes_per_member.window_seconds});
  sql::PreparedStatement& events = tx.statement(kCountExpiredEvents);
  events.setInt(1, longest);
  sql::PreparedStatement& windows = tx.statement(kCountExpiredWindows);
  windows.setInt(1, l.login_failures_per_id.window_seconds);
  return count_of(events) + count_of(windows);
}

}  // namespace kosmo
