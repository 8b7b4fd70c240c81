// libFuzzer target: mail composition (fcgi/lib/core/mail.cpp), the RFC 5322/2047
// header encoder. The input holds the fields separated by NUL bytes. Either
// compose_message refuses with std::invalid_argument, or the message it gives
// has CRLF line ends only, lines of at most 998 characters, exactly one To:
// and one Subject: header (nothing a value holds can add a header), and a
// blank line between header and body.
#include <cstdint>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "mail.h"

namespace {
int count_headers(const std::string& head, std::string_view name) {
  int n = 0;
  std::size_t at = 0;
  while (at < head.size()) {
    if (head.compare(at, name.size(), name) == 0) ++n;
    const auto next = head.find("\r\n", at);
    if (next == std::string::npos) break;
    at = next + 2;
  }
  return n;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::vector<std::string> parts(6);
  std::size_t index = 0;
  for (std::size_t i = 0; i < size; ++i) {
    if (data[i] == 0 && index + 1 < parts.size()) ++index;
    else parts[index] += static_cast<char>(data[i]);
  }
  kosmo::OutgoingMail mail;
  mail.from_address = parts[0].empty() ? "no-reply@kosmoweb.jp" : parts[0];
  mail.from_name = parts[1];
  mail.to_address = parts[2].empty() ? "taro@example.jp" : parts[2];
  mail.subject = parts[3];
  mail.body = parts[4];
  mail.message_id = parts[5].empty() ? "<0123abcd@kosmoweb.jp>" : parts[5];
  mail.date_rfc5322 = kosmo::rfc5322_date(1795000000);
  std::string message;
  try {
    message = kosmo::compose_message(mail);
  } catch (const std::invalid_argument&) {
    return 0;
  }
  const auto blank = message.find("\r\n\r\n");
  if (blank == std::string::npos) std::abort();
  const std::string head = message.substr(0, blank + 2);
  if (count_headers(head, "To:") != 1 || count_headers(head, "Subject:") != 1 || count_headers(head, "From:") != 1)
    std::abort();
  std::size_t line_start = 0;
  for (std::size_t i = 0; i < message.size(); ++i) {
    if (message[i] == '\r' && (i + 1 >= message.size() || message[i + 1] != '\n')) std::abort();
    if (message[i] == '\n' && (i == 0 || message[i - 1] != '\r')) std::abort();
    if (message[i] == '\n') {
      if (i - line_start > 999) std::abort();
      line_start = i + 1;
    }
  }
  return 0;
}
