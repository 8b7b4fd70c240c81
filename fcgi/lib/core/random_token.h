// random_token: the 32 random bytes behind every secret value the site
// hands out: the session and grant cookies (D5), the CSRF cookie and the
// mail URL's token (D4), each written as 43 base64url characters. One check
// of that form, so a cookie or URL that cannot be one of ours is refused
// before any hash, HMAC or lookup, the same way everywhere.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace kosmo {

inline constexpr std::size_t kRandomTokenBytes = 32;
inline constexpr std::size_t kRandomTokenLength = 43;  // base64url of 32 bytes, unpadded

// kRandomTokenBytes from the OpenSSL CSPRNG, base64url.
std::string new_random_token();

// True when `text` is exactly 43 characters of strict base64url that decode
// to 32 bytes (one spelling per value: base64url_decode refuses the others).
bool is_random_token(std::string_view text);

}  // namespace kosmo
