// grants: what a browser holds after opening the mail URL (D5). The token
// leaves the URL (303 to /id-notice, as Django's PasswordResetConfirmView
// does), and the browser gets an HttpOnly __Host- cookie of 32 random bytes
// whose SHA-256 is a row in recovery_grants: for grant.ttl (15 min) it may
// reload ログインID再通知画面 and press 「パスワード初期化」 once (R10, D6).
// The state is server-side, so a copied cookie cannot be rolled back.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>

#include "context.h"
#include "db.h"
#include "http.h"

namespace kosmo {

inline constexpr std::string_view kGrantCookie = "__Host-kosmo_grant";

// A grant before it is stored: the cookie's value goes to the browser only,
// the database gets its SHA-256. The token POST stores it in the same
// statement that consumes the token (redeem_token, tokens.h), so it is made
// before the outcome is known and dropped unless the token was granted.
struct NewGrant {
  std::string cookie_value;  // 32 random bytes, base64url (D5)
  std::string hash;          // raw SHA-256 of cookie_value: the row's grant_hash
  int ttl_seconds = 0;       // grant.ttl
};
NewGrant new_grant(int ttl_seconds);

// Adds the cookie of a grant that redeem_token stored, Max-Age = its ttl.
void hand_out_grant(Context& ctx, const NewGrant& grant);

enum class GrantStatus {
  Active,     // shows the ID, allows one password initialisation
  ResetUsed,  // shows the ID; 「パスワード初期化」 was pressed already (D5: once)
  Expired,    // older than grant.ttl (D5)
  Missing,    // no cookie, a malformed one, or one we never issued
};
std::string_view to_string(GrantStatus status);
std::ostream& operator<<(std::ostream& out, GrantStatus status);

struct Grant {
  GrantStatus status = GrantStatus::Missing;
  std::string grant_hash;  // raw SHA-256 of the cookie value
  std::uint64_t member_id = 0;
};

// The grant named by this request's cookie, without changing it.
Grant look_up_grant(Transaction& tx, const Request& request);

// R10, D5: one atomic conditional UPDATE marks the grant's password
// initialisation as used; true for exactly one caller per grant.
bool claim_grant_for_reset(Transaction& tx, const Grant& grant);

}  // namespace kosmo
