// identity: the 本人確認 form read as people type it (D10), its format errors
// (D1: shown on the form, nothing looked up), and the choice among the card
// candidates: who gets the mail and why the others do not (R1, CVE-2019-19844).
#define BOOST_TEST_MODULE identity
#include <boost/test/unit_test.hpp>

#include "identity.h"

#include <string>

using namespace kosmo;

namespace {

Request form(std::string symbol, std::string number, std::string birth, std::string email) {
  Request request;
  request.form = {{"card_symbol", symbol}, {"card_number", number}, {"birth_date", birth}, {"email", email}};
  return request;
}

Member member(std::uint64_t id, std::optional<std::string> email, bool logged_in = true, bool disabled = false) {
  Member m;
  m.member_id = id;
  m.login_id = "001000000" + std::to_string(id);
  m.email = std::move(email);
  m.has_logged_in = logged_in;
  m.is_disabled = disabled;
  return m;
}

bool has_error(const IdentityInput& input, std::string_view field, FieldProblem problem) {
  for (const FieldError& e : input.errors)
    if (e.field == field && e.problem == problem) return true;
  return false;
}

}  // namespace

BOOST_AUTO_TEST_CASE(d10_typed_input_is_normalised) {
  const IdentityInput input = read_identity_form(form("１２－３４", " 5678 ", "昭和55年1月2日", " Taro@Example.JP "));
  BOOST_TEST(input.errors.empty());
  BOOST_TEST(input.card_symbol == "1234");
  BOOST_TEST(input.card_number == "5678");
  BOOST_TEST(input.birth_date == "1980-01-02");
  BOOST_TEST(input.email == "Taro@Example.JP");  // case kept: only comparisons fold it
}

BOOST_AUTO_TEST_CASE(d1_every_empty_field_is_reported_as_missing) {
  const IdentityInput input = read_identity_form(form("", "－ ", "\u3000", ""));
  BOOST_TEST(input.errors.size() == 4u);
  BOOST_TEST(has_error(input, kCardSymbolField, FieldProblem::Missing));
  BOOST_TEST(has_error(input, kCardNumberField, FieldProblem::Missing));
  BOOST_TEST(has_error(input, kBirthDateField, FieldProblem::Missing));
  BOOST_TEST(has_error(input, kEmailField, FieldProblem::Missing));
}

BOOST_AUTO_TEST_CASE(d1_impossible_dates_and_malformed_addresses_are_format_errors) {
  BOOST_TEST(has_error(read_identity_form(form("1", "2", "1980-02-30", "a@b.jp")), kBirthDateField, FieldProblem::Malformed));
  for (const char* email : {"taro.example.jp", "@example.jp", "taro@", "taro@@example.jp", "taro@example",
                            "taro@.jp", "taro@example.", "ta ro@example.jp"})
    BOOST_TEST(has_error(read_identity_form(form("1", "2", "1980-01-02", email)), kEmailField, FieldProblem::Malformed),
               email);
}

BOOST_AUTO_TEST_CASE(d1_length_limits_at_n_and_n_plus_1) {
  BOOST_TEST(read_identity_form(form(std::string(64, '1'), "2", "1980-01-02", "a@b.jp")).errors.empty());
  BOOST_TEST(has_error(read_identity_form(form(std::string(65, '1'), "2", "1980-01-02", "a@b.jp")), kCardSymbolField,
                       FieldProblem::TooLong));
  // 64 characters of three bytes each are still 64 characters.
  std::string kanji;
  for (int i = 0; i < 64; ++i) kanji += "記";
  BOOST_TEST(read_identity_form(form(kanji, "2", "1980-01-02", "a@b.jp")).errors.empty());
  const std::string at_limit = std::string(249, 'a') + "@b.jp";  // 254 bytes
  BOOST_TEST(read_identity_form(form("1", "2", "1980-01-02", at_limit)).errors.empty());
  BOOST_TEST(has_error(read_identity_form(form("1", "2", "1980-01-02", "a" + at_limit)), kEmailField,
                       FieldProblem::TooLong));
}

// D18 (issue 13): lengths are counted after NFKC. U+FDFA is one character
// typed and 18 after NFKC: 64 of them passed the typed check and overflowed
// identity_requests.card_symbol (VARCHAR(64)), a 500 with nothing audited.
BOOST_AUTO_TEST_CASE(d18_lengths_are_checked_after_normalisation) {
  std::string ligatures;
  for (int i = 0; i < 64; ++i) ligatures += "\uFDFA";
  for (const std::string_view field : {kCardSymbolField, kCardNumberField}) {
    Request request = form("1", "2", "1980-01-02", "a@b.jp");
    request.form[std::string(field)] = ligatures;
    BOOST_TEST(has_error(read_identity_form(request), field, FieldProblem::TooLong), field);
  }
  BOOST_TEST(has_error(read_identity_form(form("1", "2", ligatures, "a@b.jp")), kBirthDateField,
                       FieldProblem::TooLong));
  // Five are 75 characters once NFKC'd and stripped of spaces: too long although typed as 5.
  BOOST_TEST(has_error(read_identity_form(form("\uFDFA\uFDFA\uFDFA\uFDFA\uFDFA", "2", "1980-01-02", "a@b.jp")),
                       kCardSymbolField, FieldProblem::TooLong));
  // What NFKC shortens is measured shortened: 65 typed with a hyphen are 64.
  BOOST_TEST(read_identity_form(form(std::string(32, '1') + "-" + std::string(32, '2'), "2", "1980-01-02", "a@b.jp"))
                 .errors.empty());
}

BOOST_AUTO_TEST_CASE(r1_the_candidate_with_the_same_address_after_casefold_matches) {
  const IdentityMatch match = match_identity({member(1, "Taro@Example.JP")}, "taro@example.jp");
  BOOST_TEST(match.outcome == IdentityOutcome::Matched);
  BOOST_TEST(match.member->email.value() == "Taro@Example.JP");  // the stored address, never the typed one
}

BOOST_AUTO_TEST_CASE(r1_full_width_address_matches_after_nfkc) {
  BOOST_TEST(match_identity({member(1, "taro@example.jp")}, "ｔａｒｏ@ｅｘａｍｐｌｅ.ｊｐ").outcome == IdentityOutcome::Matched);
}

BOOST_AUTO_TEST_CASE(r1_family_members_sharing_a_card_are_told_apart_by_address) {
  const std::vector<Member> family = {member(1, "parent@example.jp"), member(2, "child@example.jp")};
  BOOST_TEST(match_identity(family, "child@example.jp").member->member_id == 2u);
  const IdentityMatch none = match_identity(family, "other@example.jp");
  BOOST_TEST(none.outcome == IdentityOutcome::NoMatch);
  BOOST_TEST(!none.member.has_value());  // two candidates: nobody to name
}

BOOST_AUTO_TEST_CASE(r1_not_eligible_outcomes) {
  BOOST_TEST(match_identity({}, "a@b.jp").outcome == IdentityOutcome::NoMatch);
  BOOST_TEST(match_identity({member(1, "a@b.jp", false)}, "a@b.jp").outcome == IdentityOutcome::NotEligibleNeverLoggedIn);
  BOOST_TEST(match_identity({member(1, std::nullopt)}, "a@b.jp").outcome == IdentityOutcome::NotEligibleNoEmail);
  BOOST_TEST(match_identity({member(1, "a@b.jp", true, true)}, "a@b.jp").outcome == IdentityOutcome::NotEligibleDisabled);
  const IdentityMatch wrong = match_identity({member(1, "a@b.jp")}, "c@b.jp");
  BOOST_TEST(wrong.outcome == IdentityOutcome::NoMatch);
  BOOST_TEST(wrong.member->member_id == 1u);  // named in the audit row
  BOOST_TEST(to_string(IdentityOutcome::NotEligibleNoEmail) == "not_eligible_no_email");
}
