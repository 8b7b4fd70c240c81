// email_changes: what a page, a mail or kosmo-admin shows of an address that
// is not the reader's registered one (D16): its first character, "***" and
// the domain, the first character whole even when it takes several bytes.
#define BOOST_TEST_MODULE email_changes
#include <boost/test/unit_test.hpp>

#include "email_changes.h"

using namespace kosmo;

BOOST_AUTO_TEST_CASE(d16_an_address_is_masked_to_its_first_character_and_domain) {
  BOOST_TEST(mask_address("taro@example.jp") == "t***@example.jp");
  BOOST_TEST(mask_address("t@example.jp") == "t***@example.jp");
  BOOST_TEST(mask_address("a.b@c@example.jp") == "a***@example.jp");  // the last '@' starts the domain
}

BOOST_AUTO_TEST_CASE(d16_a_multibyte_first_character_stays_whole) {
  BOOST_TEST(mask_address("\xE5\xA4\xAA\xE9\x83\x8E@example.jp") == "\xE5\xA4\xAA***@example.jp");  // 太郎
}

BOOST_AUTO_TEST_CASE(d16_something_that_is_no_address_shows_nothing_of_itself) {
  BOOST_TEST(mask_address("") == "***");
  BOOST_TEST(mask_address("@example.jp") == "***");
  BOOST_TEST(mask_address("no-at-sign") == "***");
}
