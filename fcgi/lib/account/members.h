// members: the members table. Lookups return what the screens decide on;
// writes keep password state (hash, temporary flag, expiry) consistent.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "db.h"

namespace kosmo {

// What マイページ's 前回のログイン can truthfully say. The import's
// has_logged_in = 1 (and member add --logged-in) writes the row's creation
// time into last_login_at (R1 ア), and the first login here moves that mark
// to previous_login_at: it is no login at that time, so it never carries one.
enum class PreviousLogin {
  None,            // no login before this one anywhere (オ, D17's first login)
  BeforeThisSite,  // only in the insurer's former system (the import's mark)
  Here,            // on this system, at previous_login_jst
};

struct Member {
  std::uint64_t member_id = 0;
  std::string login_id;
  std::optional<std::string> email;               // the registered address (D16): every mail goes here
  std::optional<std::string> email_source;        // "insurer" (import, member add) or "member" (confirmed)
  std::optional<std::string> email_confirmed_jst; // when the member confirmed it, for kosmo-admin
  std::optional<std::string> display_name;
  std::optional<std::string> password_hash;
  bool password_is_temporary = false;
  bool password_expired = false;  // a temporary password past its validity (D6)
  bool is_disabled = false;
  bool has_logged_in = false;     // R1 (ア)
  PreviousLogin previous_login = PreviousLogin::None;
  std::optional<std::string> previous_login_jst;  // 「2026年11月26日 20時31分」 (JST), only when Here
  std::string birth_date;         // YYYY-MM-DD: R1 (エ), D15's confirmation
};

std::optional<Member> find_member_by_login_id(Transaction& tx, const std::string& login_id);
std::optional<Member> find_member_by_id(Transaction& tx, std::uint64_t member_id);

// R1 (エ): for each typed card and birth date, the members whose normalised
// card fields and birth date are these (family members share a card symbol
// and number; twins share the birth date too). Only candidates: the caller
// compares the address in C++ (D10). One statement for the whole batch;
// the answer has one list per lookup, in the same order.
struct CardLookup {
  std::string card_symbol;  // normalize_card_field
  std::string card_number;
  std::string birth_date;   // YYYY-MM-DD
};
std::vector<std::vector<Member>> find_members_by_cards(Transaction& tx, const std::vector<CardLookup>& lookups);

// Locks the member's row until the transaction ends, so two recovery writes
// for one member (two identity checks, R8) run one after the other; it writes
// the row (updated_at), so on Galera two nodes conflict at COMMIT instead.
void lock_member(Transaction& tx, std::uint64_t member_id);

// lock_member for several members in one statement (a batch of identity
// checks), in member_id order whatever the order given.
void lock_members(Transaction& tx, std::vector<std::uint64_t> member_ids);

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
  bool has_logged_in = false;  // sets last_login_at to created_at if it is not set; never clears it
  // kosmo-admin import-members: a password set on this system (a change or an
  // initialization, password_changed_at) wins over the hash in the file, so
  // importing the same export again never brings back an old password.
  bool keep_password_set_here = false;
};
// Inserts, or updates the member with the same login ID (idempotent imports).
std::uint64_t upsert_member(Transaction& tx, const NewMember& member);
// The same for many members, a hundred rows a statement (import-members).
// All must have the same keep_password_set_here.
void upsert_members(Transaction& tx, std::span<const NewMember> members);

}  // namespace kosmo
