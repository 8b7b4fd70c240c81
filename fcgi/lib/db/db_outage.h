// db_outage: one account per process of whether its database answers, for
// threads that poll it with no member waiting (kosmo-forgot-id's identity
// checks). In an outage each such thread fails every poll; logging each
// failure put 476 lines in 20 s into the journal (issue 14). Through this the
// whole process writes one line when the database goes away, a reminder at
// most once a minute while it stays away; Connection writes the one line
// when it is back (db_back).
#pragma once

#include <chrono>
#include <mutex>

namespace kosmo {

class DbOutageLog {
 public:
  using Clock = std::chrono::steady_clock;
  explicit DbOutageLog(Clock::duration reminder_every = std::chrono::minutes(1)) : reminder_every_(reminder_every) {}

  // A connection attempt that began at `attempt_started` failed with `error`
  // (the driver's errno). Returns true when it wrote a line: the first
  // failure, or a reminder. An attempt that began before another thread saw
  // the database back says nothing new (it only lost the race with the
  // restart), so it starts no second outage.
  bool unavailable(int error, Clock::time_point attempt_started, Clock::time_point now = Clock::now());
  // A connection attempt succeeded. Returns true when it ends an outage (the
  // line saying so is db.cpp's db_back, one for the process).
  bool available(Clock::time_point now = Clock::now());

 private:
  const Clock::duration reminder_every_;
  std::mutex mutex_;
  bool down_ = false;
  Clock::time_point down_since_;
  Clock::time_point last_line_;
  Clock::time_point last_back_{};  // when an outage last ended
};

}  // namespace kosmo
