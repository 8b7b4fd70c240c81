// config: the one configuration file (/etc/kosmo/kosmo.conf) and its secrets
// file. Every key has a default, a check, and an error that names the file,
// the line and the key, so a typo stops the start instead of a request.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>
#include <vector>

namespace kosmo {

class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// One database server; several make a failover list tried in order.
struct DbHost {
  std::string unix_socket;  // set for "unix:/path"
  std::string host;         // set for "host:port"
  int port = 3306;
  std::string describe() const;
};

enum class LinkConfirm { Button, BirthDate, Off };  // D2, D15

// D7: at most `max` counted events per subject in a fixed window of
// `window_seconds` (windows start at multiples of it on the database clock).
struct WindowLimit {
  int max;
  int window_seconds;
};

// D7 abuse limits (fcgi/lib/rate_limits.h). The defaults let a member ask for ten
// ID mails an hour (the rule is at least five) and let a company behind one
// NAT address send a hundred identity checks and a hundred failed logins an
// hour; one login ID gets five failures a day before it waits 1 minute, then
// 2, 4, ... up to an hour per further failure.
struct AbuseLimits {
  WindowLimit identity_per_ip{100, 3600};          // limits.identity_ip.{max,window}
  WindowLimit identity_per_card{10, 3600};         // limits.identity_card.{max,window}
  WindowLimit login_failures_per_ip{100, 3600};    // limits.login_ip.{max_failures,window}
  WindowLimit login_failures_per_id{5, 86400};     // limits.login_id.{max_failures,window}
  int login_lockout_seconds = 60;                  // limits.login_id.lockout: the first wait
  int login_lockout_max_seconds = 3600;            // limits.login_id.lockout_max: the cap of the doubling
};

struct Config {
  std::string source_path;

  // Where the program finds its own files.
  std::string templates_dir = "/usr/share/kosmo/templates";
  // Each program's request counters for the metrics page (fcgi/lib/http/stats);
  // empty: no counters.
  std::string stats_dir;
  std::string sql_dir = "/usr/share/kosmo/sql";
  std::string common_passwords_file = "/usr/share/kosmo/data/common-passwords.txt";

  // URLs in mails are built from this, never from the Host header (D13).
  std::string public_base_url;

  int workers = 4;
  std::size_t max_body_bytes = 8192;

  std::vector<DbHost> db_hosts;
  std::string db_name = "kosmo";
  std::string db_user = "kosmo";
  std::string db_password;  // secret
  int db_connect_timeout = 3;
  int db_read_timeout = 10;
  // Galera: every session waits for the writes the cluster has already
  // committed before it reads (wsrep_sync_wait=1), so a member sees their own
  // write on any node. Ignored on a server that is not a Galera node.
  bool db_causal_reads = true;

  std::string secrets_file;
  std::string csrf_key;  // secret, raw bytes (hex in the file)

  std::string mail_from_address = "no-reply@kosmoweb.jp";
  std::string mail_from_name = "KOSMO Communication Web";
  std::string mail_sending_domain = "kosmoweb.jp";  // R4: shown on the sent screen

  std::string smtp_url = "smtp://127.0.0.1:25";
  std::string smtp_starttls = "off";  // off | try | required
  bool smtp_allow_plaintext = false;  // smtp.allow_plaintext: a remote relay without required STARTTLS
  std::string smtp_user;
  std::string smtp_password;  // secret
  int smtp_timeout = 20;

  int mailer_poll_interval_ms = 1000;
  int mailer_batch_size = 20;
  int mailer_max_attempts = 8;
  int mailer_backoff_base = 30;     // seconds; doubles each attempt
  int mailer_backoff_max = 3600;
  int mailer_claim_timeout = 300;   // seconds before another mailer may retry a claimed mail
  // Delivery threads per kosmo-mailer, each with its own database connection
  // and SMTP session: their result commits share one fsync (group commit).
  int mailer_threads = 4;

  int session_idle_timeout = 1800;
  int session_absolute_timeout = 28800;
  int token_ttl = 3600;           // R6
  int grant_ttl = 900;            // D5
  int temp_password_ttl = 86400;  // D6
  // D17: the initial temporary password of kosmo-admin member issue-initial
  // travels by letter, so it lives longer than a mailed one (30 days).
  int temp_password_initial_ttl = 2592000;
  LinkConfirm link_confirm = LinkConfirm::Button;
  int link_confirm_max_failures = 3;  // D15

  // kosmo-admin purge (kosmo-purge.timer, daily): what is older is deleted.
  int purge_sessions_days = 7;   // sessions ended, or idle, that long ago
  int purge_tokens_days = 7;     // recovery tokens and grants expired that long ago
  int purge_mail_days = 30;      // outbox rows sent (or failed) that long ago
  int purge_audit_days = 365;    // audit_events (D8) older than that

  AbuseLimits limits;  // D7
  // The client address is nginx's $remote_addr (REMOTE_ADDR). Only when that
  // address is one of these proxies is the last address of client_ip_header
  // taken instead (a header any client can set is never trusted by default).
  std::vector<std::string> client_ip_trusted_proxies;  // client_ip.trusted_proxies (default none)
  std::string client_ip_header = "X-Forwarded-For";    // client_ip.header
};

// Reads `path` and the secrets file it names. Throws ConfigError.
Config load_config(const std::string& path);

// The default path, overridable with --config or KOSMO_CONFIG.
std::string default_config_path();

}  // namespace kosmo
