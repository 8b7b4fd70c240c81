// identity_check: 本人確認 of queued identities, after the answer (R1, R8,
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

// Checks the queued identities of `batch` inside the caller's transaction,
// which has already taken (deleted) their rows, and adds one audit row per
// identity to `audit_rows`, in the batch's order, for the caller to write
// (try_audit_rows) before its COMMIT. Set-based: each step (the D7 counts,
// the member lookup, the tokens, the mails) is one statement for the whole
// batch, so a batch of 20 costs about a dozen round trips, not a hundred
// (issue 16). The batch's order is the order of the checks: the n-th
// attempt of an address counts the n - 1 before it (D7), and of two matches
// of one member only the later URL opens (R8). Throws on a database fault;
// the caller decides whether the rows are tried again (one at a time) or set
// aside.
void check_identities(Transaction& tx, const Config& config, const std::vector<QueuedIdentity>& batch,
                      std::vector<AuditRow>& audit_rows);

}  // namespace kosmo
