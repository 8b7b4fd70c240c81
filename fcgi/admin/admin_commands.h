// The subcommands of kosmo-admin, one function each. `args` holds what
// follows the command name; the return value is the exit status.
#pragma once

#include <string>
#include <vector>

#include "config.h"
#include "db.h"

namespace kosmo {

int admin_migrate(const Config& config, Connection& db, const std::vector<std::string>& args);
int admin_member(const Config& config, Connection& db, const std::vector<std::string>& args);
int admin_seed_demo(const Config& config, Connection& db, const std::vector<std::string>& args);

}  // namespace kosmo
