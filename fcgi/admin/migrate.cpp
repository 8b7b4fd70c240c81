// kosmo-admin migrate: applies sql/NNN_<what>.sql in order and records each
// in schema_migrations, so a second run applies nothing. A file is applied
// statement by statement; MariaDB commits DDL implicitly, so a failure stops
// at that statement and names the file — fix it and run again.
#include <cppconn/exception.h>
#include <sysexits.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "admin_commands.h"

namespace kosmo {

const char* const kMigrateHelp = R"(NAME
    kosmo-admin migrate - bring the database schema up to date

SYNOPSIS
    kosmo-admin [--config FILE] migrate

DESCRIPTION
    Applies the migrations sql_dir/NNN_<what>.sql (/usr/share/kosmo/sql) that
    schema_migrations does not list yet, in order, and records each. Running
    it again applies nothing. Run it after every upgrade of the package,
    before restarting the programs; back the database up first. The account
    needs CREATE, ALTER, INDEX, REFERENCES, DROP and CREATE ROUTINE on the
    database; the programs' account needs EXECUTE (the token POST's
    procedure, 008_token_redeem.sql).

EXIT STATUS
    0 done; 64 usage; 65 a migration failed (the file and the error are
    named; MariaDB commits DDL at once, so fix and run again); 69 database
    unavailable; 78 configuration error.
)";

namespace {

const SqlStatement kCreateMigrations{
    "migrations.create",
    "CREATE TABLE IF NOT EXISTS schema_migrations (version INT NOT NULL, name VARCHAR(200) NOT NULL, "
    "applied_at DATETIME(6) NOT NULL, PRIMARY KEY (version)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4"};
const SqlStatement kIsApplied{"migrations.is_applied", "SELECT 1 FROM schema_migrations WHERE version = ?"};
const SqlStatement kRecord{"migrations.record",
                           "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, UTC_TIMESTAMP(6))"};

struct Migration {
  int version;
  std::filesystem::path path;
};

// MariaDB's "access denied" errors: to the database (1044), a table (1142),
// a privilege such as SUPER (1227), a routine (1370).
bool is_missing_right(int code) { return code == 1044 || code == 1142 || code == 1227 || code == 1370; }

std::vector<Migration> find_migrations(const std::string& dir) {
  std::vector<Migration> found;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    if (entry.path().extension() != ".sql" || name.size() < 5 || name[3] != '_') continue;
    if (!std::all_of(name.begin(), name.begin() + 3, [](char c) { return c >= '0' && c <= '9'; })) continue;
    found.push_back({std::stoi(name.substr(0, 3)), entry.path()});
  }
  std::sort(found.begin(), found.end(), [](const Migration& a, const Migration& b) { return a.version < b.version; });
  return found;
}

// Splits a migration file into statements as the mariadb client does: at
// the delimiter that ends a line, ';' unless a "DELIMITER //" line changed
// it, so a procedure's body, whose statements end in ';', stays one
// statement (sql/008_token_redeem.sql). "--" comment lines are dropped, and
// a delimiter other than ';' is not sent (it is no SQL).
std::vector<std::string> split_statements(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::vector<std::string> statements;
  std::string delimiter = ";";
  std::string current;
  std::string line;
  while (std::getline(in, line)) {
    const auto first = line.find_first_not_of(" \t");
    if (first == std::string::npos || line.compare(first, 2, "--") == 0) continue;
    const auto last = line.find_last_not_of(" \t\r");
    const std::string trimmed = line.substr(first, last - first + 1);
    if (trimmed.size() > 10 && (trimmed.compare(0, 10, "DELIMITER ") == 0 || trimmed.compare(0, 10, "delimiter ") == 0)) {
      delimiter = trimmed.substr(trimmed.find_first_not_of(' ', 10));
      continue;
    }
    const bool ends = trimmed.size() >= delimiter.size() &&
                      trimmed.compare(trimmed.size() - delimiter.size(), delimiter.size(), delimiter) == 0;
    if (ends && delimiter != ";") line = line.substr(0, line.rfind(delimiter));
    current += line;
    current += '\n';
    if (ends) {
      statements.push_back(current);
      current.clear();
    }
  }
  if (current.find_first_not_of(" \t\r\n") != std::string::npos) statements.push_back(current);
  return statements;
}

}  // namespace

int admin_migrate(const Config& config, Connection& db, const std::vector<std::string>& args) {
  if (!args.empty()) {
    std::cerr << "kosmo-admin migrate: takes no arguments\n";
    return EX_USAGE;
  }
  db.statement(kCreateMigrations).execute();
  int applied = 0;
  for (const Migration& migration : find_migrations(config.sql_dir)) {
    sql::PreparedStatement& is_applied = db.statement(kIsApplied);
    is_applied.setInt(1, migration.version);
    if (query(is_applied)->next()) continue;
    const std::string name = migration.path.filename().string();
    // Migration files are our own DDL, shipped with the program; they are
    // the one place SQL text is executed without a prepared statement.
    for (const std::string& statement : split_statements(migration.path)) {
      try {
        db.execute(statement);
      } catch (const sql::SQLException& e) {
        std::cerr << "kosmo-admin migrate: " << name << " failed: error " << e.getErrorCode() << " ("
                  << e.getSQLState() << "): " << e.what() << "\n";
        // An account made for an older version lacks a right a later
        // migration needs (008: CREATE ROUTINE): say what to do, not only
        // MariaDB's words.
        if (is_missing_right(e.getErrorCode()))
          std::cerr << "kosmo-admin migrate: the database account lacks a right " << name
                    << " needs: give it the GRANT of README.md (Operations, \"Create the database and its "
                       "account\"; an older account: \"Upgrade\"), then run migrate again\n";
        return EX_DATAERR;
      }
    }
    sql::PreparedStatement& record = db.statement(kRecord);
    record.setInt(1, migration.version);
    record.setString(2, name);
    record.executeUpdate();
    std::cout << "applied " << name << "\n";
    ++applied;
  }
  std::cout << (applied == 0 ? "schema is up to date\n" : "migrations applied: " + std::to_string(applied) + "\n");
  return 0;
}

}  // namespace kosmo
