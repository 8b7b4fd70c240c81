// kosmo-admin member add | show | unlock | disable | enable, and seed-demo:
// put members into the database the way the screens expect them (normalised
// card fields, argon2id hashes), and let support staff see and change a
// member's state. show never prints a password hash or a full card number
// (D8); every change writes an admin_action audit row.
#include <sysexits.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>

#include "admin_commands.h"
#include "audit.h"
#include "birth_date.h"
#include "email_changes.h"
#include "initial_passwords.h"
#include "members.h"
#include "normalize.h"
#include "password.h"
#include "rate_limits.h"
#include "session.h"

namespace kosmo {

const char* const kMemberHelp = R"(NAME
    kosmo-admin member - add, show, unlock, disable or enable one member

SYNOPSIS
    kosmo-admin [--config FILE] member add --login-id ID --card-symbol S
                --card-number N --birth-date DATE [--email ADDR] [--name NAME]
                [--logged-in] [--temporary]  < password
    kosmo-admin [--config FILE] member show LOGIN_ID [--events N]
    kosmo-admin [--config FILE] member unlock LOGIN_ID
    kosmo-admin [--config FILE] member disable LOGIN_ID
    kosmo-admin [--config FILE] member enable LOGIN_ID
    kosmo-admin [--config FILE] member issue-initial
                (--login-id ID | --never-logged-in) --out FILE.csv

DESCRIPTION
    add      adds the member, or updates the member with that login ID; the
             password is read from standard input (one line; empty: none).
    show     prints the member's state for support staff: login ID, name,
             address with its source (insurer or member) and confirmation
             time, a pending address change (masked), card symbol and the last two digits of the card
             number, birth date, whether a password is set (never the hash),
             temporary password and its expiry, disabled, last logins, the
             login lockout, open sessions and the latest audit events (10,
             or N with --events N, at most 1000). Times are UTC.
    unlock   clears the login failure counters and the lockout of the login
             ID (D7), as `limits reset --login-id` does.
    disable  stops the member from logging in and ends every open session.
    enable   lets a disabled member log in again.
    issue-initial
             gives each selected member who never logged in (and is not
             disabled) a new temporary password valid
             temp_password.initial_ttl (30 days) and writes FILE.csv for the
             insurer's letters (D17): UTF-8, CRLF, header
             login_id,display_name,temporary_password,valid_until (Japan
             time, YYYY-MM-DD HH:MM). FILE is created with mode 0600 and
             never overwritten. --login-id refuses a member who has logged
             in. All members in one transaction: on any failure nobody's
             password changes and no file is left. The passwords appear
             only in FILE, never on the terminal or in a log; one
             admin_action row (initial_password_issued) per member.
    unlock, disable, enable and issue-initial write admin_action audit rows.

EXIT STATUS
    0 done (also when the member already was in that state); 64 usage;
    65 invalid data (issue-initial: the member has logged in or is
    disabled); 67 no member with that login ID; 69 database unavailable;
    73 issue-initial's FILE exists or cannot be created; 78 configuration
    error.
)";

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

}  // namespace

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

namespace {

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
  bool initial_password;  // D17: the letter's temporary password, as member issue-initial gives it
};

// One of each kind R1 distinguishes: eligible, never logged in (オ), no email
// (カ); and first_login, a member holding the insurer's letter (D17), who
// walks 初回設定: the forced password change, then メールアドレス登録.
constexpr DemoMember kDemoMembers[] = {
    {"eligible", "0010000005750", "1234", "5678", "1980-01-02", "taro.yamada@example.jp", true, false},
    {"eligible", "0010000005751", "1234", "5679", "1975-07-15", "hanako.suzuki@example.jp", true, false},
    {"never_logged_in", "0010000005752", "2345", "1001", "1990-03-31", "jiro.sato@example.jp", false, false},
    {"no_email", "0010000005753", "2345", "1002", "1968-11-03", "", true, false},
    {"first_login", "0010000005754", "2345", "1003", "1985-05-05", "", false, true},
};

std::string json_string(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}


// Times as the database holds them: UTC, to the second.
#define KOSMO_UTC(column) "DATE_FORMAT(" column ", '%Y-%m-%d %H:%i:%s')"

const SqlStatement kShowMember{
    "admin.member_show",
    "SELECT member_id, login_id, display_name, email, email_source, " KOSMO_UTC("email_confirmed_at")
    " AS email_confirmed_at, card_symbol, card_number, "
    "DATE_FORMAT(birth_date, '%Y-%m-%d') AS birth_date, password_hash, password_is_temporary, is_disabled, "
    KOSMO_UTC("password_expires_at") " AS password_expires_at, "
    "(password_expires_at <= UTC_TIMESTAMP(6)) AS password_expired, "
    KOSMO_UTC("password_changed_at") " AS password_changed_at, " KOSMO_UTC("last_login_at") " AS last_login_at, "
    KOSMO_UTC("previous_login_at") " AS previous_login_at, " KOSMO_UTC("created_at") " AS created_at, "
    KOSMO_UTC("updated_at") " AS updated_at, "
    // The import's has_logged_in = 1 (and member add --logged-in) writes the
    // creation time into last_login_at, in the row's first INSERT or in the
    // upsert that first sets it (R1 ア); a real login comes later and moves
    // it to previous_login_at.
    "(last_login_at = created_at) AS last_login_is_import, (previous_login_at = created_at) AS previous_login_is_import "
    "FROM members WHERE login_id = ?"};
// Open: not ended, and within both timeouts (what current_session() accepts).
const SqlStatement kOpenSessions{
    "admin.member_open_sessions",
    "SELECT COUNT(*) AS open_sessions FROM sessions WHERE member_id = ? AND ended_at IS NULL "
    "AND last_seen_at > UTC_TIMESTAMP(6) - INTERVAL ? SECOND AND created_at > UTC_TIMESTAMP(6) - INTERVAL ? SECOND"};
const SqlStatement kLoginLock{
    "admin.member_login_lock",
    "SELECT " KOSMO_UTC("MAX(blocked_until)") " AS blocked_until, "
    "MAX(blocked_until) > UTC_TIMESTAMP(6) AS locked, COALESCE(SUM(hits), 0) AS failures "
    "FROM rate_limits WHERE scope = ? AND subject_hash = ? "
    "AND (window_start > UTC_TIMESTAMP() - INTERVAL ? SECOND OR blocked_until > UTC_TIMESTAMP(6))"};
// The formatted time has its own name: ORDER BY prefers an alias to a column,
// and an alias occurred_at sorted every audit row of the member by its text
// (8.5 s for 340,000 rows, issue 16). Ordered by the column, the newest N
// are read backwards from idx_audit_events_member and nothing is sorted.
const SqlStatement kRecentAudit{
    "admin.member_recent_audit",
    "SELECT " KOSMO_UTC("occurred_at") " AS occurred_utc, event, outcome, ip FROM audit_events "
    "WHERE member_id = ? ORDER BY occurred_at DESC, audit_id DESC LIMIT ?"};
const SqlStatement kSetDisabled{
    "admin.member_set_disabled",
    "UPDATE members SET is_disabled = ?, updated_at = UTC_TIMESTAMP(6) WHERE member_id = ? AND is_disabled <> ?"};
#undef KOSMO_UTC

std::string or_dash(const std::optional<std::string>& value) { return value ? *value : "-"; }
std::string when(const std::optional<std::string>& utc) { return utc ? *utc + " UTC" : "never"; }

// last_login and previous_login: support staff read a time there as a login
// on this system, so the mark the import leaves (has_logged_in = 1) is named
// as what it is (issue 14).
std::string login_time(sql::ResultSet& member, const char* column, const char* is_import) {
  const std::optional<std::string> utc = nullable_string(member, column);
  if (utc && !member.isNull(is_import) && member.getBoolean(is_import))
    return "none on this system (imported as logged in before, has_logged_in=1, " + *utc + " UTC)";
  return when(utc);
}

// "****5678" keeps the last two characters: enough for support staff to tell
// two cards of a family apart, not enough to use (D8).
std::string masked_card_number(const std::string& number) {
  if (number.size() <= 2) return std::string(number.size(), '*');
  return std::string(number.size() - 2, '*') + number.substr(number.size() - 2);
}

// D16: who vouches for the registered address.
std::string email_source(const std::optional<std::string>& source) {
  if (!source) return "-";
  if (*source == "insurer") return "insurer (import or member add)";
  if (*source == "member") return "member (confirmed through the link)";
  return *source;
}

std::string_view hash_kind(const std::optional<std::string>& hash) {
  if (!hash) return "none (initialization by mail sets one)";
  if (hash->starts_with("$argon2id$")) return "set (argon2id)";
  if (hash->starts_with("$2")) return "set (bcrypt from the former system; argon2id after the next login)";
  return "set (unknown format: no login possible)";
}

std::optional<std::uint64_t> member_id_of(Transaction& tx, const std::string& login_id) {
  sql::PreparedStatement& find = tx.statement(kShowMember);
  find.setString(1, login_id);
  Rows rows = query(find);
  if (!rows->next()) return std::nullopt;
  return rows->getUInt64("member_id");
}

constexpr int kDefaultShownEvents = 10;
constexpr int kMaxShownEvents = 1000;

// --events N: bounded, so one command cannot ask for a member's whole history
// (audit export is for that).
std::optional<int> parse_shown_events(const std::string& text) {
  if (text.empty() || text.size() > 4 || text.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
  const int n = std::stoi(text);
  if (n < 1 || n > kMaxShownEvents) return std::nullopt;
  return n;
}

int no_such_member(std::string_view action, const std::string& login_id) {
  std::cerr << "kosmo-admin member " << action << ": no member with login ID " << login_id << "\n";
  return EX_NOUSER;
}

int show_member(const Config& config, Connection& db, const std::string& login_id, int shown_events) {
  Transaction tx(db);
  sql::PreparedStatement& find = tx.statement(kShowMember);
  find.setString(1, login_id);
  Rows member = query(find);
  if (!member->next()) return no_such_member("show", login_id);
  const std::uint64_t member_id = member->getUInt64("member_id");
  const bool temporary = member->getBoolean("password_is_temporary");
  const bool expired = !member->isNull("password_expired") && member->getBoolean("password_expired");

  std::cout << "login_id:           " << member->getString("login_id").asStdString() << "\n"
            << "member_id:          " << member_id << "\n"
            << "display_name:       " << or_dash(nullable_string(*member, "display_name")) << "\n"
            << "email:              " << or_dash(nullable_string(*member, "email")) << "\n"
            << "email_source:       " << email_source(nullable_string(*member, "email_source")) << "\n"
            << "email_confirmed:    " << when(nullable_string(*member, "email_confirmed_at")) << "\n"
            << "card:               " << member->getString("card_symbol").asStdString() << " / "
            << masked_card_number(member->getString("card_number").asStdString()) << "\n"
            << "birth_date:         " << member->getString("birth_date").asStdString() << "\n"
            << "password:           " << hash_kind(nullable_string(*member, "password_hash")) << "\n"
            << "temporary_password: "
            << (temporary ? "yes, " + std::string(expired ? "expired " : "valid until ") +
                                when(nullable_string(*member, "password_expires_at"))
                          : std::string("no"))
            << "\n"
            << "password_changed:   " << when(nullable_string(*member, "password_changed_at")) << "\n"
            << "disabled:           " << (member->getBoolean("is_disabled") ? "yes" : "no") << "\n"
            << "last_login:         " << login_time(*member, "last_login_at", "last_login_is_import") << "\n"
            << "previous_login:     " << login_time(*member, "previous_login_at", "previous_login_is_import") << "\n"
            << "created:            " << when(nullable_string(*member, "created_at")) << "\n"
            << "updated:            " << when(nullable_string(*member, "updated_at")) << "\n";
  member.reset();
  // D16: masked, as the member's own マイページ shows it; it counts for nothing yet.
  const std::optional<PendingChange> pending = find_pending_change(tx, member_id);
  std::cout << "pending_email:      "
            << (pending ? mask_address(pending->new_email) + " (waits for its link, valid until " +
                              pending->expires_iso_jst + " JST)"
                        : std::string("none"))
            << "\n";

  sql::PreparedStatement& sessions = tx.statement(kOpenSessions);
  sessions.setUInt64(1, member_id);
  sessions.setInt(2, config.session_idle_timeout);
  sessions.setInt(3, config.session_absolute_timeout);
  Rows open = query(sessions);
  open->next();
  std::cout << "open_sessions:      " << open->getInt64("open_sessions") << "\n";
  open.reset();

  sql::PreparedStatement& lock = tx.statement(kLoginLock);
  lock.setString(1, std::string(to_string(LimitScope::LoginId)));
  lock.setString(2, limit_subject_hash(config, LimitScope::LoginId, login_id));
  lock.setInt(3, config.limits.login_failures_per_id.window_seconds);
  Rows limit = query(lock);
  limit->next();
  const bool locked = !limit->isNull("locked") && limit->getBoolean("locked");
  std::cout << "login_lock:         "
            << (locked ? "locked until " + when(nullable_string(*limit, "blocked_until")) : std::string("none"))
            << " (" << limit->getInt64("failures") << " failed logins in the current window; "
            << "kosmo-admin member unlock clears them)\n";
  limit.reset();

  sql::PreparedStatement& audit_rows = tx.statement(kRecentAudit);
  audit_rows.setUInt64(1, member_id);
  audit_rows.setInt(2, shown_events);
  Rows events = query(audit_rows);
  std::cout << "recent_events:      (newest first, at most " << shown_events << "; --events N for more)\n";
  while (events->next()) {
    std::cout << "  " << events->getString("occurred_utc").asStdString() << " UTC  "
              << events->getString("event").asStdString() << "  " << events->getString("outcome").asStdString();
    if (const auto ip = nullable_string(*events, "ip")) std::cout << "  ip=" << *ip;
    std::cout << "\n";
  }
  return 0;
}

// Clears the login ID's failure counters and lockout (D7) through the limits
// code, which hashes the subject as the login screen does.
int unlock_member(const Config& config, Connection& db, const std::string& login_id) {
  Transaction tx(db);
  const auto member_id = member_id_of(tx, login_id);
  if (!member_id) return no_such_member("unlock", login_id);
  const int removed = reset_limit(tx, config, LimitScope::LoginId, login_id);
  try_audit_system(tx, AdminActionOutcome::MemberUnlocked, *member_id,
                   "rate_limit_rows=" + std::to_string(removed));
  tx.commit();
  std::cout << "member " << login_id << " unlocked: " << removed << " login counter rows removed\n";
  return 0;
}

// A disabled member cannot log in, and every open session ends now; the
// screens also refuse a session of a disabled member on its next request.
int set_disabled(const Config&, Connection& db, const std::string& login_id, bool disable) {
  Transaction tx(db);
  const auto member_id = member_id_of(tx, login_id);
  if (!member_id) return no_such_member(disable ? "disable" : "enable", login_id);
  sql::PreparedStatement& update = tx.statement(kSetDisabled);
  update.setBoolean(1, disable);
  update.setUInt64(2, *member_id);
  update.setBoolean(3, disable);
  const bool changed = update.executeUpdate() > 0;
  if (disable) end_member_sessions(tx, *member_id, "", "disabled");
  if (changed)
    try_audit_system(tx, disable ? AdminActionOutcome::MemberDisabled : AdminActionOutcome::MemberEnabled, *member_id);
  tx.commit();
  std::cout << "member " << login_id << (changed ? "" : " was already") << (disable ? " disabled" : " enabled")
            << (disable ? "; its sessions are ended" : "") << "\n";
  return 0;
}
}  // namespace

int admin_member(const Config& config, Connection& db, const std::vector<std::string>& args) {
  const std::string action = args.empty() ? "" : args[0];
  if (action == "add") return add_member(db, args);
  if (action == "issue-initial") {
    auto flags = parse_flags(args, 1);
    const std::string id = flags.count("login-id") ? normalize_login_id(flags["login-id"]) : "";
    if (flags.count("login-id") && id.empty()) {
      std::cerr << "kosmo-admin member issue-initial: the login ID must be non-empty UTF-8\n";
      return EX_USAGE;
    }
    return issue_initial_passwords(config, db, id, flags.count("never-logged-in") > 0, flags["out"]);
  }
  int shown_events = kDefaultShownEvents;
  if (action == "show" && args.size() == 4 && args[2] == "--events") {
    const std::optional<int> n = parse_shown_events(args[3]);
    if (!n) {
      std::cerr << "kosmo-admin member show: --events takes a number from 1 to " << kMaxShownEvents << "\n";
      return EX_USAGE;
    }
    shown_events = *n;
  } else if (args.size() != 2 || (action != "show" && action != "unlock" && action != "disable" && action != "enable")) {
    std::cerr << "kosmo-admin member: expected add, show, unlock, disable, enable or issue-initial (see member --help)\n";
    return EX_USAGE;
  }
  const std::string id = normalize_login_id(args[1]);
  if (id.empty()) {
    std::cerr << "kosmo-admin member " << action << ": the login ID must be non-empty UTF-8\n";
    return EX_DATAERR;
  }
  if (action == "show") return show_member(config, db, id, shown_events);
  if (action == "unlock") return unlock_member(config, db, id);
  return set_disabled(config, db, id, action == "disable");
}

int admin_seed_demo(const Config& config, Connection& db, const std::vector<std::string>& args) {
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
    member.password_is_temporary = demo.initial_password;
    const std::string password = generate_temporary_password();
    member.password_hash = hash_password(password);
    if (const std::string error = prepare_member(member, demo.birth_date); !error.empty()) {
      std::cerr << "kosmo-admin seed-demo: " << error << "\n";
      return EX_SOFTWARE;
    }
    const std::uint64_t member_id = upsert_member(tx, member);
    // The same store as member issue-initial: temporary, valid temp_password.initial_ttl.
    if (demo.initial_password)
      store_initial_password(tx, member_id, *member.password_hash, config.temp_password_initial_ttl);
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
