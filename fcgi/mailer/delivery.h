// delivery: one claimed mail from composing to its recorded result (D11):
// compose, send over SMTP outside any transaction, then record sent / retry /
// failed in a transaction of its own, with one log line per mail that names
// mail_id and kind, never the address or the body.
#pragma once

#include <chrono>
#include <ostream>
#include <string>
#include <string_view>

#include "config.h"
#include "db.h"
#include "outbox_claims.h"
#include "smtp_sender.h"
#include "stop_signal.h"

namespace kosmo {

enum class Delivery {
  Sent,        // the server took it; row 'sent', body wiped
  Retry,       // temporary failure; row 'queued' again with a later next_attempt_at
  Failed,      // permanent failure or attempts used up; row 'failed', body wiped
  ClaimLost,   // our claim had expired and another mailer holds the row: left to it
  Unrecorded,  // the database stayed away: the row stays 'sending' until its claim expires
};
std::string_view to_string(Delivery delivery);
std::ostream& operator<<(std::ostream& out, Delivery delivery);

struct Mailer {
  const Config& config;
  Connection& db;
  StopSignal& stop;
  std::string claimer;  // hostname:pid, written to claimed_by
};

// Seconds until the next attempt after `failures` failed ones:
// min(backoff_base * 2^(failures - 1), backoff_max), so the first retry waits backoff_base.
long retry_delay_seconds(const Config& config, int failures);

// How long to wait after the n-th database failure in a row: a poll interval,
// doubling up to 10 s, so an outage neither floods the log nor delays mail long.
std::chrono::milliseconds fault_wait(const Config& config, int consecutive_faults);

// Sends `mail` and records the result. `claim_deadline` is when our claim
// runs out (steady clock): recording is retried until then on a lost
// database connection.
Delivery deliver(Mailer& mailer, SmtpSender& smtp, const ClaimedMail& mail,
                 std::chrono::steady_clock::time_point claim_deadline);

}  // namespace kosmo
