#include "audit_outcomes.h"

#include "audit.h"

namespace kosmo {

std::string_view to_string(LoginSucceededOutcome outcome) {
  switch (outcome) {
    case LoginSucceededOutcome::Ok: return "ok";
    case LoginSucceededOutcome::TemporaryPassword: return "temporary_password";
  }
  return "unknown";
}

std::string_view to_string(LoginFailedOutcome outcome) {
  switch (outcome) {
    case LoginFailedOutcome::WrongPassword: return "wrong_password";
    case LoginFailedOutcome::UnknownLoginId: return "unknown_login_id";
    case LoginFailedOutcome::Disabled: return "disabled";
    case LoginFailedOutcome::NoPassword: return "no_password";
    case LoginFailedOutcome::TemporaryPasswordExpired: return "temporary_password_expired";
  }
  return "unknown";
}

std::string_view to_string(LoginLockedOutcome outcome) {
  switch (outcome) {
    case LoginLockedOutcome::Refused: return "refused";
    case LoginLockedOutcome::LockoutStarted: return "lockout_started";
  }
  return "unknown";
}

std::ostream& operator<<(std::ostream& out, LoginSucceededOutcome outcome) { return out << to_string(outcome); }
std::ostream& operator<<(std::ostream& out, LoginFailedOutcome outcome) { return out << to_string(outcome); }
std::ostream& operator<<(std::ostream& out, LoginLockedOutcome outcome) { return out << to_string(outcome); }

AuditEvent audit_event_of(LoginSucceededOutcome) { return AuditEvent::LoginSucceeded; }
AuditEvent audit_event_of(LoginFailedOutcome) { return AuditEvent::LoginFailed; }
AuditEvent audit_event_of(LoginLockedOutcome) { return AuditEvent::LoginLocked; }

}  // namespace kosmo
