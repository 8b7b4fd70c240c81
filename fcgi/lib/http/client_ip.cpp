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

std::vector<std::string_view> all_params(char* const* envp, std::string_view name) {
  std::vector<std::string_view> values;
  for (char* const* entry = envp; entry && *entry; ++entry) {
    const std::string_view text(*entry);
    if (text.size() > name.size() && text.starts_with(name) && text[name.size()] == '=')
      values.push_back(text.substr(name.size() + 1));
  }
  return values;
}

std::optional<std::string> resolve_client_ip(const Config& config, char* const* envp) {
  const std::vector<std::string_view> remote = all_params(envp, "REMOTE_ADDR");
  const std::string_view remote_addr = remote.empty() ? std::string_view{} : remote.front();
  const std::vector<std::string_view> forwarded = all_params(envp, cgi_header_param(config.client_ip_header));
  const auto& proxies = config.client_ip_trusted_proxies;
  const bool from_proxy = std::find(proxies.begin(), proxies.end(), remote_addr) != proxies.end();
  if (from_proxy && forwarded.size() > 1) return std::nullopt;
  return resolve_client_ip(config, remote_addr, forwarded.empty() ? std::string_view{} : forwarded.front());
}

}  // namespace kosmo
