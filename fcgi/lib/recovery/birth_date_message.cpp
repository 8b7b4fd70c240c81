#include "birth_date_message.h"

#include <string>

namespace kosmo {
namespace {

// Year 1 of an era is written 元年, as on every Japanese form.
std::string era_year_text(int year) { return year == 1 ? "元" : std::to_string(year); }

void set_typed(ctemplate::TemplateDictionary& dict, const BirthDateReading& reading) {
  dict.SetValue("TYPED_ERA", reading.typed_era);
  dict.SetValue("TYPED_YEAR", reading.typed_era.empty() ? std::to_string(reading.typed.year)
                                                         : era_year_text(reading.typed.year));
  dict.SetIntValue("TYPED_MONTH", reading.typed.month);
  dict.SetIntValue("TYPED_DAY", reading.typed.day);
}

}  // namespace

void show_birth_date_problem(ctemplate::TemplateDictionary& dict, const BirthDateReading& reading) {
  if (!reading.problem) return;
  set_typed(dict, reading);
  switch (*reading.problem) {
    case BirthDateProblem::Unreadable: dict.ShowSection("BIRTH_DATE_UNREADABLE"); return;
    case BirthDateProblem::NoSuchDay: dict.ShowSection("BIRTH_DATE_NO_SUCH_DAY"); return;
    case BirthDateProblem::TooEarly: dict.ShowSection("BIRTH_DATE_TOO_EARLY"); return;
    case BirthDateProblem::InFuture: dict.ShowSection("BIRTH_DATE_IN_FUTURE"); return;
  }
}

void show_birth_date_understood(ctemplate::TemplateDictionary& dict, const BirthDateReading& reading) {
  if (!reading.date || !reading.past_era_end) return;
  set_typed(dict, reading);
  dict.ShowSection("BIRTH_DATE_UNDERSTOOD");
  dict.SetValue("UNDERSTOOD_ERA", reading.understood_era);
  dict.SetValue("UNDERSTOOD_ERA_YEAR", era_year_text(reading.understood_era_year));
  dict.SetIntValue("UNDERSTOOD_YEAR", reading.date->year);
  dict.SetIntValue("UNDERSTOOD_MONTH", reading.date->month);
  dict.SetIntValue("UNDERSTOOD_DAY", reading.date->day);
}

}  // namespace kosmo
