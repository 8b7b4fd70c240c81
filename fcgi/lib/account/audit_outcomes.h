// audit_outcomes: the outcomes of the login audit events as types (issue 12
// item 4), one enum per event, shared by the code that writes the rows
// (login.cpp) and the code that counts them (metrics.cpp), so neither spells
// "lockout_started" by hand. The strings are the audit_events.outcome values
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

std::string_view to_string(LoginSucceededOutcome outcome);
std::string_view to_string(LoginFailedOutcome outcome);
std::string_view to_string(LoginLockedOutcome outcome);
std::ostream& operator<<(std::ostream& out, LoginSucceededOutcome outcome);
std::ostream& operator<<(std::ostream& out, LoginFailedOutcome outcome);
std::ostream& operator<<(std::ostream& out, LoginLockedOutcome outcome);

// The event each outcome belongs to.
AuditEvent audit_event_of(LoginSucceededOutcome);
AuditEvent audit_event_of(LoginFailedOutcome);
AuditEvent audit_event_of(LoginLockedOutcome);

template <typename Outcome>
concept AuditOutcome = requires(Outcome outcome) {
  { audit_event_of(outcome) } -> std::same_as<AuditEvent>;
  { to_string(outcome) } -> std::convertible_to<std::string_view>;
};

}  // namespace kosmo
