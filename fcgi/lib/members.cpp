#include "members.h"

namespace kosmo {
namespace {

#define KOSMO_MEMBER_COLUMNS                                                                        \
  "member_id, login_id, email, display_name, password_hash, password_is_temporary, is_disabled, " \
  "(password_is_temporary = 1 AND password_expires_at <= UTC_TIMESTAMP(6)) AS password_expired, "  \
  "last_login_at IS NOT NULL AS has_logged_in, "                                                     \
  "DATE_FORMAT(DATE_ADD(previous_login_at, INTERVAL 9 HOUR), '%Y-%m-%d %H:%i') AS previous_login_jst "

const SqlStatement kFindByLoginId{"members.find_by_login_id",
                                  "SELECT " KOSMO_MEMBER_COLUMNS "FROM members WHERE login_id = ?"};
const SqlStatement kFindById{"members.find_by_id",
                             "SELECT " KOSMO_MEMBER_COLUMNS "FROM members WHERE member_id = ?"};
const SqlStatement kRecordLogin{
    "members.record_login",
    "UPDATE members SET previous_login_at = last_login_at, last_login_at = UTC_TIMESTAMP(6), "
    "updated_at = UTC_TIMESTAMP(6) WHERE member_id = ?"};
const SqlStatement kStorePassword{
    "members.store_password",
    "UPDATE members SET password_hash = ?, password_is_temporary = ?, "
    "password_expires_at = IF(? = 1, DATE_ADD(UTC_TIMESTAMP(6), INTERVAL ? SECOND), NULL), "
    "password_changed_at = UTC_TIMESTAMP(6), updated_at = UTC_TIMESTAMP(6) WHERE member_id = ?"};
const SqlStatement kUpgradeHash{
    "members.upgrade_hash",
    "UPDATE members SET password_hash = ?, updated_at = UTC_TIMESTAMP(6) WHERE member_id = ?"};
const SqlStatement kUpsert{
    "members.upsert",
    "INSERT INTO members (login_id, card_symbol, card_number, birth_date, email, display_name, password_hash, "
    "password_is_temporary, last_login_at, created_at, updated_at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, IF(? = 1, UTC_TIMESTAMP(6), NULL), UTC_TIMESTAMP(6), UTC_TIMESTAMP(6)) "
    "ON DUPLICATE KEY UPDATE card_symbol = VALUES(card_symbol), card_number = VALUES(card_number), "
    "birth_date = VALUES(birth_date), email = VALUES(email), display_name = VALUES(display_name), "
    "password_hash = COALESCE(VALUES(password_hash), password_hash), "
    "password_is_temporary = VALUES(password_is_temporary), updated_at = UTC_TIMESTAMP(6)"};
const SqlStatement kIdByLoginId{"members.id_by_login_id", "SELECT member_id FROM members WHERE login_id = ?"};

std::optional<Member> read_member(sql::PreparedStatement& st) {
  Rows rows = query(st);
  if (!rows->next()) return std::nullopt;
  Member m;
  m.member_id = rows->getUInt64("member_id");
  m.login_id = rows->getString("login_id").asStdString();
  m.email = nullable_string(*rows, "email");
  m.display_name = nullable_string(*rows, "display_name");
  m.password_hash = nullable_string(*rows, "password_hash");
  m.password_is_temporary = rows->getBoolean("password_is_temporary");
  m.is_disabled = rows->getBoolean("is_disabled");
  m.password_expired = !rows->isNull("password_expired") && rows->getBoolean("password_expired");
  m.has_logged_in = rows->getBoolean("has_logged_in");
  m.previous_login_jst = nullable_string(*rows, "previous_login_jst");
  return m;
}

void set_optional(sql::PreparedStatement& st, int index, const std::optional<std::string>& value) {
  if (value) st.setString(index, *value);
  else st.setNull(index, 0);
}

}  // namespace

std::optional<Member> find_member_by_login_id(Transaction& tx, const std::string& login_id) {
  sql::PreparedStatement& st = tx.statement(kFindByLoginId);
  st.setString(1, login_id);
  return read_member(st);
}

std::optional<Member> find_member_by_id(Transaction& tx, std::uint64_t member_id) {
  sql::PreparedStatement& st = tx.statement(kFindById);
  st.setUInt64(1, member_id);
  return read_member(st);
}

void record_login(Transaction& tx, std::uint64_t member_id) {
  sql::PreparedStatement& st = tx.statement(kRecordLogin);
  st.setUInt64(1, member_id);
  st.executeUpdate();
}

void store_password(Transaction& tx, std::uint64_t member_id, const std::string& hash, bool temporary,
                    int temporary_ttl_seconds) {
  sql::PreparedStatement& st = tx.statement(kStorePassword);
  st.setString(1, hash);
  st.setBoolean(2, temporary);
  st.setBoolean(3, temporary);
  st.setInt(4, temporary_ttl_seconds);
  st.setUInt64(5, member_id);
  st.executeUpdate();
}

void upgrade_password_hash(Transaction& tx, std::uint64_t member_id, const std::string& hash) {
  sql::PreparedStatement& st = tx.statement(kUpgradeHash);
  st.setString(1, hash);
  st.setUInt64(2, member_id);
  st.executeUpdate();
}

std::uint64_t upsert_member(Transaction& tx, const NewMember& member) {
  sql::PreparedStatement& st = tx.statement(kUpsert);
  st.setString(1, member.login_id);
  st.setString(2, member.card_symbol);
  st.setString(3, member.card_number);
  st.setString(4, member.birth_date);
  set_optional(st, 5, member.email);
  set_optional(st, 6, member.display_name);
  set_optional(st, 7, member.password_hash);
  st.setBoolean(8, member.password_is_temporary);
  st.setBoolean(9, member.has_logged_in);
  st.executeUpdate();
  sql::PreparedStatement& id = tx.statement(kIdByLoginId);
  id.setString(1, member.login_id);
  Rows rows = query(id);
  rows->next();
  return rows->getUInt64("member_id");
}

}  // namespace kosmo
