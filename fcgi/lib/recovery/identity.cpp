#include "identity.h"

#include "birth_date.h"
#include "normalize.h"
#include "text.h"

namespace kosmo {
namespace {

// Longer than any card symbol, number or date a member types; a longer value
// is a paste gone wrong, refused before any work is done.
constexpr std::size_t kMaxFieldCodePoints = 64;
// RFC 5321's limit on a forward path, and the width of members.email.
constexpr std::size_t kMaxEmailBytes = 254;

// Reads one card field; `out` is set only when the field is usable.
void read_card_field(const Request& request, std::string_view field, std::string& out,
                     std::vector<FieldError>& errors) {
  const std::optional<std::string> normalised = normalize_card_field(request.form_value(field));
  if (!normalised || normalised->empty()) {
    errors.push_back({field, FieldProblem::Missing});
    return;
  }
  // Counted after NFKC, which is what is stored: one U+FDFA becomes 18
  // characters, so 64 typed ones overflowed the column (D18, issue 13).
  if (count_code_points(*normalised) > kMaxFieldCodePoints) {
    errors.push_back({field, FieldProblem::TooLong});
    return;
  }
  out = *normalised;
}

void read_birth_date(const Request& request, std::string& out, std::vector<FieldError>& errors) {
  const std::string_view typed = request.form_value(kBirthDateField);
  if (trim(nfkc(typed).value_or("")).empty()) {  // U+3000 alone is empty too
    errors.push_back({kBirthDateField, FieldProblem::Missing});
    return;
  }
  // After NFKC, as every length (D18); the date itself is stored as 10 ASCII characters.
  if (count_code_points(nfkc(typed).value_or("")) > kMaxFieldCodePoints) {
    errors.push_back({kBirthDateField, FieldProblem::TooLong});
    return;
  }
  const std::optional<CalendarDate> date = parse_birth_date(typed);
  if (!date) {
    errors.push_back({kBirthDateField, FieldProblem::Malformed});
    return;
  }
  out = date->iso();
}

void read_email(const Request& request, std::string& out, std::vector<FieldError>& errors) {
  AddressInput input = read_mail_address(request.form_value(kEmailField));
  if (input.problem) {
    errors.push_back({kEmailField, *input.problem});
    return;
  }
  out = std::move(input.address);
}

bool same_address(std::string_view stored, std::string_view typed) {
  const std::optional<std::string> a = nfkc_casefold(stored);
  const std::optional<std::string> b = nfkc_casefold(typed);
  return a && b && !a->empty() && *a == *b;
}

}  // namespace

AddressInput read_mail_address(std::string_view typed) {
  std::optional<std::string> email = normalize_email(typed);
  if (!email || email->empty()) return {{}, FieldProblem::Missing};
  if (email->size() > kMaxEmailBytes) return {{}, FieldProblem::TooLong};
  if (!looks_like_mail_address(*email)) return {{}, FieldProblem::Malformed};
  return {std::move(*email), std::nullopt};
}

bool same_mail_address(std::string_view stored, std::string_view typed) { return same_address(stored, typed); }

std::string_view to_string(FieldProblem problem) {
  switch (problem) {
    case FieldProblem::Missing: return "MISSING";
    case FieldProblem::TooLong: return "TOO_LONG";
    case FieldProblem::Malformed: return "MALFORMED";
  }
  return "MALFORMED";
}

IdentityInput read_identity_form(const Request& request) {
  IdentityInput input;
  read_card_field(request, kCardSymbolField, input.card_symbol, input.errors);
  read_card_field(request, kCardNumberField, input.card_number, input.errors);
  read_birth_date(request, input.birth_date, input.errors);
  read_email(request, input.email, input.errors);
  return input;
}

bool looks_like_mail_address(std::string_view address) {
  const auto at = address.find('@');
  if (at == std::string_view::npos || at == 0 || address.find('@', at + 1) != std::string_view::npos) return false;
  for (const char c : address) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte <= 0x20 || byte == 0x7F) return false;  // spaces and controls
  }
  const std::string_view domain = address.substr(at + 1);
  const auto dot = domain.find('.');
  return dot != std::string_view::npos && dot != 0 && domain.back() != '.';
}

std::string_view to_string(IdentityOutcome outcome) {
  switch (outcome) {
    case IdentityOutcome::Matched: return "matched";
    case IdentityOutcome::NoMatch: return "no_match";
    case IdentityOutcome::NotEligibleNeverLoggedIn: return "not_eligible_never_logged_in";
    case IdentityOutcome::NotEligibleNoEmail: return "not_eligible_no_email";
    case IdentityOutcome::NotEligibleDisabled: return "not_eligible_disabled";
    case IdentityOutcome::Limited: return "limited";
    case IdentityOutcome::Fault: return "fault";
  }
  return "unknown";
}

std::ostream& operator<<(std::ostream& out, IdentityOutcome outcome) { return out << to_string(outcome); }
AuditEvent audit_event_of(IdentityOutcome) { return AuditEvent::IdentityCheck; }

IdentityMatch match_identity(const std::vector<Member>& candidates, std::string_view typed_email) {
  if (candidates.empty()) return {IdentityOutcome::NoMatch, std::nullopt, "no_card_match"};

  const Member* same_email = nullptr;
  const Member* without_email = nullptr;
  for (const Member& candidate : candidates) {
    if (!candidate.email) {
      if (!without_email) without_email = &candidate;
      continue;
    }
    if (!same_email && same_address(*candidate.email, typed_email)) same_email = &candidate;
  }

  if (same_email) {
    if (same_email->is_disabled) return {IdentityOutcome::NotEligibleDisabled, *same_email, "disabled"};
    if (!same_email->has_logged_in)
      return {IdentityOutcome::NotEligibleNeverLoggedIn, *same_email, "never_logged_in"};
    return {IdentityOutcome::Matched, *same_email, {}};
  }
  // (カ): the card and birth date are a member's who has no address to send to.
  if (without_email) return {IdentityOutcome::NotEligibleNoEmail, *without_email, "no_email"};
  if (candidates.size() == 1) return {IdentityOutcome::NoMatch, candidates.front(), "email_mismatch"};
  return {IdentityOutcome::NoMatch, std::nullopt, "email_mismatch"};
}

}  // namespace kosmo
