// random_token: one form for the session, grant and CSRF cookies and the
// mail URL's token (D4): 43 base64url characters of 32 random bytes.
#define BOOST_TEST_MODULE random_token
#include <boost/test/unit_test.hpp>

#include "crypto.h"
#include "random_token.h"

using namespace kosmo;

BOOST_AUTO_TEST_CASE(new_tokens_have_the_checked_form_and_differ) {
  const std::string a = new_random_token();
  const std::string b = new_random_token();
  BOOST_TEST(a.size() == 43u);
  BOOST_TEST(is_random_token(a));
  BOOST_TEST(is_random_token(b));
  BOOST_TEST(a != b);
}

BOOST_AUTO_TEST_CASE(anything_else_is_refused_before_any_lookup) {
  const std::string token = base64url_encode(std::string(32, '\x5a'));
  BOOST_TEST(is_random_token(token));
  BOOST_TEST(!is_random_token(""));
  BOOST_TEST(!is_random_token(token.substr(0, 42)));                      // cut off
  BOOST_TEST(!is_random_token(token + "A"));                              // too long
  BOOST_TEST(!is_random_token(token.substr(0, 42) + "="));                // padding
  BOOST_TEST(!is_random_token(token.substr(0, 42) + "+"));                // base64, not base64url
  BOOST_TEST(!is_random_token(base64url_encode(std::string(31, 'x')) + "AA"));  // 43 characters, not 32 bytes
  // Non-canonical trailing bits: 43 characters hold 258 bits, the last two
  // must be 0, else the same 32 bytes would have a second spelling.
  const std::string zeros = base64url_encode(std::string(32, '\0'));
  BOOST_TEST(is_random_token(zeros));
  BOOST_TEST(!is_random_token(zeros.substr(0, 42) + "B"));
}
