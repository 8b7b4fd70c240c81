#include "identity_check.h"

#include <ctemplate/template.h>

#include <optional>
#include <string>

#include "audit.h"
#include "duration.h"
#include "members.h"
#include "outbox.h"
#include "rate_limits.h"
#include "tokens.h"

namespace kosmo {
namespace {

// D7 first: every attempt counts against its client address and its card
// (rate_limits), matched or not; over a limit nothing is looked up and
// nothing is sent. R1 then decides, among the candidates of the allowed
// ones, who gets the mail.
std::vector<IdentityMatch> match_queued_identities(Transaction& tx, const Config& config,
                                                   const std::vector<QueuedIdentity>& batch) {
  std::vector<IdentityAttempt> attempts;
  attempts.reserve(batch.size());
  for (const QueuedIdentity& queued : batch)
    attempts.push_back({queued.origin.remote_addr, queued.input.card_symbol, queued.input.card_number});
  const std::vector<bool> allowed = identity_attempts_allowed(tx, config, attempts);

  std::vector<CardLookup> lookups;
  for (std::size_t i = 0; i < batch.size(); ++i)
    if (allowed[i]) lookups.push_back({batch[i].input.card_symbol, batch[i].input.card_number, batch[i].input.birth_date});
  const std::vector<std::vector<Member>> candidates = find_members_by_cards(tx, lookups);

  std::vector<IdentityMatch> matches;
  matches.reserve(batch.size());
  std::size_t next_lookup = 0;
  for (std::size_t i = 0; i < batch.size(); ++i) {
    if (!allowed[i]) matches.push_back({IdentityOutcome::Limited, std::nullopt, "limit"});
    else matches.push_back(match_identity(candidates[next_lookup++], batch[i].input.email));  // R1
  }
  return matches;
}

// ログインID再通知のお知らせ with the member's new URL (D11).
OutboxMail id_notice_mail(const Config& config, const Member& member, const IssuedToken& token,
                          const std::string& deadline) {
  ctemplate::TemplateDictionary mail("id_notice");
  mail.SetValue("TOKEN", token.url_value);  // in a URL built from public_base_url, never Host (D13)
  set_duration(mail, "TOKEN_TTL", config.token_ttl);
  // The deadline as a time of day beside the duration, and what to do on
  // the page the URL opens (issue 15 item 7).
  mail.SetValue("TOKEN_DEADLINE", deadline);
  switch (config.link_confirm) {
    case LinkConfirm::Button: mail.ShowSection("PRESS_BUTTON"); break;
    case LinkConfirm::BirthDate: mail.ShowSection("ASK_BIRTH_DATE"); break;
    case LinkConfirm::Off: mail.ShowSection("OPEN_ONLY"); break;
  }
  // The stored address, never the typed one (D10, CVE-2019-19844).
  return render_mail(config, MailKind::IdNotice, member.member_id, *member.email, member.display_name, mail);
}

}  // namespace

// For each eligible member older URLs are superseded (R8), a new token is
// issued and ログインID再通知のお知らせ is queued for kosmo-mailer (D11).
// Every step is one statement for the whole batch.
void check_identities(Transaction& tx, const Config& config, const std::vector<QueuedIdentity>& batch,
                      std::vector<AuditRow>& audit_rows) {
  if (batch.empty()) return;
  const std::vector<IdentityMatch> matches = match_queued_identities(tx, config, batch);

  std::vector<std::uint64_t> matched_members;
  for (const IdentityMatch& match : matches)
    if (match.outcome == IdentityOutcome::Matched) matched_members.push_back(match.member->member_id);
  if (!matched_members.empty()) {
    const std::vector<IssuedToken> tokens = issue_id_notice_tokens(tx, matched_members, config.token_ttl);
    const std::string deadline = database_deadline_jst(tx, config.token_ttl);
    std::vector<OutboxMail> mails;
    mails.reserve(tokens.size());
    std::size_t next_token = 0;
    for (const IdentityMatch& match : matches)
      if (match.outcome == IdentityOutcome::Matched)
        mails.push_back(id_notice_mail(config, *match.member, tokens[next_token++], deadline));
    enqueue_mails(tx, mails);
  }

  // The audit rows are written with the batch's others (try_audit_rows): a
  // refused one must not undo the D7 counts, the tokens and the mails, nor
  // make the row a fault (D18).
  for (std::size_t i = 0; i < batch.size(); ++i) {
    const IdentityMatch& match = matches[i];
    audit_rows.push_back({audit_event_of(match.outcome), to_string(match.outcome),
                          match.member ? std::optional(match.member->member_id) : std::nullopt, &batch[i].origin,
                          match.detail});
  }
}

}  // namespace kosmo
