// delivery: the life of one claimed mail (see delivery.h). The SMTP exchange
// runs outside any transaction, so no row lock is held while a slow server
// answers; the result is recorded afterwards, only if the claim is still ours.
#include "delivery.h"

#include <cppconn/exception.h>

#include <algorithm>
#include <ctime>
#include <stdexcept>
#include <utility>

#include "db_retry.h"
#include "log.h"
#include "mail.h"

namespace kosmo {
namespace {

// What one mail came to, before it is recorded.
struct Verdict {
  Delivery delivery;
  MailFailedOutcome audit_outcome{};  // Failed only: mail_failed's outcome column
  std::string reason;              // last_error: codes and fixed texts, never an address
  long smtp_code = 0;
  long next_in = 0;  // Retry only: seconds
};

Verdict failed(MailFailedOutcome outcome, std::string reason, long smtp_code = 0) {
  return {Delivery::Failed, outcome, std::move(reason), smtp_code, 0};
}

Verdict send_and_judge(Mailer& mailer, SmtpSender& smtp, const ClaimedMail& mail) {
  const Config& config = mailer.config;
  // A row whose claim expired after the last attempt was counted (its mailer died).
  if (mail.attempts > config.mailer_max_attempts) return failed(MailFailedOutcome::AttemptsExhausted, "attempts exhausted");
  if (!mail.body) return failed(MailFailedOutcome::NoBody, "no body");  // already wiped: never send an empty mail

  std::string message;
  try {
    message = compose_message({config.mail_from_address, config.mail_from_name, mail.to_address, mail.subject,
                               *mail.body, mail.message_id, rfc5322_date(std::time(nullptr))});
  } catch (const std::invalid_argument& e) {
    // A control character or a broken address in the row: the same row fails
    // the same way every time, so it is not retried. what() names the field only.
    return failed(MailFailedOutcome::InvalidMessage, std::string("invalid message: ") + e.what());
  }

  const SmtpResult result = smtp.send(config.mail_from_address, mail.to_address, message);
  switch (result.outcome) {
    case SmtpOutcome::Accepted:
      return {Delivery::Sent, {}, {}, result.smtp_code, 0};
    case SmtpOutcome::PermanentFailure:
      return failed(MailFailedOutcome::SmtpRejected, result.reason(), result.smtp_code);
    case SmtpOutcome::TemporaryFailure:
      if (mail.attempts >= config.mailer_max_attempts)
        return failed(MailFailedOutcome::AttemptsExhausted, "attempts exhausted, last " + result.reason(), result.smtp_code);
      return {Delivery::Retry, {}, result.reason(), result.smtp_code,
              retry_delay_seconds(config, mail.attempts)};
  }
  throw std::logic_error("unhandled SmtpOutcome");
}

bool record(Mailer& mailer, const ClaimedMail& mail, const Verdict& verdict) {
  switch (verdict.delivery) {
    case Delivery::Sent: return record_sent(mailer.db, mail, mailer.claimer);
    case Delivery::Retry: return record_retry(mailer.db, mail, mailer.claimer, verdict.next_in, verdict.reason);
    case Delivery::Failed:
      return record_failed(mailer.db, mail, mailer.claimer, verdict.audit_outcome, verdict.reason);
    case Delivery::ClaimLost:
    case Delivery::Unrecorded:
      break;
  }
  throw std::logic_error("nothing to record");
}

// Records the verdict, riding out a lost connection or a lost conflict until
// the claim runs out. Past that another mailer may take the row anyway, and a
// stop request allows only a few quick tries more. A COMMIT lost in flight
// may have landed: the next try then finds the row no longer ours and says
// claim_lost, which sends nothing twice.
Delivery record_with_retry(Mailer& mailer, const ClaimedMail& mail, const Verdict& verdict,
                           std::chrono::steady_clock::time_point claim_deadline) {
  constexpr int kTriesAfterStop = 3;
  for (int attempt = 1;; ++attempt) {
    // The shared policy (db_retry.h) per try: it replaces a stale connection
    // and pauses after a lost conflict. The record checks our claim, so a
    // COMMIT lost in flight may run again (it then says claim_lost).
    DbRetry retry(mailer.db, /*commit_is_idempotent=*/true);
    retry.begin_attempt();
    try {
      return record(mailer, mail, verdict) ? verdict.delivery : Delivery::ClaimLost;
    } catch (const sql::SQLException& e) {
      const DbRetryStep step = retry.after_failure(e);
      log_event(LogLevel::Warn, "db_record_failed",
                {{"mail_id", std::to_string(mail.mail_id)}, {"errno", std::to_string(e.getErrorCode())},
                 {"sqlstate", e.getSQLState()}, {"attempt", std::to_string(attempt)},
                 {"step", std::string(to_string(step))}});
      switch (step) {
        case DbRetryStep::GiveUp: return Delivery::Unrecorded;  // a bug: retrying repeats it
        case DbRetryStep::Retry:
        case DbRetryStep::Unavailable: break;  // try again until the claim runs out
      }
      const bool stopping = mailer.stop.requested();
      if (std::chrono::steady_clock::now() >= claim_deadline || (stopping && attempt >= kTriesAfterStop))
        return Delivery::Unrecorded;
      // A replaced connection or a paused conflict tries again at once, but only once.
      if (!stopping && (step == DbRetryStep::Unavailable || attempt > 1))
        mailer.stop.wait_for(fault_wait(mailer.config, attempt));
    }
  }
}

void log_delivery(const ClaimedMail& mail, const Verdict& verdict, Delivery recorded) {
  const std::string mail_id = std::to_string(mail.mail_id);
  const std::string attempts = std::to_string(mail.attempts);
  const std::string smtp_code = std::to_string(verdict.smtp_code);
  switch (recorded) {
    case Delivery::Sent:
      log_event(LogLevel::Info, "mail_sent",
                {{"mail_id", mail_id}, {"kind", mail.kind}, {"attempts", attempts}, {"smtp_code", smtp_code}});
      return;
    case Delivery::Retry:
      log_event(LogLevel::Warn, "mail_retry",
                {{"mail_id", mail_id}, {"kind", mail.kind}, {"attempts", attempts}, {"smtp_code", smtp_code},
                 {"next_in", std::to_string(verdict.next_in)}, {"reason", verdict.reason}});
      return;
    case Delivery::Failed:
      log_event(LogLevel::Error, "mail_failed",
                {{"mail_id", mail_id}, {"kind", mail.kind}, {"attempts", attempts}, {"smtp_code", smtp_code},
                 {"outcome", std::string(to_string(verdict.audit_outcome))}, {"reason", verdict.reason}});
      return;
    case Delivery::ClaimLost:
    case Delivery::Unrecorded:
      log_event(LogLevel::Error, recorded == Delivery::ClaimLost ? "mail_claim_lost" : "mail_unrecorded",
                {{"mail_id", mail_id}, {"kind", mail.kind}, {"attempts", attempts}, {"smtp_code", smtp_code},
                 {"result", std::string(to_string(verdict.delivery))}});
      return;
  }
}

}  // namespace

std::string_view to_string(Delivery delivery) {
  switch (delivery) {
    case Delivery::Sent: return "sent";
    case Delivery::Retry: return "retry";
    case Delivery::Failed: return "failed";
    case Delivery::ClaimLost: return "claim_lost";
    case Delivery::Unrecorded: return "unrecorded";
  }
  return "unknown";
}

std::ostream& operator<<(std::ostream& out, Delivery delivery) { return out << to_string(delivery); }

long retry_delay_seconds(const Config& config, int failures) {
  long delay = config.mailer_backoff_base;
  for (int i = 1; i < failures && delay < config.mailer_backoff_max; ++i) delay *= 2;
  return std::min<long>(delay, config.mailer_backoff_max);
}

std::chrono::milliseconds fault_wait(const Config& config, int consecutive_faults) {
  constexpr std::chrono::milliseconds kMaxWait{10'000};
  std::chrono::milliseconds wait(config.mailer_poll_interval_ms);
  for (int i = 1; i < consecutive_faults && wait < kMaxWait; ++i) wait *= 2;
  return std::max(std::min(wait, kMaxWait), std::chrono::milliseconds(config.mailer_poll_interval_ms));
}

Delivery deliver(Mailer& mailer, SmtpSender& smtp, const ClaimedMail& mail,
                 std::chrono::steady_clock::time_point claim_deadline) {
  const Verdict verdict = send_and_judge(mailer, smtp, mail);
  const Delivery recorded = record_with_retry(mailer, mail, verdict, claim_deadline);
  log_delivery(mail, verdict, recorded);
  return recorded;
}

}  // namespace kosmo
