// identity_queue: what 本人確認情報入力画面 hands to its background worker
// (D1). The POST queues the typed identity in one INSERT, the same for every
// member; a worker takes the oldest rows and deletes them in the transaction
// that matches it, issues the token and queues the mail, so a row is handled
// exactly once, also when two web nodes' workers reach for it (on Galera the
// loser's DELETE fails certification and the whole transaction is rerun).
#pragma once

#include <cstdint>
#include <vector>

#include "db.h"
#include "http.h"
#include "identity.h"

namespace kosmo {

struct QueuedIdentity {
  std::uint64_t request_id = 0;
  IdentityInput input;  // normalised as typed (D10)
  // Set only by programs before the limits moved into the check: such a
  // POST counted its D7 attempt in the answer and found it over a limit.
  // Today's answer counts nothing and leaves it false.
  bool limited = false;
  Request origin;       // remote_addr, user_agent and request_id of the POST, for the audit row
};

void queue_identity(Transaction& tx, const IdentityInput& input, const Request& request);

// Up to 20 of the oldest queued identities, oldest first,
// already deleted inside `tx`; none when the queue is empty (or other workers
// hold every row). One SELECT and one DELETE for the batch.
std::vector<QueuedIdentity> take_queued_identities(Transaction& tx);

// Identities waiting for the background check (normally 0: for the metrics page).
std::uint64_t queued_identity_count(Transaction& tx);

}  // namespace kosmo
