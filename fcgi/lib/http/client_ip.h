// client_ip: which address a request comes from, for the abuse limits (D7)
// and the audit log (D8). It is nginx's $remote_addr (REMOTE_ADDR); only when
// that address is a configured trusted proxy is the last address the proxy
// appended to its header taken instead. A header the client sets itself is
// never believed: without trusted proxies (the default) it is ignored.
#pragma once

#include <string>
#include <string_view>

#include "config.h"

namespace kosmo {

// The FastCGI parameter under which nginx passes a request header:
// "X-Forwarded-For" -> "HTTP_X_FORWARDED_FOR".
std::string cgi_header_param(std::string_view header_name);

// `remote_addr` unless it is one of config.client_ip_trusted_proxies; then
// the right-most entry of `forwarded` (what the trusted proxy itself saw),
// if that is a valid IPv4 or IPv6 address; otherwise `remote_addr`.
std::string resolve_client_ip(const Config& config, std::string_view remote_addr, std::string_view forwarded);

}  // namespace kosmo
