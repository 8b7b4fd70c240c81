// page: every HTML template escapes what it shows (issue 5 item 6, ASVS
// V5.3.3). Ctemplate escapes nothing without the AUTOESCAPE pragma, so each
// templates/*.tpl must open with it; no marker may switch escaping off; and
// rendering every template with every marker set to an XSS payload (every
// section shown) must give escaped text only.
#define BOOST_TEST_MODULE page
#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "page.h"

namespace fs = std::filesystem;
using namespace kosmo;

namespace {

const fs::path kTemplates = fs::path(KOSMO_SOURCE_DIR) / "templates";
const std::string kPayload = "<script>alert(\"x\")</script>'&<img src=x onerror=alert(1)>";

std::string read(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<fs::path> html_templates() {
  std::vector<fs::path> found;
  for (const auto& entry : fs::directory_iterator(kTemplates))
    if (entry.path().extension() == ".tpl") found.push_back(entry.path());
  std::sort(found.begin(), found.end());
  return found;
}

std::set<std::string> markers(const std::string& text, const std::string& lead) {
  std::set<std::string> names;
  const std::regex marker("\\{\\{" + lead + "([A-Z0-9_]+)(:[^}]*)?\\}\\}");
  for (auto it = std::sregex_iterator(text.begin(), text.end(), marker); it != std::sregex_iterator(); ++it)
    names.insert((*it)[1]);
  return names;
}

}  // namespace

BOOST_AUTO_TEST_CASE(there_are_html_templates) { BOOST_TEST(html_templates().size() >= 8u); }

BOOST_AUTO_TEST_CASE(every_html_template_opens_with_the_html_autoescape_pragma) {
  for (const fs::path& path : html_templates()) {
    const std::string text = read(path);
    BOOST_TEST(text.rfind("{{%AUTOESCAPE context=\"HTML\"}}\n", 0) == 0, path.filename().string());
  }
}

BOOST_AUTO_TEST_CASE(no_template_switches_escaping_off) {
  const std::regex unescaping("\\{\\{[A-Z0-9_]+:(none|x-[^}]*)\\}\\}|\\{\\{%AUTOESCAPE[^}]*context=\"(?!HTML\")");
  for (const fs::path& path : html_templates())
    BOOST_TEST(!std::regex_search(read(path), unescaping), path.filename().string());
}

BOOST_AUTO_TEST_CASE(every_marker_of_every_template_is_escaped_when_rendered) {
  std::vector<std::string> names;
  for (const fs::path& path : html_templates())
    if (path.filename().string()[0] != '_') names.push_back(path.filename().string());
  load_templates(kTemplates.string(), names);
  for (const std::string& name : names) {
    const std::string text = read(kTemplates / name);
    ctemplate::TemplateDictionary dict(name);
    for (const std::string& var : markers(text, "")) dict.SetValue(var, kPayload);
    for (const std::string& section : markers(text, "#")) dict.ShowSection(section);
    const std::string out = render_template(name, dict);
    BOOST_TEST(out.find("<script>alert") == std::string::npos, name);
    BOOST_TEST(out.find("<img src=x") == std::string::npos, name);
    BOOST_TEST(out.find("alert(\"x\")") == std::string::npos, name);  // the quote is escaped too
    if (!markers(text, "").empty()) BOOST_TEST(out.find("&lt;script&gt;alert(&quot;x&quot;)") != std::string::npos, name);
  }
}
