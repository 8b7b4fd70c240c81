// kosmo-mailer: delivers the mail_outbox rows the screens write (D11) over
// SMTP. Several mailers on several nodes may run at once, and each runs
// mailer.threads delivery threads: a row is claimed in a short transaction
// before it is sent, so no mail goes out twice while its claim holds. A
// database outage never stops the daemon, not even at its start: it waits,
// reconnects and goes on (issue 14).
// SIGTERM/SIGINT finish the mails in flight and exit 0. The daemon keeps a
// counters file in stats_dir as the screens do, so /metrics shows its
// refused audit rows (D18, kosmo_audit_write_failures_total{screen="mailer"}).
#include <cppconn/exception.h>
#include <curl/curl.h>
#include <signal.h>
#include <sysexits.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <iostream>
#include <memory>
#include <stdexcept>
#include <string>
#include <system_error>
#include <thread>
#include <typeinfo>
#include <vector>

#include "config.h"
#include "db.h"
#include "delivery.h"
#include "delivery_loop.h"
#include "log.h"
#include "mail.h"
#include "stats.h"
#include "stop_signal.h"

namespace kosmo {
namespace {

constexpr std::size_t kClaimedByWidth = 64;  // mail_outbox.claimed_by VARCHAR(64)

struct Options {
  std::string config_path = default_config_path();
  bool once = false;
};

void print_usage() {
  std::cout << "usage: kosmo-mailer [--config FILE] [--once] [--help]\n"
            << "Sends the mails queued in mail_outbox over SMTP (smtp.url in the config).\n"
            << "  --config FILE  configuration file (default $KOSMO_CONFIG or /etc/kosmo/kosmo.conf)\n"
            << "  --once         send what is due now, then exit 0 (tests, cron)\n"
            << "SIGTERM or SIGINT finishes the mails in flight (one per mailer.threads) and exits 0.\n"
            << "Exit: 0 done, 64 usage, 69 database refused us at start (or unreachable with\n"
            << "--once), 73 no counters file in stats_dir, 75 database lost during --once,\n"
            << "78 configuration error.\n";
}

Options parse_options(int argc, char** argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      print_usage();
      std::exit(0);
    } else if (arg == "--config" && i + 1 < argc) {
      options.config_path = argv[++i];
    } else if (arg == "--once") {
      options.once = true;
    } else {
      std::cerr << "kosmo-mailer: unknown or incomplete option '" << arg << "' (see --help)\n";
      std::exit(EX_USAGE);
    }
  }
  return options;
}

// "web1.example:12345/2": who holds a claim (host, process, delivery thread),
// for operators reading claimed_by. Each thread records only rows claimed
// under its own name, so a claim that expired and went to a sibling thread
// is seen as lost, as it would be between two processes.
std::string claimer_name(int thread_number) {
  char host[256] = {};
  if (::gethostname(host, sizeof(host) - 1) != 0) host[0] = '\0';
  std::string name;
  for (const char c : std::string_view(host))
    if (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '_') name += c;
  if (name.empty()) name = "unknown";
  const std::string pid_and_thread = ":" + std::to_string(::getpid()) + "/" + std::to_string(thread_number);
  name.resize(std::min(name.size(), kClaimedByWidth - pid_and_thread.size()));
  return name + pid_and_thread;
}

// What would make every mail fail the same way is a start-up error, not a
// reason to mark the whole queue failed: the sender must compose, and a
// claim must outlast one send.
void check_mail_settings(const Config& config) {
  try {
    compose_message({config.mail_from_address, config.mail_from_name, "check@example.invalid", "check", "",
                     "<check@example.invalid>", rfc5322_date(0)});
  } catch (const std::invalid_argument& e) {
    throw ConfigError(config.source_path + ": mail.from_address / mail.from_name: " + e.what());
  }
  if (config.mailer_claim_timeout <= config.smtp_timeout + kRecordMarginSeconds)
    throw ConfigError(config.source_path + ": mailer.claim_timeout: must be longer than smtp.timeout + " +
                      std::to_string(kRecordMarginSeconds) + " s, or no mail could be sent inside its claim");
}

class CurlGlobal {
 public:
  CurlGlobal() {
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) throw std::runtime_error("curl_global_init failed");
  }
  ~CurlGlobal() { curl_global_cleanup(); }
  CurlGlobal(const CurlGlobal&) = delete;
  CurlGlobal& operator=(const CurlGlobal&) = delete;
};

// One delivery thread: the connection main() opened for it, a claimer name
// of its own, and serve() until a stop. While one thread waits for the SMTP
// server another commits, and commits of several threads share one log flush
// (InnoDB group commit): one loop paid an SMTP answer plus an fsync per mail.
int run_delivery_thread(const Config& config, Connection& db, StopSignal& stop, int thread_number, bool once) {
  db_thread_init();
  int code = EX_SOFTWARE;
  try {
    Mailer mailer{config, db, stop, claimer_name(thread_number)};
    code = serve(mailer, once);
  } catch (const std::exception& e) {
    // serve() catches what a batch throws; this is a fault outside it
    // (memory). The thread ends; its claimed rows expire and are taken again.
    log_event(LogLevel::Error, "fault", {{"type", typeid(e).name()}, {"thread", std::to_string(thread_number)}});
  }
  db_thread_end();
  return code;
}

// Starts mailer.threads delivery threads and waits for all of them. The
// result is the first thread's non-zero exit code (--once), else 0.
int serve_in_threads(const Config& config, std::vector<std::unique_ptr<Connection>>& connections, StopSignal& stop,
                     bool once) {
  std::vector<int> codes(connections.size(), 0);
  {
    std::vector<std::jthread> threads;
    threads.reserve(connections.size());
    for (std::size_t i = 0; i < connections.size(); ++i) {
      try {
        threads.emplace_back([&, i] {
          codes[i] = run_delivery_thread(config, *connections[i], stop, static_cast<int>(i) + 1, once);
        });
      } catch (const std::system_error& e) {
        // Out of threads (a tasks limit): deliver with those that started.
        log_event(LogLevel::Error, "thread_start_failed",
                  {{"thread", std::to_string(i + 1)}, {"errno", std::to_string(e.code().value())}});
        if (threads.empty()) return EX_OSERR;
        break;
      }
    }
  }  // every jthread joins here
  for (const int code : codes)
    if (code != 0) return code;
  return 0;
}

int run(int argc, char** argv) {
  set_program_name("kosmo-mailer");
  const Options options = parse_options(argc, argv);
  StopSignal stop;  // first: blocks the stop signals before any thread exists
  ::signal(SIGPIPE, SIG_IGN);  // a server closing the socket must not kill us

  Config config;
  try {
    config = load_config(options.config_path);
    check_mail_settings(config);
  } catch (const std::exception& e) {
    log_event(LogLevel::Error, "config_error", {{"reason", e.what()}});
    return EX_CONFIG;
  }

  CurlGlobal curl;  // before any thread: curl_global_init is not thread-safe
  init_database_driver();
  // Every thread's connection is opened here if the database answers, so a
  // wrong statement still stops the start (69). A database that is away does
  // not (issue 14): the threads start, wait and connect once it is back, and
  // mail queued meanwhile goes out then.
  std::vector<std::unique_ptr<Connection>> connections;
  for (int i = 0; i < config.mailer_threads; ++i)
    connections.push_back(std::make_unique<Connection>(config, Prepare::CheckAtConnect, Open::OnFirstUse));
  try {
    for (auto& connection : connections) connection->open_if_closed();
  } catch (const sql::SQLException& e) {
    if (classify(e) != DbFailure::ConnectionLost || options.once) {
      log_event(LogLevel::Error, "db_unavailable",
                {{"errno", std::to_string(e.getErrorCode())}, {"sqlstate", e.getSQLState()}});
      return EX_UNAVAILABLE;
    }
    log_event(LogLevel::Warn, "db_unavailable_at_start",
              {{"errno", std::to_string(e.getErrorCode())}, {"then", "starting without it"}});
  }

  // Last of the start-up steps, as in run_screen: a start that fails
  // earlier leaves no file. --once keeps none: its file would go with it
  // after a few seconds, before most scrapes, and a cron job run by another
  // user has no business in the units' directory; its refused rows are still
  // logged (audit_write_failed).
  std::unique_ptr<ScreenStats> stats;
  try {
    if (!options.once) stats = std::make_unique<ScreenStats>(config.stats_dir, "mailer", StatsKind::Daemon);
  } catch (const std::exception& e) {
    log_event(LogLevel::Error, "stats_unavailable", {{"error", e.what()}});
    return EX_CANTCREAT;
  }

  log_event(LogLevel::Info, "started",
            {{"claimer", claimer_name(1)}, {"threads", std::to_string(config.mailer_threads)},
             {"server", connections.front()->is_open() ? connections.front()->server() : "unavailable"},
             {"once", options.once ? "yes" : "no"}});
  const int code = serve_in_threads(config, connections, stop, options.once);
  log_event(code == 0 ? LogLevel::Info : LogLevel::Error, "stopped", {{"exit", std::to_string(code)}});
  return code;
}

}  // namespace
}  // namespace kosmo

int main(int argc, char** argv) { return kosmo::run(argc, argv); }
