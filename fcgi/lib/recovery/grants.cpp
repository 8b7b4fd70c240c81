#include "grants.h"

#include "crypto.h"
#include "form.h"
#include "random_token.h"

namespace kosmo {
namespace {

// The grant's INSERT is in recovery_token_redeem (sql/008_token_redeem.sql),
// beside the token's consumption: one round trip for the token POST.
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

NewGrant new_grant(int ttl_seconds) {
  NewGrant grant;
  grant.cookie_value = new_random_token();
  grant.hash = sha256(grant.cookie_value);
  grant.ttl_seconds = ttl_seconds;
  return grant;
}

void hand_out_grant(Context& ctx, const NewGrant& grant) {
  ctx.set_cookies.push_back(set_cookie_header(kGrantCookie, grant.cookie_value, grant.ttl_seconds));
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
