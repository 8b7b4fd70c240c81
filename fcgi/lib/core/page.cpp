#include "page.h"

#include <iterator>
#include <stdexcept>
#include <string>

namespace kosmo {
namespace {

// Blank lines matter in a plain-text mail (the subject ends at the first one);
// in HTML they are noise.
ctemplate::Strip strip_mode(std::string_view name) {
  return name.starts_with("mail/") ? ctemplate::DO_NOT_STRIP : ctemplate::STRIP_BLANK_LINES;
}

// Written once by set_site_identity() before the workers start.
Society site_society;
std::string site_url;

void show_if_set(ctemplate::TemplateDictionary& dict, const char* value, const char* section, const std::string& text) {
  if (text.empty()) return;
  dict.SetValueAndShowSection(value, text, section);
}

// The society's values on one dictionary; an empty one shows no section, so
// its label is left out with it (issue 15 item 2).
void add_site_identity(ctemplate::TemplateDictionary& dict) {
  const Society& s = site_society;
  dict.SetValue("SITE_TITLE", s.name.empty() ? std::string("KOSMO Communication Web") : s.name);
  dict.SetValue("SITE_URL", site_url);
  show_if_set(dict, "SOCIETY_NAME", "HAS_SOCIETY", s.name);
  if (s.name.empty()) dict.ShowSection("NO_SOCIETY");
  show_if_set(dict, "SOCIETY_LOGO", "HAS_LOGO", s.logo);
  show_if_set(dict, "CONTACT_NAME", "HAS_CONTACT_NAME", s.contact_name);
  if (s.contact_name.empty()) dict.ShowSection("NO_CONTACT_NAME");
  show_if_set(dict, "CONTACT_PHONE", "HAS_CONTACT_PHONE", s.contact_phone);
  show_if_set(dict, "CONTACT_HOURS", "HAS_CONTACT_HOURS", s.contact_hours);
  const bool has_contact = !s.contact_name.empty() || !s.contact_phone.empty();
  dict.ShowSection(has_contact ? "HAS_CONTACT" : "NO_CONTACT");
  show_if_set(dict, "PRIVACY_URL", "HAS_PRIVACY", s.privacy_url);
  show_if_set(dict, "HELP_URL", "HAS_HELP", s.help_url);
  if (!s.privacy_url.empty() || !s.help_url.empty()) dict.ShowSection("HAS_LINKS");
}

constexpr const char* kStepsTemplate = "_steps.tpl";

}  // namespace

void set_site_identity(const Society& society, const std::string& public_base_url) {
  site_society = society;
  site_url = public_base_url;
}

void show_steps(ctemplate::TemplateDictionary& dict, StepFlow flow, int current) {
  ctemplate::TemplateDictionary* steps = dict.AddIncludeDictionary("STEPS");
  steps->SetFilename(kStepsTemplate);
  steps->ShowSection(flow == StepFlow::Recovery ? "RECOVERY" : "FIRST_SETUP");
  const int count = flow == StepFlow::Recovery ? 4 : 2;
  for (int step = 1; step <= count; ++step) {
    const std::string n = std::to_string(step);
    // done / current / todo: the class draws it, the hidden text says it.
    const char* state = step < current ? "done" : step == current ? "current" : "todo";
    steps->SetValue("STEP" + n + "_STATE", state);
    steps->SetValue("STEP" + n + "_ARIA", step == current ? "step" : "false");
    steps->SetValue("STEP" + n + "_SAY", step < current ? "（完了）" : step == current ? "（現在の手順）" : "");
  }
  steps->SetIntValue("STEP_NOW", current);
  steps->SetIntValue("STEP_COUNT", count);
}

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
  add_site_identity(dict);
  constexpr const char* kIncludes[] = {"HEAD", "BANNER", "FOOT", "SIGNATURE"};
  for (std::size_t i = 0; i < std::size(kIncludes); ++i) {
    ctemplate::TemplateDictionary* part = dict.AddIncludeDictionary(kIncludes[i]);
    part->SetFilename(kLayoutTemplates[i]);
    add_site_identity(*part);
  }
  std::string out;
  if (!ctemplate::ExpandTemplate(std::string(name), strip_mode(name), &dict, &out))
    throw std::runtime_error("template " + std::string(name) + " failed to expand");
  return out;
}

}  // namespace kosmo
