// stop_signal: SIGTERM and SIGINT as a file descriptor (signalfd), so the
// mailer's sleep between polls ends the moment one arrives, while a mail in
// flight is never cut off: the signals stay blocked, and the loop looks at
// this only between mails. Shared by every delivery thread of the mailer.
#pragma once

#include <atomic>
#include <chrono>
#include <mutex>

namespace kosmo {

class StopSignal {
 public:
  // Blocks SIGTERM and SIGINT in the calling thread. Construct it in main()
  // before anything can start a thread (libcurl's resolver, the DB driver,
  // the delivery threads): threads inherit the mask, so no thread ever takes
  // the signal.
  StopSignal();
  ~StopSignal();
  StopSignal(const StopSignal&) = delete;
  StopSignal& operator=(const StopSignal&) = delete;

  // True once SIGTERM or SIGINT arrived; does not wait. Any thread may ask.
  bool requested();
  // Sleeps up to `timeout`; returns true at once when a stop arrives or has
  // arrived. Every thread sleeping here wakes, not only the one that reads
  // the signal.
  bool wait_for(std::chrono::milliseconds timeout);

 private:
  bool poll_signal(int timeout_ms);
  int signal_fd_ = -1;
  // An eventfd written once the signal has been read: it stays readable, so
  // threads that lost the race for the signal (read once, by one thread) wake too.
  int stopped_fd_ = -1;
  std::mutex read_mutex_;  // one reader of signal_fd_ at a time
  std::atomic<bool> requested_{false};
};

}  // namespace kosmo
