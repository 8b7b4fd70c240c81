// audit: one row in audit_events and one log line for every recovery, reset,
// login, lockout, password change, session end and mail event (D8). Callers
// pass member ids and outcomes, never a token, password or card number.
#pragma once

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "audit_outcomes.h"
#include "db.h"
#include "http.h"

namespace kosmo {

enum class AuditEvent {
  LoginSucceeded,
  LoginFailed,
  LoginLocked,
  Logout,
  SessionExpired,
  PasswordChanged,
  PasswordChangeFailed,
  IdentityCheck,
  TokenRedeem,
  PasswordInitialized,
  MailSent,
  MailFailed,
  EmailChangeRequested,  // D16: a confirmation mail queued for a new address
  EmailChangeRefused,    // D16, D7: wrong current password, locked login ID, over limits.email_change
  EmailChangeConfirm,    // D16: a confirmation link pressed: confirmed, or the cause it was invalid
  AdminAction,  // kosmo-admin changed state: outcome names what (member_disabled, outbox_retry, purge ...)
};
std::string_view to_string(AuditEvent event);

// Written inside the caller's transaction, so the audit row and the change it
// describes commit or roll back together; its log line is written after that
// transaction's COMMIT, never for a rolled-back or retried one (issue 12).
void audit(Transaction& tx, AuditEvent event, std::string_view outcome, std::optional<std::uint64_t> member_id,
           const Request& request, std::string_view detail = {});

// D18: an audit row the database refuses (strict mode and a user agent that
// is not valid UTF-8, a column change...) writes one error log line
// (event=audit_write_failed with errno and sqlstate, never a value of the row)
// and counts in /metrics (kosmo_audit_write_failures_total). audit() then
// throws, so the request fails and its transaction, the change the row
// describes included, rolls back (a login that cannot be audited does not
// happen). try_audit() instead undoes only the row (a savepoint) and lets
// the rest of the transaction commit: for rows beside something that must
// survive, a counted login failure or a D7 limit event. A lost connection or
// a lost conflict is not the row's failure: both throw, the whole
// transaction is gone, and run_screen's retry counts again.
enum class AuditWrite { Written, Failed };
std::string_view to_string(AuditWrite write);
std::ostream& operator<<(std::ostream& out, AuditWrite write);

AuditWrite try_audit(Transaction& tx, AuditEvent event, std::string_view outcome,
                     std::optional<std::uint64_t> member_id, const Request& request, std::string_view detail = {});

// One row of try_audit_rows: what try_audit takes, kept until the rows are
// written together. `origin` must outlive the call (the queued identity's POST).
struct AuditRow {
  AuditEvent event;
  std::string_view outcome;  // a to_string() of an outcome type: static text
  std::optional<std::uint64_t> member_id;
  const Request* origin;
  std::string_view detail;
};

// try_audit for several rows at once: up to kAuditRowsPerInsert rows per
// INSERT and no savepoint per row (a batch of 20 identity checks wrote 20
// SAVEPOINTs and 20 INSERTs: bench/README.md, issue 16). When the database
// refuses a statement, everything it wrote is undone and each row is tried
// alone by try_audit, so only a refused row is missing, logged and counted as
// try_audit does (D18). Conflicts and lost connections throw, as there.
inline constexpr int kAuditRowsPerInsert = 16;
void try_audit_rows(Transaction& tx, const std::vector<AuditRow>& rows);

// An audit row a procedure wrote beside the change it describes (the token
// POST, sql/008_token_redeem.sql: issue 16, one round trip). The procedure
// catches a refused INSERT and answers its errno and SQLSTATE (0 and
// "00000" when the row was written); conflicts it never catches. Written:
// the log line after COMMIT, as audit(). Refused: the D18 log line and
// counter, then that error is thrown, as audit() does, so the request fails
// and its transaction rolls back.
struct RoutineAuditRow {
  int error_code = 0;
  std::string sqlstate;
};
void audit_written_by_routine(Transaction& tx, AuditEvent event, std::string_view outcome,
                              std::optional<std::uint64_t> member_id, const Request& request,
                              const RoutineAuditRow& row);

// For events without a request (the mailer).
void audit_system(Transaction& tx, AuditEvent event, std::string_view outcome,
                  std::optional<std::uint64_t> member_id, std::string_view detail = {});

// The same with a typed outcome, whose type names its event (audit_outcomes.h).
template <AuditOutcome Outcome>
void audit(Transaction& tx, Outcome outcome, std::optional<std::uint64_t> member_id, const Request& request,
           std::string_view detail = {}) {
  audit(tx, audit_event_of(outcome), to_string(outcome), member_id, request, detail);
}
template <AuditOutcome Outcome>
AuditWrite try_audit(Transaction& tx, Outcome outcome, std::optional<std::uint64_t> member_id, const Request& request,
                     std::string_view detail = {}) {
  return try_audit(tx, audit_event_of(outcome), to_string(outcome), member_id, request, detail);
}

template <AuditOutcome Outcome>
void audit_written_by_routine(Transaction& tx, Outcome outcome, std::optional<std::uint64_t> member_id,
                              const Request& request, const RoutineAuditRow& row) {
  audit_written_by_routine(tx, audit_event_of(outcome), to_string(outcome), member_id, request, row);
}

template <AuditOutcome Outcome>
void audit_system(Transaction& tx, Outcome outcome, std::optional<std::uint64_t> member_id,
                  std::string_view detail = {}) {
  audit_system(tx, audit_event_of(outcome), to_string(outcome), member_id, detail);
}

// try_audit for events without a request, kosmo-mailer's and kosmo-admin's:
// their rows describe what has happened already (a mail handed to the relay,
// an operator's command), so a refused row must not undo it (D18): a sent
// mail rolled back would keep its body and go out again.
AuditWrite try_audit_system(Transaction& tx, AuditEvent event, std::string_view outcome,
                            std::optional<std::uint64_t> member_id, std::string_view detail = {});
template <AuditOutcome Outcome>
AuditWrite try_audit_system(Transaction& tx, Outcome outcome, std::optional<std::uint64_t> member_id,
                            std::string_view detail = {}) {
  return try_audit_system(tx, audit_event_of(outcome), to_string(outcome), member_id, detail);
}

}  // namespace kosmo
