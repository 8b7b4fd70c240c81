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

struct Config {
  std::string source_path;

  // Where the program finds its own files.
  std::string templates_dir = "/usr/share/kosmo/templates";
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

  std::string secrets_file;
  std::string csrf_key;  // secret, raw bytes (hex in the file)

  std::string mail_from_address = "no-reply@kosmoweb.jp";
  std::string mail_from_name = "KOSMO Communication Web";
  std::string mail_sending_domain = "kosmoweb.jp";  // R4: shown on the sent screen

  std::string smtp_url = "smtp://127.0.0.1:25";
  std::string smtp_starttls = "off";  // off | try | required
  std::string smtp_user;
  std::string smtp_password;  // secret
  int smtp_timeout = 20;

  int mailer_poll_interval_ms = 1000;
  int mailer_batch_size = 20;
  int mailer_max_attempts = 8;
  int mailer_backoff_base = 30;     // seconds; doubles each attempt
  int mailer_backoff_max = 3600;
  int mailer_claim_timeout = 300;   // seconds before another mailer may retry a claimed mail

  int session_idle_timeout = 1800;
  int session_absolute_timeout = 28800;
  int token_ttl = 3600;           // R6
  int grant_ttl = 900;            // D5
  int temp_password_ttl = 86400;  // D6
  LinkConfirm link_confirm = LinkConfirm::Button;
  int link_confirm_max_failures = 3;  // D15
};

// Reads `path` and the secrets file it names. Throws ConfigError.
Config load_config(const std::string& path);

// The default path, overridable with --config or KOSMO_CONFIG.
std::string default_config_path();

}  // namespace kosmo
