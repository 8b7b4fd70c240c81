// text: the small string helpers several concerns share (configuration
// lines, HTTP header values, typed form fields, passwords), one copy each.
// Bytes in, bytes out: no locale, no ICU (normalize is for Unicode folding).
#pragma once

#include <cstddef>
#include <string_view>

namespace kosmo {

// Without the ASCII whitespace (space, \t, \n, \v, \f, \r) at both ends;
// a view into `text`, so keep `text` alive while the result is used.
std::string_view trim(std::string_view text);

// Unicode code points in valid UTF-8 (check with is_valid_utf8 first): the
// length members see, which limits count, not bytes.
std::size_t count_code_points(std::string_view valid_utf8);

}  // namespace kosmo
