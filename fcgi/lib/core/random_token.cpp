#include "random_token.h"

#include "crypto.h"

namespace kosmo {

std::string new_random_token() { return base64url_encode(random_bytes(kRandomTokenBytes)); }

bool is_random_token(std::string_view text) {
  if (text.size() != kRandomTokenLength) return false;
  const auto decoded = base64url_decode(text);
  return decoded && decoded->size() == kRandomTokenBytes;
}

}  // namespace kosmo
