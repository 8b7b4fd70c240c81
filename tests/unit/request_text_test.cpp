// request_text: D18. Whatever bytes a request carries, what reaches the
// database, a log or a page is valid UTF-8 cut on a character boundary.
#define BOOST_TEST_MODULE request_text
#include <boost/test/unit_test.hpp>

#include "normalize.h"
#include "request_text.h"

using namespace kosmo;

namespace {
const std::string kFffd = "\xEF\xBF\xBD";
}

BOOST_AUTO_TEST_CASE(valid_text_within_the_limit_is_kept_as_it_is) {
  BOOST_TEST(to_request_text("Mozilla/5.0 (X11; Linux x86_64)", 255) == "Mozilla/5.0 (X11; Linux x86_64)");
  BOOST_TEST(to_request_text("\xE3\x81\x82\xF0\x9F\x98\x80", 255) == "\xE3\x81\x82\xF0\x9F\x98\x80");  // あ😀
}

BOOST_AUTO_TEST_CASE(D18_invalid_bytes_become_the_replacement_character) {
  BOOST_TEST(to_request_text("a\xFF" "b", 255) == "a" + kFffd + "b");
  BOOST_TEST(to_request_text("\xC0\xAF", 255) == kFffd + kFffd);          // overlong '/'
  BOOST_TEST(to_request_text("\xED\xA0\x80", 255).find("\xED") == std::string::npos);  // surrogate
  BOOST_TEST(to_request_text("x\xE3\x81", 255) == "x" + kFffd);           // truncated あ
  BOOST_TEST(is_valid_utf8(to_request_text("\x80\x81\xFE\xFF\xF4\x90\x80\x80", 255)));
}

BOOST_AUTO_TEST_CASE(D18_controls_never_pass) {
  BOOST_TEST(to_request_text("a\r\nb\x01\x7F", 255) == "a" + kFffd + kFffd + "b" + kFffd + kFffd);
  BOOST_TEST(to_request_text("\xC2\x85", 255) == kFffd);  // U+0085 NEL, a C1 control
}

BOOST_AUTO_TEST_CASE(D18_the_cut_falls_between_characters) {
  // "A" + 86 × あ is 259 bytes: the old substr(0, 255) cut the 85th あ inside,
  // and strict mode refused the INSERT (issue 13).
  std::string long_agent = "A";
  for (int i = 0; i < 86; ++i) long_agent += "\xE3\x81\x82";
  BOOST_TEST(!is_valid_utf8(long_agent.substr(0, 255)));
  const std::string cut = to_request_text(long_agent, kMaxUserAgentBytes);
  BOOST_TEST(cut.size() == 253u);  // "A" and 84 × あ
  BOOST_TEST(is_valid_utf8(cut));
  BOOST_TEST(to_request_text("ab\xF0\x9F\x98\x80", 5) == "ab");  // 😀 does not fit in 3 bytes
  BOOST_TEST(to_request_text(std::string(300, '\xFF'), 255).size() == 255u);  // 85 × U+FFFD
}

BOOST_AUTO_TEST_CASE(D18_an_address_is_ascii_or_nothing) {
  BOOST_TEST(to_ascii_token("2001:db8::5", kMaxAddressBytes) == "2001:db8::5");
  BOOST_TEST(to_ascii_token("1.2.3.4\xFF", kMaxAddressBytes).empty());
  BOOST_TEST(to_ascii_token("1.2.3.4 x", kMaxAddressBytes).empty());
  BOOST_TEST(to_ascii_token(std::string(46, '1'), kMaxAddressBytes).empty());
}

BOOST_AUTO_TEST_CASE(D18_every_header_field_of_a_request_is_made_text) {
  Request request;
  request.method = "POST";
  request.path = "/login\xFF";
  request.content_type = "application/x-www-form-urlencoded\xC3";
  request.user_agent = std::string(300, '\xE3');
  request.remote_addr = "127.0.0.1";
  request.cookies = {{"__Host-kosmo_csrf", "abc"}, {"bad\xFF", "1"}, {"x", "v\xC3"}};
  sanitize_request_headers(request);
  BOOST_TEST(request.path == "/login" + kFffd);
  BOOST_TEST(is_valid_utf8(request.content_type));
  BOOST_TEST(is_valid_utf8(request.user_agent));
  BOOST_TEST(request.user_agent.size() <= kMaxUserAgentBytes);
  BOOST_TEST(request.remote_addr == "127.0.0.1");
  BOOST_TEST(request.cookies.size() == 1u);
  BOOST_TEST(request.cookie("__Host-kosmo_csrf") == "abc");
}
