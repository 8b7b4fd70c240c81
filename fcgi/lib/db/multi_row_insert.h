// multi_row_insert: a batch of rows written with the same INSERT prepared for
// 16, 4 and 1 rows, so any batch is a few statements (20 rows: 16 + 4) and a
// fixed set of texts is prepared once (issue 16: one INSERT per row was a
// round trip each). The table's file keeps its three SQL texts as literal
// macros the SQL lint reads; this file only cuts the batch into them.
#pragma once

#include <cstddef>
#include <functional>

#include "db.h"

namespace kosmo {

struct MultiRowInsert {
  const SqlStatement& rows16;  // the INSERT with 16 rows of placeholders
  const SqlStatement& rows4;
  const SqlStatement& row1;
  int placeholders_per_row;
};

// Writes rows 0..count-1; bind(statement, first placeholder (1-based), row)
// binds one row's values.
void insert_rows(Transaction& tx, const MultiRowInsert& insert, std::size_t count,
                 const std::function<void(sql::PreparedStatement&, int, std::size_t)>& bind);

}  // namespace kosmo
