// stop_signal: SIGTERM and SIGINT as a file descriptor (signalfd), so the
// mailer's sleep between polls ends the moment one arrives, while a mail in
// flight is never cut off: the signals stay blocked, and the loop looks at
// this only between mails.
#pragma once

#include <chrono>

namespace kosmo {

class StopSignal {
 public:
  // Blocks SIGTERM and SIGINT in the calling thread. Construct it in main()
  // before anything can start a thread (libcurl's resolver, the DB driver):
  // threads inherit the mask, so no thread ever takes the signal.
  StopSignal();
  ~StopSignal();
  StopSignal(const StopSignal&) = delete;
  StopSignal& operator=(const StopSignal&) = delete;

  // True once SIGTERM or SIGINT arrived; does not wait.
  bool requested();
  // Sleeps up to `timeout`; returns true at once when a stop arrives or has arrived.
  bool wait_for(std::chrono::milliseconds timeout);

 private:
  bool poll_signal(int timeout_ms);
  int fd_ = -1;
  bool requested_ = false;
};

}  // namespace kosmo
