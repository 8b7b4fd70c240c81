// libFuzzer target: the NFKC normalisers (fcgi/lib/core/normalize.cpp) that every
// typed card number, address and login ID passes through (D10). Invalid
// UTF-8 is refused, never repaired; valid input always normalises, to valid
// UTF-8, and normalising twice changes nothing.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "normalize.h"
#include "text.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const bool valid = kosmo::is_valid_utf8(text);
  const auto folded = kosmo::nfkc(text);
  if (folded.has_value() != valid) std::abort();
  if (!valid) return 0;
  if (!kosmo::is_valid_utf8(*folded)) std::abort();
  if (kosmo::nfkc(*folded) != *folded) std::abort();
  const auto casefolded = kosmo::nfkc_casefold(text);
  if (!casefolded || !kosmo::is_valid_utf8(*casefolded)) std::abort();
  if (kosmo::nfkc_casefold(*casefolded) != *casefolded) std::abort();
  const auto card = kosmo::normalize_card_field(text);
  if (!card || !kosmo::is_valid_utf8(*card)) std::abort();
  if (card->find(' ') != std::string::npos || card->find('-') != std::string::npos) std::abort();
  const auto email = kosmo::normalize_email(text);
  if (!email || !kosmo::is_valid_utf8(*email)) std::abort();
  (void)kosmo::trim(text);
  return 0;
}
