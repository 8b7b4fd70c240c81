#include "log.h"

#include <unistd.h>

#include <cstdlib>

namespace kosmo {
namespace {

std::string& program_name_storage() {
  static std::string name = "kosmo";
  return name;
}

// Under systemd with StandardError=journal, JOURNAL_STREAM is set and a "<N>"
// prefix gives each line its syslog priority (sd-daemon(3)).
bool stderr_is_journal() {
  static const bool is_journal = std::getenv("JOURNAL_STREAM") != nullptr;
  return is_journal;
}

std::string_view level_name(LogLevel level) {
  switch (level) {
    case LogLevel::Error: return "error";
    case LogLevel::Warn: return "warn";
    case LogLevel::Info: return "info";
  }
  return "error";
}

std::string_view journal_prefix(LogLevel level) {
  switch (level) {
    case LogLevel::Error: return "<3>";
    case LogLevel::Warn: return "<4>";
    case LogLevel::Info: return "<6>";
  }
  return "<3>";
}

}  // namespace

void set_program_name(std::string_view name) { program_name_storage() = std::string(name); }
const std::string& program_name() { return program_name_storage(); }

std::string log_value(std::string_view value) {
  bool needs_quotes = value.empty();
  std::string out;
  out.reserve(value.size() + 2);
  for (unsigned char c : value) {
    if (c < 0x20 || c == 0x7f) {
      out += '?';  // a control character could forge a second log line
      continue;
    }
    if (c == ' ' || c == '=' || c == '"') needs_quotes = true;
    if (c == '"' || c == '\\') out += '\\';
    out += static_cast<char>(c);
  }
  return needs_quotes ? "\"" + out + "\"" : out;
}

void log_event(LogLevel level, std::string_view event, std::initializer_list<LogField> fields) {
  std::string line;
  if (stderr_is_journal()) line += journal_prefix(level);
  line += "level=";
  line += level_name(level);
  line += " prog=";
  line += program_name();
  line += " event=";
  line += log_value(event);
  for (const auto& [key, value] : fields) {
    line += ' ';
    line += key;
    line += '=';
    line += log_value(value);
  }
  line += '\n';
  // One write(2) per line: lines from several worker threads never interleave.
  ssize_t ignored = ::write(STDERR_FILENO, line.data(), line.size());
  (void)ignored;
}

void die(int exit_code, std::string_view event, std::initializer_list<LogField> fields) {
  log_event(LogLevel::Error, event, fields);
  std::exit(exit_code);
}

}  // namespace kosmo
