// normalize: D10 "input as people type it" with ICU, and strict UTF-8.
#define BOOST_TEST_MODULE normalize
#include <boost/test/unit_test.hpp>

#include "normalize.h"

using namespace kosmo;
using namespace std::string_literals;

BOOST_AUTO_TEST_CASE(valid_utf8_is_accepted_including_four_byte_and_nul) {
  BOOST_TEST(is_valid_utf8(""));
  BOOST_TEST(is_valid_utf8("taro@example.jp"));
  BOOST_TEST(is_valid_utf8("山田太郎"));
  BOOST_TEST(is_valid_utf8("\xF0\x9F\x98\x80"));  // U+1F600
  BOOST_TEST(is_valid_utf8("\xF4\x8F\xBF\xBF"));  // U+10FFFF, the last code point
  BOOST_TEST(is_valid_utf8("a\0b"s));
}

BOOST_AUTO_TEST_CASE(ill_formed_utf8_is_refused) {
  BOOST_TEST(!is_valid_utf8("\xC0\xAF"));          // overlong '/'
  BOOST_TEST(!is_valid_utf8("\xE0\x80\xAF"));      // overlong '/', three bytes
  BOOST_TEST(!is_valid_utf8("\xED\xA0\x80"));      // surrogate U+D800
  BOOST_TEST(!is_valid_utf8("\xF4\x90\x80\x80"));  // U+110000
  BOOST_TEST(!is_valid_utf8("\xE5\xB1"));          // truncated '山'
  BOOST_TEST(!is_valid_utf8("abc\xE5"));
  BOOST_TEST(!is_valid_utf8("\x80"));              // lone continuation byte
  BOOST_TEST(!is_valid_utf8("\xFF"));
}

// D10: full-width digits and letters typed through an IME read as ASCII.
BOOST_AUTO_TEST_CASE(nfkc_folds_full_width_and_half_width_forms) {
  BOOST_TEST(nfkc("１２３４").value() == "1234");
  BOOST_TEST(nfkc("ＡＢＣｄｅｆ").value() == "ABCdef");
  BOOST_TEST(nfkc("ｶﾀｶﾅ").value() == "カタカナ");
  BOOST_TEST(nfkc("山田\u3000太郎").value() == "山田 太郎");
  BOOST_TEST(!nfkc("\xC0\xAF").has_value());
}

// D10, CVE-2019-19844: addresses are compared after NFKC_Casefold.
BOOST_AUTO_TEST_CASE(emails_differing_in_case_and_width_compare_equal_after_casefold) {
  BOOST_TEST(nfkc_casefold("Taro.Yamada@Example.JP").value() ==
             nfkc_casefold("ｔａｒｏ.yamada@example.jp").value());
  BOOST_TEST(nfkc_casefold("Taro.Yamada@Example.JP").value() == "taro.yamada@example.jp");
  BOOST_TEST(nfkc_casefold("taro@example.jp").value() != nfkc_casefold("jiro@example.jp").value());
  BOOST_TEST(!nfkc_casefold("\xED\xA0\x80").has_value());
}

// D10: 保険証の記号・番号 as printed, with spaces and dashes in any width.
BOOST_AUTO_TEST_CASE(card_field_drops_spaces_and_hyphens_and_upper_cases) {
  BOOST_TEST(normalize_card_field("ＡＢＣ－１２").value() == "ABC12");
  BOOST_TEST(normalize_card_field("abc-12").value() == "ABC12");
  BOOST_TEST(normalize_card_field("\u3000１２ ３４\u3000").value() == "1234");
  BOOST_TEST(normalize_card_field("12ー34").value() == "1234");            // U+30FC
  BOOST_TEST(normalize_card_field("12ｰ34").value() == "1234");             // U+FF70
  BOOST_TEST(normalize_card_field("12\u2212" "34\u2010" "5").value() == "12345");
  BOOST_TEST(normalize_card_field("12\u2015" "34\t5").value() == "12345");
  BOOST_TEST(normalize_card_field("東京 １２").value() == "東京12");  // kanji kept
  BOOST_TEST(normalize_card_field("").value().empty());
  BOOST_TEST(!normalize_card_field("12\xC0\xAF").has_value());
}

// D10: the address keeps its case (mail goes to what the member stored).
BOOST_AUTO_TEST_CASE(email_is_nfkc_and_trimmed_but_keeps_case) {
  BOOST_TEST(normalize_email("\u3000Taro.Yamada＠Example.JP \t").value() ==
             "Taro.Yamada@Example.JP");
  BOOST_TEST(normalize_email("ｔａｒｏ@example.jp").value() == "taro@example.jp");
  BOOST_TEST(!normalize_email("taro@example.jp\xE5").has_value());
}

BOOST_AUTO_TEST_CASE(hyphen_like_characters_are_the_listed_ones) {
  for (const char32_t c : {U'-', U'\u2010', U'\u2011', U'\u2015', U'\u2212', U'\u30FC', U'\uFF70'}) {
    BOOST_TEST(is_hyphen_like(c));
  }
  for (const char32_t c : {U'_', U'~', U'\u2016', U'\u30FB', U'\u301C'}) {
    BOOST_TEST(!is_hyphen_like(c));
  }
}

// One login-ID normalisation for the login screen, its lockout counters and
// kosmo-admin (limits reset, member, import): full-width digits, ideographic
// and ASCII spaces around it (D10, D7).
BOOST_AUTO_TEST_CASE(login_ids_are_nfkc_and_trimmed_in_one_place) {
  BOOST_TEST(normalize_login_id("0010000005750") == "0010000005750");
  BOOST_TEST(normalize_login_id("\xEF\xBC\x90\xEF\xBC\x90\xEF\xBC\x91\xEF\xBC\x90") == "0010");  // ００１０
  BOOST_TEST(normalize_login_id("\xE3\x80\x80 0010\t") == "0010");                               // U+3000
  BOOST_TEST(normalize_login_id(" \xE3\x80\x80 ") == "");
  BOOST_TEST(normalize_login_id("\xE5\xB1") == "");  // not UTF-8
}

// The one folding loop of card fields and typed dates (D10).
BOOST_AUTO_TEST_CASE(spaces_are_dropped_and_hyphens_replaced_after_nfkc) {
  BOOST_TEST(*nfkc_without_spaces("\xEF\xBC\x91\xEF\xBC\x99\xEF\xBC\x98\xEF\xBC\x90\xE3\x83\xBC" "01 - 02", "-") ==
             "1980-01-02");  // １９８０ー01 - 02
  BOOST_TEST(*nfkc_without_spaces("AB-12\xE3\x80\x80" "34", "") == "AB1234");
  BOOST_TEST(!nfkc_without_spaces("\xE5\xB1", "-"));
}
