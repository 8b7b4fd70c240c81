// json_rows: a batch's rows as one JSON parameter for JSON_TABLE (issue 16).
// Only integers, hex and the program's own words go in, so a member's text
// can never change the JSON around it.
#define BOOST_TEST_MODULE json_rows
#include <boost/test/unit_test.hpp>

#include <stdexcept>

#include "json_rows.h"

using namespace kosmo;

BOOST_AUTO_TEST_CASE(rows_are_arrays_of_cells_in_the_order_added) {
  JsonRows rows;
  rows.row().word("identity_ip").hex("\x01\xff").integer(3600);
  rows.row().word("1980-01-02").unsigned_integer(18446744073709551615ULL).integer(-1);
  BOOST_TEST(rows.size() == 2U);
  BOOST_TEST(rows.json() == R"([["identity_ip","01ff",3600],["1980-01-02",18446744073709551615,-1]])");
}

BOOST_AUTO_TEST_CASE(no_rows_is_an_empty_array) {
  JsonRows rows;
  BOOST_TEST(rows.empty());
  BOOST_TEST(rows.json() == "[]");
}

BOOST_AUTO_TEST_CASE(text_goes_in_as_hex_so_quotes_and_brackets_stay_data) {
  JsonRows rows;
  rows.row().hex("\"],[\"x\\");
  BOOST_TEST(rows.json() == R"([["225d2c5b22785c"]])");
}

BOOST_AUTO_TEST_CASE(a_word_with_anything_but_letters_digits_underscore_or_hyphen_is_refused) {
  JsonRows rows;
  rows.row();
  BOOST_CHECK_THROW(rows.word("a\"b"), std::invalid_argument);
  BOOST_CHECK_THROW(rows.word("a b"), std::invalid_argument);
  BOOST_CHECK_THROW(rows.word("記号"), std::invalid_argument);
  BOOST_CHECK_THROW(rows.word(""), std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(a_cell_before_a_row_is_a_bug) {
  JsonRows rows;
  BOOST_CHECK_THROW(rows.integer(1), std::logic_error);
}
