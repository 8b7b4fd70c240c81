// libFuzzer target: the Cookie header parser (fcgi/lib/http/form.cpp), which sees
// every request's HTTP_COOKIE. Names come out trimmed and never empty.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "form.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view header(reinterpret_cast<const char*>(data), size);
  for (const auto& [name, value] : kosmo::parse_cookie_header(header)) {
    if (name.empty() || name.front() == ' ' || name.back() == ' ') std::abort();
    if (name.find(';') != std::string::npos || value.find(';') != std::string::npos) std::abort();
  }
  return 0;
}
