// client_ip: the address the limits (D7) and the audit log (D8) use. A
// header a client can set is believed only from a configured proxy.
#define BOOST_TEST_MODULE client_ip
#include <boost/test/unit_test.hpp>

#include "client_ip.h"

using namespace kosmo;

BOOST_AUTO_TEST_CASE(without_trusted_proxies_the_header_is_ignored) {
  const Config config;  // default: no trusted proxy
  BOOST_TEST(resolve_client_ip(config, "203.0.113.9", "198.51.100.1") == "203.0.113.9");
}

BOOST_AUTO_TEST_CASE(a_trusted_proxy_gives_the_last_forwarded_address) {
  Config config;
  config.client_ip_trusted_proxies = {"10.0.0.5", "2001:db8::5"};
  // The client wrote "1.2.3.4" itself; the proxy appended what it saw.
  BOOST_TEST(resolve_client_ip(config, "10.0.0.5", "1.2.3.4, 198.51.100.7") == "198.51.100.7");
  BOOST_TEST(resolve_client_ip(config, "10.0.0.5", "198.51.100.7") == "198.51.100.7");
  BOOST_TEST(resolve_client_ip(config, "2001:db8::5", "2001:db8:9::1") == "2001:db8:9::1");
}

BOOST_AUTO_TEST_CASE(an_untrusted_sender_or_a_bad_header_keeps_remote_addr) {
  Config config;
  config.client_ip_trusted_proxies = {"10.0.0.5"};
  BOOST_TEST(resolve_client_ip(config, "10.0.0.6", "198.51.100.7") == "10.0.0.6");
  BOOST_TEST(resolve_client_ip(config, "10.0.0.5", "") == "10.0.0.5");
  BOOST_TEST(resolve_client_ip(config, "10.0.0.5", "198.51.100.7, garbage") == "10.0.0.5");
  BOOST_TEST(resolve_client_ip(config, "10.0.0.5", "198.51.100.7 , ") == "10.0.0.5");
}

BOOST_AUTO_TEST_CASE(header_names_map_to_fastcgi_params) {
  BOOST_TEST(cgi_header_param("X-Forwarded-For") == "HTTP_X_FORWARDED_FOR");
  BOOST_TEST(cgi_header_param("X-Real-IP") == "HTTP_X_REAL_IP");
}
