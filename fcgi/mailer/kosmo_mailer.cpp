// kosmo-mailer: delivers the mail_outbox rows the screens write (D11) over
// SMTP. Several mailers on several nodes may run at once: a row is claimed in
// a short transaction before it is sent, so no mail goes out twice while its
// claim holds. A database outage never stops the daemon: it waits, reconnects
// and goes on. SIGTERM/SIGINT finish the mail in flight and exit 0.
#include <cppconn/exception.h>
#include <curl/curl.h>
#include <signal.h>
#include <sysexits.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <iostream>
#include <optional>
#include <stdexcept>
#include <string>
#include <typeinfo>

#include "config.h"
#include "db.h"
#include "delivery.h"
#include "log.h"
#include "mail.h"
#include "outbox_claims.h"
#include "smtp_sender.h"
#include "stop_signal.h"

namespace kosmo {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using std::chrono::steady_clock;

constexpr std::size_t kClaimedByWidth = 64;  // mail_outbox.claimed_by VARCHAR(64)
// Time kept back after a send for recording its result inside the claim.
constexpr int kRecordMarginSeconds = 5;

struct Options {
  std::string config_path = default_config_path();
  bool once = false;
};

void print_usage() {
  std::cout << "usage: kosmo-mailer [--config FILE] [--once] [--help]\n"
            << "Sends the mails queued in mail_outbox over SMTP (smtp.url in the config).\n"
            << "  --config FILE  configuration file (default $KOSMO_CONFIG or /etc/kosmo/kosmo.conf)\n"
            << "  --once         send what is due now, then exit 0 (tests, cron)\n"
            << "SIGTERM or SIGINT finishes the mail in flight and exits 0.\n"
            << "Exit: 0 done, 64 usage, 69 database unreachable at start, 75 database lost\n"
            << "during --once, 78 configuration error.\n";
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

// "web1.example:12345": who holds a claim, for operators reading claimed_by.
std::string claimer_name() {
  char host[256] = {};
  if (::gethostname(host, sizeof(host) - 1) != 0) host[0] = '\0';
  std::string name;
  for (const char c : std::string_view(host))
    if (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '_') name += c;
  if (name.empty()) name = "unknown";
  const std::string pid = ":" + std::to_string(::getpid());
  name.resize(std::min(name.size(), kClaimedByWidth - pid.size()));
  return name + pid;
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

// Hands back claims we will not use, so other mailers need not wait for them
// to expire. If the database is gone, they expire on their own.
void release_unsent(Mailer& mailer, const std::vector<ClaimedMail>& claimed, std::size_t first,
                    std::string_view why) {
  if (first >= claimed.size()) return;
  try {
    for (std::size_t i = first; i < claimed.size(); ++i) release_claim(mailer.db, claimed[i], mailer.claimer);
  } catch (const sql::SQLException& e) {
    log_event(LogLevel::Warn, "release_failed", {{"errno", std::to_string(e.getErrorCode())}});
    return;
  }
  log_event(LogLevel::Info, "claims_released",
            {{"count", std::to_string(claimed.size() - first)}, {"reason", std::string(why)}});
}

// Claims one batch and delivers it. Returns how many rows were claimed, or
// std::nullopt when the claim lost a conflict to another mailer.
std::optional<std::size_t> run_batch(Mailer& mailer) {
  const Config& config = mailer.config;
  SmtpSender smtp(config);  // before the claim: if curl cannot start, nothing is left claimed
  // Started before the claim, so our deadline is never later than the database's claimed_until.
  const steady_clock::time_point claimed_at = steady_clock::now();
  const std::optional<std::vector<ClaimedMail>> claimed =
      claim_due_mails(mailer.db, mailer.claimer, config.mailer_batch_size, config.mailer_claim_timeout);
  if (!claimed) return std::nullopt;
  if (claimed->empty()) return 0;

  const steady_clock::time_point claim_deadline = claimed_at + seconds(config.mailer_claim_timeout);
  const seconds send_room(config.smtp_timeout + kRecordMarginSeconds);
  std::size_t next = 0;
  for (; next < claimed->size(); ++next) {
    if (mailer.stop.requested()) {
      release_unsent(mailer, *claimed, next, "stopping");
      break;
    }
    // A send that could outlive the claim might race another mailer that
    // takes the row after it expires: give the rest back and claim afresh.
    if (steady_clock::now() + send_room >= claim_deadline) {
      release_unsent(mailer, *claimed, next, "claim_time");
      break;
    }
    deliver(mailer, smtp, (*claimed)[next], claim_deadline);
  }
  return claimed->size();
}

// Waits (longer after each failure) and reconnects until the database
// answers or a stop arrives: the daemon never exits on a database outage.
bool reconnect_after_wait(Mailer& mailer, int& consecutive_faults) {
  for (;;) {
    if (mailer.stop.wait_for(fault_wait(mailer.config, ++consecutive_faults))) return false;
    try {
      mailer.db.reconnect();
      log_event(LogLevel::Info, "db_reconnected", {{"server", mailer.db.server()}});
      return true;
    } catch (const sql::SQLException& e) {
      log_event(LogLevel::Warn, "db_reconnect_failed", {{"errno", std::to_string(e.getErrorCode())}});
    }
  }
}

// The loop: claim, deliver, and sleep a poll interval when nothing is due.
int serve(Mailer& mailer, bool once) {
  const milliseconds poll(mailer.config.mailer_poll_interval_ms);
  int consecutive_faults = 0;
  while (!mailer.stop.requested()) {
    try {
      const std::optional<std::size_t> claimed = run_batch(mailer);
      consecutive_faults = 0;
      if (!claimed) {
        log_event(LogLevel::Info, "claim_conflict");  // another mailer has those rows
        continue;
      }
      if (*claimed > 0) continue;  // a full or partial batch: more may be due already
      if (once) break;
      mailer.stop.wait_for(poll);
    } catch (const sql::SQLException& e) {
      const DbFailure failure = classify(e);
      log_event(LogLevel::Warn, "db_error",
                {{"errno", std::to_string(e.getErrorCode())}, {"sqlstate", e.getSQLState()},
                 {"lost", failure == DbFailure::ConnectionLost ? "yes" : "no"}});
      if (once) return EX_TEMPFAIL;
      if (failure == DbFailure::ConnectionLost) {
        if (!reconnect_after_wait(mailer, consecutive_faults)) break;
      } else if (mailer.stop.wait_for(fault_wait(mailer.config, ++consecutive_faults))) {
        break;
      }
    } catch (const std::exception& e) {
      // A fault of ours (curl refusing an option, memory): log the type only;
      // claimed rows expire and are taken again.
      log_event(LogLevel::Error, "fault", {{"type", typeid(e).name()}});
      if (once) return EX_SOFTWARE;
      if (mailer.stop.wait_for(fault_wait(mailer.config, ++consecutive_faults))) break;
    }
  }
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

  CurlGlobal curl;
  init_database_driver();
  std::optional<Connection> db;
  try {
    db.emplace(config);
  } catch (const sql::SQLException& e) {
    log_event(LogLevel::Error, "db_unavailable",
              {{"errno", std::to_string(e.getErrorCode())}, {"sqlstate", e.getSQLState()}});
    return EX_UNAVAILABLE;
  }

  Mailer mailer{config, *db, stop, claimer_name()};
  log_event(LogLevel::Info, "started",
            {{"claimer", mailer.claimer}, {"server", db->server()}, {"once", options.once ? "yes" : "no"}});
  const int code = serve(mailer, options.once);
  log_event(code == 0 ? LogLevel::Info : LogLevel::Error, "stopped", {{"exit", std::to_string(code)}});
  return code;
}

}  // namespace
}  // namespace kosmo

int main(int argc, char** argv) { return kosmo::run(argc, argv); }
