// identity_queue: what 本人確認情報入力画面 hands to its background checks
// (D1). The POST queues the typed identity in one INSERT, the same for every
// member; a check takes the oldest rows and deletes them in the transaction
// that checks them, issues the token and queues the mail, so a row is handled
// exactly once, also when two web nodes' checks reach for it (on Galera the
// loser's DELETE fails certification and the whole transaction is rerun).
// A row whose check keeps failing is set aside, not retried for ever.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "db.h"
#include "http.h"
#include "identity.h"

namespace kosmo {

struct QueuedIdentity {
  // identity_requests.identity_request_id: the queue row, not the POST
  // (that one is origin.request_id, in logs and audit rows).
  std::uint64_t queue_id = 0;
  IdentityInput input;  // normalised as typed (D10)
  Request origin;       // remote_addr, user_agent and request_id of the POST, for the audit row
};

void queue_identity(Transaction& tx, const IdentityInput& input, const Request& request);

// At most this many identities are taken at once (one transaction, one COMMIT).
inline constexpr int kIdentityBatch = 20;

// Up to `limit` (1..kIdentityBatch) of the oldest queued identities that
// are not set aside, oldest first, into `taken`, and deletes them inside
// `tx`; none when the queue is empty (or other checks hold every row). One
// SELECT and one DELETE. `taken` is filled before the DELETE, so when the
// DELETE fails the caller still knows which rows it was taking (a row that
// cannot be taken is set aside like one that cannot be checked).
void take_queued_identities(Transaction& tx, int limit, std::vector<QueuedIdentity>& taken);

// Keeps the row out of every later take: stamps failed_at and `failure`
// (errno or exception kind, never a value of the row). False when the row is
// gone or already set aside (another check got there first).
bool set_identity_aside(Transaction& tx, std::uint64_t queue_id, std::string_view failure);

// Identities waiting for the background check (normally 0), and those set
// aside after a fault (normally 0 too): for the metrics page.
std::uint64_t queued_identity_count(Transaction& tx);
std::uint64_t set_aside_identity_count(Transaction& tx);

}  // namespace kosmo
