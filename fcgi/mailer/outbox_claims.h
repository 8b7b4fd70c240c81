// outbox_claims: the mailer's side of mail_outbox (D11): claim due rows in one
// short transaction, then record each result in a transaction of its own, and
// only while the row is still claimed by this mailer. SQL for delivery lives
// here, not in fcgi/lib/account/outbox.cpp, because kosmo-mailer is its only user and
// every statement linked into a program is prepared at connect.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "audit_outcomes.h"
#include "db.h"

namespace kosmo {

struct ClaimedMail {
  std::uint64_t mail_id = 0;
  std::string kind;
  std::optional<std::uint64_t> member_id;
  std::string to_address;
  std::string subject;
  std::optional<std::string> body;  // NULL would be a row that was already wiped
  std::string message_id;
  int attempts = 0;  // counting this one: the claim adds it
};

// Claims up to `batch_size` due rows for `claimer` for `claim_timeout` seconds
// and counts the attempt. std::nullopt: the claim lost a conflict (another
// mailer has those rows); nothing is claimed, try again.
std::optional<std::vector<ClaimedMail>> claim_due_mails(Connection& db, const std::string& claimer, int batch_size,
                                                        int claim_timeout);

// Each returns false when the row is no longer claimed by `claimer` (its claim
// expired and another mailer took it): nothing was changed, no audit row.
bool record_sent(Connection& db, const ClaimedMail& mail, const std::string& claimer);
bool record_failed(Connection& db, const ClaimedMail& mail, const std::string& claimer, MailFailedOutcome outcome,
                   const std::string& reason);
bool record_retry(Connection& db, const ClaimedMail& mail, const std::string& claimer, long delay_seconds,
                  const std::string& reason);

// Gives back claims this mailer will not use (stopping, or too little claim
// time left), without counting the attempt.
void release_claim(Connection& db, const ClaimedMail& mail, const std::string& claimer);

}  // namespace kosmo
