#include "initial_passwords.h"

namespace kosmo {
namespace {

const SqlStatement kNeverLoggedIn{
    "initial_passwords.never_logged_in",
    "SELECT member_id, login_id, display_name FROM members "
    "WHERE last_login_at IS NULL AND is_disabled = 0 ORDER BY member_id"};
// Conditional, so the member's state at the UPDATE decides, not the earlier
// SELECT (a first login in between wins).
const SqlStatement kStoreInitial{
    "initial_passwords.store",
    "UPDATE members SET password_hash = ?, password_is_temporary = 1, "
    "password_expires_at = DATE_ADD(UTC_TIMESTAMP(6), INTERVAL ? SECOND), "
    "password_changed_at = UTC_TIMESTAMP(6), updated_at = UTC_TIMESTAMP(6) "
    "WHERE member_id = ? AND last_login_at IS NULL AND is_disabled = 0"};
// Japan time has no DST: UTC + 9 h, as everywhere a member reads a time.
const SqlStatement kExpiryJst{
    "initial_passwords.expiry_jst",
    "SELECT DATE_FORMAT(DATE_ADD(password_expires_at, INTERVAL 9 HOUR), '%Y-%m-%d %H:%i') AS valid_until "
    "FROM members WHERE member_id = ?"};

}  // namespace

std::vector<InitialCandidate> find_members_never_logged_in(Transaction& tx) {
  Rows rows = query(tx.statement(kNeverLoggedIn));
  std::vector<InitialCandidate> found;
  while (rows->next())
    found.push_back({.member_id = rows->getUInt64("member_id"),
                     .login_id = rows->getString("login_id").asStdString(),
                     .display_name = nullable_string(*rows, "display_name")});
  return found;
}

std::optional<std::string> store_initial_password(Transaction& tx, std::uint64_t member_id, const std::string& hash,
                                                  int ttl_seconds) {
  sql::PreparedStatement& store = tx.statement(kStoreInitial);
  store.setString(1, hash);
  store.setInt(2, ttl_seconds);
  store.setUInt64(3, member_id);
  if (store.executeUpdate() == 0) return std::nullopt;
  sql::PreparedStatement& expiry = tx.statement(kExpiryJst);
  expiry.setUInt64(1, member_id);
  Rows rows = query(expiry);
  if (!rows->next()) return std::nullopt;
  return rows->getString("valid_until").asStdString();
}

}  // namespace kosmo
