// crypto: thin wrappers over OpenSSL 3 for tokens, MACs and encodings, so no
// other file calls OpenSSL directly or hand-rolls a primitive. Bytes travel in
// std::string; text encodings of them are strict so a token has one spelling.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace kosmo {

// n bytes from the OpenSSL CSPRNG; throws std::runtime_error if it fails
// (a fault: we never fall back to a weaker source).
std::string random_bytes(std::size_t n);

// Raw 32-byte digests.
std::string sha256(std::string_view data);
std::string hmac_sha256(std::string_view key, std::string_view data);

// Lower-case hex; decoding accepts either case and refuses odd lengths.
std::string hex_encode(std::string_view bytes);
std::optional<std::string> hex_decode(std::string_view text);

// RFC 4648 section 5 without padding, for URLs and cookies. Decoding refuses
// any character outside [A-Za-z0-9_-], padding, and non-canonical trailing
// bits, so two different strings never name the same token.
std::string base64url_encode(std::string_view bytes);
std::optional<std::string> base64url_decode(std::string_view text);

// RFC 4648 section 4 with padding, for MIME bodies and headers.
std::string base64_encode(std::string_view bytes);

// RFC 4648 section 4 without padding, as PHC strings ("$argon2id$...") carry
// salt and hash. Decoding is as strict as base64url_decode: only [A-Za-z0-9+/],
// no padding, no non-canonical trailing bits.
std::string base64_unpadded_encode(std::string_view bytes);
std::optional<std::string> base64_unpadded_decode(std::string_view text);

// CRYPTO_memcmp: the time taken does not depend on where the inputs differ.
// Different sizes compare unequal at once (sizes of MACs and hashes are public).
bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace kosmo
