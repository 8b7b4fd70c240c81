#include "csrf.h"

#include "crypto.h"

namespace kosmo {

std::string new_csrf_cookie_value() { return base64url_encode(random_bytes(32)); }

bool is_well_formed_csrf_cookie(std::string_view cookie_value) {
  if (cookie_value.size() != 43) return false;
  const auto decoded = base64url_decode(cookie_value);
  return decoded && decoded->size() == 32;
}

std::string csrf_token_for(std::string_view key, std::string_view cookie_value) {
  // The label keeps this HMAC apart from any other use of the same key.
  return base64url_encode(hmac_sha256(key, "kosmo-csrf-v1:" + std::string(cookie_value)));
}

bool csrf_token_matches(std::string_view key, std::string_view cookie_value, std::string_view submitted) {
  if (!is_well_formed_csrf_cookie(cookie_value) || submitted.empty()) return false;
  return constant_time_equal(csrf_token_for(key, cookie_value), submitted);
}

}  // namespace kosmo
