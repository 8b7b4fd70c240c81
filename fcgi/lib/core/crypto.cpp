// crypto: OpenSSL 3 wrappers (see crypto.h). Every OpenSSL return value is
// checked; a failure is a fault and throws.
#include "crypto.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/core_names.h>
#include <openssl/params.h>
#include <openssl/rand.h>

#include <algorithm>
#include <climits>
#include <memory>
#include <stdexcept>

namespace kosmo {
namespace {

// OpenSSL counts lengths in int; anything near INT_MAX is a bug upstream.
constexpr std::size_t kMaxOpenSslLength = INT_MAX / 2;

int openssl_length(std::size_t n) {
  if (n > kMaxOpenSslLength) throw std::length_error("crypto: input too large for OpenSSL");
  return static_cast<int>(n);
}

const unsigned char* bytes_of(std::string_view s) {
  // OpenSSL may reject a null pointer even with length 0 (e.g. an empty HMAC key).
  static const unsigned char kEmpty = 0;
  return s.empty() ? &kEmpty : reinterpret_cast<const unsigned char*>(s.data());
}

unsigned char* bytes_of(std::string& s) { return reinterpret_cast<unsigned char*>(s.data()); }

}  // namespace

std::string random_bytes(std::size_t n) {
  std::string out(n, '\0');
  if (n == 0) return out;
  if (RAND_bytes(bytes_of(out), openssl_length(n)) != 1) {
    throw std::runtime_error("crypto: RAND_bytes failed");
  }
  return out;
}

std::string sha256(std::string_view data) {
  std::string out(EVP_MAX_MD_SIZE, '\0');
  unsigned int length = 0;
  if (EVP_Digest(bytes_of(data), data.size(), bytes_of(out), &length, EVP_sha256(), nullptr) != 1) {
    throw std::runtime_error("crypto: EVP_Digest(SHA-256) failed");
  }
  out.resize(length);
  return out;
}

namespace {

// HMAC-SHA256 through a per-thread EVP_MAC context that already names its
// digest: the one-shot HMAC() fetches the HMAC and SHA-256 implementations on
// every call, which callgrind showed as a large share of a screen's
// instructions (the figure: bench/README.md, "HMAC").
struct MacContextFree {
  void operator()(EVP_MAC_CTX* ctx) const { EVP_MAC_CTX_free(ctx); }
};

EVP_MAC_CTX& hmac_sha256_context() {
  thread_local std::unique_ptr<EVP_MAC_CTX, MacContextFree> ctx = [] {
    EVP_MAC* mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
    if (mac == nullptr) throw std::runtime_error("crypto: EVP_MAC_fetch(HMAC) failed");
    std::unique_ptr<EVP_MAC_CTX, MacContextFree> made(EVP_MAC_CTX_new(mac));
    EVP_MAC_free(mac);  // the context holds its own reference
    char digest[] = "SHA256";
    const OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
                                 OSSL_PARAM_construct_end()};
    if (!made || EVP_MAC_CTX_set_params(made.get(), params) != 1)
      throw std::runtime_error("crypto: HMAC-SHA256 context setup failed");
    return made;
  }();
  return *ctx;
}

}  // namespace

std::string hmac_sha256(std::string_view key, std::string_view data) {
  EVP_MAC_CTX& ctx = hmac_sha256_context();
  std::string out(EVP_MAX_MD_SIZE, '\0');
  std::size_t length = 0;
  // A non-null key always: EVP_MAC_init with a null key would keep the last one.
  if (EVP_MAC_init(&ctx, bytes_of(key), key.size(), nullptr) != 1 ||
      EVP_MAC_update(&ctx, bytes_of(data), data.size()) != 1 ||
      EVP_MAC_final(&ctx, bytes_of(out), &length, out.size()) != 1) {
    throw std::runtime_error("crypto: HMAC(SHA-256) failed");
  }
  out.resize(length);
  return out;
}

std::string hex_encode(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (const unsigned char byte : bytes) {
    out += kDigits[byte >> 4];
    out += kDigits[byte & 0x0f];
  }
  return out;
}

std::optional<std::string> hex_decode(std::string_view text) {
  if (text.size() % 2 != 0) return std::nullopt;
  std::string out;
  out.reserve(text.size() / 2);
  for (std::size_t i = 0; i < text.size(); i += 2) {
    const int high = OPENSSL_hexchar2int(static_cast<unsigned char>(text[i]));
    const int low = OPENSSL_hexchar2int(static_cast<unsigned char>(text[i + 1]));
    if (high < 0 || low < 0) return std::nullopt;
    out += static_cast<char>((high << 4) | low);
  }
  return out;
}

std::string base64_encode(std::string_view bytes) {
  const int length = openssl_length(bytes.size());
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');  // +1: EVP_EncodeBlock's NUL
  const int written = EVP_EncodeBlock(bytes_of(out), bytes_of(bytes), length);
  out.resize(static_cast<std::size_t>(written));
  return out;
}

std::string base64_unpadded_encode(std::string_view bytes) {
  std::string out = base64_encode(bytes);
  while (!out.empty() && out.back() == '=') out.pop_back();
  return out;
}

std::optional<std::string> base64_unpadded_decode(std::string_view text) {
  // One leftover character cannot carry a whole byte.
  if (text.size() % 4 == 1) return std::nullopt;
  const bool alphabet_only = std::all_of(text.begin(), text.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' ||
           c == '/';
  });
  if (!alphabet_only) return std::nullopt;  // EVP_DecodeBlock would skip spaces and accept '='
  const std::size_t padding = (4 - text.size() % 4) % 4;
  std::string padded(text);
  padded.append(padding, '=');

  std::string out(padded.size() / 4 * 3, '\0');
  const int written = EVP_DecodeBlock(bytes_of(out), bytes_of(padded), openssl_length(padded.size()));
  if (written < 0) return std::nullopt;
  // EVP_DecodeBlock counts the zero bytes that padding stands for; drop them.
  out.resize(static_cast<std::size_t>(written) - padding);
  // Refuse non-canonical spellings (unused low bits set): one value, one string.
  if (base64_unpadded_encode(out) != text) return std::nullopt;
  return out;
}

std::string base64url_encode(std::string_view bytes) {
  std::string out = base64_unpadded_encode(bytes);
  for (char& c : out) {
    if (c == '+') c = '-';
    if (c == '/') c = '_';
  }
  return out;
}

std::optional<std::string> base64url_decode(std::string_view text) {
  std::string standard;
  standard.reserve(text.size());
  for (const char c : text) {
    const bool alnum = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (alnum) standard += c;
    else if (c == '-') standard += '+';
    else if (c == '_') standard += '/';
    else return std::nullopt;  // '+' and '/' included: a token has one spelling
  }
  return base64_unpadded_decode(standard);
}

bool constant_time_equal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace kosmo
