#include "statement_list.h"

#include "db.h"

namespace kosmo {

void write_statement_list(std::ostream& out) {
  for (const SqlStatement* statement : registered_statements())
    out << statement->name() << '\t' << statement->text() << '\n';
}

}  // namespace kosmo
