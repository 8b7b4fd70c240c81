#include "email_changes.h"

#include "crypto.h"
#include "random_token.h"

namespace kosmo {
namespace {

const SqlStatement kSupersedeOpenChanges{
    "email_changes.supersede_open",
    "UPDATE email_changes SET superseded_at = UTC_TIMESTAMP(6) "
    "WHERE member_id = ? AND consumed_at IS NULL AND superseded_at IS NULL"};
const SqlStatement kInsertChange{
    "email_changes.insert",
    "INSERT INTO email_changes (token_hash, member_id, new_email, old_email, created_at, expires_at) "
    "VALUES (?, ?, ?, ?, UTC_TIMESTAMP(6), DATE_ADD(UTC_TIMESTAMP(6), INTERVAL ? SECOND))"};
const SqlStatement kExpiryOfNewest{
    "email_changes.expiry_of_newest",
    // 「12月3日 9時11分」: the link's deadline, a day ahead (issue 15 item 7).
    "SELECT DATE_FORMAT(DATE_ADD(expires_at, INTERVAL 9 HOUR), '%c月%e日 %k時%i分') AS expires_jst "
    "FROM email_changes WHERE token_hash = ?"};
const SqlStatement kFindPending{
    "email_changes.find_pending",
    "SELECT new_email, DATE_FORMAT(DATE_ADD(expires_at, INTERVAL 9 HOUR), '%Y年%c月%e日 %k時%i分') AS expires_jst, "
    "DATE_FORMAT(DATE_ADD(expires_at, INTERVAL 9 HOUR), '%Y-%m-%d %H:%i') AS expires_iso_jst "
    "FROM email_changes WHERE member_id = ? AND consumed_at IS NULL AND superseded_at IS NULL "
    "AND expires_at > UTC_TIMESTAMP(6) ORDER BY change_id DESC LIMIT 1"};
// One statement decides the race and sets the address (R7, D4, D16): the
// link must be open and the member's registered address still the one of
// the request (<=> matches NULL for a first registration). Exactly one
// caller, on any web or Galera node, sees changed rows; why the others
// failed is looked up after.
const SqlStatement kConfirmChange{
    "email_changes.confirm",
    "UPDATE email_changes c JOIN members m ON m.member_id = c.member_id "
    "SET c.consumed_at = UTC_TIMESTAMP(6), m.email = c.new_email, m.email_source = 'member', "
    "m.email_confirmed_at = UTC_TIMESTAMP(6), m.updated_at = UTC_TIMESTAMP(6) "
    "WHERE c.token_hash = ? AND c.consumed_at IS NULL AND c.superseded_at IS NULL "
    "AND c.expires_at > UTC_TIMESTAMP(6) AND m.email <=> c.old_email AND m.is_disabled = 0"};
const SqlStatement kFindChange{
    "email_changes.find",
    "SELECT c.member_id, c.new_email, c.old_email, c.consumed_at IS NOT NULL AS is_consumed, "
    "c.superseded_at IS NOT NULL AS is_superseded, c.expires_at <= UTC_TIMESTAMP(6) AS is_expired, "
    "NOT (m.email <=> c.old_email) AS address_changed, m.is_disabled "
    "FROM email_changes c JOIN members m ON m.member_id = c.member_id WHERE c.token_hash = ?"};

std::optional<std::string> stored_hash(std::string_view url_value) {
  if (!is_random_token(url_value)) return std::nullopt;
  return sha256(*base64url_decode(url_value));
}

ChangeState find_change(Transaction& tx, const std::string& hash) {
  sql::PreparedStatement& find = tx.statement(kFindChange);
  find.setString(1, hash);
  Rows rows = query(find);
  if (!rows->next()) return {};
  if (rows->getBoolean("is_disabled")) return {};  // generic: says nothing about the account
  ChangeState state;
  state.member_id = rows->getUInt64("member_id");
  state.new_email = rows->getString("new_email").asStdString();
  state.old_email = nullable_string(*rows, "old_email");
  // Used first, as for the ID mail: the cause the member can act on (D3).
  if (rows->getBoolean("is_consumed")) state.confirmation = EmailConfirmation::AlreadyUsed;
  else if (rows->getBoolean("is_superseded")) state.confirmation = EmailConfirmation::Superseded;
  else if (rows->getBoolean("is_expired")) state.confirmation = EmailConfirmation::Expired;
  else if (rows->getBoolean("address_changed")) state.confirmation = EmailConfirmation::AddressChanged;
  else state.confirmation = EmailConfirmation::Confirmed;
  return state;
}

}  // namespace

std::string mask_address(std::string_view address) {
  const auto at = address.rfind('@');
  if (at == std::string_view::npos || at == 0) return "***";
  // The first character whole, even when it takes several bytes (UTF-8).
  std::size_t first = 1;
  while (first < at && (static_cast<unsigned char>(address[first]) & 0xC0) == 0x80) ++first;
  return std::string(address.substr(0, first)) + "***" + std::string(address.substr(at));
}

std::string_view to_string(EmailConfirmation confirmation) {
  switch (confirmation) {
    case EmailConfirmation::Confirmed: return "confirmed";
    case EmailConfirmation::AlreadyUsed: return "already_used";
    case EmailConfirmation::Superseded: return "superseded";
    case EmailConfirmation::Expired: return "expired";
    case EmailConfirmation::AddressChanged: return "address_changed";
    case EmailConfirmation::Unknown: return "unknown";
  }
  return "unknown";
}

std::ostream& operator<<(std::ostream& out, EmailConfirmation confirmation) { return out << to_string(confirmation); }
AuditEvent audit_event_of(EmailConfirmation) { return AuditEvent::EmailChangeConfirm; }

RequestedChange request_email_change(Transaction& tx, std::uint64_t member_id, const std::string& new_email,
                                     const std::optional<std::string>& old_email, int ttl_seconds) {
  sql::PreparedStatement& supersede = tx.statement(kSupersedeOpenChanges);  // newest wins (R8)
  supersede.setUInt64(1, member_id);
  supersede.executeUpdate();

  const std::string raw = random_bytes(kRandomTokenBytes);  // OpenSSL RAND_bytes (D4)
  const std::string hash = sha256(raw);
  sql::PreparedStatement& insert = tx.statement(kInsertChange);
  insert.setString(1, hash);
  insert.setUInt64(2, member_id);
  insert.setString(3, new_email);
  if (old_email) insert.setString(4, *old_email);
  else insert.setNull(4, 0);
  insert.setInt(5, ttl_seconds);
  insert.executeUpdate();

  RequestedChange change;
  change.url_value = base64url_encode(raw);
  sql::PreparedStatement& expiry = tx.statement(kExpiryOfNewest);
  expiry.setString(1, hash);
  Rows rows = query(expiry);
  if (rows->next()) change.expires_jst = rows->getString("expires_jst").asStdString();
  return change;
}

std::optional<PendingChange> find_pending_change(Transaction& tx, std::uint64_t member_id) {
  sql::PreparedStatement& find = tx.statement(kFindPending);
  find.setUInt64(1, member_id);
  Rows rows = query(find);
  if (!rows->next()) return std::nullopt;
  return PendingChange{rows->getString("new_email").asStdString(), rows->getString("expires_jst").asStdString(),
                       rows->getString("expires_iso_jst").asStdString()};
}

ChangeState look_up_email_change(Transaction& tx, std::string_view url_value) {
  const std::optional<std::string> hash = stored_hash(url_value);
  if (!hash) return {};
  return find_change(tx, *hash);
}

ChangeState confirm_email_change(Transaction& tx, std::string_view url_value) {
  const std::optional<std::string> hash = stored_hash(url_value);
  if (!hash) return {};
  sql::PreparedStatement& confirm = tx.statement(kConfirmChange);
  confirm.setString(1, *hash);
  const bool confirmed_now = confirm.executeUpdate() > 0;
  if (!confirmed_now) return find_change(tx, *hash);
  ChangeState state = find_change(tx, *hash);
  // Our own UPDATE just used the link: its row count, not the row, says who won.
  state.confirmation = EmailConfirmation::Confirmed;
  sql::PreparedStatement& supersede = tx.statement(kSupersedeOpenChanges);  // any other open change ends
  supersede.setUInt64(1, state.member_id);
  supersede.executeUpdate();
  return state;
}

}  // namespace kosmo
