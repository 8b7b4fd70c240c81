// mail: RFC 5322 text from an outbox row (see mail.h). Headers are built only
// from values that passed a check here; non-ASCII text goes out as RFC 2047
// B encoded words, the body as base64, so every line is 7-bit ASCII and no
// relay needs SMTPUTF8 or 8BITMIME (D11).
#include "mail.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <stdexcept>
#include <vector>

#include "crypto.h"

namespace kosmo {
namespace {

// RFC 5322 section 2.1.1: lines SHOULD be at most 78 characters; RFC 2047
// section 2: an encoded word is at most 75 characters.
constexpr std::size_t kMaxLineLength = 78;
constexpr std::size_t kMaxEncodedWordLength = 75;
// RFC 2045 section 6.8: base64 lines are at most 76 characters.
constexpr std::size_t kBase64LineLength = 76;
// RFC 5321 section 4.5.3.1.3: a path is at most 256 octets with the brackets.
constexpr std::size_t kMaxAddressLength = 254;
constexpr std::size_t kMaxMessageIdLength = 250;
constexpr std::string_view kEncodedWordPrefix = "=?UTF-8?B?";
constexpr std::string_view kEncodedWordSuffix = "?=";
constexpr std::string_view kCrlf = "\r\n";

[[noreturn]] void refuse(std::string_view field, std::string_view why) {
  throw std::invalid_argument(std::string(field) + ": " + std::string(why));
}

// Splits UTF-8 text into its characters (byte lengths), refusing invalid
// UTF-8 and every control character: C0 (CR and LF among them), DEL, C1, and
// U+2028/U+2029, which some mail programs show as line breaks.
std::vector<std::size_t> utf8_characters(std::string_view field, std::string_view text) {
  std::vector<std::size_t> lengths;
  std::size_t i = 0;
  while (i < text.size()) {
    const auto lead = static_cast<unsigned char>(text[i]);
    std::size_t length = 0;
    std::uint32_t code_point = 0;
    if (lead < 0x80) {
      length = 1;
      code_point = lead;
    } else if (lead >= 0xc2 && lead <= 0xdf) {
      length = 2;
      code_point = lead & 0x1fu;
    } else if (lead >= 0xe0 && lead <= 0xef) {
      length = 3;
      code_point = lead & 0x0fu;
    } else if (lead >= 0xf0 && lead <= 0xf4) {
      length = 4;
      code_point = lead & 0x07u;
    } else {
      refuse(field, "invalid UTF-8");
    }
    if (i + length > text.size()) refuse(field, "invalid UTF-8");
    for (std::size_t k = 1; k < length; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xc0u) != 0x80u) refuse(field, "invalid UTF-8");
      code_point = (code_point << 6) | (next & 0x3fu);
    }
    const bool overlong = (length == 3 && code_point < 0x800) || (length == 4 && code_point < 0x10000);
    const bool surrogate = code_point >= 0xd800 && code_point <= 0xdfff;
    if (overlong || surrogate || code_point > 0x10ffff) refuse(field, "invalid UTF-8");
    if (code_point < 0x20 || (code_point >= 0x7f && code_point <= 0x9f) || code_point == 0x2028 ||
        code_point == 0x2029)
      refuse(field, "control character");
    lengths.push_back(length);
    i += length;
  }
  return lengths;
}

bool is_ascii(std::string_view text) {
  for (const unsigned char c : text)
    if (c >= 0x80) return false;
  return true;
}

// RFC 2047 B encoding, split so that each encoded word holds whole UTF-8
// characters (section 5: a word must not split one) and fits its line: the
// first into `first_word_max` (what is left after the header name), the
// others into 75 characters after the folding space.
std::vector<std::string> encode_words(std::string_view field, std::string_view text, std::size_t first_word_max) {
  const std::vector<std::size_t> characters = utf8_characters(field, text);
  const std::size_t overhead = kEncodedWordPrefix.size() + kEncodedWordSuffix.size();
  std::vector<std::string> words;
  std::size_t start = 0;
  std::size_t next = 0;
  while (next < characters.size()) {
    const std::size_t word_max = words.empty() ? first_word_max : kMaxEncodedWordLength;
    // base64 turns every 3 bytes into 4 characters, the last group padded.
    const std::size_t max_bytes = (word_max - overhead) / 4 * 3;
    std::size_t bytes = 0;
    while (next < characters.size() && bytes + characters[next] <= max_bytes) bytes += characters[next++];
    if (bytes == 0) refuse(field, "header name too long to encode");  // cannot happen with our names
    words.push_back(std::string(kEncodedWordPrefix) + base64_encode(text.substr(start, bytes)) +
                    std::string(kEncodedWordSuffix));
    start += bytes;
  }
  return words;
}

// "Name: word word ...", folded (CRLF + space) before any word that would take
// the line past 78 characters. Adjacent encoded words separated by folding
// white space decode as one text (RFC 2047 section 6.2).
void append_header(std::string& out, std::string_view name, const std::vector<std::string>& words) {
  std::size_t line_length = name.size() + 1;
  out += name;
  out += ':';
  for (const std::string& word : words) {
    if (line_length > name.size() + 1 && line_length + 1 + word.size() > kMaxLineLength) {
      out += kCrlf;
      line_length = 0;
    }
    out += ' ';
    out += word;
    line_length += 1 + word.size();
  }
  out += kCrlf;
}

void append_header(std::string& out, std::string_view name, std::string_view value) {
  append_header(out, name, std::vector<std::string>{std::string(value)});
}

std::size_t first_word_budget(std::string_view header_name) {
  const std::size_t used = header_name.size() + 2;  // "Subject: "
  return std::min(kMaxEncodedWordLength, kMaxLineLength - used);
}

void check_printable_ascii(std::string_view field, std::string_view value) {
  if (value.empty()) refuse(field, "empty");
  for (const unsigned char c : value)
    if (c < 0x20 || c >= 0x7f) refuse(field, "control or non-ASCII character");
}

void check_address(std::string_view field, std::string_view address) {
  for (const unsigned char c : address)
    if (c < 0x20 || c == 0x7f) refuse(field, "control character");
  if (!is_valid_mail_address(address)) refuse(field, "not a plain mail address");
}

// "<hex@domain>": printable ASCII, no spaces, one pair of brackets, one '@'.
void check_message_id(std::string_view id) {
  constexpr std::string_view kField = "message_id";
  check_printable_ascii(kField, id);
  if (id.size() > kMaxMessageIdLength || id.size() < 5 || id.front() != '<' || id.back() != '>')
    refuse(kField, "expected <left@right>");
  const std::string_view inner = id.substr(1, id.size() - 2);
  if (inner.find_first_of(" <>") != std::string_view::npos) refuse(kField, "expected <left@right>");
  const auto at = inner.find('@');
  if (at == std::string_view::npos || at == 0 || at + 1 == inner.size() ||
      inner.find('@', at + 1) != std::string_view::npos)
    refuse(kField, "expected <left@right>");
}

// RFC 5322 section 3.2.3 specials: an ASCII display name holding one of them
// must be a quoted string.
bool needs_quoting(std::string_view name) {
  return name.find_first_of("()<>[]:;@\\,.\"") != std::string_view::npos;
}

std::string quoted_string(std::string_view text) {
  std::string out = "\"";
  for (const char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  out += '"';
  return out;
}

// The From header's words: the display name (as atoms, a quoted string, or
// encoded words when it is not ASCII or would not fit on the first line),
// then "<address>".
std::vector<std::string> from_words(std::string_view name, std::string_view address) {
  constexpr std::string_view kHeader = "From";
  std::vector<std::string> words;
  if (!name.empty()) {
    utf8_characters("from_name", name);  // refuses controls before anything else
    const std::string phrase = needs_quoting(name) ? quoted_string(name) : std::string(name);
    const bool fits = kHeader.size() + 2 + phrase.size() <= kMaxLineLength;
    if (is_ascii(name) && fits && name.front() != ' ' && name.back() != ' ') {
      words.push_back(phrase);
    } else {
      words = encode_words("from_name", name, first_word_budget(kHeader));
    }
  }
  words.push_back("<" + std::string(address) + ">");
  return words;
}

// Base64 of the body after every line ending became CRLF (RFC 5322 section
// 2.3; RFC 2045 section 6.8: a text body is canonical CRLF before encoding).
std::string encoded_body(std::string_view body) {
  std::string canonical;
  canonical.reserve(body.size() + body.size() / 32);
  for (std::size_t i = 0; i < body.size(); ++i) {
    const char c = body[i];
    if (c == '\r') {
      canonical += kCrlf;
      if (i + 1 < body.size() && body[i + 1] == '\n') ++i;
    } else if (c == '\n') {
      canonical += kCrlf;
    } else {
      canonical += c;
    }
  }
  const std::string base64 = base64_encode(canonical);
  std::string out;
  out.reserve(base64.size() + base64.size() / kBase64LineLength * 2 + 2);
  for (std::size_t i = 0; i < base64.size(); i += kBase64LineLength) {
    out.append(base64, i, kBase64LineLength);
    out += kCrlf;
  }
  return out;
}

}  // namespace

bool is_valid_mail_address(std::string_view address) {
  if (address.empty() || address.size() > kMaxAddressLength) return false;
  const auto at = address.find('@');
  if (at == std::string_view::npos || at == 0 || at + 1 == address.size()) return false;
  if (address.find('@', at + 1) != std::string_view::npos) return false;
  for (const unsigned char c : address) {
    if (c <= 0x20 || c >= 0x7f) return false;  // space, controls, non-ASCII (no SMTPUTF8)
    if (std::string_view("<>()[]\\,;:\"").find(static_cast<char>(c)) != std::string_view::npos) return false;
  }
  return true;
}

std::string rfc5322_date(std::time_t when) {
  static constexpr std::array<const char*, 7> kDays = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr std::array<const char*, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  constexpr std::time_t kJapanOffsetSeconds = 9 * 3600;  // JST has no daylight saving time
  const std::time_t japan = when + kJapanOffsetSeconds;
  std::tm parts{};
  if (::gmtime_r(&japan, &parts) == nullptr) throw std::invalid_argument("date: out of range");
  char text[40];
  std::snprintf(text, sizeof(text), "%s, %02d %s %04d %02d:%02d:%02d +0900", kDays.at(parts.tm_wday),
                parts.tm_mday, kMonths.at(parts.tm_mon), parts.tm_year + 1900, parts.tm_hour, parts.tm_min,
                parts.tm_sec);
  return text;
}

std::string compose_message(const OutgoingMail& mail) {
  check_printable_ascii("date", mail.date_rfc5322);
  check_address("from_address", mail.from_address);
  check_address("to_address", mail.to_address);
  check_message_id(mail.message_id);
  if (mail.subject.empty()) refuse("subject", "empty");

  std::string out;
  out.reserve(1024 + mail.body.size() * 4 / 3);
  append_header(out, "Date", mail.date_rfc5322);
  append_header(out, "From", from_words(mail.from_name, mail.from_address));
  append_header(out, "To", "<" + mail.to_address + ">");
  // Always encoded, ASCII too: one path, and a long ASCII subject needs no
  // folding at spaces it may not have.
  append_header(out, "Subject", encode_words("subject", mail.subject, first_word_budget("Subject")));
  append_header(out, "Message-ID", mail.message_id);
  append_header(out, "MIME-Version", "1.0");
  append_header(out, "Content-Type", "text/plain; charset=UTF-8");
  append_header(out, "Content-Transfer-Encoding", "base64");
  // RFC 3834: no vacation replies or other automatic answers to these mails.
  append_header(out, "Auto-Submitted", "auto-generated");
  out += kCrlf;
  out += encoded_body(mail.body);
  return out;
}

}  // namespace kosmo
