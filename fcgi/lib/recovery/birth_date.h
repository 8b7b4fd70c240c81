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
// characters (ー, −) count as '-'. nullopt for an impossible date, a date
// outside the era typed (平成元年1月7日 was 昭和64年), before 1900-01-01 or
// after today.
std::optional<CalendarDate> parse_birth_date(std::string_view typed);

// The same with "today" given, so tests can check the future limit at N and N+1.
std::optional<CalendarDate> parse_birth_date(std::string_view typed, const CalendarDate& today);

}  // namespace kosmo
