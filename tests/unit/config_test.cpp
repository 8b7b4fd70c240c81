// config: every key checked at start, errors naming the file, the line and
// the key; secrets refused when group- or world-readable (issue 3).
#define BOOST_TEST_MODULE config
#include <boost/test/unit_test.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "config.h"

using namespace kosmo;
namespace fs = std::filesystem;

namespace {

struct ConfigFiles {
  fs::path dir = fs::temp_directory_path() / ("kosmo-config-test-" + std::to_string(::getpid()));
  fs::path main = dir / "kosmo.conf";
  fs::path secrets = dir / "secrets.conf";

  ConfigFiles() {
    fs::create_directories(dir);
    write_secrets("db.password = pw\ncsrf_key = " + std::string(64, 'a') + "\n", 0600);
  }
  ~ConfigFiles() { fs::remove_all(dir); }

  void write_secrets(const std::string& text, mode_t mode) {
    std::ofstream(secrets) << text;
    ::chmod(secrets.c_str(), mode);
  }
  std::string write_main(const std::string& extra,
                         const std::string& db_hosts = "db.hosts = unix:/run/mysqld/mysqld.sock\n") {
    std::ofstream(main) << "# test\npublic_base_url = https://www.kosmoweb.jp/\n" << db_hosts
                        << "secrets_file = " << secrets.string() << "\n"
                        << extra;
    return main.string();
  }
};

std::string error_of(const std::string& path) {
  try {
    load_config(path);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_minimal_file_loads_with_documented_defaults) {
  ConfigFiles files;
  const Config config = load_config(files.write_main(""));
  BOOST_TEST(config.public_base_url == "https://www.kosmoweb.jp");  // trailing slash dropped
  BOOST_TEST(config.token_ttl == 3600);                             // R6
  BOOST_TEST(config.grant_ttl == 900);                              // D5
  BOOST_TEST(config.temp_password_ttl == 86400);                    // D6
  BOOST_TEST(config.temp_password_initial_ttl == 2592000);          // D17: 30 days
  BOOST_TEST(config.mail_sending_domain == "kosmoweb.jp");          // R4
  BOOST_TEST((config.link_confirm == LinkConfirm::Button));         // D15
  BOOST_TEST(config.db_password == "pw");
  BOOST_TEST(config.csrf_key.size() == 32u);
  BOOST_TEST(config.db_hosts.size() == 1u);
}

BOOST_AUTO_TEST_CASE(an_unknown_key_names_file_line_and_key) {
  ConfigFiles files;
  const std::string path = files.write_main("token.tll = 60\n");
  BOOST_TEST(error_of(path) == path + ":5: token.tll: unknown key");
}

BOOST_AUTO_TEST_CASE(a_value_out_of_range_names_the_key_and_the_limits) {
  ConfigFiles files;
  const std::string path = files.write_main("workers = 0\n");
  BOOST_TEST(error_of(path).find(path + ":5: workers: must be between 1 and 256") == 0u);
}

// D17: the letter's password lives between an hour and 90 days; N and N+1 at both ends.
BOOST_AUTO_TEST_CASE(temp_password_initial_ttl_is_checked_at_start) {
  ConfigFiles files;
  BOOST_TEST(load_config(files.write_main("temp_password.initial_ttl = 3600\n")).temp_password_initial_ttl == 3600);
  BOOST_TEST(load_config(files.write_main("temp_password.initial_ttl = 7776000\n")).temp_password_initial_ttl == 7776000);
  for (const char* value : {"3599", "7776001", "30d"})
    BOOST_TEST(error_of(files.write_main(std::string("temp_password.initial_ttl = ") + value + "\n"))
                   .find("temp_password.initial_ttl: ") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_non_number_is_refused) {
  ConfigFiles files;
  BOOST_TEST(error_of(files.write_main("token.ttl = 1h\n")).find("token.ttl: expected a whole number") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_key_set_twice_is_refused) {
  ConfigFiles files;
  BOOST_TEST(error_of(files.write_main("workers = 2\nworkers = 3\n")).find(":6: workers: is set twice") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_line_without_equals_sign_is_refused) {
  ConfigFiles files;
  BOOST_TEST(error_of(files.write_main("workers 2\n")).find("expected 'key = value'") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(link_confirm_accepts_exactly_three_values) {
  ConfigFiles files;
  BOOST_TEST((load_config(files.write_main("link_confirm = birth_date\n")).link_confirm == LinkConfirm::BirthDate));
  BOOST_TEST((load_config(files.write_main("link_confirm = off\n")).link_confirm == LinkConfirm::Off));
  BOOST_TEST(error_of(files.write_main("link_confirm = yes\n")).find("link_confirm: must be button, birth_date or off") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_secret_in_the_main_file_is_refused) {
  ConfigFiles files;
  BOOST_TEST(error_of(files.write_main("db.password = x\n")).find("db.password: is a secret") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_group_or_world_readable_secrets_file_is_refused) {
  ConfigFiles files;
  const std::string path = files.write_main("");
  files.write_secrets("db.password = pw\ncsrf_key = " + std::string(64, 'a') + "\n", 0640);
  BOOST_TEST(error_of(path).find("must not be readable by group or others") != std::string::npos);
  files.write_secrets("db.password = pw\ncsrf_key = " + std::string(64, 'a') + "\n", 0604);
  BOOST_TEST(error_of(path).find("must not be readable by group or others") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_short_csrf_key_is_refused) {
  ConfigFiles files;
  const std::string path = files.write_main("");
  files.write_secrets("csrf_key = abcd\n", 0600);
  BOOST_TEST(error_of(path).find("csrf_key: must be at least 64 hex digits") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(database_hosts_form_a_failover_list_in_order) {
  ConfigFiles files;
  const Config config = load_config(files.write_main("", "db.hosts = 10.0.0.5:3306, unix:/run/mysqld/mysqld.sock ,db2:3307\n"));
  BOOST_TEST(config.db_hosts.size() == 3u);
  BOOST_TEST(config.db_hosts[0].describe() == "10.0.0.5:3306");
  BOOST_TEST(config.db_hosts[1].describe() == "unix:/run/mysqld/mysqld.sock");
  BOOST_TEST(config.db_hosts[2].describe() == "db2:3307");
  BOOST_TEST(error_of(files.write_main("", "db.hosts = nowhere\n")).find("expected unix:/path or host:port") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(missing_required_keys_are_named) {
  ConfigFiles files;
  std::ofstream(files.main) << "workers = 2\n";
  BOOST_TEST(error_of(files.main.string()).find("public_base_url: is required") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_control_character_in_a_mail_header_value_is_refused) {
  ConfigFiles files;
  std::string text = "mail.from_name = KOSMO\x01Web\n";
  BOOST_TEST(error_of(files.write_main(text)).find("mail.from_name: must not contain control characters") != std::string::npos);
}

// Scale-out (issue 8): read-your-writes on a Galera node is the default.
BOOST_AUTO_TEST_CASE(causal_reads_are_on_unless_turned_off) {
  ConfigFiles files;
  BOOST_TEST(load_config(files.write_main("")).db_causal_reads);
  BOOST_TEST(!load_config(files.write_main("db.causal_reads = off\n")).db_causal_reads);
  BOOST_TEST(error_of(files.write_main("db.causal_reads = yes\n")).find("db.causal_reads: must be on or off") != std::string::npos);
}

// D11, issue 7: kosmo-mailer runs 4 delivery threads unless told otherwise,
// accepts 1 to 32, and names the file, the line and the key outside them.
BOOST_AUTO_TEST_CASE(mailer_threads_default_to_four_and_accept_one_to_thirty_two) {
  ConfigFiles files;
  BOOST_TEST(load_config(files.write_main("")).mailer_threads == 4);
  BOOST_TEST(load_config(files.write_main("mailer.threads = 1\n")).mailer_threads == 1);
  BOOST_TEST(load_config(files.write_main("mailer.threads = 32\n")).mailer_threads == 32);
  const std::string path = files.write_main("mailer.threads = 0\n");
  BOOST_TEST(error_of(path).find(path + ":5: mailer.threads: must be between 1 and 32") == 0u);
  BOOST_TEST(error_of(files.write_main("mailer.threads = 33\n")).find(":5: mailer.threads: must be between 1 and 32") !=
             std::string::npos);
  BOOST_TEST(error_of(files.write_main("mailer.threads = four\n")).find("mailer.threads: expected a whole number") !=
             std::string::npos);
}

// Issue 13: settings that would put secrets in clear text are refused at
// start (exit 78, the key named). Mail links carry recovery tokens (D4).
BOOST_AUTO_TEST_CASE(a_plain_http_public_base_url_is_refused) {
  ConfigFiles files;
  std::ofstream(files.main) << "public_base_url = http://www.kosmoweb.jp\n"
                            << "db.hosts = unix:/run/mysqld/mysqld.sock\nsecrets_file = " << files.secrets.string()
                            << "\n";
  BOOST_TEST(error_of(files.main.string()).find(":1: public_base_url: must start with https://") != std::string::npos);
}

// Issue 13: temporary passwords (D6) and recovery URLs (D4) go by mail, so a
// relay on another host is spoken to under required STARTTLS or smtps://,
// unless the operator vouches for the network (smtp.allow_plaintext = on).
BOOST_AUTO_TEST_CASE(a_remote_relay_without_required_starttls_is_refused) {
  ConfigFiles files;
  for (const char* lines : {"smtp.url = smtp://relay.example.jp:25\n",
                            "smtp.url = smtp://10.0.0.25:587\nsmtp.starttls = try\n",
                            "smtp.url = smtp://user@[2001:db8::25]:25\nsmtp.starttls = off\n"})
    BOOST_TEST(error_of(files.write_main(lines)).find("smtp.starttls: must be required") != std::string::npos, lines);
  for (const char* lines : {"",  // the default relay, 127.0.0.1:25
                            "smtp.url = smtp://localhost:2525\n", "smtp.url = smtp://127.0.0.53:25\n",
                            "smtp.url = smtp://[::1]:25\n",
                            "smtp.url = smtp://relay.example.jp:587\nsmtp.starttls = required\n",
                            "smtp.url = smtps://relay.example.jp:465\n",
                            "smtp.url = smtp://relay.example.jp:25\nsmtp.allow_plaintext = on\n"})
    BOOST_TEST(error_of(files.write_main(lines)).empty(), lines);
  BOOST_TEST(error_of(files.write_main("smtp.allow_plaintext = yes\n")).find("smtp.allow_plaintext: must be on or off") !=
             std::string::npos);
  // 127.0.0.1.example.jp is a name, not the loopback address.
  BOOST_TEST(!error_of(files.write_main("smtp.url = smtp://127.0.0.1.example.jp:25\n")).empty());
}
