#include "page.h"

#include <stdexcept>

namespace kosmo {
namespace {

// Blank lines matter in a plain-text mail (the subject ends at the first one);
// in HTML they are noise.
ctemplate::Strip strip_mode(std::string_view name) {
  return name.starts_with("mail/") ? ctemplate::DO_NOT_STRIP : ctemplate::STRIP_BLANK_LINES;
}

}  // namespace

void load_templates(const std::string& dir, const std::vector<std::string>& names) {
  ctemplate::mutable_default_template_cache()->SetTemplateRootDirectory(dir);
  std::vector<std::string> all(names);
  for (const char* layout : kLayoutTemplates) all.emplace_back(layout);
  all.emplace_back(kErrorTemplate);
  for (const std::string& name : all) {
    if (!ctemplate::LoadTemplate(name, strip_mode(name)))
      throw std::runtime_error("template " + dir + "/" + name + " is missing or does not parse");
  }
  // Freeze: nothing reloads from disk while workers render concurrently.
  ctemplate::mutable_default_template_cache()->Freeze();
}

std::string render_template(std::string_view name, ctemplate::TemplateDictionary& dict) {
  dict.AddIncludeDictionary("HEAD")->SetFilename(kLayoutTemplates[0]);
  dict.AddIncludeDictionary("BANNER")->SetFilename(kLayoutTemplates[1]);
  dict.AddIncludeDictionary("FOOT")->SetFilename(kLayoutTemplates[2]);
  std::string out;
  if (!ctemplate::ExpandTemplate(std::string(name), strip_mode(name), &dict, &out))
    throw std::runtime_error("template " + std::string(name) + " failed to expand");
  return out;
}

}  // namespace kosmo
