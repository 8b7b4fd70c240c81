// json_rows: many rows as ONE statement parameter, which the SQL reads with
// JSON_TABLE. A batch of identity checks then costs one round trip per step
// instead of one per identity and step, with one fixed SQL text whatever the
// batch's size (issue 16: the round trips were the cost, bench/README.md).
//
// Only values with a spelling that needs no JSON escaping go in: integers,
// bytes as hex (the SQL turns them back with UNHEX, and text with
// CONVERT(UNHEX(..) USING utf8mb4)), and words of the program's own making
// ([0-9A-Za-z_-]: scope names, ISO dates). So a member's text (an address, a
// card typed in kanji) can never change the JSON around it, and no escaping
// code exists to get wrong.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace kosmo {

class JsonRows {
 public:
  // Starts the next row; cells are added to it in the order of the SQL's
  // JSON_TABLE COLUMNS (PATH '$[0]', '$[1]' ...).
  JsonRows& row();
  JsonRows& integer(std::int64_t value);
  JsonRows& unsigned_integer(std::uint64_t value);
  JsonRows& hex(std::string_view bytes);
  // Throws std::invalid_argument for anything outside [0-9A-Za-z_-] or empty.
  JsonRows& word(std::string_view text);

  std::size_t size() const { return rows_; }
  bool empty() const { return rows_ == 0; }
  // The array of arrays: [["a",1],["b",2]]; [] when there are no rows.
  std::string json() const;

 private:
  void cell(std::string_view spelled);

  std::string rows_text_;
  std::size_t rows_ = 0;
  bool row_has_cells_ = false;
};

}  // namespace kosmo
