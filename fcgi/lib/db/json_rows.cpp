#include "json_rows.h"

#include <stdexcept>

#include "crypto.h"

namespace kosmo {
namespace {

bool is_word_character(char c) {
  return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' || c == '-';
}

}  // namespace

JsonRows& JsonRows::row() {
  if (rows_ > 0) rows_text_ += "],";
  rows_text_ += '[';
  ++rows_;
  row_has_cells_ = false;
  return *this;
}

void JsonRows::cell(std::string_view spelled) {
  if (rows_ == 0) throw std::logic_error("JsonRows: a cell before the first row()");
  if (row_has_cells_) rows_text_ += ',';
  rows_text_ += spelled;
  row_has_cells_ = true;
}

JsonRows& JsonRows::integer(std::int64_t value) {
  cell(std::to_string(value));
  return *this;
}

JsonRows& JsonRows::unsigned_integer(std::uint64_t value) {
  cell(std::to_string(value));
  return *this;
}

JsonRows& JsonRows::hex(std::string_view bytes) {
  cell("\"" + hex_encode(bytes) + "\"");
  return *this;
}

JsonRows& JsonRows::word(std::string_view text) {
  if (text.empty()) throw std::invalid_argument("JsonRows::word: empty");
  for (char c : text)
    if (!is_word_character(c)) throw std::invalid_argument("JsonRows::word: not a word of the program's own");
  cell("\"" + std::string(text) + "\"");
  return *this;
}

std::string JsonRows::json() const {
  if (rows_ == 0) return "[]";
  return "[" + rows_text_ + "]]";
}

}  // namespace kosmo
