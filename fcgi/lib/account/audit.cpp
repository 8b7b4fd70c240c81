#include "audit.h"

#include <string>

#include "log.h"

namespace kosmo {
namespace {

const SqlStatement kInsertAuditEvent{
    "audit.insert",
    "INSERT INTO audit_events (occurred_at, event, outcome, member_id, ip, user_agent, request_id, detail) "
    "VALUES (UTC_TIMESTAMP(6), ?, ?, ?, ?, ?, ?, ?)"};

const SqlStatement kCountEvents{"audit.count_event", "SELECT COUNT(*) AS n FROM audit_events WHERE event = ?"};
const SqlStatement kCountEventOutcome{"audit.count_event_outcome",
                                      "SELECT COUNT(*) AS n FROM audit_events WHERE event = ? AND outcome = ?"};

void write_row(Transaction& tx, AuditEvent event, std::string_view outcome, std::optional<std::uint64_t> member_id,
               std::string_view ip, std::string_view user_agent, std::string_view request_id,
               std::string_view detail) {
  sql::PreparedStatement& st = tx.statement(kInsertAuditEvent);
  st.setString(1, std::string(to_string(event)));
  st.setString(2, std::string(outcome));
  if (member_id) st.setUInt64(3, *member_id);
  else st.setNull(3, 0);
  if (ip.empty()) st.setNull(4, 0);
  else st.setString(4, std::string(ip));
  if (user_agent.empty()) st.setNull(5, 0);
  else st.setString(5, std::string(user_agent));
  if (request_id.empty()) st.setNull(6, 0);
  else st.setString(6, std::string(request_id));
  if (detail.empty()) st.setNull(7, 0);
  else st.setString(7, std::string(detail));
  st.executeUpdate();
  log_event(LogLevel::Info, "audit",
            {{"req", std::string(request_id)}, {"audit", std::string(to_string(event))},
             {"outcome", std::string(outcome)}, {"member_id", member_id ? std::to_string(*member_id) : "-"},
             {"ip", std::string(ip)}});
}

}  // namespace

std::string_view to_string(AuditEvent event) {
  switch (event) {
    case AuditEvent::LoginSucceeded: return "login_succeeded";
    case AuditEvent::LoginFailed: return "login_failed";
    case AuditEvent::LoginLocked: return "login_locked";
    case AuditEvent::Logout: return "logout";
    case AuditEvent::SessionExpired: return "session_expired";
    case AuditEvent::PasswordChanged: return "password_changed";
    case AuditEvent::PasswordChangeFailed: return "password_change_failed";
    case AuditEvent::IdentityCheck: return "identity_check";
    case AuditEvent::TokenRedeem: return "token_redeem";
    case AuditEvent::PasswordInitialized: return "password_initialized";
    case AuditEvent::MailSent: return "mail_sent";
    case AuditEvent::MailFailed: return "mail_failed";
    case AuditEvent::AdminAction: return "admin_action";
  }
  return "unknown";
}

void audit(Transaction& tx, AuditEvent event, std::string_view outcome, std::optional<std::uint64_t> member_id,
           const Request& request, std::string_view detail) {
  write_row(tx, event, outcome, member_id, request.remote_addr, request.user_agent, request.request_id, detail);
}

void audit_system(Transaction& tx, AuditEvent event, std::string_view outcome,
                  std::optional<std::uint64_t> member_id, std::string_view detail) {
  write_row(tx, event, outcome, member_id, {}, {}, {}, detail);
}

std::uint64_t count_audit_events(Transaction& tx, AuditEvent event, std::string_view outcome) {
  sql::PreparedStatement& count = tx.statement(outcome.empty() ? kCountEvents : kCountEventOutcome);
  count.setString(1, std::string(to_string(event)));
  if (!outcome.empty()) count.setString(2, std::string(outcome));
  Rows rows = query(count);
  rows->next();
  return rows->getUInt64("n");
}

}  // namespace kosmo
