// password: hashing (argon2id), verification of our hashes and of bcrypt hashes
// imported from the former PHP system, D6 temporary passwords, and the
// new-password policy of NIST SP 800-63B section 5.1.1.2.
#pragma once

#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>

namespace kosmo {

// argon2id PHC string, m=19456 KiB, t=2, p=1 (OWASP's first argon2id choice),
// 16-byte random salt, 32-byte hash. Throws std::runtime_error on a fault.
std::string hash_password(std::string_view password);

// MatchNeedsRehash: the password is right but the stored hash is bcrypt or
// argon2id with weaker parameters; the caller stores hash_password() anew.
enum class PasswordCheck { Match, MatchNeedsRehash, Mismatch };
std::string_view to_string(PasswordCheck check);
std::ostream& operator<<(std::ostream& out, PasswordCheck check);

// Never throws for bad input: an empty, malformed or unknown stored hash is a
// Mismatch. Throws only on a fault (argon2 could not allocate its memory).
PasswordCheck verify_password(std::string_view password, std::string_view stored_hash);

// One argon2id verification against a dummy hash, for a login ID that matches
// no member, so the response time does not tell whether the ID exists.
void spend_password_verification_time(std::string_view password);

// D6: 12 characters from a 36-symbol alphabet without look-alikes, at least
// one digit and one letter (about 62 bits; see password.cpp).
std::string generate_temporary_password();

// NIST SP 800-63B's "commonly-used, expected, or compromised" list, loaded
// once at start-up. Entries and lookups are compared ASCII-lower-cased.
class CommonPasswords {
 public:
  // One password per line; empty lines and "#!comment" lines are skipped.
  // Throws std::runtime_error naming the path if it cannot be read or is empty.
  static CommonPasswords load(const std::string& path);
  bool contains(std::string_view password) const;
  std::size_t size() const { return entries_.size(); }

 private:
  explicit CommonPasswords(std::unordered_set<std::string> entries)
      : entries_(std::move(entries)) {}
  std::unordered_set<std::string> entries_;
};

// Why a new password is refused; checked in this order.
enum class PasswordProblem { TooShort, TooLong, SameAsLoginId, Common, InvalidText };
std::string_view to_string(PasswordProblem problem);
std::ostream& operator<<(std::ostream& out, PasswordProblem problem);

constexpr std::size_t kMinPasswordCodePoints = 8;
constexpr std::size_t kMaxPasswordCodePoints = 128;

// nullopt when the password is acceptable. Length is counted in Unicode code
// points (8..128); any printable character is allowed, including spaces and
// Japanese; invalid UTF-8 or a control character (U+0000-U+001F, U+007F) is
// InvalidText.
std::optional<PasswordProblem> find_password_problem(std::string_view password,
                                                     std::string_view login_id,
                                                     const CommonPasswords& common);

}  // namespace kosmo
