// smtp_transport: whether the configured relay may be reached in clear text
// (issue 13). Mails carry temporary passwords (D6) and recovery URLs (D4): a
// relay on another host is spoken to under STARTTLS (smtp.starttls =
// required) or smtps://, unless the operator says it trusts the path to it
// (smtp.allow_plaintext = on). A relay on loopback never leaves the machine.
#pragma once

#include <string_view>

namespace kosmo {

// The host part of an smtp:// or smtps:// URL: "smtp://user@[::1]:25/x" -> "::1".
std::string_view smtp_url_host(std::string_view url);

// 127.0.0.0/8, ::1 or "localhost".
bool is_loopback_host(std::string_view host);

// True when mail to `url` with this STARTTLS mode could travel unencrypted
// (smtp:// with off, or with try, which a man in the middle can downgrade)
// to a host other than this one.
bool smtp_may_send_plaintext_off_host(std::string_view url, std::string_view starttls);

}  // namespace kosmo
