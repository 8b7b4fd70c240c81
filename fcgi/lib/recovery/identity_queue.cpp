#include "identity_queue.h"

#include <stdexcept>

namespace kosmo {
namespace {

const SqlStatement kQueueIdentity{
    "identity_requests.insert",
    "INSERT INTO identity_requests (card_symbol, card_number, birth_date, email, ip, user_agent, "
    "http_request_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, UTC_TIMESTAMP(6))"};
// SKIP LOCKED lets the workers of one node pass each other; across Galera
// nodes the DELETE below is what certifies a single owner.
const SqlStatement kOldestIdentities{
    "identity_requests.oldest_batch",
    "SELECT request_id, card_symbol, card_number, DATE_FORMAT(birth_date, '%Y-%m-%d') AS birth_date_iso, email, "
    "is_limited, ip, user_agent, http_request_id FROM identity_requests ORDER BY request_id LIMIT ? "
    "FOR UPDATE SKIP LOCKED"};
// A batch is checked in one transaction (one COMMIT, one log flush) and
// deleted by one DELETE with kIdentityBatch placeholders, the unused ones
// bound to 0, which no row has (AUTO_INCREMENT starts at 1).
constexpr int kIdentityBatch = 20;
const SqlStatement kDeleteIdentities{
    "identity_requests.delete_batch",
    "DELETE FROM identity_requests WHERE request_id IN (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"};

const SqlStatement kCountQueued{"identity_requests.count", "SELECT COUNT(*) AS n FROM identity_requests"};

}  // namespace

std::uint64_t queued_identity_count(Transaction& tx) {
  Rows rows = query(tx.statement(kCountQueued));
  rows->next();
  return rows->getUInt64("n");
}

void queue_identity(Transaction& tx, const IdentityInput& input, const Request& request) {
  sql::PreparedStatement& insert = tx.statement(kQueueIdentity);
  insert.setString(1, input.card_symbol);
  insert.setString(2, input.card_number);
  insert.setString(3, input.birth_date);
  insert.setString(4, input.email);
  insert.setString(5, request.remote_addr);
  insert.setString(6, request.user_agent);
  insert.setString(7, request.request_id);
  insert.executeUpdate();
}

std::vector<QueuedIdentity> take_queued_identities(Transaction& tx) {
  sql::PreparedStatement& select = tx.statement(kOldestIdentities);
  select.setInt(1, kIdentityBatch);
  Rows rows = query(select);
  std::vector<QueuedIdentity> taken;
  while (rows->next()) {
    QueuedIdentity& queued = taken.emplace_back();
    queued.request_id = rows->getUInt64("request_id");
    queued.input.card_symbol = rows->getString("card_symbol").asStdString();
    queued.input.card_number = rows->getString("card_number").asStdString();
    queued.input.birth_date = rows->getString("birth_date_iso").asStdString();
    queued.input.email = rows->getString("email").asStdString();
    queued.limited = rows->getBoolean("is_limited");
    queued.origin.remote_addr = nullable_string(*rows, "ip").value_or("");
    queued.origin.user_agent = nullable_string(*rows, "user_agent").value_or("");
    queued.origin.request_id = nullable_string(*rows, "http_request_id").value_or("");
  }
  rows.reset();
  if (taken.empty()) return taken;
  // The rows our SELECT locked, and only those (on Galera another node's
  // worker may have taken one too; certification then fails one of the two
  // transactions, which is rerun).
  sql::PreparedStatement& remove = tx.statement(kDeleteIdentities);
  for (int slot = 0; slot < kIdentityBatch; ++slot)
    remove.setUInt64(slot + 1, slot < static_cast<int>(taken.size()) ? taken[slot].request_id : 0);
  if (remove.executeUpdate() != static_cast<int>(taken.size()))
    throw std::runtime_error("identity_requests: a taken row was not there to delete");
  return taken;
}

}  // namespace kosmo
