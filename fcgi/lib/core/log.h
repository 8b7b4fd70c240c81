// log: one line per event on stderr, key=value, `level prog req event` first.
// Never pass a token, password, card number, email address or SQL error text
// here (D8, D12): log member_id, errno and sqlstate instead.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

namespace kosmo {

enum class LogLevel { Error, Warn, Info };

using LogField = std::pair<std::string_view, std::string>;

// Set once in main() before any thread starts.
void set_program_name(std::string_view name);
const std::string& program_name();

void log_event(LogLevel level, std::string_view event,
               std::initializer_list<LogField> fields = {});

// A start-up failure: one error line, then exit(exit_code) (sysexits).
[[noreturn]] void die(int exit_code, std::string_view event, std::initializer_list<LogField> fields = {});

// Quotes a value when it holds spaces, quotes or '=' so a line stays one
// parseable record whatever a user agent string contains.
std::string log_value(std::string_view value);

}  // namespace kosmo
