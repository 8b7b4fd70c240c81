// audit_outcomes: every audit outcome is a type whose string is the stored
// audit_events.outcome value (D8) and whose event is fixed by the type, so
// no screen spells an outcome by hand (issue 12 item 4).
#define BOOST_TEST_MODULE audit_outcomes
#include <boost/test/unit_test.hpp>

#include "audit.h"
#include "tokens.h"

using namespace kosmo;

// D15: a wrong birth date on the mail URL's confirmation is a token_redeem
// row with outcome wrong_birth_date (kosmo-id-notice wrote it as a string
// literal before); once the wrong dates spend the URL, the token's state.
BOOST_AUTO_TEST_CASE(a_wrong_birth_date_is_a_token_redeem_outcome) {
  static_assert(AuditOutcome<TokenConfirmOutcome>);
  BOOST_TEST(to_string(TokenConfirmOutcome::WrongBirthDate) == "wrong_birth_date");
  BOOST_TEST(to_string(audit_event_of(TokenConfirmOutcome::WrongBirthDate)) == "token_redeem");
  BOOST_TEST(to_string(audit_event_of(Redemption::TooManyFailures)) == "token_redeem");
  BOOST_TEST(to_string(Redemption::TooManyFailures) == "too_many_failures");
}
