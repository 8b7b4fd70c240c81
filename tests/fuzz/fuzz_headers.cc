// libFuzzer target: the header path of every request (D18, issue 13 item 1).
// The input is split at NUL bytes into what nginx hands a program: method,
// path, Content-Type, User-Agent, REMOTE_ADDR, Cookie, then X-Forwarded-For
// lines. Whatever the bytes, after resolve_client_ip and
// sanitize_request_headers every field is valid UTF-8 without controls and
// within its column, as screen.cpp's handle_request relies on.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "client_ip.h"
#include "config.h"
#include "form.h"
#include "normalize.h"
#include "request_text.h"

namespace {

void require(bool condition) {
  if (!condition) std::abort();
}

void require_text(std::string_view text, std::size_t max_bytes) {
  require(text.size() <= max_bytes);
  require(kosmo::is_valid_utf8(text));
  for (const unsigned char c : text) require(c >= 0x20 && c != 0x7F);
  require(text.find("\xC2\x80") == std::string_view::npos && text.find("\xC2\x9F") == std::string_view::npos);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::vector<std::string> parts;
  std::string_view input(reinterpret_cast<const char*>(data), size);
  while (true) {
    const auto nul = input.find('\0');
    parts.emplace_back(input.substr(0, nul));
    if (nul == std::string_view::npos) break;
    input.remove_prefix(nul + 1);
  }
  parts.resize(std::max<std::size_t>(parts.size(), 7));

  // The envp nginx would send: a trusted proxy when REMOTE_ADDR says so.
  kosmo::Config config;
  config.client_ip_trusted_proxies = {"10.0.0.5"};
  std::vector<std::string> env = {"REMOTE_ADDR=" + parts[4]};
  for (std::size_t i = 6; i < parts.size(); ++i) env.push_back("HTTP_X_FORWARDED_FOR=" + parts[i]);
  std::vector<char*> envp;
  for (std::string& entry : env) envp.push_back(entry.data());
  envp.push_back(nullptr);
  const std::optional<std::string> client_ip = kosmo::resolve_client_ip(config, envp.data());
  if (parts[4] == "10.0.0.5" && parts.size() > 7) require(!client_ip);  // a repeated header from the proxy

  kosmo::Request request;
  request.method = parts[0];
  request.path = parts[1];
  request.content_type = parts[2];
  request.user_agent = parts[3];
  request.remote_addr = client_ip.value_or("");
  request.cookies = kosmo::parse_cookie_header(parts[5]);
  kosmo::sanitize_request_headers(request);

  require_text(request.method, kosmo::kMaxHeaderTextBytes);
  require_text(request.path, kosmo::kMaxHeaderTextBytes);
  require_text(request.content_type, kosmo::kMaxHeaderTextBytes);
  require_text(request.user_agent, kosmo::kMaxUserAgentBytes);
  require_text(request.remote_addr, kosmo::kMaxAddressBytes);
  for (const unsigned char c : request.remote_addr) require(c > 0x20 && c < 0x7F);
  for (const auto& [name, value] : request.cookies) {
    require_text(name, kosmo::kMaxHeaderTextBytes);
    require_text(value, kosmo::kMaxHeaderTextBytes);
  }
  return 0;
}
