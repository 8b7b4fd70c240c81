// background_work: see background_work.h.
#include "background_work.h"

#include <chrono>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <utility>

#include "log.h"

namespace kosmo {
namespace {

// The background threads' alarm clock: woken by handlers, by its poll
// interval, or by the stop.
struct BackgroundSignal {
  std::mutex mutex;
  std::condition_variable changed;
  bool woken = false;
  bool stopping = false;
};

BackgroundSignal& background_signal() {
  static BackgroundSignal signal;
  return signal;
}

// Set by wake_background() in a worker; acted on once the answer is sent.
thread_local bool wake_after_answer = false;

}  // namespace

bool BackgroundWork::wait(int milliseconds) {
  BackgroundSignal& signal = background_signal();
  std::unique_lock<std::mutex> lock(signal.mutex);
  signal.changed.wait_for(lock, std::chrono::milliseconds(milliseconds),
                          [&] { return signal.woken || signal.stopping; });
  signal.woken = false;
  return !signal.stopping;
}

void wake_background() { wake_after_answer = true; }

void notify_background_after_answer() {
  if (!std::exchange(wake_after_answer, false)) return;
  BackgroundSignal& signal = background_signal();
  {
    std::lock_guard<std::mutex> lock(signal.mutex);
    signal.woken = true;
  }
  signal.changed.notify_one();
}

void stop_background() {
  BackgroundSignal& signal = background_signal();
  {
    std::lock_guard<std::mutex> lock(signal.mutex);
    signal.stopping = true;
  }
  signal.changed.notify_all();
}

void run_background_thread(const ScreenSpec& screen, const Config& config, Connection& db) {
  db_thread_init();
  BackgroundWork work(config, db);
  try {
    screen.background(work);
  } catch (const std::exception& e) {
    // The screen's loop handles its own faults; one escaping here is a bug.
    log_event(LogLevel::Error, "background_fault", {{"what", e.what()}});
  }
  db_thread_end();
}

}  // namespace kosmo
