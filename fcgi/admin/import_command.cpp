// kosmo-admin import-members FILE.csv: the insurer's member export into the
// members table. The whole file is read and checked first; a file with a bad
// row changes nothing (unless --skip-invalid), so the table never holds half
// an export and the operator fixes the file and runs the same command again.
// Rows are upserted by login_id (running it twice changes nothing more),
// 1000 to a transaction. Hashes from the former PHP system (bcrypt $2y$) and
// argon2id hashes are kept as they are; a password set on this system since
// (password_changed_at) wins over the file's (members.h, keep_password_set_here).
// The report names lines and columns, never values (card numbers, addresses).
#include <sysexits.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <set>

#include "admin_commands.h"
#include "members.h"
#include "normalize.h"
#include "text.h"

namespace kosmo {

const char* const kImportMembersHelp = R"(NAME
    kosmo-admin import-members - add or update members from a CSV export

SYNOPSIS
    kosmo-admin [--config FILE] import-members [--dry-run] [--skip-invalid]
                [--batch N] FILE.csv

DESCRIPTION
    Reads FILE.csv (RFC 4180: comma-separated, "quoted" fields may hold commas,
    "" and line breaks; LF or CRLF; UTF-8, a leading byte-order mark is
    ignored), checks every row, then inserts each member or updates the member
    with the same login_id. Running the same file again changes nothing
    further. The first row names the columns, in any order:

    login_id       required  the login ID (ASCII after NFKC, at most 64)
    card_symbol    required  保険証の記号 (normalised like the screens: NFKC,
                             no spaces or hyphens, at most 32)
    card_number    required  保険証の番号 (the same)
    birth_date     required  1980-01-02, 19800102, 1980/1/2, 昭和55年1月2日 ...
    email          optional  the registered address (empty: none; the member
                             then gets no mail, R1 カ); recorded as the
                             insurer's. An address the member confirmed on
                             this system (D16) is never replaced by the
                             file's.
    display_name   optional  at most 100 characters
    password_hash  optional  an existing hash, kept as it is: bcrypt
                             ($2y$/$2b$/$2a$, from PHP's password_hash) or
                             argon2id (PHC string: it holds commas, so the
                             field is quoted). Empty: no password until
                             the member initializes one by mail. A password
                             changed or initialized on this system is never
                             replaced by the file's hash.
    has_logged_in  optional  1 if the member has logged in before (the ID
                             recovery needs it, R1 ア), 0 or empty if not

    Any other column name is an error. A bad row is reported with its line
    number and column, never with its value; a login_id that appears twice is
    a bad row too. If any row is bad, nothing is imported and the exit status
    is 65: the table never holds part of an export.

OPTIONS
    --dry-run        check the file and report, write nothing
    --skip-invalid   import the good rows even if some are bad (exit 65 all
                     the same, so scripts notice)
    --batch N        rows per transaction (default 1000)

EXIT STATUS
    0 all rows imported; 64 usage; 65 bad rows or header (see the report on
    standard error); 66 the file cannot be read; 69 the database is
    unavailable (rows of earlier batches stay imported: run again); 78
    configuration error.

EXAMPLE
    kosmo-admin import-members --dry-run /srv/export/members.csv
    kosmo-admin import-members /srv/export/members.csv
)";

namespace {

struct CsvRecord {
  int line = 0;  // where the record starts (1 = the header)
  std::vector<std::string> fields;
};

// RFC 4180 records from a stream. A syntax error (a quote inside an unquoted
// field, text after a closing quote, a file ending inside quotes) is
// reported with its line and the rest of that record is skipped.
class CsvReader {
 public:
  explicit CsvReader(std::istream& in) : in_(in) {}

  // false at the end of the input.
  bool next(CsvRecord& record, std::string& error) {
    record.fields.assign(1, "");
    record.line = line_;
    error.clear();
    int c = in_.get();
    if (c == EOF) return false;
    bool quoted = false;
    bool after_quote = false;  // a quoted field was closed
    for (;; c = in_.get()) {
      if (c == EOF) {
        if (quoted && error.empty()) error = "the file ends inside a quoted field";
        return true;
      }
      const char ch = static_cast<char>(c);
      if (quoted) {
        if (ch == '"') {
          if (in_.peek() == '"') {
            in_.get();
            record.fields.back() += '"';
          } else {
            quoted = false;
            after_quote = true;
          }
        } else {
          if (ch == '\n') ++line_;
          record.fields.back() += ch;
        }
        continue;
      }
      if (ch == '\r' && in_.peek() == '\n') continue;
      if (ch == '\n') {
        ++line_;
        return true;
      }
      if (ch == ',') {
        record.fields.emplace_back();
        after_quote = false;
      } else if (ch == '"' && record.fields.back().empty() && !after_quote) {
        quoted = true;
      } else if (after_quote || ch == '"') {
        if (error.empty()) error = "a quote in the middle of a field";
        record.fields.back() += ch;
      } else {
        record.fields.back() += ch;
      }
    }
  }

 private:
  std::istream& in_;
  int line_ = 1;
};

constexpr const char* kRequiredColumns[] = {"login_id", "card_symbol", "card_number", "birth_date"};
constexpr const char* kOptionalColumns[] = {"email", "display_name", "password_hash", "has_logged_in"};

std::size_t code_points(std::string_view utf8) {
  return static_cast<std::size_t>(
      std::count_if(utf8.begin(), utf8.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

bool is_base64_text(std::string_view text, std::string_view extra) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [&](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
           extra.find(c) != std::string_view::npos;
  });
}

// $2y$10$ + 22 salt + 31 hash characters of bcrypt's alphabet.
bool is_bcrypt_hash(std::string_view hash) {
  if (hash.size() != 60 || !(hash.starts_with("$2y$") || hash.starts_with("$2b$") || hash.starts_with("$2a$")))
    return false;
  if (hash[6] != '$' || hash[4] < '0' || hash[4] > '3' || hash[5] < '0' || hash[5] > '9') return false;
  const int cost = (hash[4] - '0') * 10 + (hash[5] - '0');
  return cost >= 4 && cost <= 31 && is_base64_text(hash.substr(7), "./");
}

// $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash> (base64 without padding).
bool is_argon2id_hash(std::string_view hash) {
  constexpr std::string_view kPrefix = "$argon2id$v=19$m=";
  if (!hash.starts_with(kPrefix) || hash.size() > 255) return false;
  const auto params_end = hash.find('$', kPrefix.size());
  if (params_end == std::string_view::npos) return false;
  const std::string_view params = hash.substr(kPrefix.size(), params_end - kPrefix.size());
  if (params.find(",t=") == std::string_view::npos || params.find(",p=") == std::string_view::npos) return false;
  const std::string_view rest = hash.substr(params_end + 1);
  const auto salt_end = rest.find('$');
  return salt_end != std::string_view::npos && is_base64_text(rest.substr(0, salt_end), "+/") &&
         is_base64_text(rest.substr(salt_end + 1), "+/");
}

struct Columns {
  std::map<std::string, std::size_t> index;  // column name -> field position
  std::size_t count = 0;
  const std::string* field(const CsvRecord& record, const char* name) const {
    const auto it = index.find(name);
    return it == index.end() ? nullptr : &record.fields[it->second];
  }
};

// Problems go to `report` as "line N: column: reason"; the member is filled
// when the row is good.
bool check_row(const Columns& columns, const CsvRecord& record, NewMember& member, std::vector<std::string>& report) {
  const std::size_t before = report.size();
  auto problem = [&](std::string_view column, std::string_view reason) {
    report.push_back("line " + std::to_string(record.line) + ": " + std::string(column) + ": " + std::string(reason));
  };
  if (record.fields.size() != columns.count) {
    problem("row", std::to_string(record.fields.size()) + " fields, the header has " + std::to_string(columns.count));
    return false;
  }
  for (const std::string& field : record.fields) {
    if (!is_valid_utf8(field)) {
      problem("row", "not UTF-8 (save the export as UTF-8)");
      return false;
    }
  }
  auto value = [&](const char* name) -> std::string {
    const std::string* field = columns.field(record, name);
    return field ? std::string(trim(*field)) : std::string();
  };

  const std::string login_id = normalize_login_id(value("login_id"));
  if (login_id.empty()) {
    problem("login_id", "empty");
  } else if (login_id.size() > 64 ||
             !std::all_of(login_id.begin(), login_id.end(), [](char c) { return c > 0x20 && c < 0x7f; })) {
    problem("login_id", "must be 1 to 64 ASCII characters without spaces");
  }
  member.login_id = login_id.empty() ? "-" : login_id;  // reported above; prepare_member checks the rest
  member.card_symbol = value("card_symbol");
  member.card_number = value("card_number");
  const std::string email = value("email");
  member.email = email.empty() ? std::nullopt : std::optional(email);
  const std::string display_name = value("display_name");
  member.display_name = display_name.empty() ? std::nullopt : std::optional(display_name);
  if (const std::string error = prepare_member(member, value("birth_date")); !error.empty()) {
    const std::string column = error.starts_with("card symbol") ? "card_symbol"
                               : error.starts_with("card number") ? "card_number"
                               : error.starts_with("birth date")  ? "birth_date"
                               : error.starts_with("email")       ? "email"
                                                                  : "row";
    problem(column, error);
  }
  if (code_points(member.card_symbol) > 32) problem("card_symbol", "longer than 32 characters");
  if (code_points(member.card_number) > 32) problem("card_number", "longer than 32 characters");
  if (member.email && member.email->size() > 254) problem("email", "longer than 254 bytes");
  if (member.display_name) {
    if (code_points(*member.display_name) > 100) problem("display_name", "longer than 100 characters");
    if (std::any_of(member.display_name->begin(), member.display_name->end(),
                    [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; }))
      problem("display_name", "holds a control character or line break");
  }
  const std::string hash = value("password_hash");
  if (!hash.empty() && !is_bcrypt_hash(hash) && !is_argon2id_hash(hash))
    problem("password_hash", "neither a bcrypt ($2y$, $2b$, $2a$) nor an argon2id hash");
  member.password_hash = hash.empty() ? std::nullopt : std::optional(hash);
  const std::string logged_in = value("has_logged_in");
  if (logged_in != "" && logged_in != "0" && logged_in != "1") problem("has_logged_in", "must be 0, 1 or empty");
  member.has_logged_in = logged_in == "1";
  member.password_is_temporary = false;
  member.keep_password_set_here = true;
  return report.size() == before;
}

struct ImportOptions {
  bool dry_run = false;
  bool skip_invalid = false;
  int batch = 1000;
  std::string path;
};

std::optional<ImportOptions> parse_import_options(const std::vector<std::string>& args) {
  ImportOptions options;
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--dry-run") {
      options.dry_run = true;
    } else if (args[i] == "--skip-invalid") {
      options.skip_invalid = true;
    } else if (args[i] == "--batch" && i + 1 < args.size()) {
      const std::string& n = args[++i];
      if (n.empty() || n.size() > 5 || !std::all_of(n.begin(), n.end(), [](char c) { return c >= '0' && c <= '9'; }) ||
          std::stoi(n) < 1)
        return {};
      options.batch = std::stoi(n);
    } else if (!args[i].starts_with("--") && options.path.empty()) {
      options.path = args[i];
    } else {
      return {};
    }
  }
  if (options.path.empty()) return {};
  return options;
}

}  // namespace

int admin_import_members(const Config&, Connection& db, const std::vector<std::string>& args) {
  const auto options = parse_import_options(args);
  if (!options) {
    std::cerr << "usage: kosmo-admin import-members [--dry-run] [--skip-invalid] [--batch N] FILE.csv\n";
    return EX_USAGE;
  }
  std::ifstream in(options->path, std::ios::binary);
  if (!in) {
    std::cerr << "kosmo-admin import-members: cannot read " << options->path << "\n";
    return EX_NOINPUT;
  }
  const auto started = std::chrono::steady_clock::now();
  // Excel writes a UTF-8 byte-order mark first; it is not part of the header.
  char bom[3] = {};
  if (!in.read(bom, 3) || std::string_view(bom, 3) != "\xEF\xBB\xBF") {
    in.clear();
    in.seekg(0);
  }

  CsvReader reader(in);
  CsvRecord header;
  std::string error;
  if (!reader.next(header, error) || !error.empty()) {
    std::cerr << "kosmo-admin import-members: line 1: " << (error.empty() ? "no header row" : error) << "\n";
    return EX_DATAERR;
  }
  Columns columns;
  columns.count = header.fields.size();
  std::vector<std::string> report;
  for (std::size_t i = 0; i < header.fields.size(); ++i) {
    const std::string name(trim(header.fields[i]));
    const bool known = std::any_of(std::begin(kRequiredColumns), std::end(kRequiredColumns),
                                   [&](const char* c) { return name == c; }) ||
                       std::any_of(std::begin(kOptionalColumns), std::end(kOptionalColumns),
                                   [&](const char* c) { return name == c; });
    if (!known) report.push_back("line 1: header: unknown column '" + name + "'");
    else if (!columns.index.emplace(name, i).second) report.push_back("line 1: header: column '" + name + "' twice");
  }
  for (const char* required : kRequiredColumns)
    if (!columns.index.count(required)) report.push_back(std::string("line 1: header: no column '") + required + "'");
  if (!report.empty()) {
    for (const std::string& line : report) std::cerr << "kosmo-admin import-members: " << line << "\n";
    std::cerr << "kosmo-admin import-members: columns: login_id, card_symbol, card_number, birth_date "
                 "(required), email, display_name, password_hash, has_logged_in (see --help)\n";
    return EX_DATAERR;
  }

  // Pass 1: read and check everything before the first write.
  std::vector<NewMember> members;
  std::map<std::string, int> first_line;  // login_id -> line, for repeats
  int rows = 0;
  CsvRecord record;
  while (reader.next(record, error)) {
    if (record.fields.size() == 1 && record.fields[0].empty() && error.empty()) continue;  // a blank line
    ++rows;
    if (!error.empty()) {
      report.push_back("line " + std::to_string(record.line) + ": row: " + error);
      continue;
    }
    NewMember member;
    if (!check_row(columns, record, member, report)) continue;
    const auto [it, inserted] = first_line.emplace(member.login_id, record.line);
    if (!inserted) {
      report.push_back("line " + std::to_string(record.line) + ": login_id: also on line " + std::to_string(it->second));
      continue;
    }
    members.push_back(std::move(member));
  }
  for (const std::string& line : report) std::cerr << "kosmo-admin import-members: " << line << "\n";
  const int bad = rows - static_cast<int>(members.size());
  std::cerr << "kosmo-admin import-members: " << rows << " rows read, " << members.size() << " good, " << bad
            << " bad\n";
  if (options->dry_run || (bad > 0 && !options->skip_invalid)) {
    if (bad > 0) std::cerr << "kosmo-admin import-members: nothing imported (fix the rows above and run again)\n";
    return bad > 0 ? EX_DATAERR : 0;
  }

  // Pass 2: upsert in batches, one transaction each.
  std::size_t done = 0;
  try {
    while (done < members.size()) {
      const std::size_t end = std::min(members.size(), done + static_cast<std::size_t>(options->batch));
      Transaction tx(db);
      upsert_members(tx, std::span<const NewMember>(members).subspan(done, end - done));
      tx.commit();
      done = end;
    }
  } catch (...) {
    std::cerr << "kosmo-admin import-members: stopped after " << done
              << " members were imported; running the same command again is safe\n";
    throw;
  }
  const auto seconds =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count() / 1000.0;
  std::cout << "imported " << done << " members in " << seconds << " s" << (bad > 0 ? " (bad rows skipped)" : "")
            << "\n";
  return bad > 0 ? EX_DATAERR : 0;
}

}  // namespace kosmo
