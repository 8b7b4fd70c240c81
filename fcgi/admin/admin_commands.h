// The subcommands of kosmo-admin, one function each. `args` holds what
// follows the command name; the return value is the exit status.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "config.h"
#include "db.h"
#include "members.h"

namespace kosmo {

int admin_migrate(const Config& config, Connection& db, const std::vector<std::string>& args);
int admin_member(const Config& config, Connection& db, const std::vector<std::string>& args);
int admin_seed_demo(const Config& config, Connection& db, const std::vector<std::string>& args);
int admin_limits(const Config& config, Connection& db, const std::vector<std::string>& args);
int admin_import_members(const Config& config, Connection& db, const std::vector<std::string>& args);
int admin_outbox(const Config& config, Connection& db, const std::vector<std::string>& args);
int admin_purge(const Config& config, Connection& db, const std::vector<std::string>& args);
int admin_audit(const Config& config, Connection& db, const std::vector<std::string>& args);

// member issue-initial (D17): initial temporary passwords for members who
// never logged in, written to a new CSV for letter printing.
int issue_initial_passwords(const Config& config, Connection& db, const std::string& login_id,
                            bool never_logged_in, const std::string& out_path);

// limits show and limits key read only the configuration: run before any
// database connection, so they work while the database is down. nullopt:
// not one of them (admin_limits takes it).
std::optional<int> admin_limits_without_database(const Config& config, const std::vector<std::string>& args);

// Man-page style help of a command (kosmo-admin COMMAND --help), each defined
// in its command's file.
extern const char* const kMigrateHelp;
extern const char* const kMemberHelp;
extern const char* const kImportMembersHelp;
extern const char* const kOutboxHelp;
extern const char* const kPurgeHelp;
extern const char* const kAuditHelp;
extern const char* const kLimitsHelp;

// member add and import-members: checks and normalises one member's fields
// the way the screens normalise what members type (D10). Returns an error
// text ("card symbol is empty ...") or "".
std::string prepare_member(NewMember& member, const std::string& birth_date_text);

}  // namespace kosmo
