// members: the members table. Lookups return what the screens decide on;
// writes keep password state (hash, temporary flag, expiry) consistent.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "db.h"

namespace kosmo {

struct Member {
  std::uint64_t member_id = 0;
  std::string login_id;
  std::optional<std::string> email;
  std::optional<std::string> display_name;
  std::optional<std::string> password_hash;
  bool password_is_temporary = false;
  bool password_expired = false;  // a temporary password past its validity (D6)
  bool is_disabled = false;
  bool has_logged_in = false;     // R1 (ア)
  std::optional<std::string> previous_login_jst;  // "2026-11-26 20:31", for マイページ
};

std::optional<Member> find_member_by_login_id(Transaction& tx, const std::string& login_id);
std::optional<Member> find_member_by_id(Transaction& tx, std::uint64_t member_id);

// A login: the old last_login_at becomes previous_login_at (shown on マイページ).
void record_login(Transaction& tx, std::uint64_t member_id);

// Stores a new argon2id hash. A temporary password expires after ttl seconds
// and forces a change at its first login (D6, R11).
void store_password(Transaction& tx, std::uint64_t member_id, const std::string& hash, bool temporary,
                    int temporary_ttl_seconds);
// Re-hash at login (bcrypt from the PHP system, or weaker argon2 parameters):
// the password itself and its temporary state stay as they are.
void upgrade_password_hash(Transaction& tx, std::uint64_t member_id, const std::string& hash);

struct NewMember {
  std::string login_id;
  std::string card_symbol;  // normalised
  std::string card_number;  // normalised
  std::string birth_date;   // YYYY-MM-DD
  std::optional<std::string> email;
  std::optional<std::string> display_name;
  std::optional<std::string> password_hash;
  bool password_is_temporary = false;
  bool has_logged_in = false;
};
// Inserts, or updates the member with the same login ID (idempotent imports).
std::uint64_t upsert_member(Transaction& tx, const NewMember& member);

}  // namespace kosmo
