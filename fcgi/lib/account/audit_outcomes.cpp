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

std::string_view to_string(LogoutOutcome outcome) {
  switch (outcome) {
    case LogoutOutcome::Ok: return "ok";
  }
  return "unknown";
}

std::string_view to_string(SessionExpiredOutcome outcome) {
  switch (outcome) {
    case SessionExpiredOutcome::Idle: return "idle";
    case SessionExpiredOutcome::Absolute: return "absolute";
    case SessionExpiredOutcome::Disabled: return "disabled";
  }
  return "unknown";
}

std::string_view to_string(PasswordChangedOutcome outcome) {
  switch (outcome) {
    case PasswordChangedOutcome::Ok: return "ok";
    case PasswordChangedOutcome::FromTemporary: return "from_temporary";
  }
  return "unknown";
}

std::string_view to_string(PasswordChangeFailedOutcome outcome) {
  switch (outcome) {
    case PasswordChangeFailedOutcome::WrongCurrentPassword: return "wrong_current_password";
  }
  return "unknown";
}

std::string_view to_string(PasswordInitializedOutcome outcome) {
  switch (outcome) {
    case PasswordInitializedOutcome::Ok: return "ok";
    case PasswordInitializedOutcome::RefusedMissing: return "refused_missing";
    case PasswordInitializedOutcome::RefusedExpired: return "refused_expired";
    case PasswordInitializedOutcome::RefusedResetUsed: return "refused_reset_used";
    case PasswordInitializedOutcome::RefusedNotEligible: return "refused_not_eligible";
  }
  return "unknown";
}

std::string_view to_string(MailSentOutcome outcome) {
  switch (outcome) {
    case MailSentOutcome::Ok: return "ok";
  }
  return "unknown";
}

std::string_view to_string(MailFailedOutcome outcome) {
  switch (outcome) {
    case MailFailedOutcome::AttemptsExhausted: return "attempts_exhausted";
    case MailFailedOutcome::NoBody: return "no_body";
    case MailFailedOutcome::InvalidMessage: return "invalid_message";
    case MailFailedOutcome::SmtpRejected: return "smtp_rejected";
  }
  return "unknown";
}

std::string_view to_string(EmailChangeRequestedOutcome outcome) {
  switch (outcome) {
    case EmailChangeRequestedOutcome::FirstAddress: return "first_address";
    case EmailChangeRequestedOutcome::ToRegisteredToo: return "registered_told";
  }
  return "unknown";
}

std::string_view to_string(EmailChangeRefusedOutcome outcome) {
  switch (outcome) {
    case EmailChangeRefusedOutcome::WrongPassword: return "wrong_password";
    case EmailChangeRefusedOutcome::LoginIdLocked: return "login_id_locked";
    case EmailChangeRefusedOutcome::OverLimit: return "over_limit";
  }
  return "unknown";
}

std::string_view to_string(AdminActionOutcome outcome) {
  switch (outcome) {
    case AdminActionOutcome::MemberUnlocked: return "member_unlocked";
    case AdminActionOutcome::MemberDisabled: return "member_disabled";
    case AdminActionOutcome::MemberEnabled: return "member_enabled";
    case AdminActionOutcome::OutboxRetry: return "outbox_retry";
    case AdminActionOutcome::Purge: return "purge";
    case AdminActionOutcome::InitialPasswordIssued: return "initial_password_issued";
    case AdminActionOutcome::LimitsReset: return "limits_reset";
  }
  return "unknown";
}

std::string_view to_string(TokenConfirmOutcome outcome) {
  switch (outcome) {
    case TokenConfirmOutcome::WrongBirthDate: return "wrong_birth_date";
  }
  return "unknown";
}

std::ostream& operator<<(std::ostream& out, LoginSucceededOutcome outcome) { return out << to_string(outcome); }
std::ostream& operator<<(std::ostream& out, LoginFailedOutcome outcome) { return out << to_string(outcome); }
std::ostream& operator<<(std::ostream& out, LoginLockedOutcome outcome) { return out << to_string(outcome); }

std::ostream& operator<<(std::ostream& out, LogoutOutcome outcome) { return out << to_string(outcome); }
std::ostream& operator<<(std::ostream& out, SessionExpiredOutcome outcome) { return out << to_string(outcome); }
std::ostream& operator<<(std::ostream& out, PasswordChangedOutcome outcome) { return out << to_string(outcome); }
std::ostream& operator<<(std::ostream& out, PasswordChangeFailedOutcome outcome) { return out << to_string(outcome); }
std::ostream& operator<<(std::ostream& out, PasswordInitializedOutcome outcome) { return out << to_string(outcome); }
std::ostream& operator<<(std::ostream& out, MailSentOutcome outcome) { return out << to_string(outcome); }
std::ostream& operator<<(std::ostream& out, MailFailedOutcome outcome) { return out << to_string(outcome); }
std::ostream& operator<<(std::ostream& out, EmailChangeRequestedOutcome outcome) { return out << to_string(outcome); }
std::ostream& operator<<(std::ostream& out, EmailChangeRefusedOutcome outcome) { return out << to_string(outcome); }
std::ostream& operator<<(std::ostream& out, AdminActionOutcome outcome) { return out << to_string(outcome); }
std::ostream& operator<<(std::ostream& out, TokenConfirmOutcome outcome) { return out << to_string(outcome); }

AuditEvent audit_event_of(LoginSucceededOutcome) { return AuditEvent::LoginSucceeded; }
AuditEvent audit_event_of(LoginFailedOutcome) { return AuditEvent::LoginFailed; }
AuditEvent audit_event_of(LoginLockedOutcome) { return AuditEvent::LoginLocked; }
AuditEvent audit_event_of(LogoutOutcome) { return AuditEvent::Logout; }
AuditEvent audit_event_of(SessionExpiredOutcome) { return AuditEvent::SessionExpired; }
AuditEvent audit_event_of(PasswordChangedOutcome) { return AuditEvent::PasswordChanged; }
AuditEvent audit_event_of(PasswordChangeFailedOutcome) { return AuditEvent::PasswordChangeFailed; }
AuditEvent audit_event_of(PasswordInitializedOutcome) { return AuditEvent::PasswordInitialized; }
AuditEvent audit_event_of(MailSentOutcome) { return AuditEvent::MailSent; }
AuditEvent audit_event_of(MailFailedOutcome) { return AuditEvent::MailFailed; }
AuditEvent audit_event_of(EmailChangeRequestedOutcome) { return AuditEvent::EmailChangeRequested; }
AuditEvent audit_event_of(EmailChangeRefusedOutcome) { return AuditEvent::EmailChangeRefused; }
AuditEvent audit_event_of(AdminActionOutcome) { return AuditEvent::AdminAction; }
AuditEvent audit_event_of(TokenConfirmOutcome) { return AuditEvent::TokenRedeem; }

}  // namespace kosmo
