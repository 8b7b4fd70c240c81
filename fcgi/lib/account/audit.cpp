#include "audit.h"

#include <cppconn/exception.h>

#include <string>
#include <utility>
#include <vector>

#include "log.h"
#include "multi_row_insert.h"
#include "stats.h"

namespace kosmo {
namespace {

const SqlStatement kInsertAuditEvent{
    "audit.insert",
    "INSERT INTO audit_events (occurred_at, event, outcome, member_id, ip, user_agent, request_id, detail) "
    "VALUES (UTC_TIMESTAMP(6), ?, ?, ?, ?, ?, ?, ?)"};

// The same INSERT for kAuditRowsPerInsert (16), 4 and 1 rows: any batch is a
// few statements (20 rows: 16 + 4), and a fixed set of texts is prepared
// once. Literal macros, so the SQL lint sees the whole text.
#define KOSMO_AUDIT_INSERT \
  "INSERT INTO audit_events (occurred_at, event, outcome, member_id, ip, user_agent, request_id, detail) VALUES "
#define KOSMO_AUDIT_ROW "(UTC_TIMESTAMP(6), ?, ?, ?, ?, ?, ?, ?)"
#define KOSMO_AUDIT_ROWS4 KOSMO_AUDIT_ROW ", " KOSMO_AUDIT_ROW ", " KOSMO_AUDIT_ROW ", " KOSMO_AUDIT_ROW
static_assert(kAuditRowsPerInsert == 16, "kInsertAuditRows16 holds kAuditRowsPerInsert rows");
const SqlStatement kInsertAuditRows16{
    "audit.insert_16",
    KOSMO_AUDIT_INSERT KOSMO_AUDIT_ROWS4 ", " KOSMO_AUDIT_ROWS4 ", " KOSMO_AUDIT_ROWS4 ", " KOSMO_AUDIT_ROWS4};
const SqlStatement kInsertAuditRows4{"audit.insert_4", KOSMO_AUDIT_INSERT KOSMO_AUDIT_ROWS4};
#undef KOSMO_AUDIT_ROWS4
#undef KOSMO_AUDIT_ROW
#undef KOSMO_AUDIT_INSERT
constexpr int kAuditPlaceholders = 7;

// Binds one row's seven values from `first` on (1-based).
void bind_row(sql::PreparedStatement& st, int first, AuditEvent event, std::string_view outcome,
              std::optional<std::uint64_t> member_id, std::string_view ip, std::string_view user_agent,
              std::string_view request_id, std::string_view detail) {
  st.setString(first, std::string(to_string(event)));
  st.setString(first + 1, std::string(outcome));
  if (member_id) st.setUInt64(first + 2, *member_id);
  else st.setNull(first + 2, 0);
  if (ip.empty()) st.setNull(first + 3, 0);
  else st.setString(first + 3, std::string(ip));
  if (user_agent.empty()) st.setNull(first + 4, 0);
  else st.setString(first + 4, std::string(user_agent));
  if (request_id.empty()) st.setNull(first + 5, 0);
  else st.setString(first + 5, std::string(request_id));
  if (detail.empty()) st.setNull(first + 6, 0);
  else st.setString(first + 6, std::string(detail));
}

// The row commits or rolls back with the caller's transaction; its log
// line waits for the COMMIT, so a rolled-back or retried transaction logs
// no event that never happened, and none twice (issue 12).
void log_after_commit(Transaction& tx, AuditEvent event, std::string_view outcome,
                      std::optional<std::uint64_t> member_id, std::string_view ip, std::string_view request_id) {
  tx.after_commit([req = std::string(request_id), audit_event = std::string(to_string(event)),
                   outcome_text = std::string(outcome), member = member_id ? std::to_string(*member_id) : "-",
                   address = std::string(ip)] {
    log_event(LogLevel::Info, "audit",
              {{"req", req}, {"audit", audit_event}, {"outcome", outcome_text}, {"member_id", member}, {"ip", address}});
  });
}

void insert_row(Transaction& tx, AuditEvent event, std::string_view outcome, std::optional<std::uint64_t> member_id,
               std::string_view ip, std::string_view user_agent, std::string_view request_id,
               std::string_view detail) {
  sql::PreparedStatement& st = tx.statement(kInsertAuditEvent);
  bind_row(st, 1, event, outcome, member_id, ip, user_agent, request_id, detail);
  st.executeUpdate();
  log_after_commit(tx, event, outcome, member_id, ip, request_id);
}

// rows[first, first + count) in one INSERT of `statement` (count rows).
// D18: a row the database refused is one error line and one count. Never
// the row's values in the line: the refused value may be the very bytes
// that made it fail.
void report_refused_row(std::string_view request_id, AuditEvent event, int error_code, const std::string& sqlstate) {
  log_event(LogLevel::Error, "audit_write_failed",
            {{"req", std::string(request_id)}, {"audit", std::string(to_string(event))},
             {"errno", std::to_string(error_code)}, {"sqlstate", sqlstate}});
  record_audit_write_failure();
}

// The row, or for a row the database refused the D18 log line and counter
// before the exception goes on.
void write_row(Transaction& tx, AuditEvent event, std::string_view outcome, std::optional<std::uint64_t> member_id,
               std::string_view ip, std::string_view user_agent, std::string_view request_id,
               std::string_view detail) {
  try {
    insert_row(tx, event, outcome, member_id, ip, user_agent, request_id, detail);
  } catch (const sql::SQLException& e) {
    if (classify(e) == DbFailure::Other) report_refused_row(request_id, event, e.getErrorCode(), e.getSQLState());
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
    case AuditEvent::EmailChangeRequested: return "email_change_requested";
    case AuditEvent::EmailChangeRefused: return "email_change_refused";
    case AuditEvent::EmailChangeConfirm: return "email_change_confirm";
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

void try_audit_rows(Transaction& tx, const std::vector<AuditRow>& rows) {
  if (rows.empty()) return;
  tx.set_savepoint();
  try {
    insert_rows(tx, {kInsertAuditRows16, kInsertAuditRows4, kInsertAuditEvent, kAuditPlaceholders}, rows.size(),
                [&rows](sql::PreparedStatement& st, int first, std::size_t i) {
                  const AuditRow& row = rows[i];
                  bind_row(st, first, row.event, row.outcome, row.member_id, row.origin->remote_addr,
                           row.origin->user_agent, row.origin->request_id, row.detail);
                });
  } catch (const sql::SQLException& e) {
    if (classify(e) != DbFailure::Other) throw;
    // A refused row: undo what the batch wrote and let try_audit find it
    // (its log line and counter, D18) while the others are written.
    tx.roll_back_to_savepoint();
    for (const AuditRow& row : rows) try_audit(tx, row.event, row.outcome, row.member_id, *row.origin, row.detail);
    return;
  }
  for (const AuditRow& row : rows)
    log_after_commit(tx, row.event, row.outcome, row.member_id, row.origin->remote_addr, row.origin->request_id);
}

void audit_written_by_routine(Transaction& tx, AuditEvent event, std::string_view outcome,
                              std::optional<std::uint64_t> member_id, const Request& request,
                              const RoutineAuditRow& row) {
  if (row.error_code == 0) {
    log_after_commit(tx, event, outcome, member_id, request.remote_addr, request.request_id);
    return;
  }
  const sql::SQLException refused("audit row refused by the database", row.sqlstate, row.error_code);
  if (classify(refused) == DbFailure::Other) report_refused_row(request.request_id, event, row.error_code, row.sqlstate);
  throw refused;
}

void audit_system(Transaction& tx, AuditEvent event, std::string_view outcome,
                  std::optional<std::uint64_t> member_id, std::string_view detail) {
  write_row(tx, event, outcome, member_id, {}, {}, {}, detail);
}

// No request: the row's ip, user agent and request id are NULL, as audit_system's.
AuditWrite try_audit_system(Transaction& tx, AuditEvent event, std::string_view outcome,
                            std::optional<std::uint64_t> member_id, std::string_view detail) {
  static const Request kNoRequest;
  return try_audit(tx, event, outcome, member_id, kNoRequest, detail);
}

}  // namespace kosmo
