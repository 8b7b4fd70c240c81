// mail: the message kosmo-mailer sends is well-formed RFC 5322 / MIME text
// (RFC 2047 headers, base64 body, CRLF, 78-character lines) and no header
// input can add a header (D11). Decoding here uses OpenSSL directly, so the
// round trip does not trust the encoder it checks.
#define BOOST_TEST_MODULE mail
#include <boost/test/unit_test.hpp>

#include "mail.h"

#include <openssl/evp.h>

#include <cstdlib>
#include <ctime>
#include <stdexcept>
#include <string>
#include <vector>

using namespace kosmo;

namespace {

const std::string kPasswordChangedSubject = "【KOSMO Communication Web】パスワード変更完了のお知らせ";

OutgoingMail sample_mail() {
  OutgoingMail mail;
  mail.from_address = "no-reply@kosmoweb.jp";
  mail.from_name = "KOSMO Communication Web";
  mail.to_address = "taro.yamada@example.jp";
  mail.subject = kPasswordChangedSubject;
  mail.body = "山田 太郎 様\n\nパスワードの変更が完了しました。\nお心当たりのない場合はお問い合わせください。\n";
  mail.message_id = "<0123456789abcdef0123456789abcdef@kosmoweb.jp>";
  mail.date_rfc5322 = "Thu, 26 Nov 2026 20:31:05 +0900";
  return mail;
}

std::string base64_decode(const std::string& text) {
  BOOST_TEST_REQUIRE(text.size() % 4 == 0u);
  std::string out(text.size() / 4 * 3, '\0');
  const int written = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                      reinterpret_cast<const unsigned char*>(text.data()),
                                      static_cast<int>(text.size()));
  BOOST_TEST_REQUIRE(written >= 0);
  std::size_t padding = 0;
  while (padding < text.size() && text[text.size() - 1 - padding] == '=') ++padding;
  out.resize(static_cast<std::size_t>(written) - padding);
  return out;
}

std::vector<std::string> split(const std::string& text, const std::string& separator) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  for (;;) {
    const auto end = text.find(separator, start);
    parts.push_back(text.substr(start, end - start));
    if (end == std::string::npos) return parts;
    start = end + separator.size();
  }
}

struct ParsedMessage {
  std::vector<std::string> header_lines;  // as sent, folded
  std::string body;                       // after the blank line
};

ParsedMessage parse(const std::string& message) {
  const auto blank = message.find("\r\n\r\n");
  BOOST_TEST_REQUIRE(blank != std::string::npos);
  return {split(message.substr(0, blank), "\r\n"), message.substr(blank + 4)};
}

// The unfolded value of a header (RFC 5322 section 2.2.3: drop the CRLF
// before each continuation line's white space).
std::string header_value(const std::string& message, const std::string& name) {
  const ParsedMessage parsed = parse(message);
  std::string value;
  bool in_header = false;
  for (const std::string& line : parsed.header_lines) {
    if (!line.empty() && (line[0] == ' ' || line[0] == '\t')) {
      if (in_header) value += line;
      continue;
    }
    if (in_header) break;
    if (line.rfind(name + ":", 0) == 0) {
      in_header = true;
      value = line.substr(name.size() + 1);
    }
  }
  BOOST_TEST_REQUIRE(in_header, "no " << name << " header");
  return value;
}

// Every byte sequence is whole UTF-8 characters: no split character at either end.
bool is_whole_utf8(const std::string& text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto lead = static_cast<unsigned char>(text[i]);
    const std::size_t length = lead < 0x80 ? 1 : lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 0;
    if (length == 0 || i + length > text.size()) return false;
    for (std::size_t k = 1; k < length; ++k)
      if ((static_cast<unsigned char>(text[i + k]) & 0xc0) != 0x80) return false;
    i += length;
  }
  return true;
}

// Decodes a header value made of RFC 2047 B encoded words separated by white
// space, checking each word on the way.
std::string decode_encoded_words(const std::string& value) {
  const std::string prefix = "=?UTF-8?B?";
  std::string decoded;
  std::size_t words = 0;
  for (const std::string& word : split(value, " ")) {
    if (word.empty()) continue;
    ++words;
    BOOST_TEST(word.size() <= 75u, "encoded word longer than 75: " << word);
    BOOST_TEST_REQUIRE(word.rfind(prefix, 0) == 0u);
    BOOST_TEST_REQUIRE(word.substr(word.size() - 2) == "?=");
    const std::string piece = base64_decode(word.substr(prefix.size(), word.size() - prefix.size() - 2));
    BOOST_TEST(is_whole_utf8(piece), "encoded word splits a UTF-8 character: " << word);
    decoded += piece;
  }
  BOOST_TEST(words >= 1u);
  return decoded;
}

void check_lines(const std::string& message) {
  BOOST_TEST(message.size() >= 2u);
  BOOST_TEST(message.substr(message.size() - 2) == "\r\n");
  for (std::size_t i = 0; i < message.size(); ++i) {
    if (message[i] == '\n') BOOST_TEST_REQUIRE((i > 0 && message[i - 1] == '\r'), "bare LF at " << i);
    if (message[i] == '\r') BOOST_TEST_REQUIRE((i + 1 < message.size() && message[i + 1] == '\n'), "bare CR at " << i);
  }
  for (const std::string& line : split(message, "\r\n"))
    BOOST_TEST(line.size() <= 78u, "line of " << line.size() << ": " << line);
}

void check_refused(OutgoingMail mail) {
  BOOST_CHECK_THROW(compose_message(mail), std::invalid_argument);
}

}  // namespace

// RFC 2047 section 2 and 5: the Japanese subject goes out as B encoded words of
// at most 75 characters, each holding whole characters, and decodes exactly.
BOOST_AUTO_TEST_CASE(rfc2047_subject_decodes_back_exactly) {
  const std::string message = compose_message(sample_mail());
  const std::string value = header_value(message, "Subject");
  BOOST_TEST(decode_encoded_words(value) == kPasswordChangedSubject);
  // 71 bytes do not fit one word: the header is folded, never one long line.
  BOOST_TEST(split(value, " ").size() >= 3u);
}

// RFC 2047 section 5: a split never cuts a character, whatever the mix of
// 1-, 3- and 4-byte characters lands on a word boundary.
BOOST_AUTO_TEST_CASE(rfc2047_long_subject_splits_on_utf8_character_boundaries) {
  for (const std::string& subject :
       {std::string("ab【KOSMO】パスワード変更完了のお知らせ😀保険証の記号・番号をご確認ください𠮷野家ab🍣🍣🍣"),
        std::string(200, 'x'),
        std::string("a") + "あいうえおかきくけこさしすせそたちつてとなにぬねのはひふへほまみむめもやゆよらりるれろわをん",
        std::string("ab") + "あいうえおかきくけこさしすせそたちつてとなにぬねのはひふへほまみむめもやゆよらりるれろわをん"}) {
    OutgoingMail mail = sample_mail();
    mail.subject = subject;
    const std::string message = compose_message(mail);
    BOOST_TEST(decode_encoded_words(header_value(message, "Subject")) == subject);
    check_lines(message);
  }
}

// RFC 5322 sections 2.1 and 2.1.1: CRLF ends every line, none is over 78.
BOOST_AUTO_TEST_CASE(rfc5322_lines_end_in_crlf_and_stay_within_78_characters) {
  OutgoingMail mail = sample_mail();
  mail.body = std::string(500, 'a') + "\n" + "長い行" + std::string(300, 'b');
  check_lines(compose_message(mail));
}

// RFC 2045 section 6.8 and RFC 5322 section 2.3: the body is base64 of the text
// with every line ending made CRLF, in lines of at most 76 characters.
BOOST_AUTO_TEST_CASE(rfc2045_body_base64_decodes_to_crlf_normalised_body) {
  OutgoingMail mail = sample_mail();
  mail.body = "一行目\n二行目\r\n三行目\r四行目\n\nhttps://127.0.0.1:8443/id-notice?t=abc\n";
  const std::string expected =
      "一行目\r\n二行目\r\n三行目\r\n四行目\r\n\r\nhttps://127.0.0.1:8443/id-notice?t=abc\r\n";
  const ParsedMessage parsed = parse(compose_message(mail));
  std::string base64;
  for (const std::string& line : split(parsed.body, "\r\n")) {
    BOOST_TEST(line.size() <= 76u);
    base64 += line;
  }
  BOOST_TEST(base64_decode(base64) == expected);
}

BOOST_AUTO_TEST_CASE(mime_headers_declare_utf8_base64_text_and_auto_submitted) {
  const std::string message = compose_message(sample_mail());
  BOOST_TEST(message.rfind("Date: Thu, 26 Nov 2026 20:31:05 +0900\r\n", 0) == 0u);
  BOOST_TEST(header_value(message, "To") == " <taro.yamada@example.jp>");
  BOOST_TEST(header_value(message, "Message-ID") == " <0123456789abcdef0123456789abcdef@kosmoweb.jp>");
  BOOST_TEST(header_value(message, "MIME-Version") == " 1.0");
  BOOST_TEST(header_value(message, "Content-Type") == " text/plain; charset=UTF-8");
  BOOST_TEST(header_value(message, "Content-Transfer-Encoding") == " base64");
  // RFC 3834: automatic responders must not answer.
  BOOST_TEST(header_value(message, "Auto-Submitted") == " auto-generated");
}

// D11: a CR or LF in any header input must not reach a header; the row is
// refused (a permanent failure), never sent with an extra Bcc.
BOOST_AUTO_TEST_CASE(header_injection_in_subject_to_or_from_name_throws) {
  const std::string injection = "\r\nBcc: x@y";
  OutgoingMail mail = sample_mail();
  mail.subject += injection;
  check_refused(mail);
  mail = sample_mail();
  mail.to_address += injection;
  check_refused(mail);
  mail = sample_mail();
  mail.from_name += injection;
  check_refused(mail);
  mail = sample_mail();
  mail.from_address += injection;
  check_refused(mail);
  mail = sample_mail();
  mail.message_id = "<a@b>" + injection;
  check_refused(mail);
  mail = sample_mail();
  mail.date_rfc5322 += injection;
  check_refused(mail);
}

// A lone LF, a lone CR, a tab, NUL, DEL, C1 NEL (U+0085) and U+2028 are
// control characters too: some mail programs break lines on them.
BOOST_AUTO_TEST_CASE(any_control_character_in_a_header_input_throws) {
  for (const std::string& control : {std::string("\n"), std::string("\r"), std::string("\t"),
                                     std::string(1, '\0'), std::string("\x7f"), std::string("\xc2\x85"),
                                     std::string("\xe2\x80\xa8")}) {
    OutgoingMail mail = sample_mail();
    mail.subject = "件名" + control + "Bcc: x@y";
    check_refused(mail);
    mail = sample_mail();
    mail.from_name = "コスモ" + control;
    check_refused(mail);
  }
}

BOOST_AUTO_TEST_CASE(invalid_utf8_in_subject_or_name_throws) {
  for (const std::string& bad : {std::string("\xe3\x81"), std::string("\xc0\xaf"), std::string("\xed\xa0\x80"),
                                 std::string("\xff")}) {
    OutgoingMail mail = sample_mail();
    mail.subject = "件名" + bad;
    check_refused(mail);
    mail = sample_mail();
    mail.from_name = bad;
    check_refused(mail);
  }
}

// Minimal address check: one '@' with text on both sides, no spaces, controls,
// angle brackets, list separators or non-ASCII (we do not speak SMTPUTF8).
BOOST_AUTO_TEST_CASE(addresses_need_one_at_and_no_spaces_controls_or_brackets) {
  BOOST_TEST(is_valid_mail_address("taro.yamada+kosmo@example.jp"));
  BOOST_TEST(is_valid_mail_address("a@b"));
  for (const char* bad : {"", "taro", "@example.jp", "taro@", "a@b@c", "taro yamada@example.jp",
                          "taro@example.jp ", "<taro@example.jp>", "taro@example.jp>", "a@b,c@d",
                          "taro@example.jp\r\nBcc: x@y", "山田@example.jp", "\"a b\"@example.jp"}) {
    BOOST_TEST(!is_valid_mail_address(bad), "accepted: " << bad);
    OutgoingMail mail = sample_mail();
    mail.to_address = bad;
    check_refused(mail);
  }
  BOOST_TEST(!is_valid_mail_address(std::string(250, 'a') + "@b.jp"));  // over 254
}

BOOST_AUTO_TEST_CASE(message_id_must_be_one_bracketed_left_at_right) {
  for (const char* bad : {"", "abc@kosmoweb.jp", "<abc>", "<abc@kosmoweb.jp", "<a b@kosmoweb.jp>",
                          "<a@b@c>", "<<a@b>>", "<@b>", "<a@>"}) {
    OutgoingMail mail = sample_mail();
    mail.message_id = bad;
    check_refused(mail);
  }
}

// RFC 5322 section 3.3: "Thu, 26 Nov 2026 20:31:05 +0900", Japan time, with
// English names, whatever TZ the host has.
BOOST_AUTO_TEST_CASE(rfc5322_date_is_japan_time_with_english_names) {
  BOOST_TEST(rfc5322_date(0) == "Thu, 01 Jan 1970 09:00:00 +0900");
  BOOST_TEST(rfc5322_date(1795692665) == "Thu, 26 Nov 2026 20:31:05 +0900");
  // 15:00 UTC on 29 February is already 1 March in Japan.
  BOOST_TEST(rfc5322_date(1709218800) == "Fri, 01 Mar 2024 00:00:00 +0900");
  ::setenv("TZ", "America/New_York", 1);
  ::tzset();
  BOOST_TEST(rfc5322_date(1795692665) == "Thu, 26 Nov 2026 20:31:05 +0900");
}

// RFC 2047 section 5 (3): a Japanese display name is encoded words in the
// phrase, followed by the angle-bracketed address.
BOOST_AUTO_TEST_CASE(from_with_japanese_display_name_is_encoded_then_angle_address) {
  OutgoingMail mail = sample_mail();
  mail.from_name = "KOSMO健康保険組合 コミュニケーションWeb事務局";
  const std::string message = compose_message(mail);
  const std::string value = header_value(message, "From");
  const std::string address = " <no-reply@kosmoweb.jp>";
  BOOST_TEST_REQUIRE(value.size() > address.size());
  BOOST_TEST(value.substr(value.size() - address.size()) == address);
  BOOST_TEST(decode_encoded_words(value.substr(0, value.size() - address.size())) == mail.from_name);
  check_lines(message);
}

// RFC 5322 section 3.2.3: a plain ASCII name is sent as is; one holding
// specials is a quoted string with '"' and '\' escaped.
BOOST_AUTO_TEST_CASE(ascii_display_name_is_quoted_only_when_it_holds_specials) {
  OutgoingMail mail = sample_mail();
  BOOST_TEST(header_value(compose_message(mail), "From") == " KOSMO Communication Web <no-reply@kosmoweb.jp>");
  mail.from_name = "KOSMO, Inc. \"Web\"";
  BOOST_TEST(header_value(compose_message(mail), "From") ==
             " \"KOSMO, Inc. \\\"Web\\\"\" <no-reply@kosmoweb.jp>");
  mail.from_name.clear();
  BOOST_TEST(header_value(compose_message(mail), "From") == " <no-reply@kosmoweb.jp>");
}
