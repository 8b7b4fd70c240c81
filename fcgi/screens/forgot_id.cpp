// forgot_id: 本人確認情報入力画面 and 通知メール送信完了画面 (R1, R3, R4, R8, D1,
// D7, D10, D11, D13). A valid POST only queues what was typed and answers
// 303 to /forgot-id/sent; the identity is checked after the answer by the
// program's background threads, so neither the screen nor its timing tells
// who is a member (D1). Only a format error (empty field, impossible date,
// malformed address) is shown on the form.
#include <ctemplate/template.h>
#include <cppconn/exception.h>

#include <array>
#include <optional>
#include <string>

#include "audit.h"
#include "duration.h"
#include "identity.h"
#include "identity_queue.h"
#include "log.h"
#include "members.h"
#include "outbox.h"
#include "page.h"
#include "rate_limits.h"
#include "screen.h"
#include "tokens.h"

namespace kosmo {
namespace {

constexpr std::array kFormFields = {kCardSymbolField, kCardNumberField, kBirthDateField, kEmailField};

std::string upper(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
  return out;
}

Response show_form(Context& ctx) {
  ctemplate::TemplateDictionary dict("forgot_id");
  return render_page(ctx, "forgot_id.tpl", dict);
}

// The form again with what the member typed (not the normalised value: they
// should recognise their input) and a message beside each field at fault.
Response show_form_errors(Context& ctx, const IdentityInput& input) {
  ctemplate::TemplateDictionary dict("forgot_id");
  for (const std::string_view field : kFormFields) dict.SetValue(upper(field), std::string(ctx.request.form_value(field)));
  for (const FieldError& error : input.errors) {
    dict.ShowSection("ERR_" + upper(error.field));
    dict.ShowSection("ERR_" + upper(error.field) + "_" + std::string(to_string(error.problem)));
  }
  return render_page(ctx, "forgot_id.tpl", dict);
}

Response show_sent(Context& ctx) {
  ctemplate::TemplateDictionary dict("forgot_id_sent");
  dict.SetValue("SENDING_DOMAIN", ctx.config.mail_sending_domain);  // R4
  set_duration(dict, "TOKEN_TTL", ctx.config.token_ttl);            // R6
  return render_page(ctx, "forgot_id_sent.tpl", dict);
}

// The answer does the same work whoever typed what: queue the typed identity
// (one INSERT), commit, 303. Everything that depends on who typed what, the
// D7 limits included, runs after the answer in check_queued_identities(), so
// neither the page, its headers nor its timing can tell who is a member or
// which card is over its limit (D1).
Response submit(Context& ctx) {
  const IdentityInput input = read_identity_form(ctx.request);  // NFKC, era dates (D10)
  if (!input.errors.empty()) return show_form_errors(ctx, input);

  Transaction tx(ctx.db);
  queue_identity(tx, input, ctx.request);
  tx.commit();
  wake_background();
  return Response::see_other("/forgot-id/sent");  // POST -> 303 -> GET
}

// D7 first: the attempt counts against the client address and the card
// (fcgi/lib/account/rate_limits), matched or not; over a limit nothing is looked up
// and nothing is sent. R1 then decides who gets the mail.
IdentityMatch check_identity(Transaction& tx, const Config& config, const QueuedIdentity& queued) {
  const IdentityInput& input = queued.input;
  const bool within_limits =
      !queued.limited &&  // a row queued by an older program that counted in its answer
      identity_attempt_allowed(tx, config, queued.origin.remote_addr, input.card_symbol, input.card_number);
  if (!within_limits) return {IdentityOutcome::Limited, std::nullopt, "limit"};
  return match_identity(find_members_by_card(tx, input.card_symbol, input.card_number, input.birth_date),
                        input.email);  // R1
}

// One queued identity, inside the caller's transaction: its row is already
// deleted; for an eligible member older URLs are superseded (R8), a new token
// is issued and ログインID再通知のお知らせ is queued for kosmo-mailer (D11).
void check_one_identity(Transaction& tx, const Config& config, const QueuedIdentity& queued) {
  const IdentityMatch match = check_identity(tx, config, queued);
  if (match.outcome == IdentityOutcome::Matched) {
    const IssuedToken token = issue_id_notice_token(tx, match.member->member_id, config.token_ttl);
    ctemplate::TemplateDictionary mail("id_notice");
    mail.SetValue("TOKEN", token.url_value);  // in a URL built from public_base_url, never Host (D13)
    set_duration(mail, "TOKEN_TTL", config.token_ttl);
    // The stored address, never the typed one (D10, CVE-2019-19844).
    enqueue_mail(tx, config, MailKind::IdNotice, match.member->member_id, *match.member->email, mail);
  }
  audit(tx, AuditEvent::IdentityCheck, to_string(match.outcome),
        match.member ? std::optional(match.member->member_id) : std::nullopt, queued.origin, match.detail);
}

// The next batch of queued identities (take_queued_identities) in one
// transaction, oldest first: one COMMIT (one log flush) for the batch keeps
// the checks up with a wave of answers (one commit per check fell far
// behind them: bench/README.md). Returns false when
// the queue was empty.
bool check_next_identities(BackgroundWork& work) {
  Transaction tx(work.db);
  const std::vector<QueuedIdentity> batch = take_queued_identities(tx);
  for (const QueuedIdentity& queued : batch) check_one_identity(tx, work.config, queued);
  tx.commit();
  return !batch.empty();
}

// The background loop of kosmo-forgot-id: drain the queue, then sleep until a
// POST wakes it (or the poll interval, for rows another web node queued and
// could not handle). A lost conflict is simply tried again; a lost database
// waits a poll interval and reconnects.
void check_queued_identities(BackgroundWork& work) {
  constexpr int kPollMilliseconds = 500;
  do {
    for (;;) {
      try {
        if (!check_next_identities(work)) break;
      } catch (const sql::SQLException& e) {
        log_event(LogLevel::Warn, "identity_check_retry",
                  {{"errno", std::to_string(e.getErrorCode())}, {"sqlstate", e.getSQLState()}});
        if (classify(e) == DbFailure::Conflict) continue;
        try {
          work.db.reconnect();
        } catch (const sql::SQLException&) {
          // Still down: the next poll tries again.
        }
        break;
      } catch (const std::exception& e) {
        log_event(LogLevel::Error, "identity_check_fault", {{"what", e.what()}});
        break;
      }
    }
  } while (work.wait(kPollMilliseconds));
}

}  // namespace
}  // namespace kosmo

int main(int argc, char** argv) {
  return kosmo::run_screen({.name = "forgot-id",
                            .routes = {{"GET", "/forgot-id", kosmo::show_form},
                                       {"POST", "/forgot-id", kosmo::submit},
                                       {"GET", "/forgot-id/sent", kosmo::show_sent}},
                            .templates = {"forgot_id.tpl", "forgot_id_sent.tpl",
                                          kosmo::mail_template_name(kosmo::MailKind::IdNotice)},
                            .background = kosmo::check_queued_identities,
                            // As many as the workers, so in a wave the checks get about
                            // the CPU the answers get (bench/README.md, "Four check
                            // threads").
                            .background_threads = 4},
                           argc, argv);
}
