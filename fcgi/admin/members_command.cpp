// kosmo-admin member add / seed-demo: put members into the database the way
// the screens expect them (normalised card fields, argon2id hashes).
#include <sysexits.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>

#include "admin_commands.h"
#include "birth_date.h"
#include "members.h"
#include "normalize.h"
#include "password.h"

namespace kosmo {
namespace {

// Reads "--key value" pairs and bare "--flag"s.
std::map<std::string, std::string> parse_flags(const std::vector<std::string>& args, std::size_t from) {
  std::map<std::string, std::string> flags;
  for (std::size_t i = from; i < args.size(); ++i) {
    if (!args[i].starts_with("--")) continue;
    const std::string name = args[i].substr(2);
    const bool has_value = i + 1 < args.size() && !args[i + 1].starts_with("--");
    flags[name] = has_value ? args[++i] : "";
  }
  return flags;
}

// Checks and normalises one member's fields the way the identity screen
// normalises what members type (D10). Returns an error text or "".
std::string prepare_member(NewMember& member, const std::string& birth_date_text) {
  if (member.login_id.empty()) return "login ID is empty";
  const auto symbol = normalize_card_field(member.card_symbol);
  const auto number = normalize_card_field(member.card_number);
  if (!symbol || symbol->empty()) return "card symbol is empty or not UTF-8";
  if (!number || number->empty()) return "card number is empty or not UTF-8";
  member.card_symbol = *symbol;
  member.card_number = *number;
  const auto birth = parse_birth_date(birth_date_text);
  if (!birth) return "birth date is not a valid date";
  member.birth_date = birth->iso();
  if (member.email) {
    const auto email = normalize_email(*member.email);
    if (!email || email->find('@') == std::string::npos) return "email is not an address";
    member.email = *email;
  }
  return "";
}

int add_member(Connection& db, const std::vector<std::string>& args) {
  auto flags = parse_flags(args, 1);
  NewMember member;
  member.login_id = flags["login-id"];
  member.card_symbol = flags["card-symbol"];
  member.card_number = flags["card-number"];
  if (flags.count("email") && !flags["email"].empty()) member.email = flags["email"];
  if (flags.count("name") && !flags["name"].empty()) member.display_name = flags["name"];
  member.has_logged_in = flags.count("logged-in") > 0;
  member.password_is_temporary = flags.count("temporary") > 0;
  if (const std::string error = prepare_member(member, flags["birth-date"]); !error.empty()) {
    std::cerr << "kosmo-admin member add: " << error << "\n";
    return EX_DATAERR;
  }
  std::string password;
  std::getline(std::cin, password);
  if (!password.empty()) member.password_hash = hash_password(password);
  Transaction tx(db);
  const std::uint64_t id = upsert_member(tx, member);
  tx.commit();
  std::cout << "member_id=" << id << "\n";
  return 0;
}

struct DemoMember {
  const char* kind;
  const char* login_id;
  const char* card_symbol;
  const char* card_number;
  const char* birth_date;
  const char* email;  // "" = none
  bool has_logged_in;
};

// One of each kind R1 distinguishes: eligible, never logged in (オ), no email (カ).
constexpr DemoMember kDemoMembers[] = {
    {"eligible", "0010000005750", "1234", "5678", "1980-01-02", "taro.yamada@example.jp", true},
    {"eligible", "0010000005751", "1234", "5679", "1975-07-15", "hanako.suzuki@example.jp", true},
    {"never_logged_in", "0010000005752", "2345", "1001", "1990-03-31", "jiro.sato@example.jp", false},
    {"no_email", "0010000005753", "2345", "1002", "1968-11-03", "", true},
};

std::string json_string(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

}  // namespace

int admin_member(const Config&, Connection& db, const std::vector<std::string>& args) {
  if (!args.empty() && args[0] == "add") return add_member(db, args);
  std::cerr << "kosmo-admin member: expected 'add' (see --help)\n";
  return EX_USAGE;
}

int admin_seed_demo(const Config&, Connection& db, const std::vector<std::string>& args) {
  auto flags = parse_flags(args, 0);
  const std::string out_path = flags["out"];
  if (out_path.empty()) {
    std::cerr << "kosmo-admin seed-demo: --out FILE is required\n";
    return EX_USAGE;
  }
  std::string json = "[\n";
  Transaction tx(db);
  for (const DemoMember& demo : kDemoMembers) {
    NewMember member;
    member.login_id = demo.login_id;
    member.card_symbol = demo.card_symbol;
    member.card_number = demo.card_number;
    if (*demo.email) member.email = demo.email;
    member.has_logged_in = demo.has_logged_in;
    const std::string password = generate_temporary_password();
    member.password_hash = hash_password(password);
    if (const std::string error = prepare_member(member, demo.birth_date); !error.empty()) {
      std::cerr << "kosmo-admin seed-demo: " << error << "\n";
      return EX_SOFTWARE;
    }
    upsert_member(tx, member);
    if (json.size() > 2) json += ",\n";
    json += "  {\"login_id\": " + json_string(demo.login_id) + ", \"password\": " + json_string(password) +
            ", \"card_symbol\": " + json_string(demo.card_symbol) + ", \"card_number\": " +
            json_string(demo.card_number) + ", \"birth_date\": " + json_string(demo.birth_date) +
            ", \"email\": " + (*demo.email ? json_string(demo.email) : "null") + ", \"kind\": " +
            json_string(demo.kind) + "}";
  }
  tx.commit();
  json += "\n]\n";
  // Written after the commit, and by rename, so the file never lists
  // passwords the database does not hold.
  const std::string tmp = out_path + ".tmp";
  std::ofstream(tmp) << json;
  std::filesystem::permissions(tmp, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  std::filesystem::rename(tmp, out_path);
  std::cout << "demo members written to " << out_path << "\n";
  return 0;
}

}  // namespace kosmo
