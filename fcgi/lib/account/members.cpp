#include "members.h"

#include <algorithm>
#include <stdexcept>
#include <string_view>

#include "json_rows.h"

namespace kosmo {
namespace {

#define KOSMO_MEMBER_COLUMNS                                                                        \
  "member_id, login_id, email, email_source, display_name, password_hash, password_is_temporary, is_disabled, " \
  "(password_is_temporary = 1 AND password_expires_at <= UTC_TIMESTAMP(6)) AS password_expired, "  \
  "last_login_at IS NOT NULL AS has_logged_in, "                                                     \
  "DATE_FORMAT(DATE_ADD(previous_login_at, INTERVAL 9 HOUR), '%Y年%c月%e日 %k時%i分') AS previous_login_jst, " \
  "(previous_login_at = created_at) AS previous_login_is_import, "                                   \
  "DATE_FORMAT(birth_date, '%Y-%m-%d') AS birth_date_iso, "                                          \
  "DATE_FORMAT(DATE_ADD(email_confirmed_at, INTERVAL 9 HOUR), '%Y-%m-%d %H:%i') AS email_confirmed_jst "

constexpr std::size_t kMaxLoginIdBytes = 64;  // the column's width
const SqlStatement kFindByLoginId{"members.find_by_login_id",
                                  "SELECT " KOSMO_MEMBER_COLUMNS "FROM members WHERE login_id = ?"};
const SqlStatement kFindById{"members.find_by_id",
                             "SELECT " KOSMO_MEMBER_COLUMNS "FROM members WHERE member_id = ?"};
// The candidates of a whole batch of identity checks in one statement
// (issue 16): each typed card and birth date is a row of the JSON parameter
// (json_rows.h; the card fields as hex, since members type them in any
// script), joined to members through idx_members_card.
const SqlStatement kFindByCards{
    "members.find_by_cards",
    "SELECT typed.position, " KOSMO_MEMBER_COLUMNS
    "FROM JSON_TABLE(?, '$[*]' COLUMNS (position FOR ORDINALITY, "
    "card_symbol_hex VARCHAR(512) CHARACTER SET ascii PATH '$[0]', "
    "card_number_hex VARCHAR(512) CHARACTER SET ascii PATH '$[1]', typed_birth_date DATE PATH '$[2]')) AS typed "
    "JOIN members ON members.card_symbol = CONVERT(UNHEX(typed.card_symbol_hex) USING utf8mb4) "
    "AND members.card_number = CONVERT(UNHEX(typed.card_number_hex) USING utf8mb4) "
    "AND members.birth_date = typed.typed_birth_date"};
// A write, not SELECT ... FOR UPDATE: on Galera a row lock holds on one node
// only, while a changed row is certified cluster-wide, so two recovery writes
// for one member on two nodes conflict at COMMIT (1213) and the loser is rerun
// after the winner, superseding its token (R8).
const SqlStatement kLockMember{"members.lock",
                               "UPDATE members SET updated_at = UTC_TIMESTAMP(6) WHERE member_id = ?"};
// lock_members: the same write for a batch's members (json_rows.h), in
// member_id order, so two batches that share members lock them in the same
// order and never deadlock on each other.
const SqlStatement kLockMembers{
    "members.lock_batch",
    "UPDATE members JOIN JSON_TABLE(?, '$[*]' COLUMNS (member_id BIGINT UNSIGNED PATH '$[0]')) AS batch "
    "ON members.member_id = batch.member_id SET members.updated_at = UTC_TIMESTAMP(6)"};
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
// One upsert, two statements: one row (member add), and kUpsertBatchRows rows
// at once (import-members: one round trip per hundred members). The same
// rules either way; the ON DUPLICATE part names keep_password_set_here twice.
// has_logged_in's mark is always the row's created_at (R1 ア), also when a
// later import first sets it: that is how マイページ and kosmo-admin member
// show tell it from a login here.
#define KOSMO_UPSERT_INSERT                                                                             \
  "INSERT INTO members (login_id, card_symbol, card_number, birth_date, email, email_source, display_name, " \
  "password_hash, password_is_temporary, last_login_at, created_at, updated_at) VALUES "
#define KOSMO_UPSERT_ROW \
  "(?, ?, ?, ?, ?, IF(? IS NULL, NULL, 'insurer'), ?, ?, ?, IF(? = 1, UTC_TIMESTAMP(6), NULL), " \
  "UTC_TIMESTAMP(6), UTC_TIMESTAMP(6))"
// D16: an address the member confirmed on this system wins over the file of
// import-members (keep_password_set_here, as for passwords), so importing the
// same export again never brings back the address the member replaced;
// `member add` sets the insurer's address. The server assigns left to right
// and later assignments see earlier ones, so email_source, read by the two
// before it, comes last.
#define KOSMO_UPSERT_EMAIL                                                                         \
  "email_confirmed_at = IF(? = 1 AND email_source = 'member', email_confirmed_at, NULL), "         \
  "email = IF(? = 1 AND email_source = 'member', email, VALUES(email)), "                          \
  "email_source = IF(? = 1 AND email_source = 'member', email_source, VALUES(email_source)), "
#define KOSMO_UPSERT_UPDATE                                                                        \
  " ON DUPLICATE KEY UPDATE card_symbol = VALUES(card_symbol), card_number = VALUES(card_number), " \
  "birth_date = VALUES(birth_date), " KOSMO_UPSERT_EMAIL "display_name = VALUES(display_name), "     \
  "password_hash = IF(? = 1 AND password_changed_at IS NOT NULL, password_hash, "                   \
  "COALESCE(VALUES(password_hash), password_hash)), "                                               \
  "password_is_temporary = IF(? = 1 AND password_changed_at IS NOT NULL, password_is_temporary, "   \
  "VALUES(password_is_temporary)), "                                                                \
  "last_login_at = COALESCE(last_login_at, IF(VALUES(last_login_at) IS NULL, NULL, created_at)), "   \
  "updated_at = UTC_TIMESTAMP(6)"
constexpr std::size_t kUpsertRowParameters = 10;
constexpr std::size_t kUpsertBatchRows = 100;
// A hundred rows, written out by the preprocessor: the text stays literals only.
#define KOSMO_UPSERT_ROWS_10                                                                                \
  KOSMO_UPSERT_ROW ", " KOSMO_UPSERT_ROW ", " KOSMO_UPSERT_ROW ", " KOSMO_UPSERT_ROW ", " KOSMO_UPSERT_ROW ", " \
      KOSMO_UPSERT_ROW ", " KOSMO_UPSERT_ROW ", " KOSMO_UPSERT_ROW ", " KOSMO_UPSERT_ROW ", " KOSMO_UPSERT_ROW
#define KOSMO_UPSERT_ROWS_100                                                                         \
  KOSMO_UPSERT_ROWS_10 ", " KOSMO_UPSERT_ROWS_10 ", " KOSMO_UPSERT_ROWS_10 ", " KOSMO_UPSERT_ROWS_10 ", " \
      KOSMO_UPSERT_ROWS_10 ", " KOSMO_UPSERT_ROWS_10 ", " KOSMO_UPSERT_ROWS_10 ", " KOSMO_UPSERT_ROWS_10 ", " \
      KOSMO_UPSERT_ROWS_10 ", " KOSMO_UPSERT_ROWS_10
const SqlStatement kUpsert{"members.upsert", KOSMO_UPSERT_INSERT KOSMO_UPSERT_ROW KOSMO_UPSERT_UPDATE};
const SqlStatement kUpsertBatch{"members.upsert_batch",
                                KOSMO_UPSERT_INSERT KOSMO_UPSERT_ROWS_100 KOSMO_UPSERT_UPDATE};
constexpr std::size_t count_placeholders(std::string_view text) {
  std::size_t n = 0;
  for (const char c : text) n += c == '?';
  return n;
}
static_assert(count_placeholders(KOSMO_UPSERT_ROW) == kUpsertRowParameters);
static_assert(count_placeholders(KOSMO_UPSERT_ROWS_100) == kUpsertBatchRows * kUpsertRowParameters);
static_assert(count_placeholders(KOSMO_UPSERT_UPDATE) == 5);  // bind_keep_flags
#undef KOSMO_UPSERT_INSERT
#undef KOSMO_UPSERT_ROW
#undef KOSMO_UPSERT_ROWS_10
#undef KOSMO_UPSERT_ROWS_100
#undef KOSMO_UPSERT_UPDATE
#undef KOSMO_UPSERT_EMAIL
const SqlStatement kIdByLoginId{"members.id_by_login_id", "SELECT member_id FROM members WHERE login_id = ?"};

// The import's mark is the row's creation time (KOSMO_UPSERT_ROW, and
// KOSMO_UPSERT_UPDATE for a row that exists); a login here is always a later
// statement, so an equal time is the mark and never a login. Its time stays
// in the database.
PreviousLogin previous_login_of(sql::ResultSet& row) {
  if (row.isNull("previous_login_jst")) return PreviousLogin::None;
  if (row.getBoolean("previous_login_is_import")) return PreviousLogin::BeforeThisSite;
  return PreviousLogin::Here;
}

Member member_from_row(sql::ResultSet& row) {
  Member m;
  m.member_id = row.getUInt64("member_id");
  m.login_id = row.getString("login_id").asStdString();
  m.email = nullable_string(row, "email");
  m.email_source = nullable_string(row, "email_source");
  m.email_confirmed_jst = nullable_string(row, "email_confirmed_jst");
  m.display_name = nullable_string(row, "display_name");
  m.password_hash = nullable_string(row, "password_hash");
  m.password_is_temporary = row.getBoolean("password_is_temporary");
  m.is_disabled = row.getBoolean("is_disabled");
  m.password_expired = !row.isNull("password_expired") && row.getBoolean("password_expired");
  m.has_logged_in = row.getBoolean("has_logged_in");
  m.previous_login = previous_login_of(row);
  if (m.previous_login == PreviousLogin::Here) m.previous_login_jst = nullable_string(row, "previous_login_jst");
  m.birth_date = row.getString("birth_date_iso").asStdString();
  return m;
}

std::optional<Member> read_member(sql::PreparedStatement& st) {
  Rows rows = query(st);
  if (!rows->next()) return std::nullopt;
  return member_from_row(*rows);
}

void set_optional(sql::PreparedStatement& st, int index, const std::optional<std::string>& value) {
  if (value) st.setString(index, *value);
  else st.setNull(index, 0);
}

// The kUpsertRowParameters values of one VALUES row; `row` counts from 0.
void bind_upsert_row(sql::PreparedStatement& st, std::size_t row, const NewMember& member) {
  const int at = static_cast<int>(row * kUpsertRowParameters);
  st.setString(at + 1, member.login_id);
  st.setString(at + 2, member.card_symbol);
  st.setString(at + 3, member.card_number);
  st.setString(at + 4, member.birth_date);
  set_optional(st, at + 5, member.email);
  set_optional(st, at + 6, member.email);  // email_source: 'insurer' when there is an address (D16)
  set_optional(st, at + 7, member.display_name);
  set_optional(st, at + 8, member.password_hash);
  st.setBoolean(at + 9, member.password_is_temporary);
  st.setBoolean(at + 10, member.has_logged_in);
}

// The ON DUPLICATE part's flags: three for the address (D16), two for the password.
constexpr int kUpsertKeepFlags = 5;
void bind_keep_flags(sql::PreparedStatement& st, int after, bool keep) {
  for (int i = 1; i <= kUpsertKeepFlags; ++i) st.setBoolean(after + i, keep);
}

}  // namespace

std::optional<Member> find_member_by_login_id(Transaction& tx, const std::string& login_id) {
  // members.login_id is VARCHAR(64) ascii: a typed ID outside it belongs to
  // nobody, and comparing it with the column fails with error 1267 (illegal
  // mix of collations), a 500 the property test found (D18, issue 13).
  if (login_id.size() > kMaxLoginIdBytes) return std::nullopt;
  for (const char c : login_id)
    if (static_cast<unsigned char>(c) >= 0x80) return std::nullopt;
  sql::PreparedStatement& st = tx.statement(kFindByLoginId);
  st.setString(1, login_id);
  return read_member(st);
}

std::optional<Member> find_member_by_id(Transaction& tx, std::uint64_t member_id) {
  sql::PreparedStatement& st = tx.statement(kFindById);
  st.setUInt64(1, member_id);
  return read_member(st);
}

std::vector<std::vector<Member>> find_members_by_cards(Transaction& tx, const std::vector<CardLookup>& lookups) {
  std::vector<std::vector<Member>> candidates(lookups.size());
  if (lookups.empty()) return candidates;
  JsonRows typed;
  for (const CardLookup& lookup : lookups)
    typed.row().hex(lookup.card_symbol).hex(lookup.card_number).word(lookup.birth_date);
  sql::PreparedStatement& st = tx.statement(kFindByCards);
  st.setString(1, typed.json());
  Rows rows = query(st);
  while (rows->next()) {
    const std::size_t position = rows->getUInt64("position");
    if (position >= 1 && position <= lookups.size()) candidates[position - 1].push_back(member_from_row(*rows));
  }
  // In member_id order, as the single lookup gave them: no ORDER BY, which
  // would sort the joined rows through a temporary table.
  for (std::vector<Member>& members : candidates)
    std::sort(members.begin(), members.end(),
              [](const Member& a, const Member& b) { return a.member_id < b.member_id; });
  return candidates;
}

void lock_member(Transaction& tx, std::uint64_t member_id) {
  sql::PreparedStatement& st = tx.statement(kLockMember);
  st.setUInt64(1, member_id);
  st.executeUpdate();
}

void lock_members(Transaction& tx, std::vector<std::uint64_t> member_ids) {
  std::sort(member_ids.begin(), member_ids.end());
  member_ids.erase(std::unique(member_ids.begin(), member_ids.end()), member_ids.end());
  if (member_ids.empty()) return;
  JsonRows batch;
  for (const std::uint64_t member_id : member_ids) batch.row().unsigned_integer(member_id);
  sql::PreparedStatement& st = tx.statement(kLockMembers);
  st.setString(1, batch.json());
  st.executeUpdate();
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
  bind_upsert_row(st, 0, member);
  bind_keep_flags(st, static_cast<int>(kUpsertRowParameters), member.keep_password_set_here);
  st.executeUpdate();
  sql::PreparedStatement& id = tx.statement(kIdByLoginId);
  id.setString(1, member.login_id);
  Rows rows = query(id);
  rows->next();
  return rows->getUInt64("member_id");
}

void upsert_members(Transaction& tx, std::span<const NewMember> members) {
  if (members.empty()) return;
  const bool keep = members.front().keep_password_set_here;
  for (const NewMember& member : members)
    if (member.keep_password_set_here != keep)
      throw std::invalid_argument("upsert_members: keep_password_set_here differs between members");
  while (members.size() >= kUpsertBatchRows) {
    sql::PreparedStatement& st = tx.statement(kUpsertBatch);
    for (std::size_t row = 0; row < kUpsertBatchRows; ++row) bind_upsert_row(st, row, members[row]);
    bind_keep_flags(st, static_cast<int>(kUpsertBatchRows * kUpsertRowParameters), keep);
    st.executeUpdate();
    members = members.subspan(kUpsertBatchRows);
  }
  for (const NewMember& member : members) upsert_member(tx, member);
}

}  // namespace kosmo
