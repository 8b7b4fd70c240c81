// identity: 本人確認 of the forgotten-ID flow (R1, R3, D1, D10). Reads the
// four fields of 本人確認情報入力画面 as members type them, and decides among
// the members the database found by card and birth date whether one of them
// is the member and may get ログインID再通知のお知らせ.
#pragma once

#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "audit.h"
#include "http.h"
#include "members.h"

namespace kosmo {

// Field names as in the form (and the template's ERR_<FIELD> sections).
inline constexpr std::string_view kCardSymbolField = "card_symbol";
inline constexpr std::string_view kCardNumberField = "card_number";
inline constexpr std::string_view kBirthDateField = "birth_date";
inline constexpr std::string_view kEmailField = "email";

// Input the member got wrong: shown beside the field, nothing written (D1).
enum class FieldProblem { Missing, TooLong, Malformed };
std::string_view to_string(FieldProblem problem);

struct FieldError {
  std::string_view field;
  FieldProblem problem;
};

struct IdentityInput {
  std::string card_symbol;  // normalize_card_field: NFKC, no spaces or hyphens (D10)
  std::string card_number;
  std::string birth_date;   // YYYY-MM-DD from parse_birth_date (Western or era, D10)
  std::string email;        // normalize_email: NFKC and trim, case kept
  std::vector<FieldError> errors;  // empty: every field is usable
};

// Never touches the database, so a format error costs nothing and writes nothing.
IdentityInput read_identity_form(const Request& request);

// One address field by the identity form's rules: NFKC and trim, at most
// 254 octets, the shape below. メールアドレス登録・変更 reads its two fields
// with it too (D16), so an address it registers is one this form can match.
struct AddressInput {
  std::string address;                  // set when problem is empty
  std::optional<FieldProblem> problem;  // Missing, TooLong or Malformed
};
AddressInput read_mail_address(std::string_view typed);

// The same address after NFKC and case folding on both sides (D10).
bool same_mail_address(std::string_view stored, std::string_view typed);

// The simple shape check of the form (not RFC 5322): one '@', a non-empty
// local part, a domain with a dot inside it, no spaces or controls.
bool looks_like_mail_address(std::string_view address);

// Every way a valid submission can end; each is one audit outcome (D8). The
// member sees the same sent screen for all of them (D1).
enum class IdentityOutcome {
  Matched,                   // R1: a mail goes to the stored address
  NoMatch,                   // no member with this card and birth date, or another address
  NotEligibleNeverLoggedIn,  // R1 (オ)
  NotEligibleNoEmail,        // R1 (カ)
  NotEligibleDisabled,       // an operator disabled the account
  Limited,                   // D7: over an abuse limit, nothing looked up
  // The check failed on this queued row for a reason other than a conflict
  // or a lost connection: nothing was sent and the row is set aside
  // (identity_queue). Never returned by match_identity.
  Fault,
};
std::string_view to_string(IdentityOutcome outcome);
std::ostream& operator<<(std::ostream& out, IdentityOutcome outcome);
// Its audit event (audit_outcomes.h): audit(tx, outcome, ...) writes identity_check.
AuditEvent audit_event_of(IdentityOutcome outcome);

struct IdentityMatch {
  IdentityOutcome outcome = IdentityOutcome::NoMatch;
  // The member the outcome is about, for the audit row; set for Matched and
  // the NotEligible outcomes, and for NoMatch when one card candidate had
  // another address (so operators can see attempts against a member).
  std::optional<Member> member;
  std::string_view detail;  // audit detail: which part did not match
};

// Compares the typed address with each candidate's stored one after NFKC and
// case folding on both sides (D10; Django CVE-2019-19844): the database's
// collation only found candidates, and the mail goes to the stored address.
IdentityMatch match_identity(const std::vector<Member>& candidates, std::string_view typed_email);

}  // namespace kosmo
