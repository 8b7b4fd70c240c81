// forgot_id: 本人確認情報入力画面 and 通知メール送信完了画面 (R1, R3, R4, R8, D1,
// D7, D10, D11, D13). A valid POST answers the same 303 to /forgot-id/sent
// whether or not a member matched, and runs the same statements either way,
// so neither the screen nor its timing tells who is a member (D1). Only a
// format error (empty field, impossible date, malformed address) is shown.
#include <ctemplate/template.h>

#include <array>
#include <optional>
#include <string>

#include "audit.h"
#include "duration.h"
#include "identity.h"
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

// D7: the one place the abuse limits (identity attempts per client address
// and per card, counted in the database by fcgi/lib/rate_limits) are checked,
// for every well-formed submission and before any lookup. Over a limit the
// member gets the same sent screen and no mail.
bool identity_attempt_within_limits(Transaction& tx, const Context& ctx, const IdentityInput& input) {
  return identity_attempt_allowed(tx, ctx.config, ctx.request.remote_addr, input.card_symbol, input.card_number);
}

IdentityMatch check_identity(Transaction& tx, const Context& ctx, const IdentityInput& input) {
  if (!identity_attempt_within_limits(tx, ctx, input)) return {IdentityOutcome::Limited, std::nullopt, "limit"};
  return match_identity(find_members_by_card(tx, input.card_symbol, input.card_number, input.birth_date),
                        input.email);  // R1
}

bool sends_mail(IdentityOutcome outcome) {
  switch (outcome) {
    case IdentityOutcome::Matched: return true;
    case IdentityOutcome::NoMatch:
    case IdentityOutcome::NotEligibleNeverLoggedIn:
    case IdentityOutcome::NotEligibleNoEmail:
    case IdentityOutcome::NotEligibleDisabled:
    case IdentityOutcome::Limited: return false;
  }
  return false;
}

Response submit(Context& ctx) {
  const IdentityInput input = read_identity_form(ctx.request);  // NFKC, era dates (D10)
  if (!input.errors.empty()) return show_form_errors(ctx, input);

  Transaction tx(ctx.db);
  const IdentityMatch match = check_identity(tx, ctx, input);
  const bool send = sends_mail(match.outcome);
  const std::optional<std::uint64_t> recipient =
      send ? std::optional(match.member->member_id) : std::nullopt;

  // Every outcome locks, supersedes (R8), inserts and renders the mail; for
  // no recipient the statements change nothing. Only the outbox row is
  // missing then: one short INSERT, far below the commit's own cost (D1).
  const IssuedToken token = issue_id_notice_token(tx, recipient, ctx.config.token_ttl);
  ctemplate::TemplateDictionary mail("id_notice");
  mail.SetValue("TOKEN", token.url_value);
  set_duration(mail, "TOKEN_TTL", ctx.config.token_ttl);
  if (send) {
    // The stored address, never the typed one (D10, CVE-2019-19844).
    enqueue_mail(tx, ctx.config, MailKind::IdNotice, *recipient, *match.member->email, mail);  // D11
  } else {
    (void)render_template(mail_template_name(MailKind::IdNotice), mail);
  }
  audit(tx, AuditEvent::IdentityCheck, to_string(match.outcome),
        match.member ? std::optional(match.member->member_id) : std::nullopt, ctx.request, match.detail);
  tx.commit();
  // POST -> 303 -> GET: the same answer for every outcome (D1).
  return Response::see_other("/forgot-id/sent");
}

}  // namespace
}  // namespace kosmo

int main(int argc, char** argv) {
  return kosmo::run_screen({.name = "forgot-id",
                            .routes = {{"GET", "/forgot-id", kosmo::show_form},
                                       {"POST", "/forgot-id", kosmo::submit},
                                       {"GET", "/forgot-id/sent", kosmo::show_sent}},
                            .templates = {"forgot_id.tpl", "forgot_id_sent.tpl",
                                          kosmo::mail_template_name(kosmo::MailKind::IdNotice)}},
                           argc, argv);
}
