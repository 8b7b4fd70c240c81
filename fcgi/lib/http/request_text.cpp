// request_text: see request_text.h (D18). ICU's U8_NEXT decodes, so there is
// no hand-written UTF-8 decoder here.
#include "request_text.h"

#include <unicode/utf8.h>

#include <algorithm>
#include <climits>

namespace kosmo {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

bool is_control(UChar32 c) { return c < 0x20 || (c >= 0x7F && c <= 0x9F); }

bool is_text(std::string_view raw, std::size_t max_bytes) {
  return raw.size() <= max_bytes && to_request_text(raw, max_bytes) == raw;
}

}  // namespace

std::string to_request_text(std::string_view raw, std::size_t max_bytes) {
  std::string out;
  out.reserve(std::min(raw.size(), max_bytes));
  const auto* bytes = reinterpret_cast<const uint8_t*>(raw.data());
  // ICU indexes with int32_t; a header is never near that, a longer one is cut.
  const auto length = static_cast<int32_t>(std::min<std::size_t>(raw.size(), INT32_MAX));
  for (int32_t i = 0; i < length;) {
    const int32_t start = i;
    UChar32 c;
    U8_NEXT(bytes, i, length, c);  // c < 0 for an ill-formed or truncated sequence
    const bool keep = c >= 0 && !is_control(c);
    const std::string_view piece = keep ? raw.substr(static_cast<std::size_t>(start), static_cast<std::size_t>(i - start))
                                        : kReplacement;
    // Whole characters only: one that does not fit ends the text.
    if (out.size() + piece.size() > max_bytes) break;
    out += piece;
  }
  return out;
}

std::string to_ascii_token(std::string_view raw, std::size_t max_bytes) {
  if (raw.size() > max_bytes) return {};
  for (const char c : raw)
    if (c <= 0x20 || c >= 0x7F) return {};  // as a signed char, every byte >= 0x80 is negative too
  return std::string(raw);
}

void sanitize_request_headers(Request& request) {
  request.method = to_ascii_token(request.method, kMaxHeaderTextBytes);
  request.path = to_request_text(request.path, kMaxHeaderTextBytes);
  request.content_type = to_request_text(request.content_type, kMaxHeaderTextBytes);
  request.user_agent = to_request_text(request.user_agent, kMaxUserAgentBytes);
  request.remote_addr = to_ascii_token(request.remote_addr, kMaxAddressBytes);
  // The raw header itself is only parsed, never stored, logged or shown.
  for (auto it = request.cookies.begin(); it != request.cookies.end();) {
    if (is_text(it->first, kMaxHeaderTextBytes) && is_text(it->second, kMaxHeaderTextBytes)) ++it;
    else it = request.cookies.erase(it);
  }
}

}  // namespace kosmo
