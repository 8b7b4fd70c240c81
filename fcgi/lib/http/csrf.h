// csrf: every POST form carries a token the server checks (issue 3, ASVS V4.2).
// Signed double-submit: the browser holds a random value in the cookie
// __Host-kosmo_csrf, and the form field is HMAC-SHA256(csrf_key, that value).
// A cross-site page can neither read the cookie nor compute the HMAC, and the
// __Host- prefix stops a sibling subdomain from planting a cookie of its own.
// It needs no database row, so anonymous GETs write nothing.
#pragma once

#include <string>
#include <string_view>

namespace kosmo {

inline constexpr std::string_view kCsrfCookie = "__Host-kosmo_csrf";
inline constexpr std::string_view kCsrfField = "csrf";

// A fresh cookie value: 32 random bytes, base64url.
std::string new_csrf_cookie_value();
// True when `cookie_value` looks like one of ours (43 base64url characters).
bool is_well_formed_csrf_cookie(std::string_view cookie_value);
// The form field value that belongs to a cookie value.
std::string csrf_token_for(std::string_view key, std::string_view cookie_value);
// Constant-time check of a submitted token against the cookie.
bool csrf_token_matches(std::string_view key, std::string_view cookie_value, std::string_view submitted);

}  // namespace kosmo
