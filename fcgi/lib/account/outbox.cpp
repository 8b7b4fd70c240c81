#include "outbox.h"

#include <optional>
#include <stdexcept>

#include "crypto.h"
#include "page.h"

namespace kosmo {
namespace {

const SqlStatement kInsertMail{
    "outbox.insert",
    "INSERT INTO mail_outbox (kind, member_id, to_address, subject, body, message_id, status, attempts, "
    "next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, ?, 'queued', 0, UTC_TIMESTAMP(6), UTC_TIMESTAMP(6))"};

const SqlStatement kOutboxDepth{
    "outbox.depth",
    "SELECT COUNT(*) AS waiting, COALESCE(TIMESTAMPDIFF(SECOND, MIN(created_at), UTC_TIMESTAMP(6)), 0) AS oldest "
    "FROM mail_outbox WHERE status IN ('queued', 'sending')"};

// The addressee of every mail (issue 15 item 7): 「{{DISPLAY_NAME}} 様」.
const SqlStatement kAddressee{"outbox.addressee", "SELECT display_name FROM members WHERE member_id = ?"};

// 「山田 太郎 様」, or 「ご加入者様」 (the template's) when the member has no name.
void set_addressee(Transaction& tx, std::uint64_t member_id, ctemplate::TemplateDictionary& dict) {
  sql::PreparedStatement& select = tx.statement(kAddressee);
  select.setUInt64(1, member_id);
  Rows rows = query(select);
  std::optional<std::string> name;
  if (rows->next()) name = nullable_string(*rows, "display_name");
  if (name && !name->empty()) dict.SetValueAndShowSection("DISPLAY_NAME", *name, "NAMED");
  else dict.ShowSection("UNNAMED");
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

void enqueue_mail(Transaction& tx, const Config& config, MailKind kind, std::uint64_t member_id,
                           const std::string& to_address, ctemplate::TemplateDictionary& dict) {
  dict.SetValue("SENDING_DOMAIN", config.mail_sending_domain);
  dict.SetValue("PUBLIC_BASE_URL", config.public_base_url);
  set_addressee(tx, member_id, dict);
  std::string text = render_template(mail_template_name(kind), dict);
  text.erase(0, text.find_first_not_of('\n'));  // the line of the AUTOESCAPE pragma
  const auto blank = text.find("\n\n");
  if (blank == std::string::npos) throw std::runtime_error(mail_template_name(kind) + " has no subject line");
  const std::string subject = text.substr(0, blank);
  const std::string body = text.substr(blank + 2);
  const std::string message_id = "<" + hex_encode(random_bytes(16)) + "@" + config.mail_sending_domain + ">";

  sql::PreparedStatement& insert = tx.statement(kInsertMail);
  insert.setString(1, std::string(to_string(kind)));
  insert.setUInt64(2, member_id);
  insert.setString(3, to_address);
  insert.setString(4, subject);
  insert.setString(5, body);
  insert.setString(6, message_id);
  insert.executeUpdate();
}

}  // namespace kosmo
