// duration: a configured validity (R6's 1 hour, D5's 15 minutes, D6's 24
// hours) shown to members in the unit they expect. The Japanese words stay in
// the templates; this only picks hours or minutes and the number.
#pragma once

#include <ctemplate/template.h>

#include <string>

namespace kosmo {

// For name "TOKEN_TTL" and 3600 s: shows section TOKEN_TTL_IN_HOURS and sets
// TOKEN_TTL_HOURS = 1. A time that is not whole hours shows
// TOKEN_TTL_IN_MINUTES with TOKEN_TTL_MINUTES, rounded down, so a page never
// promises more time than the link has. Template:
//   {{#TOKEN_TTL_IN_HOURS}}{{TOKEN_TTL_HOURS}}時間{{/TOKEN_TTL_IN_HOURS}}{{#TOKEN_TTL_IN_MINUTES}}{{TOKEN_TTL_MINUTES}}分{{/TOKEN_TTL_IN_MINUTES}}
void set_duration(ctemplate::TemplateDictionary& dict, const std::string& name, int seconds);

}  // namespace kosmo
