// kosmo-admin: the sysadmin's command line. Each subcommand is one function
// below; exit codes follow sysexits(3): 0 done, 64 usage, 65 bad input data,
// 69 database unavailable, 78 configuration error.
#include <cppconn/exception.h>
#include <sysexits.h>

#include <iostream>
#include <string>
#include <string_view>
#include <vector>

#include "admin_commands.h"
#include "config.h"
#include "db.h"
#include "log.h"

namespace {

constexpr const char* kUsage = R"(usage: kosmo-admin [--config FILE] COMMAND [ARGS]

Commands:
  migrate                 apply the pending sql/NNN_*.sql migrations in order;
                          safe to run again (applied ones are recorded)
  member add --login-id ID --card-symbol S --card-number N --birth-date YYYY-MM-DD
             [--email ADDR] [--name NAME] [--logged-in] [--temporary]
                          add or update one member; the password is read from
                          standard input (one line)
  seed-demo --out FILE    create the demo members of the local stack and write
                          them (with their passwords) to FILE as JSON

Options:
  --config FILE           configuration file (default /etc/kosmo/kosmo.conf,
                          or $KOSMO_CONFIG)
  --help                  show this text

Exit status: 0 success, 64 usage error, 65 invalid input data,
69 database unavailable, 78 configuration error.
)";

}  // namespace

int main(int argc, char** argv) {
  kosmo::set_program_name("kosmo-admin");
  std::string config_path = kosmo::default_config_path();
  std::vector<std::string> args;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      std::cout << kUsage;
      return 0;
    }
    if (arg == "--config" && i + 1 < argc && args.empty()) {
      config_path = argv[++i];
      continue;
    }
    args.emplace_back(arg);
  }
  if (args.empty()) {
    std::cerr << kUsage;
    return EX_USAGE;
  }

  kosmo::Config config;
  try {
    config = kosmo::load_config(config_path);
  } catch (const kosmo::ConfigError& e) {
    std::cerr << "kosmo-admin: " << e.what() << "\n";
    return EX_CONFIG;
  }
  try {
    kosmo::init_database_driver();
    kosmo::Connection db(config, kosmo::Prepare::OnFirstUse);
    const std::string command = args.front();
    args.erase(args.begin());
    if (command == "migrate") return kosmo::admin_migrate(config, db, args);
    if (command == "member") return kosmo::admin_member(config, db, args);
    if (command == "seed-demo") return kosmo::admin_seed_demo(config, db, args);
    std::cerr << "kosmo-admin: unknown command '" << command << "'\n" << kUsage;
    return EX_USAGE;
  } catch (const sql::SQLException& e) {
    std::cerr << "kosmo-admin: database error " << e.getErrorCode() << " (" << e.getSQLState() << ")\n";
    return kosmo::classify(e) == kosmo::DbFailure::ConnectionLost ? EX_UNAVAILABLE : EX_SOFTWARE;
  }
}
