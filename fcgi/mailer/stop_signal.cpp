// stop_signal: signalfd(2) for SIGTERM/SIGINT (see stop_signal.h).
#include "stop_signal.h"

#include <poll.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <cerrno>
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
  fd_ = ::signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
  if (fd_ < 0) throw std::runtime_error(std::string("signalfd: ") + std::strerror(errno));
}

StopSignal::~StopSignal() {
  if (fd_ >= 0) ::close(fd_);
}

bool StopSignal::requested() { return poll_signal(0); }

bool StopSignal::wait_for(std::chrono::milliseconds timeout) {
  const auto ms = timeout.count();
  return poll_signal(ms < 0 ? 0 : ms > 3'600'000 ? 3'600'000 : static_cast<int>(ms));
}

bool StopSignal::poll_signal(int timeout_ms) {
  if (requested_) return true;
  pollfd watch{fd_, POLLIN, 0};
  const int ready = ::poll(&watch, 1, timeout_ms);
  if (ready <= 0) return false;  // timeout, or EINTR from a signal we do not handle: keep going
  signalfd_siginfo info{};
  if (::read(fd_, &info, sizeof(info)) != static_cast<ssize_t>(sizeof(info))) return false;
  requested_ = true;
  log_event(LogLevel::Info, "stopping", {{"signal", std::to_string(info.ssi_signo)}});
  return true;
}

}  // namespace kosmo
