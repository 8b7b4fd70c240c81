// config (limits): D7's limit keys, their defaults, and their checks. The integration
// stack runs with larger limits (tests/support/stack-up) so the suite's own
// traffic from 127.0.0.1 never trips them; these tests prove the shipped
// defaults are the sane ones.
#define BOOST_TEST_MODULE config_limits
#include <boost/test/unit_test.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "config.h"

using namespace kosmo;

namespace {

// A config file plus a 0600 secrets file in a fresh temporary directory.
struct ConfigFiles {
  std::filesystem::path dir;
  explicit ConfigFiles(const std::string& extra) {
    char pattern[] = "/tmp/kosmo-config-test-XXXXXX";
    dir = ::mkdtemp(pattern);
    const auto secrets = dir / "secrets.conf";
    std::ofstream(secrets) << "db.password = x\ncsrf_key = " << std::string(64, 'a') << "\n";
    ::chmod(secrets.c_str(), 0600);
    std::ofstream(dir / "kosmo.conf") << "public_base_url = https://www.example.jp\n"
                                         "db.hosts = unix:/run/mysqld/mysqld.sock\n"
                                      << "secrets_file = " << secrets.string() << "\n"
                                      << extra;
  }
  ~ConfigFiles() { std::filesystem::remove_all(dir); }
  Config load() const { return load_config((dir / "kosmo.conf").string()); }
};

}  // namespace

// D7 + issue 5: a member can ask for at least five ID mails an hour, and the
// login lockout starts after five failures with one minute, capped at an hour.
BOOST_AUTO_TEST_CASE(default_limits_are_sane) {
  const Config config = ConfigFiles("").load();
  const AbuseLimits& l = config.limits;
  BOOST_TEST(l.identity_per_card.max >= 5);
  BOOST_TEST(l.identity_per_card.window_seconds == 3600);
  BOOST_TEST(l.identity_per_ip.max >= l.identity_per_card.max);  // an office NAT has many members
  BOOST_TEST(l.identity_per_ip.window_seconds == 3600);
  BOOST_TEST(l.identity_per_card.max <= 20);  // still a limit against guessing birth dates
  BOOST_TEST(l.login_failures_per_id.max == 5);
  BOOST_TEST(l.login_failures_per_id.window_seconds == 86400);
  BOOST_TEST(l.login_lockout_seconds == 60);
  BOOST_TEST(l.login_lockout_max_seconds == 3600);
  BOOST_TEST(l.login_failures_per_ip.max == 100);
  BOOST_TEST(l.login_failures_per_ip.window_seconds == 3600);
  BOOST_TEST(config.client_ip_trusted_proxies.empty());  // no header is believed by default
  BOOST_TEST(config.client_ip_header == "X-Forwarded-For");
  BOOST_TEST(config.max_body_bytes == 8192u);
}

BOOST_AUTO_TEST_CASE(limit_keys_are_read) {
  const Config config = ConfigFiles(
                            "limits.identity_ip.max = 7\nlimits.identity_ip.window = 120\n"
                            "limits.identity_card.max = 3\nlimits.identity_card.window = 600\n"
                            "limits.login_ip.max_failures = 9\nlimits.login_ip.window = 900\n"
                            "limits.login_id.max_failures = 4\nlimits.login_id.window = 7200\n"
                            "limits.login_id.lockout = 30\nlimits.login_id.lockout_max = 300\n"
                            "client_ip.trusted_proxies = 10.0.0.5, 2001:db8::5\nclient_ip.header = X-Real-IP\n")
                            .load();
  const AbuseLimits& l = config.limits;
  BOOST_TEST(l.identity_per_ip.max == 7);
  BOOST_TEST(l.identity_per_ip.window_seconds == 120);
  BOOST_TEST(l.identity_per_card.max == 3);
  BOOST_TEST(l.identity_per_card.window_seconds == 600);
  BOOST_TEST(l.login_failures_per_ip.max == 9);
  BOOST_TEST(l.login_failures_per_ip.window_seconds == 900);
  BOOST_TEST(l.login_failures_per_id.max == 4);
  BOOST_TEST(l.login_failures_per_id.window_seconds == 7200);
  BOOST_TEST(l.login_lockout_seconds == 30);
  BOOST_TEST(l.login_lockout_max_seconds == 300);
  BOOST_TEST(config.client_ip_trusted_proxies.size() == 2u);
  BOOST_TEST(config.client_ip_trusted_proxies[1] == "2001:db8::5");
  BOOST_TEST(config.client_ip_header == "X-Real-IP");
}

BOOST_AUTO_TEST_CASE(bad_limit_values_stop_the_start_naming_the_key) {
  const auto refused = [](const std::string& line, const std::string& key) {
    try {
      ConfigFiles(line + "\n").load();
    } catch (const ConfigError& e) {
      return std::string(e.what()).find(key) != std::string::npos;
    }
    return false;
  };
  BOOST_TEST(refused("limits.login_id.max_failures = 0", "limits.login_id.max_failures"));
  BOOST_TEST(refused("limits.identity_card.window = 59", "limits.identity_card.window"));
  BOOST_TEST(refused("limits.identity_ip.max = many", "limits.identity_ip.max"));
  BOOST_TEST(refused("limits.login_id.lockout = 600\nlimits.login_id.lockout_max = 60", "limits.login_id.lockout_max"));
  BOOST_TEST(refused("client_ip.trusted_proxies = 10.0.0.0/8", "client_ip.trusted_proxies"));
  BOOST_TEST(refused("client_ip.header = X Forwarded", "client_ip.header"));
}
