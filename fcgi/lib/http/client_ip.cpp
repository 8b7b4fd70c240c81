#include "client_ip.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <algorithm>
#include <cctype>

#include "text.h"

namespace kosmo {
namespace {

bool is_ip_address(const std::string& text) {
  in6_addr buffer{};
  return ::inet_pton(AF_INET, text.c_str(), &buffer) == 1 || ::inet_pton(AF_INET6, text.c_str(), &buffer) == 1;
}

}  // namespace

std::string cgi_header_param(std::string_view header_name) {
  std::string name = "HTTP_";
  for (char c : header_name) name += c == '-' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return name;
}

std::string resolve_client_ip(const Config& config, std::string_view remote_addr, std::string_view forwarded) {
  const auto& proxies = config.client_ip_trusted_proxies;
  if (std::find(proxies.begin(), proxies.end(), remote_addr) == proxies.end()) return std::string(remote_addr);
  // The proxy appends the address it saw to whatever the client sent, so
  // only the last entry is the proxy's word; earlier ones are the client's.
  const auto comma = forwarded.rfind(',');
  const std::string last(trim(comma == std::string_view::npos ? forwarded : forwarded.substr(comma + 1)));
  return is_ip_address(last) ? last : std::string(remote_addr);
}

}  // namespace kosmo
