#include "form.h"

#include "normalize.h"
#include "text.h"

namespace kosmo {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

FormError percent_decode(std::string_view in, std::string& out) {
  out.clear();
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    const char c = in[i];
    if (c == '+') {
      out += ' ';
      continue;
    }
    if (c != '%') {
      out += c;
      continue;
    }
    if (i + 2 >= in.size()) return FormError::BadPercentEncoding;  // "%4" at the end
    const int high = hex_value(in[i + 1]);
    const int low = hex_value(in[i + 2]);
    if (high < 0 || low < 0) return FormError::BadPercentEncoding;
    out += static_cast<char>(high * 16 + low);
    i += 2;
  }
  return FormError::None;
}

FormError check_text(const std::string& text) {
  for (unsigned char c : text)
    if (c < 0x20 || c == 0x7f) return FormError::ControlCharacter;
  if (!is_valid_utf8(text)) return FormError::InvalidUtf8;
  // C1 controls (U+0080..U+009F, UTF-8 C2 80..C2 9F) are controls too: no
  // member types them, and some terminals and mail clients act on them.
  for (std::size_t i = 0; i + 1 < text.size(); ++i)
    if (static_cast<unsigned char>(text[i]) == 0xC2 && static_cast<unsigned char>(text[i + 1]) <= 0x9F)
      return FormError::ControlCharacter;
  return FormError::None;
}

}  // namespace

std::string_view to_string(FormError error) {
  switch (error) {
    case FormError::None: return "none";
    case FormError::BadPercentEncoding: return "bad_percent_encoding";
    case FormError::InvalidUtf8: return "invalid_utf8";
    case FormError::ControlCharacter: return "control_character";
    case FormError::DuplicateField: return "duplicate_field";
    case FormError::TooManyFields: return "too_many_fields";
  }
  return "unknown";
}

std::ostream& operator<<(std::ostream& out, FormError error) { return out << to_string(error); }

ParsedFields parse_urlencoded(std::string_view text, std::size_t max_fields) {
  ParsedFields parsed;
  std::string key;
  std::string value;
  while (!text.empty()) {
    const auto amp = text.find('&');
    const std::string_view pair = text.substr(0, amp);
    text = amp == std::string_view::npos ? std::string_view{} : text.substr(amp + 1);
    if (pair.empty()) continue;  // "a=1&&b=2"
    const auto eq = pair.find('=');
    const std::string_view raw_key = pair.substr(0, eq);
    const std::string_view raw_value = eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1);
    if (FormError e = percent_decode(raw_key, key); e != FormError::None) return {{}, e};
    if (FormError e = percent_decode(raw_value, value); e != FormError::None) return {{}, e};
    if (FormError e = check_text(key); e != FormError::None) return {{}, e};
    if (FormError e = check_text(value); e != FormError::None) return {{}, e};
    if (parsed.fields.size() >= max_fields) return {{}, FormError::TooManyFields};
    if (!parsed.fields.emplace(key, value).second) return {{}, FormError::DuplicateField};
  }
  return parsed;
}

std::map<std::string, std::string, std::less<>> parse_cookie_header(std::string_view header) {
  std::map<std::string, std::string, std::less<>> cookies;
  while (!header.empty()) {
    const auto semi = header.find(';');
    const std::string_view pair = trim(header.substr(0, semi));
    header = semi == std::string_view::npos ? std::string_view{} : header.substr(semi + 1);
    const auto eq = pair.find('=');
    if (eq == std::string_view::npos || eq == 0) continue;
    std::string_view value = trim(pair.substr(eq + 1));
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') value = value.substr(1, value.size() - 2);
    cookies.emplace(std::string(trim(pair.substr(0, eq))), std::string(value));
  }
  return cookies;
}

std::string percent_encode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                            c == '-' || c == '_' || c == '.' || c == '~';
    if (unreserved) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::string set_cookie_header(std::string_view name, std::string_view value, int max_age_seconds) {
  std::string cookie(name);
  cookie += '=';
  cookie += value;
  cookie += "; Path=/; Secure; HttpOnly; SameSite=Lax";
  if (max_age_seconds > 0) cookie += "; Max-Age=" + std::to_string(max_age_seconds);
  return cookie;
}

std::string clear_cookie_header(std::string_view name) {
  std::string cookie(name);
  cookie += "=; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age=0";
  return cookie;
}

}  // namespace kosmo
