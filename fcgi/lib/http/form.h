// form: application/x-www-form-urlencoded bodies, query strings and Cookie
// headers. A malformed input is an outcome the caller answers with 400, never
// a guess: a duplicated field could smuggle a second value past a check.
#pragma once

#include <map>
#include <ostream>
#include <string>
#include <string_view>

namespace kosmo {

enum class FormError {
  None,
  BadPercentEncoding,  // "%4" or "%zz"
  InvalidUtf8,
  ControlCharacter,    // NUL, CR, LF and other C0 controls, DEL
  DuplicateField,
  TooManyFields,
};
std::string_view to_string(FormError error);
std::ostream& operator<<(std::ostream& out, FormError error);

struct ParsedFields {
  std::map<std::string, std::string, std::less<>> fields;
  FormError error = FormError::None;
};

// Parses "a=1&b=%E3%81%82"; '+' is a space; a key without '=' has an empty value.
ParsedFields parse_urlencoded(std::string_view text, std::size_t max_fields = 32);

// Parses "a=1; b=2". The first of two cookies with one name wins (RFC 6265
// orders the more specific path first); cookie values are not percent-decoded.
std::map<std::string, std::string, std::less<>> parse_cookie_header(std::string_view header);

std::string percent_encode(std::string_view text);

// Accepts a new cookie only with the flags every cookie of ours carries:
// __Host- prefix, Path=/, Secure, HttpOnly, SameSite=Lax.
std::string set_cookie_header(std::string_view name, std::string_view value, int max_age_seconds);
std::string clear_cookie_header(std::string_view name);

}  // namespace kosmo
