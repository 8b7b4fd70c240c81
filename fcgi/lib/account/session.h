// session: the logged-in member. The cookie holds 32 random bytes; the
// database holds their SHA-256, so a leaked table opens no session. Idle and
// absolute timeouts are checked with the database clock on every request;
// logout and password changes end sessions on the server, so a replayed
// cookie is dead.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "context.h"
#include "db.h"

namespace kosmo {

inline constexpr std::string_view kSessionCookie = "__Host-kosmo_session";

struct MemberSession {
  std::string session_hash;  // raw SHA-256 of the cookie value
  std::uint64_t member_id = 0;
  std::string login_id;
  bool password_is_temporary = false;
};

// The session of this request, or nullopt. An idle or too old session is
// ended (and audited) here, and its cookie cleared.
std::optional<MemberSession> current_session(Transaction& tx, Context& ctx);

// A new session id for the member: a login always gets a fresh one, so an id
// planted before login is worthless (session fixation).
void start_session(Transaction& tx, Context& ctx, std::uint64_t member_id);

// Ends one session on the server; the caller clears the cookie when the
// browser should forget it (logout), not when it gets a new one (login).
void end_session(Transaction& tx, const MemberSession& session, std::string_view reason);
// Every session of the member except `keep_hash` (empty: all of them).
void end_member_sessions(Transaction& tx, std::uint64_t member_id, std::string_view keep_hash,
                         std::string_view reason);

}  // namespace kosmo
