// tokens: the URL of ログインID再通知のお知らせ (R6, R7, R8, D2, D3, D4, D15).
// 32 random bytes travel base64url in the mail; only their SHA-256 is stored,
// so a copy of the table opens nothing. Whether a token works is decided by
// one conditional UPDATE, so two openings (two tabs, a scanner and the member,
// two web nodes) can never both succeed; why it failed is looked up after.
#pragma once

#include <cstddef>
#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "audit.h"
#include "db.h"
#include "grants.h"
#include "http.h"

namespace kosmo {

struct IssuedToken {
  std::string url_value;  // a random token (random_token.h), 43 characters: goes into the mail and nowhere else (D12)
};

// For each member of a batch of identity checks, in order: locks the
// members' rows, marks every open token of theirs superseded (R8) and stores
// a new one valid for ttl_seconds from the database clock (R6). A member
// named twice gets two tokens, the earlier born superseded (R8). Three
// statements whatever the batch's size. Called by the identity check after
// the answer, for matched members only: what it costs can no longer show in
// the answer (D1).
std::vector<IssuedToken> issue_id_notice_tokens(Transaction& tx, const std::vector<std::uint64_t>& member_ids,
                                                int ttl_seconds);

// What a token stands for, in the order the invalid screen names causes (D3).
enum class Redemption {
  Granted,          // usable (a lookup) or just consumed (a redemption)
  AlreadyUsed,      // R7; also what a mail scanner that clicked leaves behind (D15)
  TooManyFailures,  // D15: link_confirm.max_failures wrong birth dates spent it
  Superseded,       // R8: a newer mail was issued
  Expired,          // R6
  Unknown,          // never issued, mistyped, cut off: the screen stays generic (D3)
};
std::string_view to_string(Redemption redemption);
std::ostream& operator<<(std::ostream& out, Redemption redemption);
// Its audit event (audit_outcomes.h): audit(tx, redemption, ...) writes token_redeem.
AuditEvent audit_event_of(Redemption redemption);

struct TokenState {
  Redemption redemption = Redemption::Unknown;
  std::uint64_t token_id = 0;   // 0 for Unknown
  std::uint64_t member_id = 0;  // 0 for Unknown
  int failed_confirmations = 0;
};

// Reads without writing: GET and HEAD of the mail URL never consume it (D2).
TokenState look_up_token(Transaction& tx, std::string_view url_value, int max_failures);

// The token POST in one statement (issue 16), the procedure
// recovery_token_redeem of sql/008_token_redeem.sql: it consumes the token
// with one atomic conditional UPDATE, so exactly one caller ever gets
// Granted (R7, D4); reads why not (D3); writes the token_redeem audit row for
// every outcome (D8); and stores `grant` for a Granted one only (D5). The
// row stays locked until the caller commits. An audit row the database
// refuses is logged and counted and throws, as audit() does (D18); a lost
// conflict throws for run_screen to retry.
TokenState redeem_token(Transaction& tx, std::string_view url_value, int max_failures, const NewGrant& grant,
                        const Request& request);

// D15: a wrong birth date counts against a usable token; the entry that
// reaches max_failures consumes it. Returns the token's state afterwards.
TokenState record_failed_confirmation(Transaction& tx, std::string_view url_value, int max_failures);

}  // namespace kosmo
