// page: Ctemplate pages. Every template is loaded and parsed once at start
// (a missing or broken one stops the start), and every HTML template starts
// with {{%AUTOESCAPE context="HTML"}} so each value is escaped.
#pragma once

#include <ctemplate/template.h>

#include <string>
#include <string_view>
#include <vector>

namespace kosmo {

// Loads the templates a program uses, plus the shared layout parts and the
// error page. Throws std::runtime_error naming the first file that fails.
void load_templates(const std::string& dir, const std::vector<std::string>& names);

// Renders one loaded template. The layout parts are attached as the includes
// {{>HEAD}} (inside <head>), {{>BANNER}} (top of <body>) and {{>FOOT}}.
std::string render_template(std::string_view name, ctemplate::TemplateDictionary& dict);

// The shared pieces every page template includes.
inline constexpr const char* kLayoutTemplates[] = {"_head.tpl", "_banner.tpl", "_foot.tpl"};
inline constexpr const char* kErrorTemplate = "error.tpl";

}  // namespace kosmo
