#include "outbox.h"

#include <optional>
#include <stdexcept>

#include "crypto.h"
#include "json_rows.h"
#include "page.h"

namespace kosmo {
namespace {

const SqlStatement kInsertMail{
    "outbox.insert",
    "INSERT INTO mail_outbox (kind, member_id, to_address, subject, body, message_id, status, attempts, "
    "next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, ?, 'queued', 0, UTC_TIMESTAMP(6), UTC_TIMESTAMP(6))"};

// A batch's mails in one statement (issue 16): every text as hex in the JSON
// parameter (json_rows.h), turned back into utf8mb4 here, where strict mode
// refuses invalid UTF-8 as the single INSERT does. The columns are VARCHAR,
// not TEXT: a TEXT column sends JSON_TABLE's rows through an on-disk
// temporary table (11 ms for 20 mails). JSON_TABLE cuts a longer value with
// a mere warning, so a mail longer than a column goes in by kInsertMail.
constexpr std::size_t kBatchAddressHex = 508, kBatchSubjectHex = 1020, kBatchBodyHex = 30000,
                      kBatchMessageIdHex = 510;
const SqlStatement kInsertMails{
    "outbox.insert_batch",
    "INSERT INTO mail_outbox (kind, member_id, to_address, subject, body, message_id, status, attempts, "
    "next_attempt_at, created_at) "
    "SELECT batch.kind, batch.member_id, CONVERT(UNHEX(batch.to_hex) USING utf8mb4), "
    "CONVERT(UNHEX(batch.subject_hex) USING utf8mb4), CONVERT(UNHEX(batch.body_hex) USING utf8mb4), "
    "CONVERT(UNHEX(batch.message_id_hex) USING ascii), 'queued', 0, UTC_TIMESTAMP(6), UTC_TIMESTAMP(6) "
    "FROM JSON_TABLE(?, '$[*]' COLUMNS (kind VARCHAR(32) CHARACTER SET ascii PATH '$[0]', "
    "member_id BIGINT UNSIGNED PATH '$[1]', to_hex VARCHAR(508) CHARACTER SET ascii PATH '$[2]', "
    "subject_hex VARCHAR(1020) CHARACTER SET ascii PATH '$[3]', body_hex VARCHAR(30000) CHARACTER SET ascii "
    "PATH '$[4]', message_id_hex VARCHAR(510) CHARACTER SET ascii PATH '$[5]')) AS batch"};

bool fits_the_batch_columns(const OutboxMail& mail) {
  return mail.to_address.size() * 2 <= kBatchAddressHex && mail.subject.size() * 2 <= kBatchSubjectHex &&
         mail.body.size() * 2 <= kBatchBodyHex && mail.message_id.size() * 2 <= kBatchMessageIdHex;
}

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

void insert_mail(Transaction& tx, const OutboxMail& mail) {
  sql::PreparedStatement& insert = tx.statement(kInsertMail);
  insert.setString(1, std::string(to_string(mail.kind)));
  insert.setUInt64(2, mail.member_id);
  insert.setString(3, mail.to_address);
  insert.setString(4, mail.subject);
  insert.setString(5, mail.body);
  insert.setString(6, mail.message_id);
  insert.executeUpdate();
}

}  // namespace

void enqueue_mail(Transaction& tx, const Config& config, MailKind kind, std::uint64_t member_id,
                  const std::string& to_address, ctemplate::TemplateDictionary& dict) {
  insert_mail(tx, render_mail(config, kind, member_id, to_address, display_name_of(tx, member_id), dict));
}

void enqueue_mails(Transaction& tx, const std::vector<OutboxMail>& mails) {
  JsonRows batch;
  for (const OutboxMail& mail : mails) {
    if (!fits_the_batch_columns(mail)) {
      insert_mail(tx, mail);
      continue;
    }
    batch.row()
        .word(to_string(mail.kind))
        .unsigned_integer(mail.member_id)
        .hex(mail.to_address)
        .hex(mail.subject)
        .hex(mail.body)
        .hex(mail.message_id);
  }
  if (batch.empty()) return;
  sql::PreparedStatement& insert = tx.statement(kInsertMails);
  insert.setString(1, batch.json());
  insert.executeUpdate();
}

}  // namespace kosmo
