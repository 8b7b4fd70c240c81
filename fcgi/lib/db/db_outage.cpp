#include "db_outage.h"

#include <string>

#include "log.h"

namespace kosmo {
namespace {

std::string seconds_between(DbOutageLog::Clock::time_point from, DbOutageLog::Clock::time_point to) {
  return std::to_string(std::chrono::duration_cast<std::chrono::seconds>(to - from).count());
}

}  // namespace

bool DbOutageLog::unavailable(int error, Clock::time_point attempt_started, Clock::time_point now) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (attempt_started < last_back_) return false;
  if (!down_) {
    down_ = true;
    down_since_ = now;
    last_line_ = now;
    log_event(LogLevel::Warn, "db_unavailable", {{"errno", std::to_string(error)}});
    return true;
  }
  if (now - last_line_ < reminder_every_) return false;
  last_line_ = now;
  log_event(LogLevel::Warn, "db_still_unavailable",
            {{"errno", std::to_string(error)}, {"down_seconds", seconds_between(down_since_, now)}});
  return true;
}

bool DbOutageLog::available(Clock::time_point now) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!down_) return false;
  down_ = false;
  last_back_ = now;
  // The line itself is the connection's own db_back (db.cpp), written once
  // for the process by the first connect that succeeds after a failed one.
  return true;
}

}  // namespace kosmo
