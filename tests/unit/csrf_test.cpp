// csrf: the signed double-submit token (issue 3). The token belongs to one
// cookie value and one key; anything else is refused in constant time.
#define BOOST_TEST_MODULE csrf
#include <boost/test/unit_test.hpp>

#include "csrf.h"

using namespace kosmo;

namespace {
const std::string kKey(32, 'k');
}

BOOST_AUTO_TEST_CASE(a_token_matches_the_cookie_it_was_made_for) {
  const std::string cookie = new_csrf_cookie_value();
  BOOST_TEST(is_well_formed_csrf_cookie(cookie));
  BOOST_TEST(csrf_token_matches(kKey, cookie, csrf_token_for(kKey, cookie)));
}

BOOST_AUTO_TEST_CASE(a_token_of_another_cookie_is_refused) {
  const std::string mine = new_csrf_cookie_value();
  const std::string theirs = new_csrf_cookie_value();
  BOOST_TEST(mine != theirs);
  BOOST_TEST(!csrf_token_matches(kKey, mine, csrf_token_for(kKey, theirs)));
}

BOOST_AUTO_TEST_CASE(a_token_made_with_another_key_is_refused) {
  const std::string cookie = new_csrf_cookie_value();
  BOOST_TEST(!csrf_token_matches(kKey, cookie, csrf_token_for(std::string(32, 'x'), cookie)));
}

BOOST_AUTO_TEST_CASE(empty_or_truncated_tokens_are_refused) {
  const std::string cookie = new_csrf_cookie_value();
  const std::string token = csrf_token_for(kKey, cookie);
  BOOST_TEST(!csrf_token_matches(kKey, cookie, ""));
  BOOST_TEST(!csrf_token_matches(kKey, cookie, token.substr(0, token.size() - 1)));
  BOOST_TEST(!csrf_token_matches(kKey, cookie, token + "A"));
}

BOOST_AUTO_TEST_CASE(a_missing_or_malformed_cookie_never_matches) {
  // An attacker who can send any cookie value still cannot pair it with a token.
  BOOST_TEST(!csrf_token_matches(kKey, "", csrf_token_for(kKey, "")));
  BOOST_TEST(!csrf_token_matches(kKey, "short", csrf_token_for(kKey, "short")));
  BOOST_TEST(!is_well_formed_csrf_cookie(std::string(43, '!')));
}
