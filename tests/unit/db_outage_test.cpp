// db_outage (issue 14): one line when the database goes away, at most one
// reminder a minute, one line when it is back, whatever the threads poll.
#define BOOST_TEST_MODULE db_outage
#include <boost/test/unit_test.hpp>

#include "db_outage.h"

using namespace kosmo;
using namespace std::chrono_literals;

BOOST_AUTO_TEST_CASE(an_outage_is_one_line_a_reminder_a_minute_and_one_line_back) {
  DbOutageLog outage;
  const auto t0 = DbOutageLog::Clock::now();
  BOOST_TEST(!outage.available(t0));  // nothing to end
  BOOST_TEST(outage.unavailable(2002, t0, t0));
  int lines = 0;
  // Four threads failing every 500 ms for 59 s: no further line.
  for (auto t = t0 + 500ms; t < t0 + 60s; t += 125ms) lines += outage.unavailable(2002, t, t);
  BOOST_TEST(lines == 0);
  BOOST_TEST(outage.unavailable(2002, t0 + 60s, t0 + 60s));   // the reminder
  BOOST_TEST(!outage.unavailable(2002, t0 + 61s, t0 + 61s));
  BOOST_TEST(outage.available(t0 + 70s));           // back: one line
  BOOST_TEST(!outage.available(t0 + 70s + 1ms));    // the other threads: none
  BOOST_TEST(outage.unavailable(2013, t0 + 80s, t0 + 80s));   // a new outage is a new line
}

// After a restart one thread may see the database back while another's
// attempt, begun before that, still fails: that failure is no new outage.
BOOST_AUTO_TEST_CASE(a_failure_begun_before_the_database_was_back_writes_no_line) {
  DbOutageLog outage;
  const auto t0 = DbOutageLog::Clock::now();
  BOOST_TEST(outage.unavailable(2002, t0, t0));
  BOOST_TEST(outage.available(t0 + 6s));                       // thread A: back
  BOOST_TEST(!outage.unavailable(2002, t0 + 5s, t0 + 6s + 1ms));  // thread B, begun earlier
  BOOST_TEST(!outage.available(t0 + 6s + 2ms));                 // still no outage to end
  BOOST_TEST(outage.unavailable(2002, t0 + 7s, t0 + 7s));       // a failure begun later is one
}
