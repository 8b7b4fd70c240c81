#include "identity_check_loop.h"

#include <cppconn/exception.h>

#include <optional>
#include <string>
#include <vector>

#include "audit.h"
#include "db_outage.h"
#include "db_retry.h"
#include "identity_check.h"
#include "identity_queue.h"
#include "log.h"

namespace kosmo {
namespace {

constexpr int kPollMilliseconds = 500;

// Runs `work`; a failure that is neither a conflict nor a lost connection
// comes back as its description for the failure column and the log (errno
// and sqlstate, never the message: it can echo row values). Conflicts and
// lost connections propagate: trying the same work again is their cure.
template <class Work>
std::optional<std::string> fault_of(Work&& work) {
  try {
    work();
    return std::nullopt;
  } catch (const sql::SQLException& e) {
    if (classify(e) != DbFailure::Other) throw;
    return "errno=" + std::to_string(e.getErrorCode()) + " sqlstate=" + e.getSQLState();
  } catch (const std::exception& e) {
    log_event(LogLevel::Error, "identity_check_exception", {{"what", e.what()}});
    return std::string("exception");
  }
}

// Takes up to `limit` queued identities into `taken` and checks them in one
// transaction: one COMMIT (one log flush) for a batch keeps the checks up
// with a wave of answers (one commit per check fell far behind them:
// bench/README.md).
void check_batch(BackgroundWork& work, int limit, std::vector<QueuedIdentity>& taken) {
  Transaction tx(work.db);
  take_queued_identities(tx, limit, taken);
  std::vector<AuditRow> audit_rows;
  audit_rows.reserve(taken.size());
  check_identities(tx, work.config, taken, audit_rows);
  try_audit_rows(tx, audit_rows);  // the batch's audit rows in one or two INSERTs (issue 16)
  tx.commit();
}

// The row's check failed and was rolled back: it is stamped failed_at so no
// check takes it again, and audited as a fault (D8). The audit row holds only
// what the program made (the POST's request id, the client address): the
// user agent, the one value a client chooses freely, may be the very value
// the database refused.
void set_aside(BackgroundWork& work, const QueuedIdentity& queued, const std::string& failure) {
  const std::string queue_id = std::to_string(queued.queue_id);
  log_event(LogLevel::Error, "identity_check_fault",
            {{"req", queued.origin.request_id}, {"queue_id", queue_id}, {"failure", failure}});
  Request known;
  known.request_id = queued.origin.request_id;
  known.remote_addr = queued.origin.remote_addr;
  const std::optional<std::string> audit_fault = fault_of([&] {
    Transaction tx(work.db);
    if (set_identity_aside(tx, queued.queue_id, failure))
      audit(tx, IdentityOutcome::Fault, std::nullopt, known,
            "queue_id=" + queue_id + " " + failure);
    tx.commit();
  });
  if (!audit_fault) return;
  // Even the fault's audit row is refused: the row goes aside all the same,
  // with the log line above as its only trace, rather than block the queue.
  log_event(LogLevel::Error, "identity_check_fault_unaudited", {{"queue_id", queue_id}, {"failure", *audit_fault}});
  Transaction tx(work.db);
  set_identity_aside(tx, queued.queue_id, failure);
  tx.commit();
}

enum class Pass { Empty, Checked };

// The next batch of queued identities, oldest first. When one row of it
// fails for a reason other than a conflict or a lost connection, the batch
// rolled back; its rows are then checked one at a time, so the others are
// checked and mailed and only the row at fault is set aside.
Pass check_next_identities(BackgroundWork& work) {
  std::vector<QueuedIdentity> batch;
  const std::optional<std::string> fault = fault_of([&] { check_batch(work, kIdentityBatch, batch); });
  if (!fault) return batch.empty() ? Pass::Empty : Pass::Checked;
  if (batch.empty()) {
    // Reading the rows failed, before any row was known: nothing to set aside.
    log_event(LogLevel::Error, "identity_check_fault", {{"failure", *fault}});
    return Pass::Empty;
  }
  for (std::size_t i = 0; i < batch.size(); ++i) {
    std::vector<QueuedIdentity> one;
    const std::optional<std::string> alone = fault_of([&] { check_batch(work, 1, one); });
    if (alone && !one.empty()) set_aside(work, one.front(), *alone);
    if (one.empty()) break;  // the queue is empty, or the take itself failed
  }
  return Pass::Checked;
}

// Shared by the process's check threads: one line when the database goes
// away, not one per thread and poll (issue 14).
DbOutageLog& database_outage() {
  static DbOutageLog outage;
  return outage;
}

// A connection that broke while the server is up again (a restart, a
// failover) is simply opened again, without a line; only a server that does
// not answer is an outage, and DbOutageLog decides whether that is a line.
bool reconnect(BackgroundWork& work) {
  const DbOutageLog::Clock::time_point started = DbOutageLog::Clock::now();
  try {
    work.db.reconnect(Connection::ConnectFailures::Quiet);
  } catch (const sql::SQLException& e) {
    database_outage().unavailable(e.getErrorCode(), started);
    return false;
  }
  database_outage().available();
  return true;
}

enum class Drain { Done, Reconnected, Disconnected };

// Checks batches until the queue is empty or the database is lost. A lost
// conflict is tried again under the one retry policy (db_retry.h): a random
// pause that grows with each attempt, kMaxDbAttempts in all; past that the
// next poll tries again, so threads or web nodes that keep colliding on the
// same rows fall out of step.
Drain drain_queue(BackgroundWork& work) {
  int conflicts = 0;
  for (;;) {
    try {
      if (check_next_identities(work) == Pass::Empty) return Drain::Done;
      conflicts = 0;
    } catch (const sql::SQLException& e) {
      switch (classify(e)) {
        case DbFailure::Conflict:
          log_event(LogLevel::Info, "identity_check_conflict",
                    {{"errno", std::to_string(e.getErrorCode())}, {"attempt", std::to_string(conflicts + 1)}});
          if (++conflicts >= kMaxDbAttempts) return Drain::Done;
          back_off_after_conflict(conflicts);
          continue;
        case DbFailure::ConnectionLost:
          return reconnect(work) ? Drain::Reconnected : Drain::Disconnected;
        case DbFailure::Other:
          // Only setting a row aside can get here (a row's own faults are
          // values): the next poll tries again.
          log_event(LogLevel::Error, "identity_check_fault",
                    {{"errno", std::to_string(e.getErrorCode())}, {"sqlstate", e.getSQLState()}});
          return Drain::Done;
      }
    } catch (const std::exception& e) {
      log_event(LogLevel::Error, "identity_check_fault", {{"what", e.what()}});
      return Drain::Done;
    }
  }
}

}  // namespace

// Drain the queue, then sleep until a POST wakes the thread (or the poll
// interval, for rows another web node queued and could not handle). Without
// a database the thread tries to reconnect at each poll.
void check_queued_identities(BackgroundWork& work) {
  bool connected = true;
  do {
    if (!connected && !(connected = reconnect(work))) continue;  // to the next poll
    Drain drained = drain_queue(work);
    if (drained == Drain::Reconnected) drained = drain_queue(work);  // once a poll
    connected = drained != Drain::Disconnected;
  } while (work.wait(kPollMilliseconds));
}

}  // namespace kosmo
