// worker_pool: the `workers` threads of a screen program, each with its own
// FCGX_Request and database connection. One worker at a time waits for a
// connection (a mutex around poll + accept), so a connection wakes exactly
// one of them. stop() (SIGTERM) wakes them all through an eventfd; requests in
// flight finish first. Every worker that ends for another reason writes one
// log line, and a pool left without workers ends with a non-zero exit code,
// so a supervisor restarts the program (issue 12). Out of file descriptors
// (EMFILE, ENFILE), accepting pauses for a second and goes on, as OpenBSD's
// slowcgi does, instead of ending the program.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "db.h"
#include "request_pipeline.h"
#include "stats.h"

namespace kosmo {

class WorkerPool {
 public:
  // Takes the listening socket (non-blocking); creates the stop eventfd or
  // ends the start (71).
  WorkerPool(const ScreenServer& server, int listen_fd);
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // One worker per connection; `stats` counts every answer.
  void start(const std::vector<std::unique_ptr<Connection>>& connections, ScreenStats& stats);
  // Asks every worker to stop after its request in flight.
  void stop();
  // Waits until every worker has ended: 0 after stop(), else the code of the
  // failure that ended the last worker.
  int join();
  // True once a worker ended on a failure (the stopper thread is then woken
  // by the program itself and must not report a signal from outside).
  bool failed() const { return exit_code_ != 0; }

  // The pause after EMFILE/ENFILE from accept.
  static constexpr int kAcceptPauseMilliseconds = 1000;

 private:
  enum class Wake { Connection, Stop, SocketFailed };
  Wake wait_for_connection(short& revents, int& poll_errno);
  void pause_accepting();
  void worker_loop(Connection& db, ScreenStats& stats, int worker_number);
  void worker_ended(int worker_number, int exit_code);

  const ScreenServer& server_;
  const int listen_fd_;
  int stop_fd_ = -1;
  std::mutex accept_mutex_;
  std::atomic<bool> stop_requested_{false};
  std::atomic<int> live_workers_{0};
  std::atomic<int> exit_code_{0};
  std::vector<std::thread> threads_;
};

}  // namespace kosmo
