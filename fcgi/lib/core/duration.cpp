#include "duration.h"

namespace kosmo {

void set_duration(ctemplate::TemplateDictionary& dict, const std::string& name, int seconds) {
  constexpr int kHour = 3600;
  constexpr int kMinute = 60;
  if (seconds >= kHour && seconds % kHour == 0) {
    dict.ShowSection(name + "_IN_HOURS");
    dict.SetIntValue(name + "_HOURS", seconds / kHour);
    return;
  }
  dict.ShowSection(name + "_IN_MINUTES");
  dict.SetIntValue(name + "_MINUTES", seconds / kMinute);
}

}  // namespace kosmo
