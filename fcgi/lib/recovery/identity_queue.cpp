#include "identity_queue.h"

#include <stdexcept>
#include <string>

namespace kosmo {
namespace {

const SqlStatement kQueueIdentity{
    "identity_requests.insert",
    "INSERT INTO identity_requests (card_symbol, card_number, birth_date, email, ip, user_agent, "
    "http_request_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, UTC_TIMESTAMP(6))"};
// SKIP LOCKED lets the checks of one node pass each other; across Galera
// nodes the DELETE below is what certifies a single owner. A row set aside
// (failed_at) is never taken again (idx_identity_requests_waiting).
const SqlStatement kOldestIdentities{
    "identity_requests.oldest_batch",
    "SELECT identity_request_id, card_symbol, card_number, DATE_FORMAT(birth_date, '%Y-%m-%d') AS birth_date_iso, "
    "email, ip, user_agent, http_request_id FROM identity_requests WHERE failed_at IS NULL "
    "ORDER BY identity_request_id LIMIT ? FOR UPDATE SKIP LOCKED"};
// A batch is deleted by one DELETE with kIdentityBatch placeholders, the
// unused ones bound to the batch's first id again. (Not to 0, which no row
// has: looking for 0 reads the table's first row, and when another check
// thread had taken that row the DELETE waited for it while that thread's
// DELETE waited for ours: deadlocks, each a batch rolled back and retried
// after a growing pause, which held the drain at a fraction of the answers:
// bench/README.md, issue 16.)
const SqlStatement kDeleteIdentities{
    "identity_requests.delete_batch",
    "DELETE FROM identity_requests WHERE identity_request_id IN "
    "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"};
const SqlStatement kSetAside{
    "identity_requests.set_aside",
    "UPDATE identity_requests SET failed_at = UTC_TIMESTAMP(6), failure = ? "
    "WHERE identity_request_id = ? AND failed_at IS NULL"};

const SqlStatement kCountQueued{"identity_requests.count",
                                "SELECT COUNT(*) AS n FROM identity_requests WHERE failed_at IS NULL"};
const SqlStatement kCountSetAside{"identity_requests.count_set_aside",
                                  "SELECT COUNT(*) AS n FROM identity_requests WHERE failed_at IS NOT NULL"};

std::uint64_t count(Transaction& tx, const SqlStatement& statement) {
  Rows rows = query(tx.statement(statement));
  rows->next();
  return rows->getUInt64("n");
}

}  // namespace

std::uint64_t queued_identity_count(Transaction& tx) { return count(tx, kCountQueued); }
std::uint64_t set_aside_identity_count(Transaction& tx) { return count(tx, kCountSetAside); }

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

void take_queued_identities(Transaction& tx, int limit, std::vector<QueuedIdentity>& taken) {
  if (limit < 1 || limit > kIdentityBatch) throw std::invalid_argument("take_queued_identities: limit out of range");
  taken.clear();
  sql::PreparedStatement& select = tx.statement(kOldestIdentities);
  select.setInt(1, limit);
  Rows rows = query(select);
  while (rows->next()) {
    QueuedIdentity& queued = taken.emplace_back();
    queued.queue_id = rows->getUInt64("identity_request_id");
    queued.input.card_symbol = rows->getString("card_symbol").asStdString();
    queued.input.card_number = rows->getString("card_number").asStdString();
    queued.input.birth_date = rows->getString("birth_date_iso").asStdString();
    queued.input.email = rows->getString("email").asStdString();
    queued.origin.remote_addr = nullable_string(*rows, "ip").value_or("");
    queued.origin.user_agent = nullable_string(*rows, "user_agent").value_or("");
    queued.origin.request_id = nullable_string(*rows, "http_request_id").value_or("");
  }
  rows.reset();
  if (taken.empty()) return;
  // The rows our SELECT locked, and only those (on Galera another node's
  // check may have taken one too; certification then fails one of the two
  // transactions, which is rerun).
  sql::PreparedStatement& remove = tx.statement(kDeleteIdentities);
  for (int slot = 0; slot < kIdentityBatch; ++slot)
    remove.setUInt64(slot + 1, taken[slot < static_cast<int>(taken.size()) ? slot : 0].queue_id);
  if (remove.executeUpdate() != static_cast<int>(taken.size()))
    throw std::runtime_error("identity_requests: a taken row was not there to delete");
}

bool set_identity_aside(Transaction& tx, std::uint64_t queue_id, std::string_view failure) {
  sql::PreparedStatement& update = tx.statement(kSetAside);
  update.setString(1, std::string(failure));
  update.setUInt64(2, queue_id);
  return update.executeUpdate() == 1;
}

}  // namespace kosmo
