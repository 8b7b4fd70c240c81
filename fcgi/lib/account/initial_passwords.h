// initial_passwords: the first login's credentials (D17). The insurer hands a
// member who never logged in (オ) a login ID and an initial temporary password
// by letter; kosmo-admin member issue-initial picks the members and stores the
// passwords here, with the same hashing and expiry as a mailed temporary
// password (D6), only valid longer (temp_password.initial_ttl).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "db.h"

namespace kosmo {

struct InitialCandidate {
  std::uint64_t member_id = 0;
  std::string login_id;
  std::optional<std::string> display_name;
};

// Every member who never logged in and is not disabled, in member_id order.
std::vector<InitialCandidate> find_members_never_logged_in(Transaction& tx);

// Stores `hash` as a temporary password valid `ttl_seconds` (it forces the
// change at the first login, R11). The UPDATE repeats "never logged in, not
// disabled": a member whose first login came in between keeps the password
// they already use, and the result is nullopt. Otherwise the expiry in Japan
// time, "YYYY-MM-DD HH:MM", for the letter.
std::optional<std::string> store_initial_password(Transaction& tx, std::uint64_t member_id, const std::string& hash,
                                                  int ttl_seconds);

}  // namespace kosmo
