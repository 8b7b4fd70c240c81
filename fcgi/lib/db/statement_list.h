// statement_list: every SQL statement a program carries (its registered
// SqlStatements), printed by `--list-sql`, so a DBA can review what a binary
// runs and tests/integration/admin_queries_use_an_index_test.js can EXPLAIN
// each one without a copy of the SQL that could drift from the code.
#pragma once

#include <ostream>

namespace kosmo {

// One line per statement: its name, a tab, its text.
void write_statement_list(std::ostream& out);

}  // namespace kosmo
