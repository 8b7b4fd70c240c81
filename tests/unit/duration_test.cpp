// duration: validities shown in hours when whole, else in minutes rounded
// down, so no page or mail promises more time than a link has (R6, D5, D6).
#define BOOST_TEST_MODULE duration
#include <boost/test/unit_test.hpp>

#include "duration.h"

using namespace kosmo;

namespace {

std::string shown(int seconds) {
  ctemplate::TemplateDictionary dict("duration");
  set_duration(dict, "TTL", seconds);
  const std::string text = "{{#TTL_IN_HOURS}}{{TTL_HOURS}}h{{/TTL_IN_HOURS}}{{#TTL_IN_MINUTES}}{{TTL_MINUTES}}m{{/TTL_IN_MINUTES}}";
  ctemplate::StringToTemplateCache("duration.tpl", text, ctemplate::DO_NOT_STRIP);
  std::string out;
  ctemplate::ExpandTemplate("duration.tpl", ctemplate::DO_NOT_STRIP, &dict, &out);
  return out;
}

}  // namespace

BOOST_AUTO_TEST_CASE(whole_hours_show_as_hours) {
  BOOST_TEST(shown(3600) == "1h");
  BOOST_TEST(shown(86400) == "24h");
}

BOOST_AUTO_TEST_CASE(other_times_show_as_minutes_rounded_down) {
  BOOST_TEST(shown(900) == "15m");
  BOOST_TEST(shown(5400) == "90m");
  BOOST_TEST(shown(119) == "1m");
  BOOST_TEST(shown(60) == "1m");
}
