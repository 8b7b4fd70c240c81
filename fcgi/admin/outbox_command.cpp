// kosmo-admin outbox list | retry: the operator's view of mail_outbox (D11).
// list shows no bodies and no full addresses (t***@example.jp), also inside
// the SMTP errors it prints. retry makes mails due now; a failed mail can be
// sent again only while its body is still there: kosmo-mailer wipes the body
// (it holds a URL or a temporary password) once a mail is sent or given up.
#include <sysexits.h>

#include <iomanip>
#include <iostream>
#include <regex>

#include "admin_commands.h"
#include "audit.h"

namespace kosmo {

const char* const kOutboxHelp = R"(NAME
    kosmo-admin outbox - look at and requeue the mail outbox

SYNOPSIS
    kosmo-admin [--config FILE] outbox list [--status STATUS] [--limit N]
    kosmo-admin [--config FILE] outbox retry MAIL_ID | --failed | --queued

DESCRIPTION
    list    prints a summary (how many mails are queued, sending, sent and
            failed, and how old the oldest queued mail is), then the newest
            mails (100 unless --limit): id, status, kind, attempts, created,
            next attempt or sent time, member id, the address masked
            (t***@example.jp) and the last SMTP error (addresses masked).
            Bodies are never shown. STATUS: queued, sending, sent or failed.

    retry MAIL_ID
            makes that mail due now with its attempts counted from zero. It
            must be queued (waiting for its next attempt) or failed with its
            body still stored.
    retry --queued
            makes every queued mail due now (after the SMTP relay is back,
            instead of waiting for the back-off).
    retry --failed
            requeues every failed mail whose body is still stored. The mailer
            wipes the body when it gives a mail up (it holds a URL or a
            temporary password), so those cannot be sent again: the member
            asks for a new mail. Their number is reported.

    Every retry writes an admin_action audit row.

EXIT STATUS
    0 done; 64 usage; 65 the mail cannot be retried (sent, being sent, or its
    body was wiped); 67 no such mail; 69 database unavailable; 78 configuration.
)";

namespace {

#define KOSMO_UTC(column) "DATE_FORMAT(" column ", '%Y-%m-%d %H:%i:%s')"
const SqlStatement kOutboxSummary{
    "admin.outbox_summary",
    "SELECT status, COUNT(*) AS mails, " KOSMO_UTC("MIN(created_at)") " AS oldest, "
    "TIMESTAMPDIFF(SECOND, MIN(created_at), UTC_TIMESTAMP(6)) AS oldest_age "
    "FROM mail_outbox GROUP BY status ORDER BY FIELD(status, 'queued', 'sending', 'failed', 'sent')"};
const SqlStatement kOutboxList{
    "admin.outbox_list",
    "SELECT mail_id, status, kind, attempts, member_id, to_address, last_error, " KOSMO_UTC("created_at")
    " AS created_at, " KOSMO_UTC("IF(status = 'sent', sent_at, next_attempt_at)") " AS next_or_sent "
    "FROM mail_outbox WHERE (? = '' OR status = ?) ORDER BY mail_id DESC LIMIT ?"};
const SqlStatement kOutboxFind{
    "admin.outbox_find",
    "SELECT status, member_id, body IS NOT NULL AS has_body, claimed_by, " KOSMO_UTC("claimed_until")
    " AS claimed_until FROM mail_outbox WHERE mail_id = ?"};
#undef KOSMO_UTC
// The one statement that requeues; its WHERE is the rule of what may be
// retried, so a mail sent or claimed meanwhile is not touched.
const SqlStatement kOutboxRequeue{
    "admin.outbox_requeue",
    "UPDATE mail_outbox SET status = 'queued', attempts = 0, next_attempt_at = UTC_TIMESTAMP(6), "
    "claimed_by = NULL, claimed_until = NULL WHERE mail_id = ? AND body IS NOT NULL "
    "AND (status = 'failed' OR status = 'queued')"};
const SqlStatement kOutboxRequeueFailed{
    "admin.outbox_requeue_failed",
    "UPDATE mail_outbox SET status = 'queued', attempts = 0, next_attempt_at = UTC_TIMESTAMP(6), "
    "claimed_by = NULL, claimed_until = NULL WHERE status = 'failed' AND body IS NOT NULL"};
const SqlStatement kOutboxCountWiped{
    "admin.outbox_count_wiped", "SELECT COUNT(*) AS mails FROM mail_outbox WHERE status = 'failed' AND body IS NULL"};
const SqlStatement kOutboxDueNow{
    "admin.outbox_due_now",
    "UPDATE mail_outbox SET attempts = 0, next_attempt_at = UTC_TIMESTAMP(6) "
    "WHERE status = 'queued' AND next_attempt_at > UTC_TIMESTAMP(6)"};

// "taro.yamada@example.jp" -> "t***@example.jp".
std::string mask_address(std::string_view address) {
  const auto at = address.rfind('@');
  if (at == std::string_view::npos || at == 0) return "***";
  return std::string(address.substr(0, 1)) + "***" + std::string(address.substr(at));
}

// An SMTP error may quote the recipient ("550 5.1.1 <taro@example.jp>: ...").
std::string mask_addresses_in(const std::string& text) {
  static const std::regex kAddress(R"([^\s<>"'(),;:]+@[^\s<>"'(),;:]+)");
  std::string out;
  auto last = text.cbegin();
  for (std::sregex_iterator it(text.begin(), text.end(), kAddress), end; it != end; ++it) {
    out.append(last, text.cbegin() + it->position());
    out += mask_address(it->str());
    last = text.cbegin() + it->position() + it->length();
  }
  out.append(last, text.cend());
  return out;
}

int list(Connection& db, const std::vector<std::string>& args) {
  std::string status;
  int limit = 100;
  for (std::size_t i = 1; i < args.size(); ++i) {
    if (args[i] == "--status" && i + 1 < args.size()) {
      status = args[++i];
      if (status != "queued" && status != "sending" && status != "sent" && status != "failed") {
        std::cerr << "kosmo-admin outbox list: --status takes queued, sending, sent or failed\n";
        return EX_USAGE;
      }
    } else if (args[i] == "--limit" && i + 1 < args.size() && args[i + 1].find_first_not_of("0123456789") == std::string::npos &&
               !args[i + 1].empty() && args[i + 1].size() < 7) {
      limit = std::stoi(args[++i]);
    } else {
      std::cerr << "usage: kosmo-admin outbox list [--status STATUS] [--limit N]\n";
      return EX_USAGE;
    }
  }
  Rows summary = query(db.statement(kOutboxSummary));
  std::cout << "outbox:";
  bool any = false;
  while (summary->next()) {
    any = true;
    const std::string row_status = summary->getString("status").asStdString();
    std::cout << " " << row_status << "=" << summary->getInt64("mails");
    if (row_status == "queued")
      std::cout << " (oldest " << summary->getString("oldest").asStdString() << " UTC, "
                << summary->getInt64("oldest_age") << " s ago)";
  }
  std::cout << (any ? "" : " empty") << "\n";
  summary.reset();

  sql::PreparedStatement& select = db.statement(kOutboxList);
  select.setString(1, status);
  select.setString(2, status);
  select.setInt(3, limit);
  Rows mails = query(select);
  std::cout << std::left << std::setw(9) << "MAIL_ID" << std::setw(9) << "STATUS" << std::setw(20) << "KIND"
            << std::setw(5) << "TRY" << std::setw(21) << "CREATED (UTC)" << std::setw(21) << "NEXT/SENT (UTC)"
            << std::setw(10) << "MEMBER" << std::setw(24) << "TO" << "LAST_ERROR\n";
  while (mails->next()) {
    const auto member = mails->isNull("member_id") ? std::string("-") : std::to_string(mails->getUInt64("member_id"));
    std::cout << std::setw(9) << mails->getUInt64("mail_id") << std::setw(9) << mails->getString("status").asStdString()
              << std::setw(20) << mails->getString("kind").asStdString() << std::setw(5) << mails->getInt("attempts")
              << std::setw(21) << mails->getString("created_at").asStdString() << std::setw(21)
              << nullable_string(*mails, "next_or_sent").value_or("-") << std::setw(10) << member << std::setw(24)
              << mask_address(mails->getString("to_address").asStdString())
              << mask_addresses_in(nullable_string(*mails, "last_error").value_or("")) << "\n";
  }
  return 0;
}

int retry_one(Connection& db, const std::string& id_text) {
  if (id_text.empty() || id_text.size() > 19 || id_text.find_first_not_of("0123456789") != std::string::npos) {
    std::cerr << "usage: kosmo-admin outbox retry MAIL_ID | --failed | --queued\n";
    return EX_USAGE;
  }
  const std::uint64_t mail_id = std::stoull(id_text);
  Transaction tx(db);
  sql::PreparedStatement& find = tx.statement(kOutboxFind);
  find.setUInt64(1, mail_id);
  Rows mail = query(find);
  if (!mail->next()) {
    std::cerr << "kosmo-admin outbox retry: no mail " << mail_id << "\n";
    return EX_NOUSER;
  }
  const std::string status = mail->getString("status").asStdString();
  const bool has_body = mail->getBoolean("has_body");
  const std::optional<std::uint64_t> member_id =
      mail->isNull("member_id") ? std::nullopt : std::optional(mail->getUInt64("member_id"));
  const std::string claimed = nullable_string(*mail, "claimed_by").value_or("?") + " until " +
                              nullable_string(*mail, "claimed_until").value_or("?") + " UTC";
  mail.reset();
  sql::PreparedStatement& requeue = tx.statement(kOutboxRequeue);
  requeue.setUInt64(1, mail_id);
  if (requeue.executeUpdate() == 0) {
    std::cerr << "kosmo-admin outbox retry: mail " << mail_id << " is " << status << ": "
              << (status == "sent"      ? "it was delivered already"
                  : status == "sending" ? "a mailer is sending it now (" + claimed + ")"
                  : !has_body ? "its body was wiped when the mailer gave it up (D11); the member asks for a new mail"
                              : "it cannot be retried")
              << "\n";
    return EX_DATAERR;
  }
  try_audit_system(tx, AdminActionOutcome::OutboxRetry, member_id, "mail_id=" + std::to_string(mail_id));
  tx.commit();
  std::cout << "mail " << mail_id << " is queued and due now (it was " << status << ")\n";
  return 0;
}

int retry_all(Connection& db, bool failed) {
  Transaction tx(db);
  const int changed = (failed ? tx.statement(kOutboxRequeueFailed) : tx.statement(kOutboxDueNow)).executeUpdate();
  long wiped = 0;
  if (failed) {
    Rows count = query(tx.statement(kOutboxCountWiped));
    count->next();
    wiped = count->getInt64("mails");
  }
  if (changed > 0)
    try_audit_system(tx, AdminActionOutcome::OutboxRetry, std::nullopt,
                     std::string(failed ? "failed=" : "queued=") + std::to_string(changed));
  tx.commit();
  std::cout << changed << (failed ? " failed" : " waiting") << " mails are queued and due now\n";
  if (wiped > 0)
    std::cout << wiped << " failed mails cannot be sent again: their bodies were wiped (D11); "
              << "the members ask for new mails\n";
  return 0;
}

}  // namespace

int admin_outbox(const Config&, Connection& db, const std::vector<std::string>& args) {
  if (!args.empty() && args[0] == "list") return list(db, args);
  if (args.size() == 2 && args[0] == "retry") {
    if (args[1] == "--failed") return retry_all(db, true);
    if (args[1] == "--queued") return retry_all(db, false);
    return retry_one(db, args[1]);
  }
  std::cerr << "usage: kosmo-admin outbox list [--status STATUS] [--limit N]\n"
               "       kosmo-admin outbox retry MAIL_ID | --failed | --queued\n";
  return EX_USAGE;
}

}  // namespace kosmo
