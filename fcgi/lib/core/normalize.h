// normalize: "input as people type it" (D10). Members type on phones and
// Japanese IMEs, so full-width digits and letters, ideographic spaces and
// katakana long-vowel marks used as hyphens are folded with ICU before any
// comparison. Invalid UTF-8 is refused (nullopt), never repaired.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace kosmo {

// Strict UTF-8 (ICU U8_NEXT): no overlong forms, no surrogates, nothing above
// U+10FFFF, no truncated sequences.
bool is_valid_utf8(std::string_view s);

// Unicode NFKC: '１２３４' -> '1234', 'ＡＢＣ' -> 'ABC', U+3000 -> ' '.
std::optional<std::string> nfkc(std::string_view utf8);

// NFKC_Casefold, for comparing email addresses and login IDs case-insensitively
// in C++ after the database's collation found a candidate (D10).
std::optional<std::string> nfkc_casefold(std::string_view utf8);

// 保険証の記号・番号: NFKC, drop every whitespace and hyphen-like character,
// upper-case ASCII letters. 'ＡＢＣ－１２' -> 'ABC12'.
std::optional<std::string> normalize_card_field(std::string_view utf8);

// A login ID as members and support staff type it: NFKC (full-width
// digits) and trimmed; empty when blank or not UTF-8. The login screen, its
// lockout counters (D7) and kosmo-admin (member, limits reset,
// import-members) all use this one, so `limits reset --login-id` clears
// exactly the counter the login screen counted.
std::string normalize_login_id(std::string_view typed);

// NFKC, then every whitespace character dropped and every hyphen-like one
// (is_hyphen_like) replaced by `hyphen` (empty: dropped too): how card
// fields and typed dates are read whatever spaces and dashes members add (D10).
std::optional<std::string> nfkc_without_spaces(std::string_view utf8, std::string_view hyphen);

// NFKC and trim, case kept: the stored address is where mail goes, so only
// comparisons fold case (through nfkc_casefold).
std::optional<std::string> normalize_email(std::string_view utf8);

// Characters members type where they mean '-': ASCII '-', U+2010..U+2015,
// U+2212 minus, U+30FC 'ー' and U+FF70 'ｰ' (an IME in kana mode types these).
bool is_hyphen_like(char32_t c);

}  // namespace kosmo
