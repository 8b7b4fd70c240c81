// identity_check: 本人確認 of one queued identity, after the answer (R1, R8,
// D1, D7, D10, D11, D13). The POST only queued what was typed
// (identity_queue); here the D7 limits count the attempt, the members are
// matched (identity), and an eligible member gets a new URL (tokens) and
// ログインID再通知のお知らせ (outbox). Every queued identity ends in one
// identity_check audit row (D8).
#pragma once

#include <vector>

#include "audit.h"
#include "config.h"
#include "db.h"
#include "identity.h"
#include "identity_queue.h"

namespace kosmo {

// Checks `queued` inside the caller's transaction, which has already taken
// (deleted) its row, and adds its audit row to `audit_rows`, for the caller
// to write with the batch's others (try_audit_rows) before its COMMIT.
// Throws on a database fault; the caller decides whether the row is tried
// again or set aside.
IdentityOutcome check_identity(Transaction& tx, const Config& config, const QueuedIdentity& queued,
                               std::vector<AuditRow>& audit_rows);

}  // namespace kosmo
