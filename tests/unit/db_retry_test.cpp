// db_retry: the one retry policy of the request path, the health check and
// the mailer (issue 12): a stale connection is replaced once, a lost conflict
// is run again up to four attempts, a COMMIT lost in flight never runs twice,
// and a connection that could not be opened is not tried again in the same
// request (issue 14: no request waits for two connect timeouts).
#define BOOST_TEST_MODULE db_retry
#include <boost/test/unit_test.hpp>

#include "db_retry.h"

using namespace kosmo;

namespace {

DbAttempt first_attempt() { return DbAttempt{}; }

}  // namespace

BOOST_AUTO_TEST_CASE(a_stale_connection_is_retried_once) {
  BOOST_TEST(decide_db_retry(DbFailure::ConnectionLost, first_attempt()) == DbRetryStep::Retry);
  DbAttempt second = first_attempt();
  second.number = 2;
  second.lost_connections = 1;
  BOOST_TEST(decide_db_retry(DbFailure::ConnectionLost, second) == DbRetryStep::GiveUp);
}

BOOST_AUTO_TEST_CASE(a_connection_lost_during_commit_is_never_run_again) {
  DbAttempt attempt = first_attempt();
  attempt.commit_attempted = true;
  BOOST_TEST(decide_db_retry(DbFailure::ConnectionLost, attempt) == DbRetryStep::GiveUp);
}

BOOST_AUTO_TEST_CASE(work_that_checks_itself_may_run_again_after_a_lost_commit) {
  DbAttempt attempt = first_attempt();
  attempt.commit_attempted = true;
  attempt.commit_is_idempotent = true;
  BOOST_TEST(decide_db_retry(DbFailure::ConnectionLost, attempt) == DbRetryStep::Retry);
}

BOOST_AUTO_TEST_CASE(a_connection_that_could_not_open_is_unavailable_without_a_second_try) {
  DbAttempt attempt = first_attempt();
  attempt.connection_open = false;
  BOOST_TEST(decide_db_retry(DbFailure::ConnectionLost, attempt) == DbRetryStep::Unavailable);
}

BOOST_AUTO_TEST_CASE(a_lost_conflict_runs_again_up_to_four_attempts) {
  for (int number = 1; number < kMaxDbAttempts; ++number) {
    DbAttempt attempt = first_attempt();
    attempt.number = number;
    BOOST_TEST(decide_db_retry(DbFailure::Conflict, attempt) == DbRetryStep::Retry);
  }
  DbAttempt last = first_attempt();
  last.number = kMaxDbAttempts;
  BOOST_TEST(decide_db_retry(DbFailure::Conflict, last) == DbRetryStep::GiveUp);
}

BOOST_AUTO_TEST_CASE(any_other_error_is_a_fault_and_not_repeated) {
  BOOST_TEST(decide_db_retry(DbFailure::Other, first_attempt()) == DbRetryStep::GiveUp);
}

BOOST_AUTO_TEST_CASE(each_step_has_its_log_event) {
  BOOST_TEST(db_retry_event(DbRetryStep::Retry, DbFailure::ConnectionLost) == "db_retry");
  BOOST_TEST(db_retry_event(DbRetryStep::Retry, DbFailure::Conflict) == "db_conflict_retry");
  BOOST_TEST(db_retry_event(DbRetryStep::Unavailable, DbFailure::ConnectionLost) == "db_unavailable");
  BOOST_TEST(db_retry_event(DbRetryStep::GiveUp, DbFailure::Other) == "fault");
}
