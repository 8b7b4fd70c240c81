#include "audit.h"

#include <cppconn/exception.h>

#include <string>

#include "log.h"
#include "stats.h"

namespace kosmo {
namespace {

const SqlStatement kInsertAuditEvent{
    "audit.insert",
    "INSERT INTO audit_events (occurred_at, event, outcome, member_id, ip, user_agent, request_id, detail) "
    "VALUES (UTC_TIMESTAMP(6), ?, ?, ?, ?, ?, ?, ?)"};

void insert_row(Transaction& tx, AuditEvent event, std::string_view outcome, std::optional<std::uint64_t> member_id,
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
  // The row commits or rolls back with the caller's transaction; its log
  // line waits for the COMMIT, so a rolled-back or retried transaction logs
  // no event that never happened, and none twice (issue 12).
  tx.after_commit([req = std::string(request_id), audit_event = std::string(to_string(event)),
                   outcome_text = std::string(outcome), member = member_id ? std::to_string(*member_id) : "-",
                   address = std::string(ip)] {
    log_event(LogLevel::Info, "audit",
              {{"req", req}, {"audit", audit_event}, {"outcome", outcome_text}, {"member_id", member}, {"ip", address}});
  });
}

// The row, or for a row the database refused the D18 log line and counter
// before the exception goes on. Never the row's values in the line: the
// refused value may be the very bytes that made it fail.
void write_row(Transaction& tx, AuditEvent event, std::string_view outcome, std::optional<std::uint64_t> member_id,
               std::string_view ip, std::string_view user_agent, std::string_view request_id,
               std::string_view detail) {
  try {
    insert_row(tx, event, outcome, member_id, ip, user_agent, request_id, detail);
  } catch (const sql::SQLException& e) {
    if (classify(e) == DbFailure::Other) {
      log_event(LogLevel::Error, "audit_write_failed",
                {{"req", std::string(request_id)}, {"audit", std::string(to_string(event))},
                 {"errno", std::to_string(e.getErrorCode())}, {"sqlstate", e.getSQLState()}});
      record_audit_write_failure();
    }
    throw;
  }
}

}  // namespace

std::string_view to_string(AuditWrite write) {
  switch (write) {
    case AuditWrite::Written: return "written";
    case AuditWrite::Failed: return "failed";
  }
  return "unknown";
}

std::ostream& operator<<(std::ostream& out, AuditWrite write) { return out << to_string(write); }

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

// Why a savepoint and not the row in a transaction of its own after the
// count's COMMIT: the row still commits with the change it describes (no
// audit row for a count that rolled back), a failed login keeps its one
// COMMIT (one log flush), and forgot-id's identity check, which counts 20
// identities in one transaction, keeps its batch (D18).
AuditWrite try_audit(Transaction& tx, AuditEvent event, std::string_view outcome,
                     std::optional<std::uint64_t> member_id, const Request& request, std::string_view detail) {
  tx.set_savepoint();
  try {
    write_row(tx, event, outcome, member_id, request.remote_addr, request.user_agent, request.request_id, detail);
    return AuditWrite::Written;
  } catch (const sql::SQLException& e) {
    if (classify(e) != DbFailure::Other) throw;
  }
  tx.roll_back_to_savepoint();
  return AuditWrite::Failed;
}

void audit_system(Transaction& tx, AuditEvent event, std::string_view outcome,
                  std::optional<std::uint64_t> member_id, std::string_view detail) {
  write_row(tx, event, outcome, member_id, {}, {}, {}, detail);
}

}  // namespace kosmo
