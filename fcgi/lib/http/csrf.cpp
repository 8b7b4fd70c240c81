#include "csrf.h"

#include "crypto.h"
#include "random_token.h"

namespace kosmo {

std::string new_csrf_cookie_value() { return new_random_token(); }

bool is_well_formed_csrf_cookie(std::string_view cookie_value) { return is_random_token(cookie_value); }

std::string csrf_token_for(std::string_view key, std::string_view cookie_value) {
  // The label keeps this HMAC apart from any other use of the same key.
  return base64url_encode(hmac_sha256(key, "kosmo-csrf-v1:" + std::string(cookie_value)));
}

bool csrf_token_matches(std::string_view key, std::string_view cookie_value, std::string_view submitted) {
  if (!is_well_formed_csrf_cookie(cookie_value) || submitted.empty()) return false;
  return constant_time_equal(csrf_token_for(key, cookie_value), submitted);
}

}  // namespace kosmo
