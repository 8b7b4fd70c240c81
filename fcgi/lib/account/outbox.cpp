#include "outbox.h"

#include <optional>
#include <stdexcept>

#include "crypto.h"
#include "multi_row_insert.h"
#include "page.h"

namespace kosmo {
namespace {

const SqlStatement kInsertMail{
    "outbox.insert",
    "INSERT INTO mail_outbox (kind, member_id, to_address, subject, body, message_id, status, attempts, "
    "next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, ?, 'queued', 0, UTC_TIMESTAMP(6), UTC_TIMESTAMP(6))"};

// A batch's mails in a few statements (issue 16): the same INSERT for 16, 4
// and 1 rows (multi_row_insert.h), as audit.cpp writes a batch's audit rows.
// Placeholders, not a JSON parameter: JSON_TABLE took 2.2 ms for ten mails
// of 2 KB, ten times a multi-row INSERT. Literal macros, so the SQL lint sees
// the whole text.
#define KOSMO_MAIL_INSERT                                                                              \
  "INSERT INTO mail_outbox (kind, member_id, to_address, subject, body, message_id, status, attempts, " \
  "next_attempt_at, created_at) VALUES "
#define KOSMO_MAIL_ROW "(?, ?, ?, ?, ?, ?, 'queued', 0, UTC_TIMESTAMP(6), UTC_TIMESTAMP(6))"
#define KOSMO_MAIL_ROWS4 KOSMO_MAIL_ROW ", " KOSMO_MAIL_ROW ", " KOSMO_MAIL_ROW ", " KOSMO_MAIL_ROW
const SqlStatement kInsertMails16{
    "outbox.insert_16",
    KOSMO_MAIL_INSERT KOSMO_MAIL_ROWS4 ", " KOSMO_MAIL_ROWS4 ", " KOSMO_MAIL_ROWS4 ", " KOSMO_MAIL_ROWS4};
const SqlStatement kInsertMails4{"outbox.insert_4", KOSMO_MAIL_INSERT KOSMO_MAIL_ROWS4};
#undef KOSMO_MAIL_ROWS4
#undef KOSMO_MAIL_ROW
#undef KOSMO_MAIL_INSERT
constexpr int kMailPlaceholders = 6;

const SqlStatement kOutboxDepth{
    "outbox.depth",
    "SELECT COUNT(*) AS waiting, COALESCE(TIMESTAMPDIFF(SECOND, MIN(created_at), UTC_TIMESTAMP(6)), 0) AS oldest "
    "FROM mail_outbox WHERE status IN ('queued', 'sending')"};

// The addressee of every mail (issue 15 item 7): 「{{DISPLAY_NAME}} 様」.
const SqlStatement kAddressee{"outbox.addressee", "SELECT display_name FROM members WHERE member_id = ?"};

// 「山田 太郎 様」, or 「ご加入者様」 (the template's) when the member has no name.
void set_addressee(const std::optional<std::string>& display_name, ctemplate::TemplateDictionary& dict) {
  if (display_name && !display_name->empty()) dict.SetValueAndShowSection("DISPLAY_NAME", *display_name, "NAMED");
  else dict.ShowSection("UNNAMED");
}

std::optional<std::string> display_name_of(Transaction& tx, std::uint64_t member_id) {
  sql::PreparedStatement& select = tx.statement(kAddressee);
  select.setUInt64(1, member_id);
  Rows rows = query(select);
  if (!rows->next()) return std::nullopt;
  return nullable_string(*rows, "display_name");
}

}  // namespace

OutboxDepth outbox_depth(Transaction& tx) {
  Rows rows = query(tx.statement(kOutboxDepth));
  rows->next();
  return {rows->getUInt64("waiting"), rows->getUInt64("oldest")};
}

std::string_view to_string(MailKind kind) {
  switch (kind) {
    case MailKind::IdNotice: return "id_notice";
    case MailKind::TemporaryPassword: return "temporary_password";
    case MailKind::PasswordChanged: return "password_changed";
    case MailKind::EmailConfirm: return "email_confirm";
    case MailKind::EmailChangeNotice: return "email_change_notice";
    case MailKind::EmailChanged: return "email_changed";
  }
  return "unknown";
}

std::string mail_template_name(MailKind kind) { return "mail/" + std::string(to_string(kind)) + ".txt.tpl"; }

OutboxMail render_mail(const Config& config, MailKind kind, std::uint64_t member_id, const std::string& to_address,
                       const std::optional<std::string>& display_name, ctemplate::TemplateDictionary& dict) {
  dict.SetValue("SENDING_DOMAIN", config.mail_sending_domain);
  dict.SetValue("PUBLIC_BASE_URL", config.public_base_url);
  set_addressee(display_name, dict);
  std::string text = render_template(mail_template_name(kind), dict);
  text.erase(0, text.find_first_not_of('\n'));  // the line of the AUTOESCAPE pragma
  const auto blank = text.find("\n\n");
  if (blank == std::string::npos) throw std::runtime_error(mail_template_name(kind) + " has no subject line");
  OutboxMail mail;
  mail.kind = kind;
  mail.member_id = member_id;
  mail.to_address = to_address;
  mail.subject = text.substr(0, blank);
  mail.body = text.substr(blank + 2);
  // Appended piece by piece: GCC 12 at -O2 warns (-Wrestrict, a false
  // positive) on the same value built with operator+ from a literal.
  mail.message_id.append("<").append(hex_encode(random_bytes(16))).append("@");
  mail.message_id.append(config.mail_sending_domain).append(">");
  return mail;
}

namespace {

// Binds one mail's six values from `first` on (1-based).
void bind_mail(sql::PreparedStatement& insert, int first, const OutboxMail& mail) {
  insert.setString(first, std::string(to_string(mail.kind)));
  insert.setUInt64(first + 1, mail.member_id);
  insert.setString(first + 2, mail.to_address);
  insert.setString(first + 3, mail.subject);
  insert.setString(first + 4, mail.body);
  insert.setString(first + 5, mail.message_id);
}

}  // namespace

void enqueue_mail(Transaction& tx, const Config& config, MailKind kind, std::uint64_t member_id,
                  const std::string& to_address, ctemplate::TemplateDictionary& dict) {
  enqueue_mails(tx, {render_mail(config, kind, member_id, to_address, display_name_of(tx, member_id), dict)});
}

void enqueue_mails(Transaction& tx, const std::vector<OutboxMail>& mails) {
  insert_rows(tx, {kInsertMails16, kInsertMails4, kInsertMail, kMailPlaceholders}, mails.size(),
              [&mails](sql::PreparedStatement& st, int first, std::size_t i) { bind_mail(st, first, mails[i]); });
}

}  // namespace kosmo
