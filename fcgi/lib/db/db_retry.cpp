// db_retry: see db_retry.h. The decision is a pure function (unit-tested in
// tests/unit/db_retry_test.cpp); DbRetry adds the counting, the reconnect and
// the pause around it.
#include "db_retry.h"

#include <cppconn/exception.h>

#include <algorithm>
#include <chrono>
#include <random>
#include <thread>

namespace kosmo {

std::string_view to_string(DbRetryStep step) {
  switch (step) {
    case DbRetryStep::Retry: return "retry";
    case DbRetryStep::Unavailable: return "unavailable";
    case DbRetryStep::GiveUp: return "give_up";
  }
  return "unknown";
}

std::ostream& operator<<(std::ostream& out, DbRetryStep step) { return out << to_string(step); }

DbRetryStep decide_db_retry(DbFailure failure, const DbAttempt& attempt) {
  switch (failure) {
    case DbFailure::ConnectionLost:
      // Not even opened: the database is away, and a second try now would
      // only make the member wait a second connect (issue 14).
      if (!attempt.connection_open) return DbRetryStep::Unavailable;
      // Lost during COMMIT: it may have been committed, so never run it twice.
      if (attempt.commit_attempted && !attempt.commit_is_idempotent) return DbRetryStep::GiveUp;
      // A fresh connection that is lost again is no stale one: a fault.
      if (attempt.lost_connections > 0 || attempt.number >= kMaxDbAttempts) return DbRetryStep::GiveUp;
      return DbRetryStep::Retry;
    case DbFailure::Conflict:
      // The server rolled the whole transaction back: running it again is safe.
      return attempt.number < kMaxDbAttempts ? DbRetryStep::Retry : DbRetryStep::GiveUp;
    case DbFailure::Other:
      return DbRetryStep::GiveUp;  // a bug or a constraint: running it again repeats it
  }
  return DbRetryStep::GiveUp;
}

std::string_view db_retry_event(DbRetryStep step, DbFailure failure) {
  switch (step) {
    case DbRetryStep::Retry: return failure == DbFailure::Conflict ? "db_conflict_retry" : "db_retry";
    case DbRetryStep::Unavailable: return "db_unavailable";
    case DbRetryStep::GiveUp: return "fault";
  }
  return "fault";
}

// Two Galera nodes writing one row (a token, a busy address's limit counter)
// stop colliding in step when each waits a random, growing pause.
void back_off_after_conflict(int attempt) {
  thread_local std::minstd_rand random(std::random_device{}());
  std::uniform_int_distribution<int> pause_ms(1, 10 << std::min(attempt, 3));
  std::this_thread::sleep_for(std::chrono::milliseconds(pause_ms(random)));
}

void DbRetry::begin_attempt() {
  ++attempt_;
  db_.begin_request();
}

DbRetryStep DbRetry::after_failure(const sql::SQLException& e) {
  last_failure_ = classify(e);
  const DbAttempt attempt{.number = attempt_,
                          .lost_connections = lost_connections_,
                          .commit_attempted = db_.commit_attempted(),
                          .connection_open = db_.is_open(),
                          .commit_is_idempotent = commit_is_idempotent_};
  const DbRetryStep step = decide_db_retry(last_failure_, attempt);
  if (last_failure_ == DbFailure::ConnectionLost && attempt.connection_open) {
    ++lost_connections_;
    // Replaced even when the work is not run again, so the next piece of work
    // finds a fresh connection; one that cannot be replaced means the
    // database is away.
    try {
      db_.reconnect();
    } catch (const sql::SQLException&) {
      return DbRetryStep::Unavailable;
    }
  }
  if (step == DbRetryStep::Retry && last_failure_ == DbFailure::Conflict) back_off_after_conflict(attempt_);
  return step;
}

}  // namespace kosmo
