// birth_date: parsing of typed birth dates (D10), see birth_date.h. The
// grammar is small and explicit; calendar arithmetic is left to std::chrono
// (Gregorian) and ICU's Japanese calendar (eras).
#include "birth_date.h"

#include "normalize.h"

#include <unicode/calendar.h>
#include <unicode/datefmt.h>
#include <unicode/dtfmtsym.h>
#include <unicode/gregocal.h>
#include <unicode/smpdtfmt.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <memory>
#include <stdexcept>
#include <vector>

namespace kosmo {
namespace {

// A function, not a global: callers may run during another file's static initialisation.
icu::Locale japanese_calendar_locale() { return icu::Locale("ja_JP@calendar=japanese"); }
constexpr CalendarDate kEarliestBirthDate{1900, 1, 1};

struct Era {
  std::string name;  // 昭和
  char letter;       // S
  int32_t icu_era;   // UCAL_ERA value
};

// The eras members may type, read from ICU's data: those whose narrow name is
// one ASCII letter (明治 M to 令和 R in CLDR). DateFormatSymbols built from the
// locale alone gives Gregorian eras; a DateFormat's symbols follow its calendar.
std::vector<Era> load_modern_eras() {
  std::unique_ptr<icu::DateFormat> format(
      icu::DateFormat::createDateInstance(icu::DateFormat::kDefault, japanese_calendar_locale()));
  const auto* simple = dynamic_cast<const icu::SimpleDateFormat*>(format.get());
  if (simple == nullptr) throw std::runtime_error("birth_date: no ICU Japanese date format");
  int32_t count = 0;
  int32_t narrow_count = 0;
  const icu::UnicodeString* names = simple->getDateFormatSymbols()->getEras(count);
  const icu::UnicodeString* letters = simple->getDateFormatSymbols()->getNarrowEras(narrow_count);
  std::vector<Era> eras;
  for (int32_t i = 0; i < count && i < narrow_count; ++i) {
    std::string name;
    std::string letter;
    names[i].toUTF8String(name);
    letters[i].toUTF8String(letter);
    if (letter.size() == 1 && letter[0] >= 'A' && letter[0] <= 'Z') {
      eras.push_back({name, letter[0], i});
    }
  }
  if (eras.empty()) throw std::runtime_error("birth_date: ICU has no Japanese era names");
  return eras;
}

const std::vector<Era>& modern_eras() {
  static const std::vector<Era> eras = load_modern_eras();  // thread-safe, once
  return eras;
}

// NFKC, then drop whitespace and turn hyphen-like characters into '-', so
// '１９８０ー０１ー０２' and '昭和 55 年' read like their plain forms (D10).
std::optional<std::string> fold_typed_date(std::string_view typed) { return nfkc_without_spaces(typed, "-"); }

// Reads the typed text left to right; every method consumes only on success.
class Cursor {
 public:
  explicit Cursor(std::string_view text) : rest_(text) {}
  bool done() const { return rest_.empty(); }
  bool take(std::string_view literal) {
    if (!rest_.starts_with(literal)) return false;
    rest_.remove_prefix(literal.size());
    return true;
  }
  // min_digits..max_digits ASCII digits.
  std::optional<int> number(std::size_t min_digits, std::size_t max_digits) {
    std::size_t digits = 0;
    int value = 0;
    while (digits < rest_.size() && digits < max_digits && is_digit(rest_[digits])) {
      value = value * 10 + (rest_[digits] - '0');
      ++digits;
    }
    if (digits < min_digits) return std::nullopt;
    rest_.remove_prefix(digits);
    return value;
  }
  std::optional<char> separator() {
    if (rest_.empty() || (rest_[0] != '-' && rest_[0] != '/' && rest_[0] != '.')) return {};
    const char c = rest_[0];
    rest_.remove_prefix(1);
    return c;
  }
  std::string_view rest() const { return rest_; }
  static bool is_digit(char c) { return c >= '0' && c <= '9'; }

 private:
  std::string_view rest_;
};

// Year, month and day as typed; the year is an era year when an era was typed.
std::optional<CalendarDate> parse_fields(Cursor cursor, bool era) {
  const std::string_view rest = cursor.rest();
  // Fixed-width digits only (19800102, S550102): other lengths are ambiguous.
  if (!rest.empty() && std::all_of(rest.begin(), rest.end(), Cursor::is_digit)) {
    const std::size_t year_digits = era ? 2 : 4;
    if (rest.size() != year_digits + 4) return std::nullopt;
    const int year = *cursor.number(year_digits, year_digits);
    const int month = *cursor.number(2, 2);
    return CalendarDate{year, month, *cursor.number(2, 2)};
  }
  std::optional<int> year = (era && cursor.take("元")) ? 1 : cursor.number(era ? 1 : 4, era ? 2 : 4);
  if (!year) return std::nullopt;
  std::optional<int> month;
  std::optional<int> day;
  if (cursor.take("年")) {
    month = cursor.number(1, 2);
    if (!month || !cursor.take("月")) return std::nullopt;
    day = cursor.number(1, 2);
    cursor.take("日");  // often left out
  } else {
    const std::optional<char> separator = cursor.separator();
    if (!separator) return std::nullopt;
    month = cursor.number(1, 2);
    if (!month || !cursor.take(std::string_view(&*separator, 1))) return std::nullopt;
    day = cursor.number(1, 2);
  }
  if (!day || !cursor.done()) return std::nullopt;
  return CalendarDate{*year, *month, *day};
}

std::optional<CalendarDate> check_gregorian(const CalendarDate& date) {
  using namespace std::chrono;
  const year_month_day ymd{year{date.year}, month{static_cast<unsigned>(date.month)},
                           day{static_cast<unsigned>(date.day)}};
  if (date.month < 1 || date.day < 1 || !ymd.ok()) return std::nullopt;
  return date;
}

// What ICU made of an era date: the Gregorian day, and the era it fell in.
struct EraConversion {
  CalendarDate date;
  int32_t icu_era;
  int era_year;
};

// ICU converts the era date. Non-lenient ICU refuses 2月30日 but rolls
// 平成元年1月7日 back into 昭和64年 and 昭和65年 (平成31年5月1日) on into
// 平成2年 (令和元年), so the date is read back in the Japanese calendar: the
// same era, month and day, or a later era (past the typed era's end: the
// same day, issue 15), or nothing (before the typed era began).
std::optional<EraConversion> convert_era_date(int32_t icu_era, const CalendarDate& typed) {
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::Calendar> japanese(
      icu::Calendar::createInstance(icu::TimeZone::getGMT()->clone(), japanese_calendar_locale(),
                                    status));
  icu::GregorianCalendar gregorian(icu::TimeZone::getGMT()->clone(), status);
  if (U_FAILURE(status)) throw std::runtime_error("birth_date: ICU calendars unavailable");
  if (typed.year < 1) return std::nullopt;
  japanese->clear();
  japanese->setLenient(false);
  japanese->set(UCAL_ERA, icu_era);
  japanese->set(UCAL_YEAR, typed.year);
  japanese->set(UCAL_MONTH, typed.month - 1);  // ICU months count from 0
  japanese->set(UCAL_DATE, typed.day);
  const UDate time = japanese->getTime(status);
  if (U_FAILURE(status)) return std::nullopt;  // month 13, 2月30日 ...
  const int32_t read_era = japanese->get(UCAL_ERA, status);
  const int read_year = japanese->get(UCAL_YEAR, status);
  const bool same_day = japanese->get(UCAL_MONTH, status) == typed.month - 1 &&
                        japanese->get(UCAL_DATE, status) == typed.day;
  if (U_FAILURE(status) || !same_day || read_era < icu_era) return std::nullopt;
  if (read_era == icu_era && read_year != typed.year) return std::nullopt;
  gregorian.setTime(time, status);
  const CalendarDate date{gregorian.get(UCAL_YEAR, status), gregorian.get(UCAL_MONTH, status) + 1,
                          gregorian.get(UCAL_DATE, status)};
  if (U_FAILURE(status) || gregorian.get(UCAL_ERA, status) != icu::GregorianCalendar::AD) {
    return std::nullopt;
  }
  return EraConversion{date, read_era, read_year};
}

std::string era_name(int32_t icu_era) {
  for (const Era& era : modern_eras())
    if (era.icu_era == icu_era) return era.name;
  return {};
}

// Strips a leading era name (昭和) or letter (S, s) and returns its ICU era.
std::optional<int32_t> take_era(Cursor& cursor) {
  for (const Era& era : modern_eras()) {
    const char lower = static_cast<char>(era.letter - 'A' + 'a');
    if (cursor.take(era.name) || cursor.take(std::string_view(&era.letter, 1)) ||
        cursor.take(std::string_view(&lower, 1))) {
      return era.icu_era;
    }
  }
  return std::nullopt;
}

}  // namespace

std::string CalendarDate::iso() const {
  char text[32];
  std::snprintf(text, sizeof text, "%04d-%02d-%02d", year, month, day);
  return text;
}

CalendarDate today_in_japan() {
  using namespace std::chrono;
  const year_month_day today{floor<days>(system_clock::now() + hours{9})};
  return {static_cast<int>(today.year()), static_cast<int>(static_cast<unsigned>(today.month())),
          static_cast<int>(static_cast<unsigned>(today.day()))};
}

std::optional<CalendarDate> parse_birth_date(std::string_view typed) {
  return parse_birth_date(typed, today_in_japan());
}

std::optional<CalendarDate> parse_birth_date(std::string_view typed, const CalendarDate& today) {
  return read_typed_birth_date(typed, today).date;
}

BirthDateReading read_typed_birth_date(std::string_view typed) {
  return read_typed_birth_date(typed, today_in_japan());
}

BirthDateReading read_typed_birth_date(std::string_view typed, const CalendarDate& today) {
  BirthDateReading reading;
  const std::optional<std::string> text = fold_typed_date(typed);
  Cursor cursor(text ? *text : std::string_view());
  const std::optional<int32_t> era = text ? take_era(cursor) : std::nullopt;
  const std::optional<CalendarDate> fields = text ? parse_fields(cursor, era.has_value()) : std::nullopt;
  if (!fields) {
    reading.problem = BirthDateProblem::Unreadable;
    return reading;
  }
  reading.typed = *fields;
  std::optional<CalendarDate> date;
  if (era) {
    reading.typed_era = era_name(*era);
    const std::optional<EraConversion> converted = convert_era_date(*era, *fields);
    if (converted) {
      date = converted->date;
      reading.past_era_end = converted->icu_era != *era;
      reading.understood_era = era_name(converted->icu_era);
      reading.understood_era_year = converted->era_year;
    }
  } else {
    date = check_gregorian(*fields);
  }
  if (!date) reading.problem = BirthDateProblem::NoSuchDay;
  else if (*date < kEarliestBirthDate) reading.problem = BirthDateProblem::TooEarly;
  else if (*date > today) reading.problem = BirthDateProblem::InFuture;
  else reading.date = date;
  return reading;
}

}  // namespace kosmo
