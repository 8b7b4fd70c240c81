// audit_outcomes: the outcomes of the audit events as types (issue 12 item
// 4), one enum per event, shared by the code that writes the rows (the
// screens, the mailer, kosmo-admin) and the code that counts them
// (metrics.cpp), so neither spells "lockout_started" by hand. The two
// outcomes of the recovery flow are its own enums, Redemption (tokens.h) and
// IdentityOutcome (identity.h), which name their event there. The strings are the audit_events.outcome values
// (D8); changing one changes stored data.
#pragma once

#include <concepts>
#include <ostream>
#include <string_view>

namespace kosmo {

enum class AuditEvent;

enum class LoginSucceededOutcome { Ok, TemporaryPassword };  // R11
enum class LoginFailedOutcome { WrongPassword, UnknownLoginId, Disabled, NoPassword, TemporaryPasswordExpired };
enum class LoginLockedOutcome { Refused, LockoutStarted };  // D7
enum class LogoutOutcome { Ok };
enum class SessionExpiredOutcome { Idle, Absolute, Disabled };
enum class PasswordChangedOutcome { Ok, FromTemporary };  // D9, R11
enum class PasswordChangeFailedOutcome { WrongCurrentPassword };
// R10, D5: the grant's state when 「パスワード初期化」 was refused, or Ok.
enum class PasswordInitializedOutcome { Ok, RefusedMissing, RefusedExpired, RefusedResetUsed, RefusedNotEligible };
enum class MailSentOutcome { Ok };  // D11
enum class MailFailedOutcome { AttemptsExhausted, NoBody, InvalidMessage, SmtpRejected };
// D16: a new address's confirmation mail was queued; the registered address,
// if any, was told at once (ToRegisteredToo) or there was none (FirstAddress).
enum class EmailChangeRequestedOutcome { FirstAddress, ToRegisteredToo };
// D16, D7: why a well-formed change was refused (the screen says which).
enum class EmailChangeRefusedOutcome { WrongPassword, LoginIdLocked, OverLimit };
// InitialPasswordIssued: member issue-initial gave the member a letter's
// temporary password (D17); the row never holds the password.
enum class AdminActionOutcome { MemberUnlocked, MemberDisabled, MemberEnabled, OutboxRetry, Purge, InitialPasswordIssued, LimitsReset };
// D15: a wrong birth date typed before a mail URL is consumed, while the URL
// is still usable (a token_redeem row). Once wrong dates spend it, the row's
// outcome is the token's state instead (Redemption::TooManyFailures, tokens.h).
enum class TokenConfirmOutcome { WrongBirthDate };

std::string_view to_string(LoginSucceededOutcome outcome);
std::string_view to_string(LoginFailedOutcome outcome);
std::string_view to_string(LoginLockedOutcome outcome);
std::string_view to_string(LogoutOutcome outcome);
std::string_view to_string(SessionExpiredOutcome outcome);
std::string_view to_string(PasswordChangedOutcome outcome);
std::string_view to_string(PasswordChangeFailedOutcome outcome);
std::string_view to_string(PasswordInitializedOutcome outcome);
std::string_view to_string(MailSentOutcome outcome);
std::string_view to_string(MailFailedOutcome outcome);
std::string_view to_string(EmailChangeRequestedOutcome outcome);
std::string_view to_string(EmailChangeRefusedOutcome outcome);
std::string_view to_string(AdminActionOutcome outcome);
std::string_view to_string(TokenConfirmOutcome outcome);
std::ostream& operator<<(std::ostream& out, LoginSucceededOutcome outcome);
std::ostream& operator<<(std::ostream& out, LoginFailedOutcome outcome);
std::ostream& operator<<(std::ostream& out, LoginLockedOutcome outcome);
std::ostream& operator<<(std::ostream& out, LogoutOutcome outcome);
std::ostream& operator<<(std::ostream& out, SessionExpiredOutcome outcome);
std::ostream& operator<<(std::ostream& out, PasswordChangedOutcome outcome);
std::ostream& operator<<(std::ostream& out, PasswordChangeFailedOutcome outcome);
std::ostream& operator<<(std::ostream& out, PasswordInitializedOutcome outcome);
std::ostream& operator<<(std::ostream& out, MailSentOutcome outcome);
std::ostream& operator<<(std::ostream& out, MailFailedOutcome outcome);
std::ostream& operator<<(std::ostream& out, EmailChangeRequestedOutcome outcome);
std::ostream& operator<<(std::ostream& out, EmailChangeRefusedOutcome outcome);
std::ostream& operator<<(std::ostream& out, AdminActionOutcome outcome);
std::ostream& operator<<(std::ostream& out, TokenConfirmOutcome outcome);

// The event each outcome belongs to.
AuditEvent audit_event_of(LoginSucceededOutcome);
AuditEvent audit_event_of(LoginFailedOutcome);
AuditEvent audit_event_of(LoginLockedOutcome);
AuditEvent audit_event_of(LogoutOutcome);
AuditEvent audit_event_of(SessionExpiredOutcome);
AuditEvent audit_event_of(PasswordChangedOutcome);
AuditEvent audit_event_of(PasswordChangeFailedOutcome);
AuditEvent audit_event_of(PasswordInitializedOutcome);
AuditEvent audit_event_of(MailSentOutcome);
AuditEvent audit_event_of(MailFailedOutcome);
AuditEvent audit_event_of(EmailChangeRequestedOutcome);
AuditEvent audit_event_of(EmailChangeRefusedOutcome);
AuditEvent audit_event_of(AdminActionOutcome);
AuditEvent audit_event_of(TokenConfirmOutcome);

template <typename Outcome>
concept AuditOutcome = requires(Outcome outcome) {
  { audit_event_of(outcome) } -> std::same_as<AuditEvent>;
  { to_string(outcome) } -> std::convertible_to<std::string_view>;
};

}  // namespace kosmo
