// page: Ctemplate pages. Every template is loaded and parsed once at start
// (a missing or broken one stops the start), and every HTML template starts
// with {{%AUTOESCAPE context="HTML"}} so each value is escaped.
#pragma once

#include <ctemplate/template.h>

#include "config.h"

#include <string>
#include <string_view>
#include <vector>

namespace kosmo {

// Loads the templates a program uses, plus the shared layout parts and the
// error page. Throws std::runtime_error naming the first file that fails.
void load_templates(const std::string& dir, const std::vector<std::string>& names);

// The society's name, logo, contact desk and links (issue 15), and the site's
// URL for the mail signature. Set once at start, before any worker renders;
// read-only afterwards. Until it is set, pages name only the product.
void set_site_identity(const Society& society, const std::string& public_base_url);

// Renders one loaded template. The layout parts are attached as the includes
// {{>HEAD}} (inside <head>), {{>BANNER}} (top of <body>), {{>FOOT}} and, for
// mails, {{>SIGNATURE}}. Ctemplate includes see nothing of their parent's
// dictionary, so the society's values are set on each of them and on the page
// itself ({{SITE_TITLE}}, {{#HAS_CONTACT}} ...).
std::string render_template(std::string_view name, ctemplate::TemplateDictionary& dict);

// Where the member is in a flow of several screens (issue 15 item 3): the
// page's {{>STEPS}} shows the flow's steps with `current` (1-based) marked
// aria-current="step". A page that does not call this shows no steps.
enum class StepFlow { Recovery, FirstSetup };
void show_steps(ctemplate::TemplateDictionary& dict, StepFlow flow, int current);

// The shared pieces every page template includes, and the mail signature.
inline constexpr const char* kLayoutTemplates[] = {"_head.tpl", "_banner.tpl", "_foot.tpl",
                                                   "mail/_signature.txt.tpl", "_steps.tpl"};
inline constexpr const char* kErrorTemplate = "error.tpl";

}  // namespace kosmo
