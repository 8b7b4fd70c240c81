#include "tokens.h"

#include <algorithm>
#include <stdexcept>

#include "crypto.h"
#include "json_rows.h"
#include "members.h"
#include "random_token.h"

namespace kosmo {
namespace {

// A batch's members' open URLs end in one statement, and the batch's new
// tokens go in with one (json_rows.h; issue 16). A URL that expired more than
// 10 minutes ago is left as it is: it opens nothing already, and marking it
// cost an UPDATE that changes an index per old URL on every request of a
// member who asked before. It is still named superseded (D3): kFindToken and
// the procedure (sql/010) look for a newer token of the member. The margin
// keeps R8 when two web nodes' clocks differ: a URL a node still finds open
// is always marked.
const SqlStatement kSupersedeOpenTokens{
    "recovery_tokens.supersede_open_batch",
    "UPDATE recovery_tokens JOIN JSON_TABLE(?, '$[*]' COLUMNS (member_id BIGINT UNSIGNED PATH '$[0]')) AS batch "
    "ON recovery_tokens.member_id = batch.member_id SET recovery_tokens.superseded_at = UTC_TIMESTAMP(6) "
    "WHERE recovery_tokens.consumed_at IS NULL AND recovery_tokens.superseded_at IS NULL "
    "AND recovery_tokens.expires_at > UTC_TIMESTAMP(6) - INTERVAL 10 MINUTE"};
// A token is born superseded when a later one of the same batch is its
// member's too: only the newest URL opens (R8), as when the two checks ran
// one after the other.
const SqlStatement kInsertTokens{
    "recovery_tokens.insert_batch",
    "INSERT INTO recovery_tokens (token_hash, member_id, created_at, expires_at, superseded_at, "
    "failed_confirmations) "
    "SELECT UNHEX(batch.token_hash_hex), batch.member_id, UTC_TIMESTAMP(6), "
    "DATE_ADD(UTC_TIMESTAMP(6), INTERVAL ? SECOND), IF(batch.superseded = 1, UTC_TIMESTAMP(6), NULL), 0 "
    "FROM JSON_TABLE(?, '$[*]' COLUMNS (token_hash_hex VARCHAR(64) CHARACTER SET ascii "
    "PATH '$[0]', member_id BIGINT UNSIGNED PATH '$[1]', superseded INT PATH '$[2]')) AS batch"};
// The token POST in one round trip before its COMMIT (issue 16; it was five).
// The procedure's body is in sql/008_token_redeem.sql: one conditional
// UPDATE decides the race between two tabs, or a scanner and the member, so
// exactly one caller sees a changed row (R7, D4); then the token's state (D3),
// the token_redeem audit row (D8) and, when granted, the grant row (D5). It
// answers one row: outcome (a to_string(Redemption)), member_id, token_id,
// and audit_errno / audit_sqlstate of an audit row the database refused.
// Parameters: token hash (NULL: cannot be a token), max failures, grant
// hash, grant ttl, then the audit row's ip, user agent and request id.
const SqlStatement kRedeemToken{"recovery_tokens.redeem", "CALL recovery_token_redeem(?, ?, ?, ?, ?, ?, ?)"};
// consumed_at is assigned first, so it sees the count before this failure
// whether or not the server evaluates assignments left to right.
const SqlStatement kCountFailedConfirmation{
    "recovery_tokens.count_failed_confirmation",
    "UPDATE recovery_tokens SET consumed_at = IF(failed_confirmations + 1 >= ?, UTC_TIMESTAMP(6), NULL), "
    "failed_confirmations = failed_confirmations + 1 "
    "WHERE token_hash = ? AND consumed_at IS NULL AND superseded_at IS NULL "
    "AND expires_at > UTC_TIMESTAMP(6)"};
// Only an expired token can be superseded and unmarked (kSupersedeOpenTokens
// marks every URL still open, and 10 minutes past), so the look for a newer
// token is made for expired ones alone: one index probe less on every GET of
// a URL that still opens.
const SqlStatement kFindToken{
    "recovery_tokens.find",
    "SELECT token_id, member_id, failed_confirmations, consumed_at IS NOT NULL AS is_consumed, "
    "(superseded_at IS NOT NULL OR (expires_at <= UTC_TIMESTAMP(6) AND EXISTS (SELECT 1 FROM recovery_tokens AS newer "
    "WHERE newer.member_id = this_token.member_id AND newer.token_id > this_token.token_id))) AS is_superseded, "
    "expires_at <= UTC_TIMESTAMP(6) AS is_expired "
    "FROM recovery_tokens AS this_token WHERE token_hash = ?"};

// The stored form of a URL value, or nullopt when it cannot be one of ours
// (strict base64url of exactly 32 bytes: one spelling per token).
std::optional<std::string> stored_hash(std::string_view url_value) {
  if (!is_random_token(url_value)) return std::nullopt;
  return sha256(*base64url_decode(url_value));
}

// The procedure's outcome text back as the enum; a text this program does
// not know means the migration and the program disagree: a fault.
Redemption redemption_named(std::string_view name) {
  for (Redemption r : {Redemption::Granted, Redemption::AlreadyUsed, Redemption::TooManyFailures,
                       Redemption::Superseded, Redemption::Expired, Redemption::Unknown})
    if (to_string(r) == name) return r;
  throw std::runtime_error("recovery_token_redeem answered an unknown outcome");
}

// A NULL for an empty value, as audit() stores it.
void set_or_null(sql::PreparedStatement& st, int index, std::string_view value) {
  if (value.empty()) st.setNull(index, 0);
  else st.setString(index, std::string(value));
}

TokenState find_token(Transaction& tx, const std::string& hash, int max_failures) {
  sql::PreparedStatement& find = tx.statement(kFindToken);
  find.setString(1, hash);
  Rows rows = query(find);
  if (!rows->next()) return {};
  TokenState state;
  state.token_id = rows->getUInt64("token_id");
  state.member_id = rows->getUInt64("member_id");
  state.failed_confirmations = rows->getInt("failed_confirmations");
  // A used token is reported as used even when it has expired since: that is
  // the cause the member can act on (D3).
  if (rows->getBoolean("is_consumed"))
    state.redemption = state.failed_confirmations >= max_failures ? Redemption::TooManyFailures
                                                                  : Redemption::AlreadyUsed;
  else if (rows->getBoolean("is_superseded")) state.redemption = Redemption::Superseded;
  else if (rows->getBoolean("is_expired")) state.redemption = Redemption::Expired;
  else state.redemption = Redemption::Granted;
  return state;
}

}  // namespace

std::string_view to_string(Redemption redemption) {
  switch (redemption) {
    case Redemption::Granted: return "granted";
    case Redemption::AlreadyUsed: return "already_used";
    case Redemption::TooManyFailures: return "too_many_failures";
    case Redemption::Superseded: return "superseded";
    case Redemption::Expired: return "expired";
    case Redemption::Unknown: return "unknown";
  }
  return "unknown";
}

std::ostream& operator<<(std::ostream& out, Redemption redemption) { return out << to_string(redemption); }
AuditEvent audit_event_of(Redemption) { return AuditEvent::TokenRedeem; }

std::vector<IssuedToken> issue_id_notice_tokens(Transaction& tx, const std::vector<std::uint64_t>& member_ids,
                                                int ttl_seconds) {
  std::vector<IssuedToken> tokens(member_ids.size());
  if (member_ids.empty()) return tokens;
  // Two checks of one member at once (two batches, or two web nodes) queue
  // here, so the later one sees and supersedes the earlier one's token (R8).
  lock_members(tx, member_ids);

  JsonRows members;
  for (const std::uint64_t member_id : member_ids) members.row().unsigned_integer(member_id);
  sql::PreparedStatement& supersede = tx.statement(kSupersedeOpenTokens);
  supersede.setString(1, members.json());
  supersede.executeUpdate();

  JsonRows issued;
  for (std::size_t i = 0; i < member_ids.size(); ++i) {
    const std::string raw = random_bytes(kRandomTokenBytes);  // OpenSSL RAND_bytes (D4)
    tokens[i].url_value = base64url_encode(raw);
    const bool later_one_of_same_member =
        std::find(member_ids.begin() + static_cast<std::ptrdiff_t>(i) + 1, member_ids.end(), member_ids[i]) !=
        member_ids.end();
    issued.row().hex(sha256(raw)).unsigned_integer(member_ids[i]).integer(later_one_of_same_member ? 1 : 0);
  }
  sql::PreparedStatement& insert = tx.statement(kInsertTokens);
  insert.setInt(1, ttl_seconds);
  insert.setString(2, issued.json());
  insert.executeUpdate();
  return tokens;
}

TokenState look_up_token(Transaction& tx, std::string_view url_value, int max_failures) {
  const std::optional<std::string> hash = stored_hash(url_value);
  if (!hash) return {};
  return find_token(tx, *hash, max_failures);
}

TokenState redeem_token(Transaction& tx, std::string_view url_value, int max_failures, const NewGrant& grant,
                        const Request& request) {
  sql::PreparedStatement& redeem = tx.statement(kRedeemToken);
  // A value that cannot be a token still gets its audit row, as unknown.
  const std::optional<std::string> hash = stored_hash(url_value);
  if (hash) redeem.setString(1, *hash);
  else redeem.setNull(1, 0);
  redeem.setInt(2, max_failures);
  redeem.setString(3, grant.hash);
  redeem.setInt(4, grant.ttl_seconds);
  set_or_null(redeem, 5, request.remote_addr);
  set_or_null(redeem, 6, request.user_agent);
  set_or_null(redeem, 7, request.request_id);
  TokenState state;
  RoutineAuditRow audit_row;
  call_procedure(redeem, [&](sql::ResultSet& rows) {
    if (!rows.next()) throw std::runtime_error("recovery_token_redeem answered no row");
    state.redemption = redemption_named(rows.getString("outcome").asStdString());
    if (!rows.isNull("member_id")) state.member_id = rows.getUInt64("member_id");
    if (!rows.isNull("token_id")) state.token_id = rows.getUInt64("token_id");
    audit_row.error_code = rows.getInt("audit_errno");
    audit_row.sqlstate = rows.getString("audit_sqlstate").asStdString();
  });
  const std::optional<std::uint64_t> member = state.member_id ? std::optional(state.member_id) : std::nullopt;
  audit_written_by_routine(tx, state.redemption, member, request, audit_row);  // D8, D18
  return state;
}

TokenState record_failed_confirmation(Transaction& tx, std::string_view url_value, int max_failures) {
  const std::optional<std::string> hash = stored_hash(url_value);
  if (!hash) return {};
  sql::PreparedStatement& count = tx.statement(kCountFailedConfirmation);
  count.setInt(1, max_failures);
  count.setString(2, *hash);
  count.executeUpdate();
  return find_token(tx, *hash, max_failures);
}

}  // namespace kosmo
