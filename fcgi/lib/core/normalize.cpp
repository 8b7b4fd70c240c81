// normalize: ICU-based input folding (D10), see normalize.h. ICU's UTF-8
// macros do the decoding so there is no hand-written decoder here.
#include "normalize.h"

#include <unicode/bytestream.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <climits>
#include <stdexcept>

#include "text.h"

namespace kosmo {
namespace {

// Runs one of ICU's shared normalizer instances over valid UTF-8. A failure
// after validation is a fault (ICU data missing), not the member's input.
std::optional<std::string> normalize_with(std::string_view utf8,
                                          const icu::Normalizer2* (*instance)(UErrorCode&)) {
  if (!is_valid_utf8(utf8)) return std::nullopt;
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* normalizer = instance(status);
  if (U_FAILURE(status)) throw std::runtime_error("normalize: ICU normalizer unavailable");
  std::string out;
  icu::StringByteSink<std::string> sink(&out, static_cast<int32_t>(utf8.size()));
  normalizer->normalizeUTF8(0, icu::StringPiece(utf8.data(), static_cast<int32_t>(utf8.size())),
                            sink, nullptr, status);
  if (U_FAILURE(status)) throw std::runtime_error("normalize: ICU normalization failed");
  return out;
}

}  // namespace

bool is_valid_utf8(std::string_view s) {
  if (s.size() > INT32_MAX) return false;  // ICU indexes with int32_t
  const auto* bytes = reinterpret_cast<const uint8_t*>(s.data());
  const auto length = static_cast<int32_t>(s.size());
  for (int32_t i = 0; i < length;) {
    UChar32 c;
    U8_NEXT(bytes, i, length, c);  // c < 0 for any ill-formed sequence
    if (c < 0) return false;
  }
  return true;
}

std::optional<std::string> nfkc(std::string_view utf8) {
  return normalize_with(utf8, &icu::Normalizer2::getNFKCInstance);
}

std::optional<std::string> nfkc_casefold(std::string_view utf8) {
  return normalize_with(utf8, &icu::Normalizer2::getNFKCCasefoldInstance);
}

bool is_hyphen_like(char32_t c) {
  return c == U'-' || (c >= U'\u2010' && c <= U'\u2015') || c == U'\u2212' || c == U'\u30FC' ||
         c == U'\uFF70';
}

std::optional<std::string> nfkc_without_spaces(std::string_view utf8, std::string_view hyphen) {
  const std::optional<std::string> folded = nfkc(utf8);
  if (!folded) return std::nullopt;
  std::string out;
  const auto* bytes = reinterpret_cast<const uint8_t*>(folded->data());
  const auto length = static_cast<int32_t>(folded->size());
  for (int32_t i = 0; i < length;) {
    const int32_t start = i;
    UChar32 c;
    U8_NEXT(bytes, i, length, c);
    if (u_isUWhiteSpace(c)) continue;
    if (is_hyphen_like(static_cast<char32_t>(c))) {
      out += hyphen;
      continue;
    }
    out.append(*folded, static_cast<std::size_t>(start), static_cast<std::size_t>(i - start));
  }
  return out;
}

std::optional<std::string> normalize_card_field(std::string_view utf8) {
  // Cards are printed with spaces and dashes that members copy or leave out
  // at will; the insurer's register has neither (D10).
  std::optional<std::string> card = nfkc_without_spaces(utf8, "");
  if (!card) return std::nullopt;
  for (char& c : *card)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');  // ASCII bytes never occur inside a multi-byte character
  return card;
}

std::string normalize_login_id(std::string_view typed) {
  const std::optional<std::string> folded = nfkc(typed);
  return folded ? std::string(trim(*folded)) : std::string();
}

std::optional<std::string> normalize_email(std::string_view utf8) {
  // NFKC first: it turns U+3000 and U+00A0 into U+0020, which trim() then removes.
  const std::optional<std::string> folded = nfkc(utf8);
  if (!folded) return std::nullopt;
  return std::string(trim(*folded));
}

}  // namespace kosmo
