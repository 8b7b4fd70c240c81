// crypto: published vectors (FIPS 180-2, RFC 4231, RFC 4648) and the strict
// token encodings that keep one spelling per token.
#define BOOST_TEST_MODULE crypto
#include <boost/test/unit_test.hpp>

#include "crypto.h"

using namespace kosmo;
using namespace std::string_literals;

BOOST_AUTO_TEST_CASE(sha256_matches_fips_180_2_vectors) {
  BOOST_TEST(hex_encode(sha256("abc")) ==
             "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  BOOST_TEST(hex_encode(sha256("")) ==
             "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

BOOST_AUTO_TEST_CASE(hmac_sha256_matches_rfc_4231_test_cases_1_and_2) {
  BOOST_TEST(hex_encode(hmac_sha256(std::string(20, '\x0b'), "Hi There")) ==
             "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
  BOOST_TEST(hex_encode(hmac_sha256("Jefe", "what do ya want for nothing?")) ==
             "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

BOOST_AUTO_TEST_CASE(hmac_sha256_accepts_an_empty_key_and_message) {
  BOOST_TEST(hex_encode(hmac_sha256("", "")) ==
             "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");
}

BOOST_AUTO_TEST_CASE(random_bytes_gives_the_size_asked_and_differs_each_time) {
  BOOST_TEST(random_bytes(0).empty());
  const std::string first = random_bytes(32);
  BOOST_TEST(first.size() == 32u);
  BOOST_TEST(first != random_bytes(32));
}

BOOST_AUTO_TEST_CASE(hex_round_trips_in_lower_case_and_refuses_bad_text) {
  BOOST_TEST(hex_encode("\x00\xff\x10"s) == "00ff10");
  BOOST_TEST(hex_decode("00ff10").value() == "\x00\xff\x10"s);
  BOOST_TEST(hex_decode("00FF10").value() == "\x00\xff\x10"s);
  BOOST_TEST(hex_decode("").value().empty());
  BOOST_TEST(!hex_decode("abc").has_value());  // odd length
  BOOST_TEST(!hex_decode("zz").has_value());
  BOOST_TEST(!hex_decode("0x12").has_value());
}

BOOST_AUTO_TEST_CASE(base64_matches_rfc_4648_vectors_with_padding) {
  BOOST_TEST(base64_encode("") == "");
  BOOST_TEST(base64_encode("f") == "Zg==");
  BOOST_TEST(base64_encode("fo") == "Zm8=");
  BOOST_TEST(base64_encode("foo") == "Zm9v");
  BOOST_TEST(base64_encode("foob") == "Zm9vYg==");
  BOOST_TEST(base64_encode("fooba") == "Zm9vYmE=");
  BOOST_TEST(base64_encode("foobar") == "Zm9vYmFy");
  BOOST_TEST(base64_encode("\xfb\xff") == "+/8=");
}

BOOST_AUTO_TEST_CASE(base64url_uses_the_url_alphabet_without_padding) {
  BOOST_TEST(base64url_encode("f") == "Zg");
  BOOST_TEST(base64url_encode("fooba") == "Zm9vYmE");
  BOOST_TEST(base64url_encode("\xfb\xff") == "-_8");
  for (const std::string& bytes : {""s, "f"s, "fo"s, "foo"s, "\xfb\xff\x00"s, random_bytes(32)}) {
    BOOST_TEST(base64url_decode(base64url_encode(bytes)).value() == bytes);
  }
}

BOOST_AUTO_TEST_CASE(base64url_decode_refuses_anything_but_the_canonical_form) {
  BOOST_TEST(!base64url_decode("Zg==").has_value());     // padding
  BOOST_TEST(!base64url_decode("+/8").has_value());      // standard alphabet
  BOOST_TEST(!base64url_decode("Zm 9v").has_value());    // whitespace
  BOOST_TEST(!base64url_decode("Zm9v\n").has_value());
  BOOST_TEST(!base64url_decode("Z").has_value());        // cannot hold a byte
  BOOST_TEST(!base64url_decode("Zh").has_value());       // same byte as "Zg", stray bits
  BOOST_TEST(!base64url_decode("Zm9v\0"s).has_value());  // embedded NUL
  BOOST_TEST(!base64url_decode("Ｚｍ９ｖ").has_value());   // full-width look-alikes
}

// PHC strings ($argon2id$...) spell salt and hash in the standard alphabet
// without padding; "MDEyMzQ1Njc4OWFiY2RlZg" is libargon2's own spelling.
BOOST_AUTO_TEST_CASE(base64_unpadded_uses_the_standard_alphabet_without_padding) {
  BOOST_TEST(base64_unpadded_encode("") == "");
  BOOST_TEST(base64_unpadded_encode("f") == "Zg");
  BOOST_TEST(base64_unpadded_encode("fo") == "Zm8");
  BOOST_TEST(base64_unpadded_encode("foobar") == "Zm9vYmFy");
  BOOST_TEST(base64_unpadded_encode("\xfb\xff") == "+/8");
  BOOST_TEST(base64_unpadded_decode("MDEyMzQ1Njc4OWFiY2RlZg").value() == "0123456789abcdef");
  for (const std::string& bytes : {""s, "f"s, "fo"s, "foo"s, "\xfb\xff\x00"s, random_bytes(32)}) {
    BOOST_TEST(base64_unpadded_decode(base64_unpadded_encode(bytes)).value() == bytes);
  }
}

BOOST_AUTO_TEST_CASE(base64_unpadded_decode_refuses_anything_but_the_canonical_form) {
  BOOST_TEST(!base64_unpadded_decode("Zg==").has_value());     // padding
  BOOST_TEST(!base64_unpadded_decode("Zg=").has_value());
  BOOST_TEST(!base64_unpadded_decode("-_8").has_value());      // URL alphabet
  BOOST_TEST(!base64_unpadded_decode("Zm 9v").has_value());    // whitespace
  BOOST_TEST(!base64_unpadded_decode("Zm9v\n").has_value());
  BOOST_TEST(!base64_unpadded_decode("Z").has_value());        // cannot hold a byte
  BOOST_TEST(!base64_unpadded_decode("Zm9vY").has_value());
  BOOST_TEST(!base64_unpadded_decode("Zh").has_value());       // same byte as "Zg", stray bits
  BOOST_TEST(!base64_unpadded_decode("+/9").has_value());      // same bytes as "+/8"
  BOOST_TEST(!base64_unpadded_decode("Zm9v\0"s).has_value());  // embedded NUL
  BOOST_TEST(!base64_unpadded_decode("$Zm9v").has_value());
}

BOOST_AUTO_TEST_CASE(constant_time_equal_compares_content_and_size) {
  BOOST_TEST(constant_time_equal("", ""));
  BOOST_TEST(constant_time_equal("token", "token"));
  BOOST_TEST(!constant_time_equal("token", "tokeN"));
  BOOST_TEST(!constant_time_equal("token", "token2"));
  BOOST_TEST(!constant_time_equal("a\0b"s, "a\0c"s));
}
