// birth_date: reads a birth date as members type it (D10): Gregorian or
// Japanese era (昭和55年1月2日, S55.1.2), full-width or not. Era years are
// converted by ICU's Japanese calendar, so no era start year is written here.
#pragma once

#include <compare>
#include <optional>
#include <string>
#include <string_view>

namespace kosmo {

struct CalendarDate {
  int year;
  int month;
  int day;
  auto operator<=>(const CalendarDate&) const = default;
  std::string iso() const;  // YYYY-MM-DD
};

// Today in Japan (JST, UTC+9: Japan has no daylight saving time).
CalendarDate today_in_japan();

// After NFKC and dropping whitespace, accepts
//   1980-01-02  1980/1/2  1980.1.2  19800102  1980年1月2日
//   昭和55年1月2日  昭和55.1.2  S55.1.2  S55/1/2  s55-1-2  S550102 (six digits)
// for 明治 M, 大正 T, 昭和 S, 平成 H, 令和 R, with 元年 for year 1. Hyphen-like
// characters (ー, −) count as '-'. An era date past that era's end is the same
// day counted on (平成31年5月1日 is 令和元年5月1日, 2019-05-01: people went on
// writing 平成 after the era changed; issue 15 item 5). nullopt for an
// impossible date, a date before the era typed began (平成元年1月7日 was
// 昭和64年), before 1900-01-01 or after today.
std::optional<CalendarDate> parse_birth_date(std::string_view typed);

// The same with "today" given, so tests can check the future limit at N and N+1.
std::optional<CalendarDate> parse_birth_date(std::string_view typed, const CalendarDate& today);

// Why a typed date was not taken, so the form can say what is wrong
// (「2023年2月30日は存在しない日付です」, issue 15 item 5).
enum class BirthDateProblem { Unreadable, NoSuchDay, TooEarly, InFuture };

// What was read from the typed text: the day understood, or the problem; and
// the fields as typed, so a message can name the day the member wrote.
struct BirthDateReading {
  std::optional<CalendarDate> date;         // set when accepted
  std::optional<BirthDateProblem> problem;  // set when refused
  CalendarDate typed{0, 0, 0};              // as typed; the era year when an era was typed (Unreadable: zeros)
  std::string typed_era;                    // "平成" (the name even for H), empty for a Western date
  // An era date past that era's end (平成31年5月1日), read as the same day in
  // the era it fell in; the page says which day was understood.
  bool past_era_end = false;
  std::string understood_era;    // "令和"
  int understood_era_year = 0;   // 1 (元年)
};

BirthDateReading read_typed_birth_date(std::string_view typed, const CalendarDate& today);
BirthDateReading read_typed_birth_date(std::string_view typed);

}  // namespace kosmo
