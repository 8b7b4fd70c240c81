#include "session.h"

#include "audit.h"
#include "crypto.h"
#include "form.h"
#include "random_token.h"

namespace kosmo {
namespace {

const SqlStatement kFindSession{
    "sessions.find",
    "SELECT s.member_id, m.login_id, m.password_is_temporary, m.is_disabled, "
    "TIMESTAMPDIFF(SECOND, s.last_seen_at, UTC_TIMESTAMP(6)) AS idle_seconds, "
    "TIMESTAMPDIFF(SECOND, s.created_at, UTC_TIMESTAMP(6)) AS age_seconds "
    "FROM sessions s JOIN members m ON m.member_id = s.member_id "
    "WHERE s.session_hash = ? AND s.ended_at IS NULL"};
const SqlStatement kTouchSession{
    "sessions.touch", "UPDATE sessions SET last_seen_at = UTC_TIMESTAMP(6) WHERE session_hash = ?"};
const SqlStatement kInsertSession{
    "sessions.insert",
    "INSERT INTO sessions (session_hash, member_id, created_at, last_seen_at) "
    "VALUES (?, ?, UTC_TIMESTAMP(6), UTC_TIMESTAMP(6))"};
const SqlStatement kEndSession{
    "sessions.end",
    "UPDATE sessions SET ended_at = UTC_TIMESTAMP(6), end_reason = ? "
    "WHERE session_hash = ? AND ended_at IS NULL"};
const SqlStatement kEndMemberSessions{
    "sessions.end_member",
    "UPDATE sessions SET ended_at = UTC_TIMESTAMP(6), end_reason = ? "
    "WHERE member_id = ? AND ended_at IS NULL AND session_hash <> ?"};

// Writing last_seen_at on every click would make every page a write; a
// minute of slack in the idle timeout is the price of reads staying reads.
constexpr int kTouchAfterSeconds = 60;

std::string hash_of_cookie(std::string_view cookie_value) { return sha256(cookie_value); }

}  // namespace

std::optional<MemberSession> current_session(Transaction& tx, Context& ctx) {
  const std::string_view cookie = ctx.request.cookie(kSessionCookie);
  if (!is_random_token(cookie)) return std::nullopt;
  MemberSession session;
  session.session_hash = hash_of_cookie(cookie);

  sql::PreparedStatement& find = tx.statement(kFindSession);
  find.setString(1, session.session_hash);
  Rows rows = query(find);
  if (!rows->next()) {
    ctx.set_cookies.push_back(clear_cookie_header(kSessionCookie));
    return std::nullopt;
  }
  session.member_id = rows->getUInt64("member_id");
  session.login_id = rows->getString("login_id").asStdString();
  session.password_is_temporary = rows->getBoolean("password_is_temporary");
  const bool disabled = rows->getBoolean("is_disabled");
  const long idle = rows->getInt64("idle_seconds");
  const long age = rows->getInt64("age_seconds");
  rows.reset();

  if (disabled || idle > ctx.config.session_idle_timeout || age > ctx.config.session_absolute_timeout) {
    const SessionExpiredOutcome reason = disabled                                  ? SessionExpiredOutcome::Disabled
                                       : idle > ctx.config.session_idle_timeout ? SessionExpiredOutcome::Idle
                                                                                : SessionExpiredOutcome::Absolute;
    end_session(tx, session, to_string(reason));
    ctx.set_cookies.push_back(clear_cookie_header(kSessionCookie));
    audit(tx, reason, session.member_id, ctx.request);
    return std::nullopt;
  }
  if (idle >= kTouchAfterSeconds) {
    sql::PreparedStatement& touch = tx.statement(kTouchSession);
    touch.setString(1, session.session_hash);
    touch.executeUpdate();
  }
  return session;
}

void start_session(Transaction& tx, Context& ctx, std::uint64_t member_id) {
  const std::string cookie_value = new_random_token();
  sql::PreparedStatement& insert = tx.statement(kInsertSession);
  insert.setString(1, hash_of_cookie(cookie_value));
  insert.setUInt64(2, member_id);
  insert.executeUpdate();
  ctx.set_cookies.push_back(set_cookie_header(kSessionCookie, cookie_value, 0));
}

void end_session(Transaction& tx, const MemberSession& session, std::string_view reason) {
  sql::PreparedStatement& end = tx.statement(kEndSession);
  end.setString(1, std::string(reason));
  end.setString(2, session.session_hash);
  end.executeUpdate();
}

void end_member_sessions(Transaction& tx, std::uint64_t member_id, std::string_view keep_hash,
                         std::string_view reason) {
  sql::PreparedStatement& end = tx.statement(kEndMemberSessions);
  end.setString(1, std::string(reason));
  end.setUInt64(2, member_id);
  end.setString(3, std::string(keep_hash));
  end.executeUpdate();
}

}  // namespace kosmo
