// rate_limits: D7's pure parts (the lockout schedule, the keyed subject
// hash, the card subject, IPv6 /64 grouping). The counting itself runs in
// MariaDB and is proved through nginx by tests/integration/limits_test.js.
#define BOOST_TEST_MODULE rate_limits
#include <boost/test/unit_test.hpp>

#include "crypto.h"
#include "rate_limits.h"

using namespace kosmo;

namespace {
Config config_with_key(std::string key) {
  Config config;
  config.csrf_key = std::move(key);
  return config;
}
}  // namespace

// D7: failures below the limit never lock; the N-th locks for the base wait,
// each further failure doubles it, and the cap holds however many follow.
BOOST_AUTO_TEST_CASE(lockout_starts_at_n_doubles_and_is_capped) {
  AbuseLimits limits;  // defaults: 5 failures, 60 s, cap 3600 s
  BOOST_TEST(login_lockout_seconds(limits, 0) == 0);
  BOOST_TEST(login_lockout_seconds(limits, 4) == 0);
  BOOST_TEST(login_lockout_seconds(limits, 5) == 60);
  BOOST_TEST(login_lockout_seconds(limits, 6) == 120);
  BOOST_TEST(login_lockout_seconds(limits, 7) == 240);
  BOOST_TEST(login_lockout_seconds(limits, 10) == 1920);
  BOOST_TEST(login_lockout_seconds(limits, 11) == 3600);
  BOOST_TEST(login_lockout_seconds(limits, 1000000) == 3600);  // no shift overflow
}

BOOST_AUTO_TEST_CASE(lockout_follows_configured_values) {
  AbuseLimits limits;
  limits.login_failures_per_id = {3, 600};
  limits.login_lockout_seconds = 10;
  limits.login_lockout_max_seconds = 25;
  BOOST_TEST(login_lockout_seconds(limits, 2) == 0);
  BOOST_TEST(login_lockout_seconds(limits, 3) == 10);
  BOOST_TEST(login_lockout_seconds(limits, 4) == 20);
  BOOST_TEST(login_lockout_seconds(limits, 5) == 25);
}

// No card number, login ID or address is stored in clear: the subject is a
// 32-byte HMAC under a key derived from the secret, different per scope.
BOOST_AUTO_TEST_CASE(subject_hash_is_keyed_scoped_and_hides_the_subject) {
  const Config a = config_with_key(std::string(32, 'a'));
  const Config b = config_with_key(std::string(32, 'b'));
  const std::string id = "0010000005750";
  const std::string hash = limit_subject_hash(a, LimitScope::LoginId, id);
  BOOST_TEST(hash.size() == 32u);
  BOOST_TEST(hash == limit_subject_hash(a, LimitScope::LoginId, id));
  BOOST_TEST(hash != limit_subject_hash(b, LimitScope::LoginId, id));
  BOOST_TEST(hash != limit_subject_hash(a, LimitScope::LoginIp, id));
  BOOST_TEST(hash != sha256(id));  // not a plain digest anyone could recompute
  BOOST_TEST(hash.find(id) == std::string::npos);
  // The exact derivation tests/integration/limits_test.js relies on.
  const std::string key = hmac_sha256(a.csrf_key, "kosmo-limits-v1");
  BOOST_TEST(hash == hmac_sha256(key, "login_id:" + id));
}

BOOST_AUTO_TEST_CASE(card_subject_keeps_symbol_and_number_apart) {
  BOOST_TEST(card_subject("12", "345") != card_subject("123", "45"));
  const Config c = config_with_key(std::string(32, 'k'));
  BOOST_TEST(limit_subject_hash(c, LimitScope::IdentityCard, card_subject("12", "345")) !=
             limit_subject_hash(c, LimitScope::IdentityCard, card_subject("123", "45")));
}

// One IPv6 host holds a /64: every address in it is one subject; IPv4 and
// IPv4-mapped IPv6 are the same subject.
BOOST_AUTO_TEST_CASE(ipv6_addresses_count_per_64_and_mapped_ipv4_as_ipv4) {
  const Config c = config_with_key(std::string(32, 'k'));
  const auto h = [&](const char* ip) { return limit_subject_hash(c, LimitScope::LoginIp, ip); };
  BOOST_TEST(h("2001:db8:1:2::1") == h("2001:db8:1:2:ffff:eeee:dddd:cccc"));
  BOOST_TEST(h("2001:db8:1:2::1") != h("2001:db8:1:3::1"));
  BOOST_TEST(h("::ffff:192.0.2.7") == h("192.0.2.7"));
  BOOST_TEST(h("192.0.2.7") != h("192.0.2.8"));
  // Login IDs are not addresses: no grouping there.
  BOOST_TEST(limit_subject_hash(c, LimitScope::LoginId, "2001:db8:1:2::1") !=
             limit_subject_hash(c, LimitScope::LoginId, "2001:db8:1:2::2"));
}

BOOST_AUTO_TEST_CASE(scopes_have_stable_names) {
  BOOST_TEST(to_string(LimitScope::IdentityIp) == "identity_ip");
  BOOST_TEST(to_string(LimitScope::IdentityCard) == "identity_card");
  BOOST_TEST(to_string(LimitScope::LoginIp) == "login_ip");
  BOOST_TEST(to_string(LimitScope::LoginId) == "login_id");
}
