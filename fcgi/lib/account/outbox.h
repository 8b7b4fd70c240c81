// outbox: a mail is a row written in the same transaction as the change that
// causes it (D11), so a rolled-back change sends nothing and a committed one
// is never lost; kosmo-mailer delivers it. Mail text comes from
// templates/mail/<kind>.txt.tpl: its first line is the subject, then a blank
// line, then the body. Templates get only values the server made.
#pragma once

#include <ctemplate/template.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config.h"
#include "db.h"

namespace kosmo {

enum class MailKind {
  IdNotice,           // ログインID再通知のお知らせ
  TemporaryPassword,  // パスワード初期化のお知らせ
  PasswordChanged,    // パスワード変更完了のお知らせ (D9)
  EmailConfirm,       // メールアドレス確認のお願い, to the new address (D16)
  EmailChangeNotice,  // メールアドレス変更手続きのお知らせ, to the registered address at the request (D16)
  EmailChanged,       // メールアドレス変更完了のお知らせ, to the old and the new address (D16)
};
std::string_view to_string(MailKind kind);
// "mail/id_notice.txt.tpl" and so on: screens list these among their templates.
std::string mail_template_name(MailKind kind);

// Renders the mail and adds it to the outbox (one INSERT: no caller needs the
// row id, and a SELECT LAST_INSERT_ID() would cost a round trip; bench/README.md).
void enqueue_mail(Transaction& tx, const Config& config, MailKind kind, std::uint64_t member_id,
                           const std::string& to_address, ctemplate::TemplateDictionary& dict);

// A mail rendered for the outbox, not yet written: what a batch collects
// for enqueue_mails.
struct OutboxMail {
  MailKind kind = MailKind::IdNotice;
  std::uint64_t member_id = 0;
  std::string to_address;
  std::string subject;
  std::string body;
  std::string message_id;
};
// Renders the mail of `kind` for a member whose display name the caller has
// read already (the addressee, 「山田 太郎 様」): no statement.
OutboxMail render_mail(const Config& config, MailKind kind, std::uint64_t member_id, const std::string& to_address,
                       const std::optional<std::string>& display_name, ctemplate::TemplateDictionary& dict);
// Writes a batch's rendered mails in a few INSERTs of 16, 4 and 1 rows (issue 16).
void enqueue_mails(Transaction& tx, const std::vector<OutboxMail>& mails);

// The queue as the metrics page shows it: mails waiting (queued or being
// sent) and the age of the oldest one, from the database clock.
struct OutboxDepth {
  std::uint64_t waiting = 0;
  std::uint64_t oldest_age_seconds = 0;
};
OutboxDepth outbox_depth(Transaction& tx);

}  // namespace kosmo
