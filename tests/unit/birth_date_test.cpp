// birth_date: D10, birth dates as members type them, Gregorian or Japanese era.
#define BOOST_TEST_MODULE birth_date
#include <boost/test/unit_test.hpp>

#include "birth_date.h"

using namespace kosmo;

namespace {

constexpr CalendarDate kToday{2024, 6, 1};

std::string parsed(std::string_view typed, const CalendarDate& today = kToday) {
  const std::optional<CalendarDate> date = parse_birth_date(typed, today);
  return date ? date->iso() : "rejected";
}

}  // namespace

BOOST_AUTO_TEST_CASE(every_accepted_form_reads_as_the_same_date) {
  for (const char* typed : {
           "1980-01-02", "1980/1/2", "1980.1.2", "19800102", "1980年1月2日", "1980年01月02日",
           "1980年1月2", "昭和55年1月2日", "昭和55年01月02日", "昭和55.1.2", "S55.1.2",
           "S55/1/2", "s55.1.2", "S55-01-02", "S550102", "S55年1月2日",
           // D10: as typed on a phone or through an IME
           "１９８０／０１／０２", "１９８０年１月２日", "昭和５５年１月２日", "Ｓ５５．１．２",
           "\u3000 1980-01-02 \t", "昭和 55 年 1 月 2 日", "1980ー01ー02", "1980\u2212" "01\u2212" "02",
           "\u337C" "55年1月2日",  // ㍼, the one-character 昭和
       }) {
    BOOST_TEST(parsed(typed) == "1980-01-02", "typed: " << typed);
  }
}

BOOST_AUTO_TEST_CASE(first_year_of_an_era_is_written_gannen) {
  BOOST_TEST(parsed("平成元年1月8日") == "1989-01-08");
  BOOST_TEST(parsed("平成1年1月8日") == "1989-01-08");
  BOOST_TEST(parsed("H01.01.08") == "1989-01-08");
  BOOST_TEST(parsed("H010108") == "1989-01-08");
  BOOST_TEST(parsed("令和元年5月1日") == "2019-05-01");
  BOOST_TEST(parsed("R1.5.1") == "2019-05-01");
}

// The era's span comes from ICU: the day before an era began belongs to the
// previous one, and is refused in the later one.
BOOST_AUTO_TEST_CASE(dates_before_the_era_typed_began_are_rejected) {
  BOOST_TEST(parsed("昭和64年1月7日") == "1989-01-07");
  BOOST_TEST(parsed("平成元年1月7日") == "rejected");
  BOOST_TEST(parsed("平成31年4月30日") == "2019-04-30");
  BOOST_TEST(parsed("令和元年4月30日") == "rejected");
  BOOST_TEST(parsed("昭和0年1月1日") == "rejected");
  BOOST_TEST(parsed("大正15年12月24日") == "1926-12-24");
  BOOST_TEST(parsed("昭和元年12月25日") == "1926-12-25");
  BOOST_TEST(parsed("大正元年7月30日") == "1912-07-30");
  BOOST_TEST(parsed("昭和元年12月24日") == "rejected");
}

// Issue 15 item 5: people went on writing 平成 after the era changed. An era
// date past that era's end is the same day, counted on (N = the last day of
// the era, N+1 = the first day of the next).
BOOST_AUTO_TEST_CASE(dates_past_the_era_typed_are_the_same_day) {
  BOOST_TEST(parsed("平成31年5月1日") == "2019-05-01");
  BOOST_TEST(parsed("H31.5.1") == "2019-05-01");
  BOOST_TEST(parsed("平成32年1月1日") == "2020-01-01");
  BOOST_TEST(parsed("昭和64年1月8日") == "1989-01-08");
  BOOST_TEST(parsed("昭和65年1月1日") == "1990-01-01");
  BOOST_TEST(parsed("T15.12.25") == "1926-12-25");  // 昭和 began that day
  BOOST_TEST(parsed("M45.7.30") == "1912-07-30");   // 大正 began that day
  BOOST_TEST(parsed("平成36年6月2日") == "rejected");  // 2024-06-02: after "today"
}

BOOST_AUTO_TEST_CASE(a_date_past_its_era_names_the_day_understood) {
  const BirthDateReading heisei = read_typed_birth_date("平成31年5月1日", kToday);
  BOOST_TEST(heisei.date.has_value());
  BOOST_TEST(heisei.date->iso() == "2019-05-01");
  BOOST_TEST(heisei.past_era_end);
  BOOST_TEST(heisei.typed_era == "平成");
  BOOST_TEST(heisei.understood_era == "令和");
  BOOST_TEST(heisei.understood_era_year == 1);

  const BirthDateReading in_era = read_typed_birth_date("H31.4.30", kToday);
  BOOST_TEST(!in_era.past_era_end);
  BOOST_TEST(in_era.typed_era == "平成");
  BOOST_TEST(in_era.understood_era == "平成");
  BOOST_TEST(in_era.understood_era_year == 31);

  const BirthDateReading western = read_typed_birth_date("1980-01-02", kToday);
  BOOST_TEST(!western.past_era_end);
  BOOST_TEST(western.typed_era.empty());
}

// The form says what is wrong: 「2023年2月30日は存在しない日付です」 needs the
// fields as typed and the kind of problem.
BOOST_AUTO_TEST_CASE(a_refused_date_says_why_and_keeps_what_was_typed) {
  const BirthDateReading no_day = read_typed_birth_date("2023年2月30日", kToday);
  BOOST_TEST(!no_day.date.has_value());
  BOOST_TEST((no_day.problem == BirthDateProblem::NoSuchDay));
  BOOST_TEST((no_day.typed == CalendarDate{2023, 2, 30}));
  BOOST_TEST(no_day.typed_era.empty());

  const BirthDateReading era_no_day = read_typed_birth_date("S55.2.30", kToday);
  BOOST_TEST((era_no_day.problem == BirthDateProblem::NoSuchDay));
  BOOST_TEST(era_no_day.typed_era == "昭和");
  BOOST_TEST((era_no_day.typed == CalendarDate{55, 2, 30}));

  BOOST_TEST((read_typed_birth_date("平成元年1月7日", kToday).problem == BirthDateProblem::NoSuchDay));
  BOOST_TEST((read_typed_birth_date("1899-12-31", kToday).problem == BirthDateProblem::TooEarly));
  BOOST_TEST((read_typed_birth_date("2024-06-02", kToday).problem == BirthDateProblem::InFuture));
  BOOST_TEST((read_typed_birth_date("abc", kToday).problem == BirthDateProblem::Unreadable));
  BOOST_TEST((read_typed_birth_date("1980/01-02", kToday).problem == BirthDateProblem::Unreadable));
}

BOOST_AUTO_TEST_CASE(impossible_dates_are_rejected) {
  BOOST_TEST(parsed("1980-02-30") == "rejected");
  BOOST_TEST(parsed("昭和55年2月30日") == "rejected");
  BOOST_TEST(parsed("1980-13-01") == "rejected");
  BOOST_TEST(parsed("S55.13.1") == "rejected");
  BOOST_TEST(parsed("1980-00-10") == "rejected");
  BOOST_TEST(parsed("1980-01-00") == "rejected");
  BOOST_TEST(parsed("1980-04-31") == "rejected");
  BOOST_TEST(parsed("2000-02-29") == "2000-02-29");  // leap year
  BOOST_TEST(parsed("1981-02-29") == "rejected");
  BOOST_TEST(parsed("1900-02-29") == "rejected");  // not a leap year
}

BOOST_AUTO_TEST_CASE(earliest_birth_date_is_1900_01_01) {
  BOOST_TEST(parsed("1900-01-01") == "1900-01-01");
  BOOST_TEST(parsed("明治33年1月1日") == "1900-01-01");
  BOOST_TEST(parsed("1899-12-31") == "rejected");
  BOOST_TEST(parsed("明治32年12月31日") == "rejected");
}

BOOST_AUTO_TEST_CASE(future_dates_are_rejected_from_tomorrow) {
  BOOST_TEST(parsed("2024-06-01") == "2024-06-01");
  BOOST_TEST(parsed("令和6年6月1日") == "2024-06-01");
  BOOST_TEST(parsed("2024-06-02") == "rejected");
  BOOST_TEST(parsed("令和6年6月2日") == "rejected");
  BOOST_TEST(!parse_birth_date("2999-01-01").has_value());  // against the real clock
  BOOST_TEST(parse_birth_date("1980-01-02").has_value());
}

BOOST_AUTO_TEST_CASE(ambiguous_or_garbled_input_is_rejected) {
  for (const char* typed : {
           "", "   ", "abc", "80/1/2", "1980", "198012", "1980012", "198001021", "S5512",
           "S55012", "S5501021", "1980/01-02", "1980//01/02", "1980/01/02/", "X55.1.2",
           "昭和55年1月2日生", "昭和55年", "昭和年1月2日", "元年1月2日", "1980年元月2日",
           "昭和55年1月", "2月3日", "-1980-01-02", "1980-1-2-", "1980-01-02\xC0\xAF",
           "西暦1980年1月2日", "SS55.1.2", "1980+01+02",
       }) {
    BOOST_TEST(parsed(typed) == "rejected", "typed: " << typed);
  }
}

BOOST_AUTO_TEST_CASE(calendar_dates_print_as_iso_and_order_by_day) {
  BOOST_TEST((CalendarDate{987, 1, 2}.iso()) == "0987-01-02");
  BOOST_TEST((CalendarDate{1980, 1, 2} < CalendarDate{1980, 1, 10}));
  BOOST_TEST((CalendarDate{1979, 12, 31} < CalendarDate{1980, 1, 1}));
  BOOST_TEST(today_in_japan().year >= 2024);
}
