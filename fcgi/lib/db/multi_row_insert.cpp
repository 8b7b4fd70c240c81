#include "multi_row_insert.h"

#include <utility>

namespace kosmo {

void insert_rows(Transaction& tx, const MultiRowInsert& insert, std::size_t count,
                 const std::function<void(sql::PreparedStatement&, int, std::size_t)>& bind) {
  std::size_t at = 0;
  for (const auto& [statement, size] :
       {std::pair{&insert.rows16, std::size_t{16}}, std::pair{&insert.rows4, std::size_t{4}},
        std::pair{&insert.row1, std::size_t{1}}}) {
    for (; count - at >= size; at += size) {
      sql::PreparedStatement& st = tx.statement(*statement);
      for (std::size_t i = 0; i < size; ++i)
        bind(st, 1 + static_cast<int>(i) * insert.placeholders_per_row, at + i);
      st.executeUpdate();
    }
  }
}

}  // namespace kosmo
