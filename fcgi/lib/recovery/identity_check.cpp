#include "identity_check.h"

#include <ctemplate/template.h>

#include <optional>

#include "audit.h"
#include "duration.h"
#include "members.h"
#include "outbox.h"
#include "rate_limits.h"
#include "tokens.h"

namespace kosmo {
namespace {

// D7 first: the attempt counts against the client address and the card
// (rate_limits), matched or not; over a limit nothing is looked up and
// nothing is sent. R1 then decides who gets the mail.
IdentityMatch match_queued_identity(Transaction& tx, const Config& config, const QueuedIdentity& queued) {
  const IdentityInput& input = queued.input;
  if (!identity_attempt_allowed(tx, config, queued.origin.remote_addr, input.card_symbol, input.card_number))
    return {IdentityOutcome::Limited, std::nullopt, "limit"};
  return match_identity(find_members_by_card(tx, input.card_symbol, input.card_number, input.birth_date),
                        input.email);  // R1
}

}  // namespace

// For an eligible member older URLs are superseded (R8), a new token is
// issued and ログインID再通知のお知らせ is queued for kosmo-mailer (D11).
IdentityOutcome check_identity(Transaction& tx, const Config& config, const QueuedIdentity& queued,
                               std::vector<AuditRow>& audit_rows) {
  const IdentityMatch match = match_queued_identity(tx, config, queued);
  if (match.outcome == IdentityOutcome::Matched) {
    const IssuedToken token = issue_id_notice_token(tx, match.member->member_id, config.token_ttl);
    ctemplate::TemplateDictionary mail("id_notice");
    mail.SetValue("TOKEN", token.url_value);  // in a URL built from public_base_url, never Host (D13)
    set_duration(mail, "TOKEN_TTL", config.token_ttl);
    // The deadline as a time of day beside the duration, and what to do on
    // the page the URL opens (issue 15 item 7).
    mail.SetValue("TOKEN_DEADLINE", database_deadline_jst(tx, config.token_ttl));
    switch (config.link_confirm) {
      case LinkConfirm::Button: mail.ShowSection("PRESS_BUTTON"); break;
      case LinkConfirm::BirthDate: mail.ShowSection("ASK_BIRTH_DATE"); break;
      case LinkConfirm::Off: mail.ShowSection("OPEN_ONLY"); break;
    }
    // The stored address, never the typed one (D10, CVE-2019-19844).
    enqueue_mail(tx, config, MailKind::IdNotice, match.member->member_id, *match.member->email, mail);
  }
  // The audit row is written with the batch's others (try_audit_rows): a
  // refused one must not undo the D7 counts, the token and the mail, nor
  // make the row a fault (D18).
  audit_rows.push_back({audit_event_of(match.outcome), to_string(match.outcome),
                        match.member ? std::optional(match.member->member_id) : std::nullopt, &queued.origin,
                        match.detail});
  return match.outcome;
}

}  // namespace kosmo
