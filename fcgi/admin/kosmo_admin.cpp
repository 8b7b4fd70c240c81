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
#include "statement_list.h"

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
  limits reset --card SYMBOL NUMBER | --login-id ID | --ip ADDRESS
                          clear the abuse counters and lockouts (D7) of a
                          card, a login ID or a client address
  limits show             the limits in force (config, defaults where unset)
  limits key --scope SCOPE --subject SUBJECT | --card SYMBOL NUMBER
                          the stored key (keyed hash, hex) of a subject's
                          counters; never the secret
  member show|unlock|disable|enable LOGIN_ID
                          a member's state for support staff (show --events N:
                          its latest N audit events); clear its login
                          lockout; stop or allow its logins (ends sessions)
  member issue-initial (--login-id ID | --never-logged-in) --out FILE.csv
                          initial temporary passwords for members who never
                          logged in, written to a new 0600 CSV for letters (D17)
  import-members [--dry-run] [--skip-invalid] FILE.csv
                          add or update members from the insurer's CSV export
  outbox list [--status S] | outbox retry MAIL_ID|--failed|--queued
                          the mail outbox without bodies; requeue mails
  purge [--dry-run]       delete expired sessions, tokens, grants, sent mails,
                          old limit windows and old audit rows (daily timer)
  audit export --since TIME [--until TIME]
                          audit events as JSON lines
  COMMAND --help          the manual of one command

Options:
  --config FILE           configuration file (default /etc/kosmo/kosmo.conf,
                          or $KOSMO_CONFIG)
  --help                  show this text
  --list-sql              print every SQL statement kosmo-admin can run
                          (name, tab, text), for review and the index tests

Exit status: 0 success, 64 usage error, 65 invalid input data, 66 input
file unreadable, 67 no such member or mail, 69 database unavailable,
70 internal error, 73 output file exists or cannot be created,
78 configuration error.
)";

// The manual of one command, or nullptr (then the overview above).
const char* command_help(std::string_view command) {
  if (command == "migrate") return kosmo::kMigrateHelp;
  if (command == "member") return kosmo::kMemberHelp;
  if (command == "import-members") return kosmo::kImportMembersHelp;
  if (command == "outbox") return kosmo::kOutboxHelp;
  if (command == "purge") return kosmo::kPurgeHelp;
  if (command == "audit") return kosmo::kAuditHelp;
  if (command == "limits") return kosmo::kLimitsHelp;
  return nullptr;
}

}  // namespace

int main(int argc, char** argv) {
  kosmo::set_program_name("kosmo-admin");
  std::string config_path = kosmo::default_config_path();
  std::vector<std::string> args;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      const char* help = args.empty() ? nullptr : command_help(args.front());
      std::cout << (help ? help : kUsage);
      return 0;
    }
    if (arg == "--list-sql" && args.empty()) {
      kosmo::write_statement_list(std::cout);
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
  if (args.front() == "limits") {
    const std::vector<std::string> limits_args(args.begin() + 1, args.end());
    if (const auto status = kosmo::admin_limits_without_database(config, limits_args)) return *status;
  }
  try {
    kosmo::init_database_driver();
    kosmo::Connection db(config, kosmo::Prepare::OnFirstUse);
    const std::string command = args.front();
    args.erase(args.begin());
    if (command == "migrate") return kosmo::admin_migrate(config, db, args);
    if (command == "member") return kosmo::admin_member(config, db, args);
    if (command == "seed-demo") return kosmo::admin_seed_demo(config, db, args);
    if (command == "limits") return kosmo::admin_limits(config, db, args);
    if (command == "import-members") return kosmo::admin_import_members(config, db, args);
    if (command == "outbox") return kosmo::admin_outbox(config, db, args);
    if (command == "purge") return kosmo::admin_purge(config, db, args);
    if (command == "audit") return kosmo::admin_audit(config, db, args);
    std::cerr << "kosmo-admin: unknown command '" << command << "'\n" << kUsage;
    return EX_USAGE;
  } catch (const sql::SQLException& e) {
    std::cerr << "kosmo-admin: database error " << e.getErrorCode() << " (" << e.getSQLState() << ")\n";
    return kosmo::classify(e) == kosmo::DbFailure::ConnectionLost ? EX_UNAVAILABLE : EX_SOFTWARE;
  } catch (const std::exception& e) {
    std::cerr << "kosmo-admin: internal error: " << e.what() << "\n";
    return EX_SOFTWARE;
  }
}
