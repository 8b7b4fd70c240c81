// audit: one row in audit_events and one log line for every recovery, reset,
// login, lockout, password change, session end and mail event (D8). Callers
// pass member ids and outcomes, never a token, password or card number.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

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
  AdminAction,  // kosmo-admin changed state: outcome names what (member_disabled, outbox_retry, purge ...)
};
std::string_view to_string(AuditEvent event);

// Written inside the caller's transaction, so the audit row and the change it
// describes commit or roll back together.
void audit(Transaction& tx, AuditEvent event, std::string_view outcome, std::optional<std::uint64_t> member_id,
           const Request& request, std::string_view detail = {});

// For events without a request (the mailer).
void audit_system(Transaction& tx, AuditEvent event, std::string_view outcome,
                  std::optional<std::uint64_t> member_id, std::string_view detail = {});

// How many events of a kind (and outcome, when not empty) were recorded,
// for the metrics page: uses idx_audit_events_event.
std::uint64_t count_audit_events(Transaction& tx, AuditEvent event, std::string_view outcome = {});

}  // namespace kosmo
