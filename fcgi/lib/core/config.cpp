#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/stat.h>

#include <cctype>
#include <charconv>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <map>
#include <set>

#include "crypto.h"
#include "smtp_transport.h"
#include "text.h"

namespace kosmo {
namespace {

struct Location {
  const std::string& file;
  int line;
  const std::string& key;
};

[[noreturn]] void fail(const Location& at, std::string_view message) {
  throw ConfigError(at.file + ":" + std::to_string(at.line) + ": " + at.key + ": " +
                    std::string(message));
}

int parse_int(const Location& at, std::string_view value, int min, int max) {
  int out = 0;
  const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), out);
  if (ec != std::errc() || end != value.data() + value.size())
    fail(at, "expected a whole number, got '" + std::string(value) + "'");
  if (out < min || out > max)
    fail(at, "must be between " + std::to_string(min) + " and " + std::to_string(max));
  return out;
}

DbHost parse_db_host(const Location& at, std::string_view item) {
  DbHost host;
  if (item.starts_with("unix:")) {
    host.unix_socket = std::string(item.substr(5));
    if (host.unix_socket.empty() || host.unix_socket[0] != '/')
      fail(at, "a unix socket must be an absolute path: unix:/run/mysqld/mysqld.sock");
    return host;
  }
  const auto colon = item.rfind(':');
  if (colon == std::string_view::npos || colon == 0)
    fail(at, "expected unix:/path or host:port, got '" + std::string(item) + "'");
  host.host = std::string(item.substr(0, colon));
  host.port = parse_int(at, item.substr(colon + 1), 1, 65535);
  return host;
}

std::vector<DbHost> parse_db_hosts(const Location& at, std::string_view value) {
  std::vector<DbHost> hosts;
  while (!value.empty()) {
    const auto comma = value.find(',');
    const std::string_view item = trim(value.substr(0, comma));
    if (!item.empty()) hosts.push_back(parse_db_host(at, item));
    if (comma == std::string_view::npos) break;
    value.remove_prefix(comma + 1);
  }
  if (hosts.empty()) fail(at, "needs at least one database host");
  return hosts;
}

using Setter = std::function<void(Config&, const Location&, std::string_view)>;

// D7: counts up to a million per window, windows from a minute to a week.
Setter limit_max(WindowLimit AbuseLimits::*limit) {
  return [=](Config& c, const Location& at, std::string_view v) { (c.limits.*limit).max = parse_int(at, v, 1, 1000000); };
}
Setter limit_window(WindowLimit AbuseLimits::*limit) {
  return [=](Config& c, const Location& at, std::string_view v) {
    (c.limits.*limit).window_seconds = parse_int(at, v, 60, 604800);
  };
}

// "10.0.0.5, 10.0.0.6": literal IPv4 or IPv6 addresses (no ranges: a proxy is a known host).
std::vector<std::string> parse_addresses(const Location& at, std::string_view value) {
  std::vector<std::string> addresses;
  while (!value.empty()) {
    const auto comma = value.find(',');
    const std::string item(trim(value.substr(0, comma)));
    if (!item.empty()) {
      in6_addr buffer{};
      if (::inet_pton(AF_INET, item.c_str(), &buffer) != 1 && ::inet_pton(AF_INET6, item.c_str(), &buffer) != 1)
        fail(at, "expected IP addresses separated by commas, got '" + item + "'");
      addresses.push_back(item);
    }
    if (comma == std::string_view::npos) break;
    value.remove_prefix(comma + 1);
  }
  return addresses;
}

Setter text(std::string Config::*field) {
  return [field](Config& c, const Location&, std::string_view v) { c.*field = std::string(v); };
}
Setter nonempty_text(std::string Config::*field) {
  return [field](Config& c, const Location& at, std::string_view v) {
    if (v.empty()) fail(at, "must not be empty");
    c.*field = std::string(v);
  };
}
Setter number(int Config::*field, int min, int max) {
  return [=](Config& c, const Location& at, std::string_view v) { c.*field = parse_int(at, v, min, max); };
}
// Header values end up in mail headers: CR/LF there would let a value add headers.
Setter header_text(std::string Config::*field) {
  return [field](Config& c, const Location& at, std::string_view v) {
    if (v.empty()) fail(at, "must not be empty");
    for (unsigned char ch : v)
      if (ch < 0x20 || ch == 0x7f) fail(at, "must not contain control characters");
    c.*field = std::string(v);
  };
}

const std::map<std::string, Setter, std::less<>>& main_keys() {
  static const std::map<std::string, Setter, std::less<>> keys = {
      {"templates_dir", nonempty_text(&Config::templates_dir)},
      {"stats_dir", text(&Config::stats_dir)},
      {"sql_dir", nonempty_text(&Config::sql_dir)},
      {"common_passwords_file", nonempty_text(&Config::common_passwords_file)},
      {"public_base_url",
       [](Config& c, const Location& at, std::string_view v) {
         // Mail links carry recovery tokens (D4): never over plain HTTP (issue 13).
         if (!v.starts_with("https://")) fail(at, "must start with https:// (e.g. https://www.kosmoweb.jp)");
         while (v.ends_with('/')) v.remove_suffix(1);
         for (unsigned char ch : v)
           if (ch <= 0x20 || ch == 0x7f || ch == '"' || ch == '<' || ch == '>')
             fail(at, "must be a plain URL without spaces or quotes");
         c.public_base_url = std::string(v);
       }},
      {"workers", number(&Config::workers, 1, 256)},
      {"max_body_bytes",
       [](Config& c, const Location& at, std::string_view v) {
         c.max_body_bytes = static_cast<std::size_t>(parse_int(at, v, 1024, 1 << 20));
       }},
      {"db.hosts", [](Config& c, const Location& at, std::string_view v) { c.db_hosts = parse_db_hosts(at, v); }},
      {"db.name", nonempty_text(&Config::db_name)},
      {"db.user", nonempty_text(&Config::db_user)},
      {"db.connect_timeout", number(&Config::db_connect_timeout, 1, 60)},
      {"db.read_timeout", number(&Config::db_read_timeout, 1, 600)},
      {"db.causal_reads",
       [](Config& c, const Location& at, std::string_view v) {
         if (v != "on" && v != "off") fail(at, "must be on or off");
         c.db_causal_reads = v == "on";
       }},
      {"secrets_file", nonempty_text(&Config::secrets_file)},
      {"mail.from_address", header_text(&Config::mail_from_address)},
      {"mail.from_name", header_text(&Config::mail_from_name)},
      {"mail.sending_domain", header_text(&Config::mail_sending_domain)},
      {"smtp.url",
       [](Config& c, const Location& at, std::string_view v) {
         if (!v.starts_with("smtp://") && !v.starts_with("smtps://"))
           fail(at, "must start with smtp:// or smtps://");
         c.smtp_url = std::string(v);
       }},
      {"smtp.starttls",
       [](Config& c, const Location& at, std::string_view v) {
         if (v != "off" && v != "try" && v != "required") fail(at, "must be off, try or required");
         c.smtp_starttls = std::string(v);
       }},
      {"smtp.allow_plaintext",
       [](Config& c, const Location& at, std::string_view v) {
         if (v != "on" && v != "off") fail(at, "must be on or off");
         c.smtp_allow_plaintext = v == "on";
       }},
      {"smtp.user", text(&Config::smtp_user)},
      {"smtp.timeout", number(&Config::smtp_timeout, 1, 600)},
      {"mailer.poll_interval_ms", number(&Config::mailer_poll_interval_ms, 50, 60000)},
      {"mailer.batch_size", number(&Config::mailer_batch_size, 1, 1000)},
      {"mailer.max_attempts", number(&Config::mailer_max_attempts, 1, 100)},
      {"mailer.backoff_base", number(&Config::mailer_backoff_base, 1, 86400)},
      {"mailer.backoff_max", number(&Config::mailer_backoff_max, 1, 604800)},
      {"mailer.claim_timeout", number(&Config::mailer_claim_timeout, 10, 86400)},
      {"mailer.threads", number(&Config::mailer_threads, 1, 32)},
      {"session.idle_timeout", number(&Config::session_idle_timeout, 60, 86400)},
      {"session.absolute_timeout", number(&Config::session_absolute_timeout, 300, 604800)},
      {"token.ttl", number(&Config::token_ttl, 60, 86400)},
      {"grant.ttl", number(&Config::grant_ttl, 60, 3600)},
      {"temp_password.ttl", number(&Config::temp_password_ttl, 600, 604800)},
      // A letter takes days to print and deliver; 90 days at most, so a lost
      // letter does not hold a working password for months (D17).
      {"temp_password.initial_ttl", number(&Config::temp_password_initial_ttl, 3600, 7776000)},
      {"link_confirm",
       [](Config& c, const Location& at, std::string_view v) {
         if (v == "button") c.link_confirm = LinkConfirm::Button;
         else if (v == "birth_date") c.link_confirm = LinkConfirm::BirthDate;
         else if (v == "off") c.link_confirm = LinkConfirm::Off;
         else fail(at, "must be button, birth_date or off");
       }},
      {"link_confirm.max_failures", number(&Config::link_confirm_max_failures, 1, 10)},
      {"purge.sessions_days", number(&Config::purge_sessions_days, 1, 3650)},
      {"purge.tokens_days", number(&Config::purge_tokens_days, 1, 3650)},
      {"purge.mail_days", number(&Config::purge_mail_days, 1, 3650)},
      {"purge.audit_days", number(&Config::purge_audit_days, 30, 3650)},
      {"limits.identity_ip.max", limit_max(&AbuseLimits::identity_per_ip)},
      {"limits.identity_ip.window", limit_window(&AbuseLimits::identity_per_ip)},
      {"limits.identity_card.max", limit_max(&AbuseLimits::identity_per_card)},
      {"limits.identity_card.window", limit_window(&AbuseLimits::identity_per_card)},
      {"limits.login_ip.max_failures", limit_max(&AbuseLimits::login_failures_per_ip)},
      {"limits.login_ip.window", limit_window(&AbuseLimits::login_failures_per_ip)},
      {"limits.login_id.max_failures", limit_max(&AbuseLimits::login_failures_per_id)},
      {"limits.login_id.window", limit_window(&AbuseLimits::login_failures_per_id)},
      {"limits.login_id.lockout",
       [](Config& c, const Location& at, std::string_view v) {
         c.limits.login_lockout_seconds = parse_int(at, v, 1, 86400);
       }},
      {"limits.login_id.lockout_max",
       [](Config& c, const Location& at, std::string_view v) {
         c.limits.login_lockout_max_seconds = parse_int(at, v, 1, 604800);
       }},
      {"client_ip.trusted_proxies",
       [](Config& c, const Location& at, std::string_view v) { c.client_ip_trusted_proxies = parse_addresses(at, v); }},
      {"client_ip.header",
       [](Config& c, const Location& at, std::string_view v) {
         if (v.empty()) fail(at, "must not be empty");
         for (unsigned char ch : v)
           if (!std::isalnum(ch) && ch != '-') fail(at, "must be a header name such as X-Forwarded-For");
         c.client_ip_header = std::string(v);
       }},
  };
  return keys;
}

const std::map<std::string, Setter, std::less<>>& secret_keys() {
  static const std::map<std::string, Setter, std::less<>> keys = {
      {"db.password", text(&Config::db_password)},
      {"smtp.password", text(&Config::smtp_password)},
      {"csrf_key",
       [](Config& c, const Location& at, std::string_view v) {
         auto raw = hex_decode(v);
         if (!raw || raw->size() < 32) fail(at, "must be at least 64 hex digits (openssl rand -hex 32)");
         c.csrf_key = std::move(*raw);
       }},
  };
  return keys;
}

void read_file(Config& config, const std::string& path,
               const std::map<std::string, Setter, std::less<>>& keys, bool is_secret) {
  std::ifstream in(path);
  if (!in) throw ConfigError(path + ": cannot be read");
  std::set<std::string, std::less<>> seen;
  std::string raw_line;
  int line_number = 0;
  while (std::getline(in, raw_line)) {
    ++line_number;
    const std::string_view line = trim(raw_line);
    if (line.empty() || line.front() == '#') continue;
    const auto eq = line.find('=');
    const std::string key(trim(line.substr(0, eq)));
    const Location at{path, line_number, key};
    if (eq == std::string_view::npos) fail(at, "expected 'key = value'");
    const auto setter = keys.find(key);
    if (setter == keys.end()) {
      if (!is_secret && secret_keys().count(key)) fail(at, "is a secret: put it in secrets_file");
      fail(at, "unknown key");
    }
    if (!seen.insert(key).second) fail(at, "is set twice");
    setter->second(config, at, trim(line.substr(eq + 1)));
  }
}

// The secrets file must be readable by its owner alone: a group- or
// world-readable database password or CSRF key is refused, not used.
void check_secret_file_mode(const std::string& path) {
  struct stat st{};
  if (::stat(path.c_str(), &st) != 0) throw ConfigError(path + ": cannot be read (secrets_file)");
  if ((st.st_mode & 077) != 0)
    throw ConfigError(path + ": secrets_file must not be readable by group or others (chmod 600)");
}

}  // namespace

std::string DbHost::describe() const {
  return unix_socket.empty() ? host + ":" + std::to_string(port) : "unix:" + unix_socket;
}

std::string default_config_path() {
  const char* env = std::getenv("KOSMO_CONFIG");
  return env && *env ? env : "/etc/kosmo/kosmo.conf";
}

Config load_config(const std::string& path) {
  Config config;
  config.source_path = path;
  read_file(config, path, main_keys(), false);
  const std::string key_missing = path + ": ";
  if (config.public_base_url.empty()) throw ConfigError(key_missing + "public_base_url: is required");
  if (config.db_hosts.empty()) throw ConfigError(key_missing + "db.hosts: is required");
  if (config.secrets_file.empty()) throw ConfigError(key_missing + "secrets_file: is required");
  if (config.session_absolute_timeout < config.session_idle_timeout)
    throw ConfigError(key_missing + "session.absolute_timeout: must not be shorter than session.idle_timeout");
  if (config.limits.login_lockout_max_seconds < config.limits.login_lockout_seconds)
    throw ConfigError(key_missing + "limits.login_id.lockout_max: must not be shorter than limits.login_id.lockout");
  // Temporary passwords (D6) and recovery URLs (D4) travel in these mails.
  if (smtp_may_send_plaintext_off_host(config.smtp_url, config.smtp_starttls) && !config.smtp_allow_plaintext)
    throw ConfigError(key_missing +
                      "smtp.starttls: must be required for a relay that is not on loopback (or use smtps://, "
                      "or set smtp.allow_plaintext = on for a relay whose network you trust)");
  check_secret_file_mode(config.secrets_file);
  read_file(config, config.secrets_file, secret_keys(), true);
  if (config.csrf_key.empty()) throw ConfigError(config.secrets_file + ": csrf_key: is required");
  return config;
}

}  // namespace kosmo
