// client_ip: which address a request comes from, for the abuse limits (D7)
// and the audit log (D8). It is nginx's $remote_addr (REMOTE_ADDR); only when
// that address is a configured trusted proxy is the last address the proxy
// appended to its header taken instead. A header the client sets itself is
// never believed: without trusted proxies (the default) it is ignored.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config.h"

namespace kosmo {

// The FastCGI parameter under which nginx passes a request header:
// "X-Forwarded-For" -> "HTTP_X_FORWARDED_FOR".
std::string cgi_header_param(std::string_view header_name);

// `remote_addr` unless it is one of config.client_ip_trusted_proxies; then
// the right-most entry of `forwarded` (what the trusted proxy itself saw),
// if that is a valid IPv4 or IPv6 address; otherwise `remote_addr`.
std::string resolve_client_ip(const Config& config, std::string_view remote_addr, std::string_view forwarded);

// The FastCGI parameters' values named `name`, in the order nginx sent them.
// nginx 1.22 passes each line of a repeated header as its own parameter, and
// FCGX_GetParam returns only the first: the client's own line, not the one
// its proxy added.
std::vector<std::string_view> all_params(char* const* envp, std::string_view name);

// The request's client address from its FastCGI parameters, or nullopt when
// REMOTE_ADDR is a trusted proxy and the client-ip header came in more than
// one line: which line is the proxy's cannot be known, so such a request is
// refused rather than counted under an address the client chose (issue 13
// item 2). From any other address the header is ignored, repeated or not.
std::optional<std::string> resolve_client_ip(const Config& config, char* const* envp);

}  // namespace kosmo
