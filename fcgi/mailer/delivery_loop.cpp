// delivery_loop: claim, deliver, sleep (see delivery_loop.h). A batch's claim
// is one short transaction; each mail is then sent and recorded on its own,
// so a thread has at most one mail sent but not yet recorded: the most a
// crash can send twice is one mail per thread.
#include "delivery_loop.h"

#include <cppconn/exception.h>
#include <sysexits.h>

#include <chrono>
#include <optional>
#include <string>
#include <typeinfo>
#include <vector>

#include "db_retry.h"
#include "log.h"
#include "outbox_claims.h"
#include "smtp_sender.h"

namespace kosmo {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using std::chrono::steady_clock;

// An SMTP session is kept across batches while mail keeps coming, and renewed
// after this many mails: relays cap the mails of one session (Exim's
// smtp_accept_max_per_connection is 1000) and would answer 421, which costs a
// mail a retry with backoff.
constexpr std::size_t kMailsPerSmtpSession = 200;

// Hands back claims we will not use, so other mailers need not wait for them
// to expire. If the database is gone, they expire on their own.
void release_unsent(Mailer& mailer, const std::vector<ClaimedMail>& claimed, std::size_t first,
                    std::string_view why) {
  if (first >= claimed.size()) return;
  try {
    for (std::size_t i = first; i < claimed.size(); ++i) release_claim(mailer.db, claimed[i], mailer.claimer);
  } catch (const sql::SQLException& e) {
    log_event(LogLevel::Warn, "release_failed", {{"errno", std::to_string(e.getErrorCode())}});
    return;
  }
  log_event(LogLevel::Info, "claims_released",
            {{"count", std::to_string(claimed.size() - first)}, {"reason", std::string(why)}});
}

// Claims one batch and delivers it. Returns how many rows were claimed, or
// std::nullopt when the claim lost a conflict to another mailer.
std::optional<std::size_t> run_batch(Mailer& mailer, SmtpSender& smtp) {
  const Config& config = mailer.config;
  // Started before the claim, so our deadline is never later than the database's claimed_until.
  const steady_clock::time_point claimed_at = steady_clock::now();
  const std::optional<std::vector<ClaimedMail>> claimed =
      claim_due_mails(mailer.db, mailer.claimer, config.mailer_batch_size, config.mailer_claim_timeout);
  if (!claimed) return std::nullopt;
  if (claimed->empty()) return 0;

  const steady_clock::time_point claim_deadline = claimed_at + seconds(config.mailer_claim_timeout);
  const seconds send_room(config.smtp_timeout + kRecordMarginSeconds);
  std::size_t next = 0;
  for (; next < claimed->size(); ++next) {
    if (mailer.stop.requested()) {
      release_unsent(mailer, *claimed, next, "stopping");
      break;
    }
    // A send that could outlive the claim might race another mailer that
    // takes the row after it expires: give the rest back and claim afresh.
    if (steady_clock::now() + send_room >= claim_deadline) {
      release_unsent(mailer, *claimed, next, "claim_time");
      break;
    }
    deliver(mailer, smtp, (*claimed)[next], claim_deadline);
  }
  return claimed->size();
}

}  // namespace

int serve(Mailer& mailer, bool once) {
  const milliseconds poll(mailer.config.mailer_poll_interval_ms);
  int consecutive_faults = 0;
  // Lives while batches keep coming, so libcurl reuses one connection across
  // them (it checks the connection is alive before reuse and opens a new one
  // if the server closed it). Dropped (QUIT) when the queue runs dry and after
  // a fault, so an idle or stuck mailer holds no session open at the relay.
  std::optional<SmtpSender> smtp;
  std::size_t mails_in_session = 0;
  while (!mailer.stop.requested()) {
    // The shared policy (db_retry.h). A claim whose COMMIT was lost in flight
    // may run again: at worst its rows stay claimed until claim_timeout, and
    // no row is ever sent under two claims.
    DbRetry retry(mailer.db, /*commit_is_idempotent=*/true);
    retry.begin_attempt();
    try {
      if (smtp && mails_in_session >= kMailsPerSmtpSession) smtp.reset();
      if (!smtp) {
        smtp.emplace(mailer.config);  // before the claim: if curl cannot start, nothing is left claimed
        mails_in_session = 0;
      }
      const std::optional<std::size_t> claimed = run_batch(mailer, *smtp);
      consecutive_faults = 0;
      if (!claimed) {
        log_event(LogLevel::Info, "claim_conflict");  // another mailer has those rows
        continue;
      }
      mails_in_session += *claimed;
      if (*claimed > 0) continue;  // a full or partial batch: more may be due already
      smtp.reset();
      if (once) break;
      mailer.stop.wait_for(poll);
    } catch (const sql::SQLException& e) {
      smtp.reset();
      // A stale connection is replaced and a lost conflict paused after at
      // once (Retry); a database that is away is waited for, longer after each
      // failure, and the next batch connects again: the daemon never exits
      // on an outage.
      const DbRetryStep step = retry.after_failure(e);
      log_event(LogLevel::Warn, "db_error",
                {{"errno", std::to_string(e.getErrorCode())}, {"sqlstate", e.getSQLState()},
                 {"step", std::string(to_string(step))}});
      if (once) return EX_TEMPFAIL;
      if (step == DbRetryStep::Retry) continue;
      if (mailer.stop.wait_for(fault_wait(mailer.config, ++consecutive_faults))) break;
    } catch (const std::exception& e) {
      // A fault of ours (curl refusing an option, memory): log the type only;
      // claimed rows expire and are taken again.
      smtp.reset();
      log_event(LogLevel::Error, "fault", {{"type", typeid(e).name()}});
      if (once) return EX_SOFTWARE;
      if (mailer.stop.wait_for(fault_wait(mailer.config, ++consecutive_faults))) break;
    }
  }
  return 0;
}

}  // namespace kosmo
