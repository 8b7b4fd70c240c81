// kosmo-admin member issue-initial: the first login's credentials (D17). Each
// selected member who never logged in (オ) gets a temporary password valid
// temp_password.initial_ttl, written with the login ID to a CSV for the
// insurer's letter printing. One transaction for all of them, and the file is
// complete and on disk before COMMIT (removed if COMMIT fails), so no member
// is left with a password that no letter carries. The password goes to the
// file only: never to the terminal, a log or an audit row (D8, D12).
#include <fcntl.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "admin_commands.h"
#include "audit.h"
#include "initial_passwords.h"
#include "members.h"
#include "normalize.h"
#include "password.h"

namespace kosmo {
namespace {

constexpr std::string_view kCommand = "kosmo-admin member issue-initial: ";
constexpr std::string_view kCsvHeader = "login_id,display_name,temporary_password,valid_until\r\n";

// The letters' file: created here or not at all (O_EXCL: an existing file,
// or a symlink planted at the path, is refused), 0600 whatever the umask,
// and removed unless keep() ran, so a failure leaves no file that lists
// passwords the database does not hold.
class LetterFile {
 public:
  explicit LetterFile(std::string path) : path_(std::move(path)) {
    fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd_ < 0) {
      open_errno_ = errno;
      return;
    }
    if (::fchmod(fd_, 0600) == 0) return;
    open_errno_ = errno;
    ::close(fd_);
    ::unlink(path_.c_str());
    fd_ = -1;
  }
  ~LetterFile() {
    if (fd_ >= 0) ::close(fd_);
    if (created() && !kept_) ::unlink(path_.c_str());
  }
  LetterFile(const LetterFile&) = delete;
  LetterFile& operator=(const LetterFile&) = delete;

  bool created() const { return fd_ >= 0 || closed_; }
  int open_errno() const { return open_errno_; }

  void write(std::string_view text) {
    while (!text.empty()) {
      const ssize_t n = ::write(fd_, text.data(), text.size());
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) fail("cannot write");
      text.remove_prefix(static_cast<std::size_t>(n));
    }
  }
  // Data and the directory entry on disk: after COMMIT the letters must
  // survive a power cut as surely as the passwords do.
  void sync_and_close() {
    if (::fsync(fd_) != 0) fail("cannot fsync");
    if (::close(fd_) != 0) {
      fd_ = -1;
      closed_ = true;
      fail("cannot close");
    }
    fd_ = -1;
    closed_ = true;
    const std::string dir = std::filesystem::absolute(path_).parent_path().string();
    const int dir_fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir_fd >= 0) {
      ::fsync(dir_fd);
      ::close(dir_fd);
    }
  }
  void keep() { kept_ = true; }

 private:
  [[noreturn]] void fail(std::string_view what) {
    throw std::runtime_error(std::string(what) + " " + path_ + ": " + std::strerror(errno));
  }

  std::string path_;
  int fd_ = -1;
  int open_errno_ = 0;
  bool closed_ = false;
  bool kept_ = false;
};

// Japanese Excel also starts a formula from the full-width signs, and the
// insurer's names are typed with a Japanese IME (UTF-8, as stored).
constexpr std::string_view kFullWidthFormulaSigns[] = {
    "\uFF1D",  // ＝ FULLWIDTH EQUALS SIGN
    "\uFF0B",  // ＋ FULLWIDTH PLUS SIGN
    "\uFF0D",  // － FULLWIDTH HYPHEN-MINUS
    "\uFF20",  // ＠ FULLWIDTH COMMERCIAL AT
};

// A cell starting with = + - @, a tab, a CR or one of the full-width signs
// above is a formula when the file is opened in a spreadsheet (CSV
// injection, OWASP), and the display name is the insurer's data, not ours
// (D17). Such a cell gets a single quote in front, inside the quotes, which a
// spreadsheet takes as "text" and does not show.
bool reads_as_formula(std::string_view value) {
  if (value.empty()) return false;
  if (std::string_view("=+-@\t\r").find(value.front()) != std::string_view::npos) return true;
  return std::ranges::any_of(kFullWidthFormulaSigns,
                             [value](std::string_view sign) { return value.starts_with(sign); });
}

// RFC 4180: a field with a comma, a quote or a line break is quoted, quotes
// doubled; a field that would read as a formula is quoted and guarded.
std::string csv_field(std::string_view value) {
  const bool formula = reads_as_formula(value);
  if (!formula && value.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(value);
  std::string out = formula ? "\"'" : "\"";
  for (const char c : value) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

struct Selection {
  std::vector<InitialCandidate> members;
  int refusal = 0;  // an exit status when the selection is refused
};

// --login-id names one member, who must never have logged in: a member who
// has logged in recovers by mail (R10), and a letter would only replace a
// password they use.
Selection select_one(Transaction& tx, const std::string& login_id) {
  const std::optional<Member> member = find_member_by_login_id(tx, login_id);
  if (!member) {
    std::cerr << kCommand << "no member with login ID " << login_id << "; nothing was changed\n";
    return {.members = {}, .refusal = EX_NOUSER};
  }
  if (member->has_logged_in) {
    std::cerr << kCommand << "member " << login_id
              << " has already logged in; an initial password is only for members who never logged in "
                 "(a member who forgot the password uses 「パスワードを忘れた方はこちら」); nothing was changed\n";
    return {.members = {}, .refusal = EX_DATAERR};
  }
  if (member->is_disabled) {
    std::cerr << kCommand << "member " << login_id << " is disabled (member enable first); nothing was changed\n";
    return {.members = {}, .refusal = EX_DATAERR};
  }
  return {.members = {{.member_id = member->member_id, .login_id = member->login_id,
                       .display_name = member->display_name}}};
}

}  // namespace

int issue_initial_passwords(const Config& config, Connection& db, const std::string& login_id,
                            bool never_logged_in, const std::string& out_path) {
  if (login_id.empty() == !never_logged_in || out_path.empty()) {
    std::cerr << kCommand << "expected --login-id ID or --never-logged-in, and --out FILE.csv\n";
    return EX_USAGE;
  }
  // The file first: an existing one stops everything before a member changes.
  LetterFile file(out_path);
  if (!file.created()) {
    const int error = file.open_errno();
    std::cerr << kCommand << out_path
              << (error == EEXIST ? " already exists; it is never overwritten (move it away or choose another name)"
                                  : std::string(": cannot create: ") + std::strerror(error))
              << "; nothing was changed\n";
    return EX_CANTCREAT;
  }

  Transaction tx(db);
  Selection selection = never_logged_in ? Selection{find_members_never_logged_in(tx)} : select_one(tx, login_id);
  if (selection.refusal != 0) return selection.refusal;  // rolls back, removes the file

  std::string csv(kCsvHeader);
  std::size_t issued = 0;
  for (const InitialCandidate& member : selection.members) {
    const std::string password = generate_temporary_password();  // D6's generator: 12 characters, no look-alikes
    const std::optional<std::string> valid_until =
        store_initial_password(tx, member.member_id, hash_password(password), config.temp_password_initial_ttl);
    if (!valid_until) continue;  // logged in (or disabled) since the SELECT: keeps what they use
    try_audit_system(tx, AdminActionOutcome::InitialPasswordIssued, member.member_id,
                     "ttl_seconds=" + std::to_string(config.temp_password_initial_ttl));
    csv += csv_field(member.login_id) + "," + csv_field(member.display_name.value_or("")) + "," + password + "," +
           *valid_until + "\r\n";
    ++issued;
  }
  file.write(csv);
  file.sync_and_close();
  tx.commit();  // throws when refused: the file is removed, the passwords were never stored
  file.keep();
  std::cout << "issued initial temporary passwords to " << issued << " member(s), valid "
            << config.temp_password_initial_ttl << " s (temp_password.initial_ttl); the letters' data is in "
            << out_path << " (mode 0600): delete it once the letters are printed\n";
  return 0;
}

}  // namespace kosmo
