// audit_totals: how many audit events of a kind were recorded, for the
// metrics page, without counting audit_events: a total kept up to a settled
// time (sql/007) plus the rows since, an index range of minutes (issue 16).
#pragma once

#include <cstdint>
#include <string_view>

#include "audit.h"

namespace kosmo {

// Events of a kind (and outcome, when not empty) ever recorded, also those a
// purge has deleted since. Moves the settled total forward when it is more
// than ten minutes old (one small UPDATE), so a scrape reads at most the
// last quarter of an hour of the event's rows.
std::uint64_t total_audit_events(Transaction& tx, AuditEvent event, std::string_view outcome = {});
template <AuditOutcome Outcome>
std::uint64_t total_audit_events(Transaction& tx, Outcome outcome) {
  return total_audit_events(tx, audit_event_of(outcome), to_string(outcome));
}

// Moves every total forward to five minutes ago: kosmo-admin purge calls it
// before it deletes audit rows, so the counters keep what it deletes.
void settle_audit_totals(Transaction& tx);

}  // namespace kosmo
