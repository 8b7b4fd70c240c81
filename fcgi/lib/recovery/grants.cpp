#include "grants.h"

#include "crypto.h"
#include "form.h"
#include "random_token.h"

namespace kosmo {
namespace {

const SqlStatement kInsertGrant{
    "recovery_grants.insert",
    "INSERT INTO recovery_grants (grant_hash, member_id, token_id, created_at, expires_at) "
    "VALUES (?, ?, ?, UTC_TIMESTAMP(6), DATE_ADD(UTC_TIMESTAMP(6), INTERVAL ? SECOND))"};
const SqlStatement kFindGrant{
    "recovery_grants.find",
    "SELECT member_id, reset_used_at IS NOT NULL AS is_reset_used, expires_at <= UTC_TIMESTAMP(6) AS is_expired "
    "FROM recovery_grants WHERE grant_hash = ?"};
const SqlStatement kClaimReset{
    "recovery_grants.claim_reset",
    "UPDATE recovery_grants SET reset_used_at = UTC_TIMESTAMP(6) "
    "WHERE grant_hash = ? AND reset_used_at IS NULL AND expires_at > UTC_TIMESTAMP(6)"};

}  // namespace

std::string_view to_string(GrantStatus status) {
  switch (status) {
    case GrantStatus::Active: return "active";
    case GrantStatus::ResetUsed: return "reset_used";
    case GrantStatus::Expired: return "expired";
    case GrantStatus::Missing: return "missing";
  }
  return "missing";
}

std::ostream& operator<<(std::ostream& out, GrantStatus status) { return out << to_string(status); }

void issue_grant(Transaction& tx, Context& ctx, std::uint64_t member_id, std::uint64_t token_id) {
  const std::string cookie_value = new_random_token();
  sql::PreparedStatement& insert = tx.statement(kInsertGrant);
  insert.setString(1, sha256(cookie_value));
  insert.setUInt64(2, member_id);
  insert.setUInt64(3, token_id);
  insert.setInt(4, ctx.config.grant_ttl);
  insert.executeUpdate();
  ctx.set_cookies.push_back(set_cookie_header(kGrantCookie, cookie_value, ctx.config.grant_ttl));
}

Grant look_up_grant(Transaction& tx, const Request& request) {
  const std::string_view cookie = request.cookie(kGrantCookie);
  if (!is_random_token(cookie)) return {};
  Grant grant;
  grant.grant_hash = sha256(cookie);
  sql::PreparedStatement& find = tx.statement(kFindGrant);
  find.setString(1, grant.grant_hash);
  Rows rows = query(find);
  if (!rows->next()) return {};
  grant.member_id = rows->getUInt64("member_id");
  if (rows->getBoolean("is_expired")) grant.status = GrantStatus::Expired;
  else if (rows->getBoolean("is_reset_used")) grant.status = GrantStatus::ResetUsed;
  else grant.status = GrantStatus::Active;
  return grant;
}

bool claim_grant_for_reset(Transaction& tx, const Grant& grant) {
  sql::PreparedStatement& claim = tx.statement(kClaimReset);
  claim.setString(1, grant.grant_hash);
  return claim.executeUpdate() == 1;
}

}  // namespace kosmo
