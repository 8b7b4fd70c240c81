// birth_date_message: what a form says about a typed birth date (issue 15
// item 5, D10): the day that is not a date (「2023年2月30日は存在しない日付です」),
// or the day understood from an era date written past that era's end
// (平成31年5月1日 → 令和元年5月1日). Only values and sections here; the
// sentences are in the templates.
#pragma once

#include <ctemplate/template.h>

#include "birth_date.h"

namespace kosmo {

// Shows BIRTH_DATE_NO_SUCH_DAY, _TOO_EARLY, _IN_FUTURE or _UNREADABLE for a
// refused reading, with TYPED_ERA, TYPED_YEAR, TYPED_MONTH and TYPED_DAY.
void show_birth_date_problem(ctemplate::TemplateDictionary& dict, const BirthDateReading& reading);

// Shows BIRTH_DATE_UNDERSTOOD with the typed day and UNDERSTOOD_ERA,
// UNDERSTOOD_ERA_YEAR, UNDERSTOOD_YEAR, UNDERSTOOD_MONTH, UNDERSTOOD_DAY.
void show_birth_date_understood(ctemplate::TemplateDictionary& dict, const BirthDateReading& reading);

}  // namespace kosmo
