// libFuzzer target: the birth date reader (fcgi/lib/recovery/birth_date.cpp): Western
// and Japanese era dates, full-width or not, through ICU. A date it accepts
// is a real calendar date between 1900-01-01 and "today".
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "birth_date.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view typed(reinterpret_cast<const char*>(data), size);
  const kosmo::CalendarDate today{2026, 11, 26};
  const auto date = kosmo::parse_birth_date(typed, today);
  if (!date) return 0;
  if (*date < kosmo::CalendarDate{1900, 1, 1} || today < *date) std::abort();
  if (date->month < 1 || date->month > 12 || date->day < 1 || date->day > 31) std::abort();
  // The ISO spelling reads back as the same date.
  const auto again = kosmo::parse_birth_date(date->iso(), today);
  if (!again || !(*again == *date)) std::abort();
  return 0;
}
