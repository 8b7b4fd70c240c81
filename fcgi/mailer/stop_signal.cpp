// stop_signal: signalfd(2) for SIGTERM/SIGINT, eventfd(2) to pass the news to
// every delivery thread (see stop_signal.h).
#include "stop_signal.h"

#include <poll.h>
#include <signal.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>

#include "log.h"

namespace kosmo {
namespace {

sigset_t stop_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  return set;
}

}  // namespace

StopSignal::StopSignal() {
  const sigset_t set = stop_signals();
  if (pthread_sigmask(SIG_BLOCK, &set, nullptr) != 0) throw std::runtime_error("pthread_sigmask failed");
  signal_fd_ = ::signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
  if (signal_fd_ < 0) throw std::runtime_error(std::string("signalfd: ") + std::strerror(errno));
  stopped_fd_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (stopped_fd_ < 0) {
    const int error = errno;
    ::close(signal_fd_);
    throw std::runtime_error(std::string("eventfd: ") + std::strerror(error));
  }
}

StopSignal::~StopSignal() {
  if (stopped_fd_ >= 0) ::close(stopped_fd_);
  if (signal_fd_ >= 0) ::close(signal_fd_);
}

bool StopSignal::requested() { return poll_signal(0); }

bool StopSignal::wait_for(std::chrono::milliseconds timeout) {
  const auto ms = timeout.count();
  return poll_signal(ms < 0 ? 0 : ms > 3'600'000 ? 3'600'000 : static_cast<int>(ms));
}

bool StopSignal::poll_signal(int timeout_ms) {
  if (requested_) return true;
  pollfd watch[] = {{signal_fd_, POLLIN, 0}, {stopped_fd_, POLLIN, 0}};
  const int ready = ::poll(watch, 2, timeout_ms);
  if (ready <= 0) return requested_;  // timeout, or EINTR from a signal we do not handle: keep going
  const std::lock_guard<std::mutex> lock(read_mutex_);
  if (requested_) return true;  // another thread read the signal while we waited for the lock
  signalfd_siginfo info{};
  if (::read(signal_fd_, &info, sizeof(info)) != static_cast<ssize_t>(sizeof(info))) return false;
  requested_ = true;
  // The counter is never read back: it stays readable and wakes every poll() above.
  const std::uint64_t one = 1;
  if (::write(stopped_fd_, &one, sizeof(one)) != static_cast<ssize_t>(sizeof(one)))
    log_event(LogLevel::Warn, "stop_wakeup_failed", {{"errno", std::to_string(errno)}});
  log_event(LogLevel::Info, "stopping", {{"signal", std::to_string(info.ssi_signo)}});
  return true;
}

}  // namespace kosmo
