// worker_pool: see worker_pool.h.
#include "worker_pool.h"

#include <fcgiapp.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sysexits.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <exception>
#include <string>
#include <utility>

#include "background_work.h"
#include "log.h"

namespace kosmo {
namespace {

// Accept errors that mean "not now" rather than "never": the process is out
// of descriptors or buffers; the connection stays in the backlog until one
// is free again.
bool is_resource_shortage(int error) {
  return error == EMFILE || error == ENFILE || error == ENOBUFS || error == ENOMEM;
}

std::string hex(unsigned value) {
  char text[16];
  std::snprintf(text, sizeof(text), "0x%x", value);
  return text;
}

}  // namespace

WorkerPool::WorkerPool(const ScreenServer& server, int listen_fd) : server_(server), listen_fd_(listen_fd) {
  stop_fd_ = ::eventfd(0, EFD_CLOEXEC);
  if (stop_fd_ < 0) die(EX_OSERR, "eventfd_failed", {{"errno", std::strerror(errno)}});
}

WorkerPool::~WorkerPool() {
  for (std::thread& thread : threads_)
    if (thread.joinable()) thread.join();
  if (stop_fd_ >= 0) ::close(stop_fd_);
}

void WorkerPool::start(const std::vector<std::unique_ptr<Connection>>& connections, ScreenStats& stats) {
  live_workers_ = static_cast<int>(connections.size());
  for (std::size_t i = 0; i < connections.size(); ++i)
    threads_.emplace_back(&WorkerPool::worker_loop, this, std::ref(*connections[i]), std::ref(stats),
                          static_cast<int>(i) + 1);
}

void WorkerPool::stop() {
  stop_requested_ = true;
  // The eventfd stays readable once written, so every worker's poll sees it.
  const std::uint64_t one = 1;
  if (::write(stop_fd_, &one, sizeof(one)) != static_cast<ssize_t>(sizeof(one)))
    log_event(LogLevel::Error, "stop_signal_failed", {{"errno", std::strerror(errno)}});
}

int WorkerPool::join() {
  for (std::thread& thread : threads_) thread.join();
  threads_.clear();
  return exit_code_;
}

// Waits for a connection or for the stop signal. A listening socket that
// reports an error, a hang-up (shut down) or an invalid fd will never accept
// again: that is a failure, not a stop (issue 12).
WorkerPool::Wake WorkerPool::wait_for_connection(short& revents, int& poll_errno) {
  pollfd fds[2] = {{listen_fd_, POLLIN, 0}, {stop_fd_, POLLIN, 0}};
  for (;;) {
    const int n = ::poll(fds, 2, -1);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      poll_errno = errno;
      return Wake::SocketFailed;
    }
    if (fds[1].revents & POLLIN) return Wake::Stop;
    revents = fds[0].revents;
    if (revents & (POLLERR | POLLHUP | POLLNVAL)) return Wake::SocketFailed;
    if (revents & POLLIN) return Wake::Connection;
  }
}

// Called with the accept mutex held, so no other worker spins on the same
// error meanwhile; a stop ends the pause at once.
void WorkerPool::pause_accepting() {
  pollfd stop = {stop_fd_, POLLIN, 0};
  while (::poll(&stop, 1, kAcceptPauseMilliseconds) < 0 && errno == EINTR) {
  }
}

void WorkerPool::worker_ended(int worker_number, int exit_code) {
  if (exit_code != 0) {
    int none = 0;
    exit_code_.compare_exchange_strong(none, exit_code);
  }
  if (--live_workers_ > 0 || stop_requested_) return;
  // The last worker is gone and nobody asked for it: the program must end
  // non-zero, or it would sit without workers until someone looks (issue 12).
  if (exit_code_ == 0) exit_code_ = EX_SOFTWARE;
  log_event(LogLevel::Error, "no_workers_left",
            {{"worker", std::to_string(worker_number)}, {"exit", std::to_string(exit_code_.load())}});
}

void WorkerPool::worker_loop(Connection& db, ScreenStats& stats, int worker_number) {
  db_thread_init();
  FCGX_Request fcgi;
  FCGX_InitRequest(&fcgi, listen_fd_, 0);
  int exit_code = 0;
  for (;;) {
    int accepted = 0;
    {
      std::lock_guard<std::mutex> lock(accept_mutex_);
      short revents = 0;
      int poll_errno = 0;
      const Wake wake = wait_for_connection(revents, poll_errno);
      if (wake == Wake::Stop) break;
      if (wake == Wake::SocketFailed) {
        log_event(LogLevel::Error, "listen_socket_failed",
                  {{"worker", std::to_string(worker_number)}, {"revents", hex(static_cast<unsigned short>(revents))},
                   {"errno", poll_errno ? std::strerror(poll_errno) : "none"}});
        exit_code = EX_IOERR;
        break;
      }
      accepted = FCGX_Accept_r(&fcgi);
      if (accepted < 0 && is_resource_shortage(-accepted)) {
        log_event(LogLevel::Warn, "accept_paused",
                  {{"errno", std::strerror(-accepted)},
                   {"pause_ms", std::to_string(kAcceptPauseMilliseconds)}});
        pause_accepting();
        continue;
      }
    }
    if (accepted == -EAGAIN || accepted == -EWOULDBLOCK || accepted == -EINTR) continue;  // another process took it
    if (accepted < 0) {
      log_event(LogLevel::Error, "accept_failed",
                {{"worker", std::to_string(worker_number)}, {"code", std::to_string(accepted)}});
      exit_code = 1;
      stop();
      break;
    }
    const bool head_only = param(fcgi, "REQUEST_METHOD") == "HEAD";
    const auto started = std::chrono::steady_clock::now();
    Response response;
    try {
      response = handle_request(server_, db, fcgi);
    } catch (const std::exception& e) {
      // Nothing a request does may end the process (a bad_alloc, a bug).
      log_event(LogLevel::Error, "fault", {{"what", e.what()}});
      Request blank;
      response = error_page(blank, 500, "SERVER_ERROR");
    }
    // Counted before the answer leaves, so a client that has its answer
    // also finds it in the metrics.
    stats.record(response.status, static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::microseconds>(
                                      std::chrono::steady_clock::now() - started).count()));
    write_response(fcgi, std::move(response), head_only);
    FCGX_Finish_r(&fcgi);
    notify_background_after_answer();
  }
  FCGX_Free(&fcgi, 1);
  db_thread_end();
  worker_ended(worker_number, exit_code);
}

}  // namespace kosmo
