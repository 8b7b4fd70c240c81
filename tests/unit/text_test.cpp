// text: the one trim and the one code-point count every concern uses.
#define BOOST_TEST_MODULE text
#include <boost/test/unit_test.hpp>

#include "text.h"

using namespace kosmo;

BOOST_AUTO_TEST_CASE(trim_removes_ascii_whitespace_at_both_ends_only) {
  BOOST_TEST(trim("  a b\t") == "a b");
  BOOST_TEST(trim("\r\n\v\fkey = value \r") == "key = value");
  BOOST_TEST(trim(" \t\r\n taro yamada \v\f") == "taro yamada");
  BOOST_TEST(trim("   ") == "");
  BOOST_TEST(trim("") == "");
  BOOST_TEST(trim("\xE3\x80\x80x\xE3\x80\x80") == "\xE3\x80\x80x\xE3\x80\x80");  // U+3000 is not ASCII: NFKC first
}

BOOST_AUTO_TEST_CASE(trim_returns_a_view_into_its_argument) {
  const std::string text = " 42 ";
  BOOST_TEST(trim(text).data() == text.data() + 1);
}

BOOST_AUTO_TEST_CASE(code_points_not_bytes_are_counted) {
  BOOST_TEST(count_code_points("") == 0u);
  BOOST_TEST(count_code_points("abc") == 3u);
  BOOST_TEST(count_code_points("山田太郎") == 4u);               // 12 bytes
  BOOST_TEST(count_code_points("\xF0\x9F\x98\x80" "a") == 2u);  // U+1F600 takes 4 bytes
}
