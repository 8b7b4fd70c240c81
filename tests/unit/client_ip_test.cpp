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

// Issue 13 item 2: nginx 1.22 passes each line of a repeated header as its own
// FastCGI parameter, and the first is the client's. Behind a trusted proxy
// (haproxy `option forwardfor` adds a line) a repeated header is refused,
// whichever line comes first; from anyone else it is ignored as before.
BOOST_AUTO_TEST_CASE(a_repeated_header_from_a_trusted_proxy_is_refused_in_either_order) {
  Config config;
  config.client_ip_trusted_proxies = {"10.0.0.5"};
  char remote_proxy[] = "REMOTE_ADDR=10.0.0.5";
  char remote_client[] = "REMOTE_ADDR=203.0.113.9";
  char forged[] = "HTTP_X_FORWARDED_FOR=1.2.3.4";
  char appended[] = "HTTP_X_FORWARDED_FOR=198.51.100.7";
  char other[] = "HTTP_USER_AGENT=x";
  char* client_first[] = {remote_proxy, forged, other, appended, nullptr};
  char* proxy_first[] = {remote_proxy, appended, forged, nullptr};
  char* one_line[] = {remote_proxy, other, appended, nullptr};
  char* not_a_proxy[] = {remote_client, forged, appended, nullptr};
  BOOST_TEST(!resolve_client_ip(config, client_first).has_value());
  BOOST_TEST(!resolve_client_ip(config, proxy_first).has_value());
  BOOST_TEST(resolve_client_ip(config, one_line).value() == "198.51.100.7");
  BOOST_TEST(resolve_client_ip(config, not_a_proxy).value() == "203.0.113.9");
  BOOST_TEST(all_params(client_first, "HTTP_X_FORWARDED_FOR").size() == 2u);
  BOOST_TEST(all_params(client_first, "HTTP_X_FORWARDED").empty());  // a prefix is not the name
}
