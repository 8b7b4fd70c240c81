// password: argon2id via libargon2, imported bcrypt via libxcrypt, D6
// temporary passwords and the NIST SP 800-63B policy (see password.h).
#include "password.h"

#include "argon2_memory.h"
#include "crypto.h"
#include "normalize.h"
#include "text.h"

#include <argon2.h>
#include <crypt.h>
#include <openssl/crypto.h>

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace kosmo {
namespace {

constexpr uint32_t kMemoryKiB = 19456;
constexpr uint32_t kIterations = 2;
constexpr uint32_t kParallelism = 1;
constexpr std::size_t kSaltBytes = 16;
constexpr std::size_t kHashBytes = 32;

// Ceilings for parameters read from a stored hash: a corrupted or planted row
// must not make one login allocate gigabytes or run for minutes.
constexpr uint32_t kMaxMemoryKiB = 262144;  // 256 MiB
constexpr uint32_t kMaxIterations = 16;
constexpr uint32_t kMaxParallelism = 16;
constexpr int kMaxBcryptCost = 16;  // 2^16 rounds, several seconds

std::vector<std::string_view> split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  for (;;) {
    const std::size_t at = text.find(separator);
    parts.push_back(text.substr(0, at));
    if (at == std::string_view::npos) return parts;
    text.remove_prefix(at + 1);
  }
}

// "m=19456" -> 19456 when the key matches and the whole value is a number.
std::optional<uint32_t> parse_parameter(std::string_view field, std::string_view key) {
  if (!field.starts_with(key) || field.size() == key.size()) return std::nullopt;
  field.remove_prefix(key.size());
  uint32_t value = 0;
  const auto [end, error] = std::from_chars(field.data(), field.data() + field.size(), value);
  if (error != std::errc() || end != field.data() + field.size()) return std::nullopt;
  return value;
}

// A stored "$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>", decoded.
struct Argon2idHash {
  uint32_t memory_kib, iterations, parallelism;
  std::string salt, hash;
};

// libargon2 has no public decoder, and we decode ourselves so that the
// verification can run in our memory (argon2_memory.h) instead of malloc's.
// Only version 19 (1.3): every argon2id we made is, and 1.0 was never argon2id's.
// The cost ceilings are checked here, before anything is allocated.
std::optional<Argon2idHash> parse_argon2id(std::string_view stored_hash) {
  const std::vector<std::string_view> parts = split(stored_hash, '$');
  if (parts.size() != 6 || !parts[0].empty() || parts[1] != "argon2id") return std::nullopt;
  const std::vector<std::string_view> costs = split(parts[3], ',');
  if (costs.size() != 3) return std::nullopt;
  const auto version = parse_parameter(parts[2], "v=");
  const auto memory = parse_parameter(costs[0], "m=");
  const auto iterations = parse_parameter(costs[1], "t=");
  const auto parallelism = parse_parameter(costs[2], "p=");
  if (!version || !memory || !iterations || !parallelism) return std::nullopt;
  if (*version != ARGON2_VERSION_13) return std::nullopt;
  if (*memory > kMaxMemoryKiB || *iterations > kMaxIterations || *parallelism > kMaxParallelism) {
    return std::nullopt;
  }
  std::optional<std::string> salt = base64_unpadded_decode(parts[4]);
  std::optional<std::string> hash = base64_unpadded_decode(parts[5]);
  if (!salt || !hash) return std::nullopt;
  // libargon2's own floors (8-byte salt, 4-byte output); the rest it checks itself.
  if (salt->size() < ARGON2_MIN_SALT_LENGTH || hash->size() < ARGON2_MIN_OUTLEN) return std::nullopt;
  return Argon2idHash{*memory, *iterations, *parallelism, std::move(*salt), std::move(*hash)};
}

// Runs argon2id in a block mapped for this call and unmapped at its end, so
// the 19 MiB do not stay resident in the worker's heap between logins.
// Returns the libargon2 result; output has the size asked for.
int compute_argon2id(std::string_view password, std::string_view salt, uint32_t memory_kib,
                     uint32_t iterations, uint32_t parallelism, std::string& output) {
  // libargon2 counts lengths in uint32_t; a longer input cannot come from a form.
  if (password.size() > UINT32_MAX || salt.size() > UINT32_MAX || output.size() > UINT32_MAX) {
    return ARGON2_PWD_TOO_LONG;
  }
  argon2_context context{};
  context.out = reinterpret_cast<uint8_t*>(output.data());
  context.outlen = static_cast<uint32_t>(output.size());
  // libargon2 only reads pwd and salt (no ARGON2_FLAG_CLEAR_PASSWORD below).
  context.pwd = reinterpret_cast<uint8_t*>(const_cast<char*>(password.data()));
  context.pwdlen = static_cast<uint32_t>(password.size());
  context.salt = reinterpret_cast<uint8_t*>(const_cast<char*>(salt.data()));
  context.saltlen = static_cast<uint32_t>(salt.size());
  context.t_cost = iterations;
  context.m_cost = memory_kib;
  context.lanes = parallelism;
  context.threads = parallelism;  // as argon2id_verify() does
  context.version = ARGON2_VERSION_13;
  context.allocate_cbk = map_argon2_memory;
  context.free_cbk = unmap_argon2_memory;
  context.flags = ARGON2_DEFAULT_FLAGS;
  return argon2id_ctx(&context);
}

[[noreturn]] void throw_argon2_fault(int result) {
  throw std::runtime_error(std::string("password: argon2id: ") + argon2_error_message(result));
}

PasswordCheck verify_argon2id(std::string_view password, std::string_view stored_hash) {
  const std::optional<Argon2idHash> stored = parse_argon2id(stored_hash);
  if (!stored) return PasswordCheck::Mismatch;
  std::string computed(stored->hash.size(), '\0');
  const int result = compute_argon2id(password, stored->salt, stored->memory_kib,
                                      stored->iterations, stored->parallelism, computed);
  if (result == ARGON2_MEMORY_ALLOCATION_ERROR || result == ARGON2_THREAD_FAIL) {
    throw_argon2_fault(result);
  }
  // Any other error is a stored hash libargon2 refuses (say m below 8p).
  if (result != ARGON2_OK) return PasswordCheck::Mismatch;
  if (!constant_time_equal(computed, stored->hash)) return PasswordCheck::Mismatch;
  const bool weaker = stored->memory_kib < kMemoryKiB || stored->iterations < kIterations;
  return weaker ? PasswordCheck::MatchNeedsRehash : PasswordCheck::Match;
}

// PHP's password_hash() writes "$2y$NN$" + 22 salt + 31 hash characters.
bool is_bcrypt(std::string_view stored_hash) {
  if (stored_hash.size() != 60) return false;
  const std::string_view prefix = stored_hash.substr(0, 4);
  if (prefix != "$2y$" && prefix != "$2b$" && prefix != "$2a$") return false;
  int cost = 0;
  const auto [end, error] = std::from_chars(stored_hash.data() + 4, stored_hash.data() + 6, cost);
  if (error != std::errc() || end != stored_hash.data() + 6 || stored_hash[6] != '$') return false;
  if (cost < 4 || cost > kMaxBcryptCost) return false;
  return std::all_of(stored_hash.begin() + 7, stored_hash.end(), [](char c) {
    return c == '.' || c == '/' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
           (c >= '0' && c <= '9');
  });
}

PasswordCheck verify_bcrypt(std::string_view password, std::string_view stored_hash) {
  // crypt() reads a C string: a NUL would silently cut the password short.
  if (password.find('\0') != std::string_view::npos) return PasswordCheck::Mismatch;
  const std::string phrase(password);
  const std::string setting(stored_hash);
  crypt_data data{};  // zeroed, as crypt_rn requires; on the stack so threads don't share it
  const char* output = crypt_rn(phrase.c_str(), setting.c_str(), &data, sizeof data);
  // bcrypt, like PHP, uses only the first 72 bytes; longer passwords keep that behaviour.
  const bool match = output != nullptr && constant_time_equal(output, stored_hash);
  OPENSSL_cleanse(&data, sizeof data);  // data.input may hold a copy of the password
  return match ? PasswordCheck::MatchNeedsRehash : PasswordCheck::Mismatch;
}

// D6 alphabet: digits 2-9; lower case without i l o (1, 0), b (6), g q (9),
// s (5), z (2), m w ("rn", "vv"); upper case only where the shape differs from
// the lower-case letter and from the digits (no B C G I K O P S U V W X Y Z).
// 36 symbols, log2(36) = 5.17 bits each; 12 of them give 62.0 bits, and the
// digit-and-letter rule removes under 5% of strings (still about 61.9 bits).
constexpr std::string_view kTemporaryAlphabet = "23456789acdefhjknprtuvxyADEFHJLMNQRT";
constexpr std::size_t kTemporaryLength = 12;
static_assert(kTemporaryAlphabet.size() == 36);

bool has_digit_and_letter(std::string_view text) {
  const auto is_digit = [](char c) { return c >= '0' && c <= '9'; };
  return std::any_of(text.begin(), text.end(), is_digit) &&
         !std::all_of(text.begin(), text.end(), is_digit);
}

char ascii_lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string ascii_lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](char c) { return ascii_lower(c); });
  return out;
}

bool has_control_character(std::string_view valid_utf8) {
  // U+0000-U+001F and U+007F are single bytes that never occur inside a
  // multi-byte sequence, so a byte scan is exact.
  return std::any_of(valid_utf8.begin(), valid_utf8.end(), [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte < 0x20 || byte == 0x7F;
  });
}

}  // namespace

std::string hash_password(std::string_view password) {
  const std::string salt = random_bytes(kSaltBytes);
  std::string hash(kHashBytes, '\0');
  const int result = compute_argon2id(password, salt, kMemoryKiB, kIterations, kParallelism, hash);
  if (result != ARGON2_OK) throw_argon2_fault(result);
  // The PHC string argon2id_hash_encoded() writes; it cannot take our
  // allocator, so the string is spelt here (password_test checks the library
  // verifies it).
  return "$argon2id$v=" + std::to_string(ARGON2_VERSION_13) + "$m=" + std::to_string(kMemoryKiB) +
         ",t=" + std::to_string(kIterations) + ",p=" + std::to_string(kParallelism) + "$" +
         base64_unpadded_encode(salt) + "$" + base64_unpadded_encode(hash);
}

std::string_view to_string(PasswordCheck check) {
  switch (check) {
    case PasswordCheck::Match: return "match";
    case PasswordCheck::MatchNeedsRehash: return "match_needs_rehash";
    case PasswordCheck::Mismatch: return "mismatch";
  }
  return "unknown";
}

std::ostream& operator<<(std::ostream& out, PasswordCheck check) { return out << to_string(check); }

PasswordCheck verify_password(std::string_view password, std::string_view stored_hash) {
  if (stored_hash.starts_with("$argon2id$")) return verify_argon2id(password, stored_hash);
  if (is_bcrypt(stored_hash)) return verify_bcrypt(password, stored_hash);
  return PasswordCheck::Mismatch;
}

void spend_password_verification_time(std::string_view password) {
  // Made once (thread-safe static init) from a random password nobody knows,
  // with our current parameters, so it costs exactly what a member's hash costs.
  static const std::string dummy_hash = hash_password(random_bytes(kSaltBytes));
  static_cast<void>(verify_password(password, dummy_hash));
}

std::string generate_temporary_password() {
  // Rejection sampling: only bytes below 252 = 7 * 36 are used, so "% 36" is
  // uniform (no modulo bias).
  constexpr unsigned kLimit = 256 - 256 % kTemporaryAlphabet.size();
  for (;;) {
    std::string password;
    while (password.size() < kTemporaryLength) {
      for (const unsigned char byte : random_bytes(2 * kTemporaryLength)) {
        if (byte >= kLimit) continue;
        password += kTemporaryAlphabet[byte % kTemporaryAlphabet.size()];
        if (password.size() == kTemporaryLength) break;
      }
    }
    if (has_digit_and_letter(password)) return password;
  }
}

CommonPasswords CommonPasswords::load(const std::string& path) {
  std::ifstream file(path);
  if (!file) throw std::runtime_error("common passwords: cannot open " + path);
  std::unordered_set<std::string> entries;
  std::string line;
  while (std::getline(file, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line.starts_with("#!comment")) continue;
    entries.insert(ascii_lower(line));
  }
  if (file.bad()) throw std::runtime_error("common passwords: cannot read " + path);
  // An empty list would silently switch the NIST check off.
  if (entries.empty()) throw std::runtime_error("common passwords: no entries in " + path);
  return CommonPasswords(std::move(entries));
}

bool CommonPasswords::contains(std::string_view password) const {
  return entries_.contains(ascii_lower(password));
}

std::string_view to_string(PasswordProblem problem) {
  switch (problem) {
    case PasswordProblem::TooShort: return "too_short";
    case PasswordProblem::TooLong: return "too_long";
    case PasswordProblem::SameAsLoginId: return "same_as_login_id";
    case PasswordProblem::Common: return "common";
    case PasswordProblem::InvalidText: return "invalid_text";
  }
  return "unknown";
}

std::ostream& operator<<(std::ostream& out, PasswordProblem problem) {
  return out << to_string(problem);
}

std::optional<PasswordProblem> find_password_problem(std::string_view password,
                                                     std::string_view login_id,
                                                     const CommonPasswords& common) {
  if (!is_valid_utf8(password) || has_control_character(password)) {
    return PasswordProblem::InvalidText;
  }
  const std::size_t length = count_code_points(password);
  if (length < kMinPasswordCodePoints) return PasswordProblem::TooShort;
  if (length > kMaxPasswordCodePoints) return PasswordProblem::TooLong;
  // NFKC_Casefold also catches the login ID typed in full-width letters (D10).
  const std::string folded = nfkc_casefold(password).value_or(std::string(password));
  const std::string folded_login_id = nfkc_casefold(login_id).value_or(ascii_lower(login_id));
  if (folded == folded_login_id) return PasswordProblem::SameAsLoginId;
  if (common.contains(password) || common.contains(folded)) return PasswordProblem::Common;
  return std::nullopt;
}

}  // namespace kosmo
