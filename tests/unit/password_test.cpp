// password: argon2id hashing, imported PHP bcrypt hashes, D6 temporary
// passwords and the NIST SP 800-63B new-password policy.
#define BOOST_TEST_MODULE password
#include <boost/test/unit_test.hpp>

#include "password.h"

#include "crypto.h"

#include <argon2.h>

#include <algorithm>
#include <map>
#include <set>
#include <vector>

using namespace kosmo;
using namespace std::string_literals;

namespace {

const CommonPasswords& common_passwords() {
  static const CommonPasswords list =
      CommonPasswords::load(KOSMO_SOURCE_DIR "/data/common-passwords.txt");
  return list;
}

std::string problem_of(std::string_view password, std::string_view login_id = "taro.yamada") {
  const std::optional<PasswordProblem> problem =
      find_password_problem(password, login_id, common_passwords());
  return problem ? std::string(to_string(*problem)) : "none";
}

std::string repeat(std::string_view unit, std::size_t times) {
  std::string out;
  for (std::size_t i = 0; i < times; ++i) out += unit;
  return out;
}

// From the PHP manual's password_verify() example: made by PHP itself.
constexpr std::string_view kPhpManualHash =
    "$2y$10$.vGA1O9wmRjrwAVXD98HNOgsNpDczlqm3Jq7KnEd1rVAGv3Fykk1a";  // "rasmuslerdorf"
// Made with libxcrypt crypt_gensalt_rn("$2y$", 10, ...) for "kosmo-php-2019".
constexpr std::string_view kXcryptHash =
    "$2y$10$gXMcCj4VSW8amhRyc/kf9.koS6enPJS.is6vlsfqcuAdSz2GGy3t6";
// argon2id with m=4096, t=1 (below our m=19456, t=2) for "weak-params-pass".
constexpr std::string_view kWeakArgon2idHash =
    "$argon2id$v=19$m=4096,t=1,p=1$MDEyMzQ1Njc4OWFiY2RlZg$"
    "lsModBRCVd3uohV/jwdLS/MINdrLkRSSpqPzD2QitsU";

// A PHC string made by libargon2 itself (argon2_hash encodes it), so our own
// decoder is checked against the reference spelling, not against itself.
std::string library_hash(std::string_view password, uint32_t m, uint32_t t, uint32_t p,
                         argon2_type type = Argon2_id, uint32_t version = ARGON2_VERSION_13) {
  const std::string salt = "kosmo-test-salt!";
  std::string encoded(argon2_encodedlen(t, m, p, salt.size(), 32, type) + 1, '\0');
  const int result = argon2_hash(t, m, p, password.data(), password.size(), salt.data(),
                                 salt.size(), nullptr, 32, encoded.data(), encoded.size(), type,
                                 version);
  BOOST_REQUIRE_EQUAL(result, ARGON2_OK);
  encoded.resize(encoded.find('\0'));
  return encoded;
}

// "$argon2id$v=19$m=..,t=..,p=..$<salt>$<hash>" -> its five '$'-separated fields.
std::vector<std::string> phc_fields(const std::string& encoded) {
  std::vector<std::string> fields;
  std::size_t start = 1;
  for (std::size_t at; (at = encoded.find('$', start)) != std::string::npos; start = at + 1) {
    fields.push_back(encoded.substr(start, at - start));
  }
  fields.push_back(encoded.substr(start));
  return fields;
}

std::string join_phc(const std::vector<std::string>& fields) {
  std::string out;
  for (const std::string& field : fields) out += "$" + field;
  return out;
}

}  // namespace

BOOST_AUTO_TEST_CASE(argon2id_hash_uses_our_parameters_and_verifies) {
  const std::string hash = hash_password("correct horse battery staple");
  BOOST_TEST(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
  BOOST_TEST(verify_password("correct horse battery staple", hash) == PasswordCheck::Match);
  BOOST_TEST(verify_password("correct horse battery stapl", hash) == PasswordCheck::Mismatch);
  BOOST_TEST(verify_password("", hash) == PasswordCheck::Mismatch);
}

BOOST_AUTO_TEST_CASE(argon2id_hashes_are_salted) {
  BOOST_TEST(hash_password("same password") != hash_password("same password"));
}

BOOST_AUTO_TEST_CASE(argon2id_keeps_every_byte_of_the_password) {
  const std::string hash = hash_password("secret\0one"s);
  BOOST_TEST(verify_password("secret\0one"s, hash) == PasswordCheck::Match);
  BOOST_TEST(verify_password("secret\0two"s, hash) == PasswordCheck::Mismatch);
  BOOST_TEST(verify_password("secret", hash) == PasswordCheck::Mismatch);
}

BOOST_AUTO_TEST_CASE(argon2id_hash_with_weaker_parameters_asks_for_rehash) {
  BOOST_TEST(verify_password("weak-params-pass", kWeakArgon2idHash) ==
             PasswordCheck::MatchNeedsRehash);
  BOOST_TEST(verify_password("weak-params-pasS", kWeakArgon2idHash) == PasswordCheck::Mismatch);
}

// Our PHC string is the library's format: argon2id_verify(), the reference
// verifier, accepts what hash_password() spells.
BOOST_AUTO_TEST_CASE(argon2id_hash_we_spell_is_accepted_by_the_library_verifier) {
  const std::string password = "correct horse battery staple";
  const std::string hash = hash_password(password);
  const std::vector<std::string> fields = phc_fields(hash);
  BOOST_REQUIRE_EQUAL(fields.size(), 5u);
  BOOST_TEST(base64_unpadded_decode(fields[3]).value().size() == 16u);  // salt
  BOOST_TEST(base64_unpadded_decode(fields[4]).value().size() == 32u);  // hash
  BOOST_TEST(argon2id_verify(hash.c_str(), password.data(), password.size()) == ARGON2_OK);
  BOOST_TEST(argon2id_verify(hash.c_str(), "wrong", 5) == ARGON2_VERIFY_MISMATCH);
}

// Hashes stored before the change came from argon2id_hash_encoded().
BOOST_AUTO_TEST_CASE(argon2id_hash_from_the_library_encoder_verifies) {
  const std::string password = "kosmo-2024-パスワード";
  const std::string ours = library_hash(password, 19456, 2, 1);
  BOOST_TEST(verify_password(password, ours) == PasswordCheck::Match);
  BOOST_TEST(verify_password("kosmo-2024-パスワーど", ours) == PasswordCheck::Mismatch);
  const std::string weaker = library_hash(password, 4096, 1, 1);
  BOOST_TEST(verify_password(password, weaker) == PasswordCheck::MatchNeedsRehash);
  BOOST_TEST(verify_password("", weaker) == PasswordCheck::Mismatch);
}

BOOST_AUTO_TEST_CASE(argon2id_hash_with_a_changed_salt_or_hash_is_a_mismatch) {
  const std::string password = "weak-params-pass";
  BOOST_REQUIRE(verify_password(password, kWeakArgon2idHash) == PasswordCheck::MatchNeedsRehash);
  std::vector<std::string> fields = phc_fields(std::string(kWeakArgon2idHash));
  std::vector<std::string> changed_salt = fields;
  changed_salt[3][0] = 'N';  // "MDEy..." -> "NDEy...": another valid salt
  BOOST_TEST(verify_password(password, join_phc(changed_salt)) == PasswordCheck::Mismatch);
  std::vector<std::string> changed_hash = fields;
  changed_hash[4][0] = changed_hash[4][0] == 'A' ? 'B' : 'A';
  BOOST_TEST(verify_password(password, join_phc(changed_hash)) == PasswordCheck::Mismatch);
  std::vector<std::string> short_hash = fields;  // 31 of the 32 bytes
  short_hash[4] = base64_unpadded_encode(base64_unpadded_decode(fields[4]).value().substr(0, 31));
  BOOST_TEST(verify_password(password, join_phc(short_hash)) == PasswordCheck::Mismatch);
}

BOOST_AUTO_TEST_CASE(argon2id_hash_cut_short_anywhere_is_a_mismatch) {
  const std::string password = "weak-params-pass";
  const std::string_view hash = kWeakArgon2idHash;
  for (std::size_t length = 0; length < hash.size(); ++length) {
    BOOST_TEST(verify_password(password, hash.substr(0, length)) == PasswordCheck::Mismatch,
               "length: " << length);
  }
}

BOOST_AUTO_TEST_CASE(argon2id_hash_with_garbled_fields_is_a_mismatch) {
  const std::string password = "weak-params-pass";
  const std::vector<std::string> fields = phc_fields(std::string(kWeakArgon2idHash));
  const auto with = [&](std::size_t index, std::string value) {
    std::vector<std::string> changed = fields;
    changed[index] = std::move(value);
    return join_phc(changed);
  };
  for (const std::string& stored : {
           with(3, fields[3] + "=="),                     // padded salt
           with(4, fields[4] + "="),                      // padded hash
           with(3, "MDEyMzQ1Njc4OWFiY2RlZh"),             // stray low bits in the salt
           with(3, "MDEyMzQ1Njc"),                        // salt below 8 bytes
           with(4, "AAA"),                                // hash below 4 bytes
           with(3, ""),
           with(4, ""),
           with(4, fields[4] + "$"),
           with(3, "MDEyMzQ1Njc4OWFiY2RlZg-_"),           // URL alphabet
           with(2, "m=4096,t=1"),                         // a cost missing
           with(2, "m=4096,t=1,p=1,x=1"),
           with(2, "t=1,m=4096,p=1"),                     // out of order
           with(2, "m=4096,t=1,p=-1"),
           with(2, "m=4096,t=1,p=+1"),
           with(2, "m=4096,t=1,p=0"),
           with(2, "m=4,t=1,p=1"),                        // below libargon2's 8 KiB
           with(1, "v=19 "),
           std::string(kWeakArgon2idHash) + "$",
           "$" + std::string(kWeakArgon2idHash),
       }) {
    BOOST_TEST(verify_password(password, stored) == PasswordCheck::Mismatch, "stored: " << stored);
  }
}

// Only argon2id is ours: a valid argon2i or argon2d hash of the right password
// (which the library would verify for its own type) is still refused.
BOOST_AUTO_TEST_CASE(argon2i_and_argon2d_hashes_are_a_mismatch) {
  const std::string password = "kosmo-type-test";
  for (const argon2_type type : {Argon2_i, Argon2_d}) {
    const std::string hash = library_hash(password, 4096, 1, 1, type);
    BOOST_TEST(verify_password(password, hash) == PasswordCheck::Mismatch, "stored: " << hash);
    std::string relabelled = hash;
    relabelled.replace(1, hash.find('$', 1) - 1, "argon2id");
    BOOST_TEST(verify_password(password, relabelled) == PasswordCheck::Mismatch);
  }
}

// Every argon2id hash we made is version 19; a v=16 string, even one the
// library would verify, is not ours.
BOOST_AUTO_TEST_CASE(argon2id_version_16_is_a_mismatch) {
  const std::string password = "kosmo-version-test";
  const std::string old_version = library_hash(password, 4096, 1, 1, Argon2_id, ARGON2_VERSION_10);
  BOOST_REQUIRE(old_version.starts_with("$argon2id$v=16$"));
  BOOST_REQUIRE(argon2id_verify(old_version.c_str(), password.data(), password.size()) == ARGON2_OK);
  BOOST_TEST(verify_password(password, old_version) == PasswordCheck::Mismatch);
}

// The ceilings a stored hash may ask for: t=16 and p=16 run, t=17 and p=17 do
// not, though the library would verify them. m is only tested above its
// ceiling (256 MiB + 1 KiB): running 256 MiB in a unit test is not worth it.
BOOST_AUTO_TEST_CASE(argon2id_costs_are_capped_at_t16_p16_m256mib) {
  const std::string password = "kosmo-cost-test";
  BOOST_TEST(verify_password(password, library_hash(password, 128, 16, 1)) ==
             PasswordCheck::MatchNeedsRehash);
  BOOST_TEST(verify_password(password, library_hash(password, 128, 17, 1)) ==
             PasswordCheck::Mismatch);
  BOOST_TEST(verify_password(password, library_hash(password, 128, 1, 16)) ==
             PasswordCheck::MatchNeedsRehash);
  BOOST_TEST(verify_password(password, library_hash(password, 136, 1, 17)) ==
             PasswordCheck::Mismatch);
  const std::vector<std::string> fields = phc_fields(library_hash(password, 4096, 1, 1));
  std::vector<std::string> huge = fields;
  huge[2] = "m=262145,t=1,p=1";
  BOOST_TEST(verify_password(password, join_phc(huge)) == PasswordCheck::Mismatch);
  huge[2] = "m=4096,t=1,p=4294967295";
  BOOST_TEST(verify_password(password, join_phc(huge)) == PasswordCheck::Mismatch);
}

BOOST_AUTO_TEST_CASE(bcrypt_hash_from_php_verifies_and_asks_for_rehash) {
  BOOST_TEST(verify_password("rasmuslerdorf", kPhpManualHash) == PasswordCheck::MatchNeedsRehash);
  BOOST_TEST(verify_password("rasmuslerdorF", kPhpManualHash) == PasswordCheck::Mismatch);
  BOOST_TEST(verify_password("kosmo-php-2019", kXcryptHash) == PasswordCheck::MatchNeedsRehash);
  BOOST_TEST(verify_password("kosmo-php-2018", kXcryptHash) == PasswordCheck::Mismatch);
  BOOST_TEST(verify_password("", kXcryptHash) == PasswordCheck::Mismatch);
}

BOOST_AUTO_TEST_CASE(bcrypt_2a_and_2b_prefixes_verify_like_2y) {
  for (const std::string_view prefix : {"$2a$", "$2b$"}) {
    const std::string hash = std::string(prefix) + std::string(kXcryptHash.substr(4));
    BOOST_TEST(verify_password("kosmo-php-2019", hash) == PasswordCheck::MatchNeedsRehash);
    BOOST_TEST(verify_password("kosmo-php-2018", hash) == PasswordCheck::Mismatch);
  }
}

// crypt() reads C strings: "rasmuslerdorf\0x" must not pass as "rasmuslerdorf".
BOOST_AUTO_TEST_CASE(bcrypt_refuses_a_password_with_an_embedded_nul) {
  BOOST_TEST(verify_password("rasmuslerdorf\0x"s, kPhpManualHash) == PasswordCheck::Mismatch);
  BOOST_TEST(verify_password("rasmuslerdorf\0"s, kPhpManualHash) == PasswordCheck::Mismatch);
}

BOOST_AUTO_TEST_CASE(empty_malformed_or_unknown_hashes_are_a_mismatch) {
  const std::string_view password = "rasmuslerdorf";
  for (const std::string& stored : {
           ""s,
           "rasmuslerdorf"s,
           "$argon2id$"s,
           "$argon2id$v=19$m=4096,t=1,p=1$MDEyMzQ1Njc4OWFiY2RlZg"s,  // no hash part
           "$argon2id$v=19$m=4096,t=1,p=1$MDEyMzQ1Njc4OWFiY2RlZg$!!!"s,
           "$argon2id$v=19$m=abc,t=1,p=1$MDEyMzQ1Njc4OWFiY2RlZg$lsModBRCVd3uohV"s,
           "$argon2id$m=4096,t=1,p=1$MDEyMzQ1Njc4OWFiY2RlZg$lsModBRCVd3uohV"s,
           // A planted 4 TiB / 2^32-pass row must not be run.
           "$argon2id$v=19$m=4294967295,t=1,p=1$MDEyMzQ1Njc4OWFiY2RlZg$lsModBRCVd3uohV"s,
           "$argon2id$v=19$m=4096,t=4294967295,p=1$MDEyMzQ1Njc4OWFiY2RlZg$lsModBRCVd3uohV"s,
           "$argon2i$v=19$m=4096,t=1,p=1$MDEyMzQ1Njc4OWFiY2RlZg$lsModBRCVd3uohV"s,
           std::string(kWeakArgon2idHash) + "\0"s,
           std::string(kPhpManualHash.substr(0, 59)),                 // truncated
           "$2y$31$" + std::string(kPhpManualHash.substr(7)),         // cost too high to run
           "$2x$10$" + std::string(kPhpManualHash.substr(7)),         // not from PHP
           "$2y$1O$" + std::string(kPhpManualHash.substr(7)),
           "$1$saltsalt$2vnaRpHa6Jxjz5n83ok8Z0"s,                     // md5crypt
           "$6$salt$IxDD3jeSOb5eB1CX5LBsqZFVkJdido3OUILO5Ifz5iwMuTS4XMS130MTSuDDl3aCI6WouIL9AjRbLCelDCy.g."s,
       }) {
    BOOST_TEST(verify_password(password, stored) == PasswordCheck::Mismatch, "stored: " << stored);
  }
}

BOOST_AUTO_TEST_CASE(unknown_login_id_still_spends_one_verification) {
  BOOST_CHECK_NO_THROW(spend_password_verification_time("anything"));
  BOOST_CHECK_NO_THROW(spend_password_verification_time(""));
}

BOOST_AUTO_TEST_CASE(outcomes_print_for_logs) {
  BOOST_TEST(to_string(PasswordCheck::MatchNeedsRehash) == "match_needs_rehash");
  std::ostringstream out;
  out << PasswordCheck::Mismatch << ' ' << PasswordProblem::SameAsLoginId;
  BOOST_TEST(out.str() == "mismatch same_as_login_id");
}

// D6: 12 symbols without look-alikes, at least one digit and one letter.
BOOST_AUTO_TEST_CASE(temporary_passwords_use_the_unambiguous_alphabet) {
  const std::string alphabet = "23456789acdefhjknprtuvxyADEFHJLMNQRT";
  std::set<std::string> seen;
  std::map<char, int> counts;
  for (int draw = 0; draw < 1000; ++draw) {
    const std::string password = generate_temporary_password();
    BOOST_TEST(password.size() == 12u);
    BOOST_TEST(password.find_first_not_of(alphabet) == std::string::npos, password);
    BOOST_TEST(password.find_first_of("0Oo1lIi") == std::string::npos, password);
    BOOST_TEST(password.find_first_of("23456789") != std::string::npos, password);
    BOOST_TEST(password.find_first_not_of("23456789") != std::string::npos, password);
    seen.insert(password);
    for (const char c : password) ++counts[c];
  }
  BOOST_TEST(seen.size() == 1000u);
  // 12000 symbols, 333 expected each (sd about 18): every symbol is drawn, none dominates.
  BOOST_TEST(counts.size() == alphabet.size());
  for (const auto& [symbol, count] : counts) {
    BOOST_TEST((count > 200 && count < 470), symbol << " drawn " << count << " times");
  }
}

// D6, no modulo bias: 256 % 36 = 4, so "byte % 36" without rejection would draw
// '2'..'5' 8/7 as often as '6'..'9'. Within one kind of symbol (digits are a
// little more frequent than letters because all-letter passwords are redrawn)
// counts must fit one uniform distribution: chi-square below 80, which a fair
// generator exceeds with p < 1e-6 even for the 28 letters (27 degrees of
// freedom); the biased one scores about 250 on the digits.
BOOST_AUTO_TEST_CASE(temporary_password_symbols_of_one_kind_are_equally_likely) {
  std::map<char, int> counts;
  for (int draw = 0; draw < 20000; ++draw) {
    for (const char c : generate_temporary_password()) ++counts[c];
  }
  for (const std::string_view kind : {"23456789", "acdefhjknprtuvxyADEFHJLMNQRT"}) {
    double total = 0;
    for (const char symbol : kind) total += counts[symbol];
    const double expected = total / static_cast<double>(kind.size());
    double chi_square = 0;
    for (const char symbol : kind) {
      const double deviation = counts[symbol] - expected;
      chi_square += deviation * deviation / expected;
    }
    BOOST_TEST(chi_square < 80.0, kind << ": chi-square " << chi_square);
  }
}

BOOST_AUTO_TEST_CASE(common_password_list_loads_without_its_comment_lines) {
  const CommonPasswords& list = common_passwords();
  BOOST_TEST(list.size() > 3000u);
  BOOST_TEST(list.contains("password1"));
  BOOST_TEST(list.contains("PassWord1"));
  BOOST_TEST(!list.contains(""));
  BOOST_TEST(!list.contains("#!comment: This list has been compiled by Solar Designer of Openwall Project"));
}

BOOST_AUTO_TEST_CASE(common_password_list_that_cannot_be_read_names_its_path) {
  BOOST_CHECK_EXCEPTION(CommonPasswords::load("/nonexistent/common.txt"), std::runtime_error,
                        [](const std::runtime_error& e) {
                          return std::string(e.what()).find("/nonexistent/common.txt") !=
                                 std::string::npos;
                        });
}

// NIST SP 800-63B 5.1.1.2: at least 8 characters; we allow up to 128.
BOOST_AUTO_TEST_CASE(length_limits_are_8_and_128_code_points) {
  BOOST_TEST(problem_of("Kz7!qW9") == "too_short");
  BOOST_TEST(problem_of("Kz7!qW9x") == "none");
  BOOST_TEST(problem_of(repeat("Kz7!", 32)) == "none");
  BOOST_TEST(problem_of(repeat("Kz7!", 32) + "x") == "too_long");
}

// Counted in code points, not bytes: 8 kanji are 24 bytes but 8 characters.
BOOST_AUTO_TEST_CASE(japanese_password_counts_characters_not_bytes) {
  BOOST_TEST(problem_of("東京都千代田区") == "too_short");
  BOOST_TEST(problem_of("東京都千代田区霞") == "none");
  BOOST_TEST(problem_of(repeat("霞", 128)) == "none");  // 384 bytes
  BOOST_TEST(problem_of(repeat("霞", 129)) == "too_long");
}

BOOST_AUTO_TEST_CASE(spaces_and_symbols_are_allowed) {
  BOOST_TEST(problem_of("correct horse battery staple") == "none");
  BOOST_TEST(problem_of("  ~!@#$%^&*()  ") == "none");
  BOOST_TEST(problem_of("やまだ　たろう　です") == "none");  // U+3000 inside
}

BOOST_AUTO_TEST_CASE(password_equal_to_the_login_id_is_refused) {
  BOOST_TEST(problem_of("Taro.Yamada2024", "taro.yamada2024") == "same_as_login_id");
  BOOST_TEST(problem_of("ｔａｒｏ.ｙａｍａｄａ2024", "taro.yamada2024") == "same_as_login_id");
  BOOST_TEST(problem_of("taro.yamada2025", "taro.yamada2024") == "none");
}

BOOST_AUTO_TEST_CASE(common_password_is_refused_in_any_case_or_width) {
  BOOST_TEST(problem_of("password1") == "common");
  BOOST_TEST(problem_of("PASSWORD1") == "common");
  BOOST_TEST(problem_of("ｐａｓｓｗｏｒｄ１") == "common");
  BOOST_TEST(problem_of("12345678") == "common");
}

BOOST_AUTO_TEST_CASE(control_characters_and_invalid_utf8_are_invalid_text) {
  BOOST_TEST(problem_of("abc\tdefgh") == "invalid_text");
  BOOST_TEST(problem_of("abcdefgh\n") == "invalid_text");
  BOOST_TEST(problem_of("abcd\x7f" "efgh") == "invalid_text");
  BOOST_TEST(problem_of("abcd\0efgh"s) == "invalid_text");
  BOOST_TEST(problem_of("abcdefgh\xC0\xAF") == "invalid_text");
  BOOST_TEST(problem_of("abcdefgh\xED\xA0\x80") == "invalid_text");
  BOOST_TEST(problem_of("\xE6\x9D") == "invalid_text");  // truncated, and short
}

// Issue 13: the login's check gives verify_password's answer for every kind of
// hash, and a plain Mismatch for an unknown ID, after the same two computations.
BOOST_AUTO_TEST_CASE(even_verification_answers_like_verify_password) {
  const std::string ours = hash_password("correct horse battery staple");
  BOOST_TEST(verify_password_evenly("correct horse battery staple", ours) == PasswordCheck::Match);
  BOOST_TEST(verify_password_evenly("correct horse battery stapl", ours) == PasswordCheck::Mismatch);
  BOOST_TEST(verify_password_evenly("rasmuslerdorf", kPhpManualHash) == PasswordCheck::MatchNeedsRehash);
  BOOST_TEST(verify_password_evenly("rasmuslerdorF", kPhpManualHash) == PasswordCheck::Mismatch);
  BOOST_TEST(verify_password_evenly("rasmuslerdorf", std::nullopt) == PasswordCheck::Mismatch);
  BOOST_TEST(verify_password_evenly("x", "not a hash") == PasswordCheck::Mismatch);
}
