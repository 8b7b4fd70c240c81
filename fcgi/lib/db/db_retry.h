// db_retry: the one policy for retrying database work after an
// sql::SQLException (issue 12), used by the request path, the health check,
// the mailer and (its conflict pause and attempts) the identity checks. A
// stale connection (the database restarted) is replaced and the work runs
// again, once; a lost conflict (deadlock, Galera certification:
// the server rolled the transaction back) runs again after a short random
// pause, up to kMaxAttempts in all; a connection lost during COMMIT is never
// run again, because the COMMIT may have landed. A connection that could not
// be opened is not tried a second time in the same piece of work, so no
// request waits for two connect timeouts (issue 14).
//
//   DbRetry retry(db);
//   for (;;) {
//     retry.begin_attempt();
//     try { ...one transaction...; return ok; }
//     catch (const sql::SQLException& e) {
//       switch (retry.after_failure(e)) { case DbRetryStep::Retry: continue; ... }
//     }
//   }
#pragma once

#include <ostream>
#include <string_view>

#include "db.h"

namespace kosmo {

enum class DbRetryStep {
  Retry,        // run the work again now: the connection was replaced, or the conflict's pause is over
  Unavailable,  // the database does not answer: tell the member 503, or wait and try later
  GiveUp,       // a fault of ours, a COMMIT lost in flight, or attempts used up: 500
};
std::string_view to_string(DbRetryStep step);
std::ostream& operator<<(std::ostream& out, DbRetryStep step);

// What a failed attempt leaves to decide on; the pure part of the policy.
struct DbAttempt {
  int number = 1;              // 1 for the first run of the work
  int lost_connections = 0;    // earlier attempts of this work that lost their connection
  bool commit_attempted = false;
  bool connection_open = true;  // false: the connection could not even be opened
  bool commit_is_idempotent = false;
};
inline constexpr int kMaxDbAttempts = 4;
DbRetryStep decide_db_retry(DbFailure failure, const DbAttempt& attempt);

// The log event for a step and its cause: db_retry, db_conflict_retry,
// db_unavailable or fault.
std::string_view db_retry_event(DbRetryStep step, DbFailure failure);

class DbRetry {
 public:
  // `commit_is_idempotent`: only for work whose transaction checks whether it
  // already ran (the mailer records a result only under its own claim), so a
  // COMMIT lost in flight may run again.
  explicit DbRetry(Connection& db, bool commit_is_idempotent = false)
      : db_(db), commit_is_idempotent_(commit_is_idempotent) {}

  // Before each run of the work.
  void begin_attempt();
  // After a run threw: decides, and does what a Retry needs first (reconnect,
  // random pause). A failed reconnect makes the step Unavailable.
  DbRetryStep after_failure(const sql::SQLException& e);

  int attempt() const { return attempt_; }
  DbFailure last_failure() const { return last_failure_; }

 private:
  Connection& db_;
  bool commit_is_idempotent_;
  int attempt_ = 0;
  int lost_connections_ = 0;
  DbFailure last_failure_ = DbFailure::Other;
};

// The random pause before a conflict's next attempt (up to 20, 40, 80 ms).
void back_off_after_conflict(int attempt);

}  // namespace kosmo
