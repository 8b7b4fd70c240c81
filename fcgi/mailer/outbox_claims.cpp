// outbox_claims: claim and record SQL for kosmo-mailer (see outbox_claims.h).
// Every time comes from the database clock (UTC_TIMESTAMP), so mailers on
// several nodes agree on what is due and when a claim expires.
#include "outbox_claims.h"

#include <cppconn/exception.h>

#include <utility>

#include "audit.h"

namespace kosmo {
namespace {

// SKIP LOCKED: two mailers on one server never wait for, nor take, each
// other's rows. On Galera the locks are node-local, so two nodes can select the
// same rows: SKIP LOCKED alone is no claim there. The claim UPDATE below
// repeats the due condition and counts only rows it changed, and the loser of
// a race between nodes gets 1213 at COMMIT (certification), which only means
// "another mailer has it".
// A 'sending' row whose claim expired was left by a mailer that died: it is
// due again (at-least-once: if that mailer had sent it, it goes out twice).
const SqlStatement kSelectDue{
    "outbox.select_due",
    "SELECT mail_id, kind, member_id, to_address, subject, body, message_id, attempts FROM mail_outbox "
    "WHERE status IN ('queued', 'sending') AND next_attempt_at <= UTC_TIMESTAMP(6) "
    "AND (claimed_until IS NULL OR claimed_until < UTC_TIMESTAMP(6)) "
    "ORDER BY next_attempt_at LIMIT ? FOR UPDATE SKIP LOCKED"};

// The attempt is counted when claimed, not when it fails: a mail that makes
// the mailer die mid-send still uses up its attempts instead of looping forever.
// The WHERE repeats the due condition: a row another node's mailer claimed
// after our SELECT read it changes nothing here (0 rows), so it is not sent.
const SqlStatement kClaim{
    "outbox.claim",
    "UPDATE mail_outbox SET status = 'sending', claimed_by = ?, "
    "claimed_until = UTC_TIMESTAMP(6) + INTERVAL ? SECOND, attempts = attempts + 1 "
    "WHERE mail_id = ? AND status IN ('queued', 'sending') AND next_attempt_at <= UTC_TIMESTAMP(6) "
    "AND (claimed_until IS NULL OR claimed_until < UTC_TIMESTAMP(6))"};

// D11: the body holds a URL or a temporary password; it is wiped once the mail
// is sent or given up. Every update checks the claim is still ours.
const SqlStatement kMarkSent{
    "outbox.mark_sent",
    "UPDATE mail_outbox SET status = 'sent', sent_at = UTC_TIMESTAMP(6), body = NULL, claimed_by = NULL, "
    "claimed_until = NULL, last_error = NULL WHERE mail_id = ? AND claimed_by = ? AND status = 'sending'"};

const SqlStatement kMarkFailed{
    "outbox.mark_failed",
    "UPDATE mail_outbox SET status = 'failed', body = NULL, claimed_by = NULL, claimed_until = NULL, "
    "last_error = ? WHERE mail_id = ? AND claimed_by = ? AND status = 'sending'"};

const SqlStatement kMarkRetry{
    "outbox.mark_retry",
    "UPDATE mail_outbox SET status = 'queued', next_attempt_at = UTC_TIMESTAMP(6) + INTERVAL ? SECOND, "
    "claimed_by = NULL, claimed_until = NULL, last_error = ? "
    "WHERE mail_id = ? AND claimed_by = ? AND status = 'sending'"};

const SqlStatement kRelease{
    "outbox.release",
    "UPDATE mail_outbox SET status = 'queued', claimed_by = NULL, claimed_until = NULL, "
    "attempts = GREATEST(attempts - 1, 0) WHERE mail_id = ? AND claimed_by = ? AND status = 'sending'"};

constexpr std::size_t kMaxLastError = 255;  // mail_outbox.last_error VARCHAR(255)

std::string audit_detail(const ClaimedMail& mail) {
  return "mail_id=" + std::to_string(mail.mail_id) + " kind=" + mail.kind;
}

ClaimedMail read_row(sql::ResultSet& rows) {
  ClaimedMail mail;
  mail.mail_id = rows.getUInt64("mail_id");
  mail.kind = rows.getString("kind").asStdString();
  if (!rows.isNull("member_id")) mail.member_id = rows.getUInt64("member_id");
  mail.to_address = rows.getString("to_address").asStdString();
  mail.subject = rows.getString("subject").asStdString();
  mail.body = nullable_string(rows, "body");
  mail.message_id = rows.getString("message_id").asStdString();
  mail.attempts = rows.getInt("attempts") + 1;  // the claim below counts this attempt
  return mail;
}

}  // namespace

std::optional<std::vector<ClaimedMail>> claim_due_mails(Connection& db, const std::string& claimer, int batch_size,
                                                        int claim_timeout) {
  std::vector<ClaimedMail> claimed;
  try {
    Transaction tx(db);
    sql::PreparedStatement& select = tx.statement(kSelectDue);
    select.setInt(1, batch_size);
    Rows rows = query(select);
    while (rows->next()) claimed.push_back(read_row(*rows));
    rows.reset();
    if (claimed.empty()) return claimed;  // the destructor rolls back: nothing was locked
    std::vector<ClaimedMail> ours;
    for (ClaimedMail& mail : claimed) {
      sql::PreparedStatement& claim = tx.statement(kClaim);
      claim.setString(1, claimer);
      claim.setInt(2, claim_timeout);
      claim.setUInt64(3, mail.mail_id);
      if (claim.executeUpdate() == 1) ours.push_back(std::move(mail));
    }
    // COMMIT as a statement (Transaction::commit): only a COMMIT that
    // succeeded makes the rows counted above ours.
    tx.commit();
    claimed = std::move(ours);
  } catch (const sql::SQLException& e) {
    // The server rolled the claim back (1213 at COMMIT on Galera, a deadlock,
    // a lock wait): another mailer has these rows. Anything else is the caller's.
    if (classify(e) == DbFailure::Conflict) return std::nullopt;
    throw;
  }
  return claimed;
}

bool record_sent(Connection& db, const ClaimedMail& mail, const std::string& claimer) {
  Transaction tx(db);
  sql::PreparedStatement& update = tx.statement(kMarkSent);
  update.setUInt64(1, mail.mail_id);
  update.setString(2, claimer);
  if (update.executeUpdate() != 1) return false;
  // The mail is out: a refused row must not roll back the wipe and the
  // status, or the body stays and the mail goes out again (D18, D11).
  try_audit_system(tx, MailSentOutcome::Ok, mail.member_id, audit_detail(mail));
  tx.commit();
  return true;
}

bool record_failed(Connection& db, const ClaimedMail& mail, const std::string& claimer, MailFailedOutcome outcome,
                   const std::string& reason) {
  Transaction tx(db);
  sql::PreparedStatement& update = tx.statement(kMarkFailed);
  update.setString(1, reason.substr(0, kMaxLastError));
  update.setUInt64(2, mail.mail_id);
  update.setString(3, claimer);
  if (update.executeUpdate() != 1) return false;
  try_audit_system(tx, outcome, mail.member_id, audit_detail(mail));
  tx.commit();
  return true;
}

bool record_retry(Connection& db, const ClaimedMail& mail, const std::string& claimer, long delay_seconds,
                  const std::string& reason) {
  Transaction tx(db);
  sql::PreparedStatement& update = tx.statement(kMarkRetry);
  update.setInt64(1, delay_seconds);
  update.setString(2, reason.substr(0, kMaxLastError));
  update.setUInt64(3, mail.mail_id);
  update.setString(4, claimer);
  if (update.executeUpdate() != 1) return false;
  tx.commit();
  return true;
}

void release_claim(Connection& db, const ClaimedMail& mail, const std::string& claimer) {
  Transaction tx(db);
  sql::PreparedStatement& update = tx.statement(kRelease);
  update.setUInt64(1, mail.mail_id);
  update.setString(2, claimer);
  update.executeUpdate();
  tx.commit();
}

}  // namespace kosmo
