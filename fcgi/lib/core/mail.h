// mail: the text of an RFC 5322 message made from an outbox row (D11). No
// protocol here: kosmo-mailer hands the text to libcurl. Every header input is
// checked before it is used, so a CR, LF or other control character in an
// address, name, subject or Message-ID can never add a header (header
// injection): compose_message() throws std::invalid_argument instead, and the
// mailer treats that row as a permanent failure, not a retry.
#pragma once

#include <ctime>
#include <string>
#include <string_view>

namespace kosmo {

struct OutgoingMail {
  std::string from_address;
  std::string from_name;  // may be Japanese; may be empty
  std::string to_address;
  std::string subject;       // UTF-8, one line
  std::string body;          // UTF-8 plain text, LF, CRLF or CR line endings
  std::string message_id;    // "<hex@kosmoweb.jp>", as the screen stored it
  std::string date_rfc5322;  // from rfc5322_date(): the caller reads the clock
};

// "Thu, 26 Nov 2026 20:31:05 +0900": Japan time (UTC+9, no DST) whatever the
// host's TZ, with English day and month names whatever the locale (RFC 5322
// section 3.3 allows no others).
std::string rfc5322_date(std::time_t when);

// The whole message, CRLF line endings, headers folded to at most 78
// characters a line; the body is base64 in 76-character lines.
// Throws std::invalid_argument naming the field at fault, never its value,
// so the message can go into last_error and the log (no address leaks).
std::string compose_message(const OutgoingMail& mail);

// The minimal check compose_message() applies to From and To: printable
// ASCII, exactly one '@' with text on both sides, at most 254 characters, and
// nothing that would end the angle-addr or the address list early (spaces,
// controls, <>, quotes, commas...). Quoted local parts and domain literals are
// refused: no member address needs them.
bool is_valid_mail_address(std::string_view address);

}  // namespace kosmo
