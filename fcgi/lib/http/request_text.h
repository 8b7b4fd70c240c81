// request_text: request data is untrusted bytes (D18). Every value a request
// carries in from nginx (headers, the path, cookies) is made valid UTF-8 and
// cut on a character boundary to the width of wherever it goes, once, before
// a handler, a log line, a page or an INSERT sees it: in strict SQL mode one
// invalid byte in an audit row's user_agent used to fail the INSERT and roll
// back a counted login failure with it (issue 13).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "http.h"

namespace kosmo {

// audit_events.user_agent and identity_requests.user_agent are VARCHAR(255)
// utf8mb4: 255 bytes of UTF-8 are at most 255 characters.
constexpr std::size_t kMaxUserAgentBytes = 255;
// audit_events.ip is VARCHAR(45) ascii: the longest IPv6 text form.
constexpr std::size_t kMaxAddressBytes = 45;
// Paths, methods and content types are compared and logged, never stored;
// anything longer than this is not one of ours.
constexpr std::size_t kMaxHeaderTextBytes = 1024;

// `raw` as valid UTF-8 of at most `max_bytes` bytes: every ill-formed
// sequence and every C0 or C1 control character becomes U+FFFD, and the cut
// falls between two characters, never inside one.
std::string to_request_text(std::string_view raw, std::size_t max_bytes);

// Printable ASCII of at most `max_bytes`, or "" when `raw` is anything else:
// an address is either an address or nothing.
std::string to_ascii_token(std::string_view raw, std::size_t max_bytes);

// Applies the two above to every header-borne field of `request` (method,
// path, content type, user agent, client address) and drops cookies whose
// name or value is not such text (no cookie of ours can be).
void sanitize_request_headers(Request& request);

}  // namespace kosmo
