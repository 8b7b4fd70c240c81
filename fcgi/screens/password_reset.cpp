// password_reset: 「パスワード初期化」 of ログインID再通知画面 and its completion
// page (R10, R11, D5, D6, D11). Only a browser holding an unexpired grant
// (D5) may initialise, once: one conditional UPDATE claims the grant. In the
// same transaction the current password stops working, every session of the
// member ends, and the temporary password is queued for the registered
// address, the one the ID mail went to. Without a grant nothing changes.
// 「パスワード初期化」 on the ID screen only opens a confirmation (GET, which
// changes nothing and claims nothing): the POST behind 「パスワードを初期化する」
// initialises, and 「やめる」 goes back with the grant and password untouched
// (issue 15 item 1).
#include <ctemplate/template.h>

#include <optional>
#include <string>
#include <string_view>

#include "audit.h"
#include "duration.h"
#include "grants.h"
#include "members.h"
#include "outbox.h"
#include "page.h"
#include "password.h"
#include "screen.h"
#include "session.h"

namespace kosmo {
namespace {

// 403: this browser is not (or no longer) allowed to initialise a password.
constexpr int kRefusedStatus = 403;

// パスワード初期化, the last of the recovery steps (issue 15 item 3).
constexpr int kResetStep = 4;

Response refuse(Context& ctx, std::string_view section) {
  ctemplate::TemplateDictionary dict("password_reset_refused");
  dict.ShowSection(std::string(section));
  // Pressed again after it worked: say that it did, not that nothing changed
  // (issue 15 item 6).
  if (section != "ALREADY_USED") dict.ShowSection("NOT_DONE");
  set_duration(dict, "GRANT_TTL", ctx.config.grant_ttl);
  return render_page(ctx, "password_reset_refused.tpl", dict, kRefusedStatus);
}

std::string_view refusal_section(GrantStatus status) {
  switch (status) {
    case GrantStatus::ResetUsed: return "ALREADY_USED";
    case GrantStatus::Expired: return "EXPIRED";
    case GrantStatus::Active:  // not a refusal; never rendered
    case GrantStatus::Missing: return "NO_GRANT";
  }
  return "NO_GRANT";
}

Response refuse_and_audit(Context& ctx, Transaction& tx, const Grant& grant, PasswordInitializedOutcome outcome,
                          std::string_view section) {
  audit(tx, outcome, grant.member_id ? std::optional(grant.member_id) : std::nullopt, ctx.request);
  tx.commit();
  return refuse(ctx, section);
}

void queue_temporary_password(Transaction& tx, const Config& config, const Member& member,
                              const std::string& temporary) {
  ctemplate::TemplateDictionary mail("temporary_password");
  mail.SetValue("TEMPORARY_PASSWORD", temporary);
  mail.SetValue("RESET_AT", database_now_jst(tx));
  set_duration(mail, "TEMP_PASSWORD_TTL", config.temp_password_ttl);
  mail.SetValue("TEMP_PASSWORD_DEADLINE", database_deadline_jst(tx, config.temp_password_ttl));  // issue 15 item 7
  enqueue_mail(tx, config, MailKind::TemporaryPassword, member.member_id, *member.email, mail);  // D11
}

Response initialise(Context& ctx) {
  Transaction tx(ctx.db);
  const Grant grant = look_up_grant(tx, ctx.request);
  switch (grant.status) {
    case GrantStatus::Active: break;
    case GrantStatus::ResetUsed:
      return refuse_and_audit(ctx, tx, grant, PasswordInitializedOutcome::RefusedResetUsed, refusal_section(grant.status));
    case GrantStatus::Expired:
      return refuse_and_audit(ctx, tx, grant, PasswordInitializedOutcome::RefusedExpired, refusal_section(grant.status));
    case GrantStatus::Missing:
      return refuse_and_audit(ctx, tx, grant, PasswordInitializedOutcome::RefusedMissing, refusal_section(grant.status));
  }
  // Checked before the claim: a member who cannot receive the temporary
  // password must keep the password they have.
  const std::optional<Member> member = find_member_by_id(tx, grant.member_id);
  if (!member || !member->email || member->is_disabled)
    return refuse_and_audit(ctx, tx, grant, PasswordInitializedOutcome::RefusedNotEligible, "NOT_POSSIBLE");
  // Two presses (two tabs) at once: exactly one claims the grant (D5).
  if (!claim_grant_for_reset(tx, grant))
    return refuse_and_audit(ctx, tx, grant, PasswordInitializedOutcome::RefusedResetUsed, "ALREADY_USED");

  const std::string temporary = generate_temporary_password();  // D6: 12 characters, no look-alikes
  // R10: the current password stops working with this commit; R11: the
  // temporary one must be changed at its first login.
  store_password(tx, member->member_id, hash_password(temporary), true, ctx.config.temp_password_ttl);
  end_member_sessions(tx, member->member_id, "", "password_initialized");  // D6
  queue_temporary_password(tx, ctx.config, *member, temporary);  // to the stored address (R10)
  audit(tx, PasswordInitializedOutcome::Ok, member->member_id, ctx.request);
  tx.commit();
  return Response::see_other("/password-reset");  // POST -> 303 -> GET: a reload sends nothing twice
}

// What happens, before it happens: the confirmation under an unused grant,
// which neither claims the grant nor touches the password (issue 15 item 1).
Response show_confirmation(Context& ctx) {
  ctemplate::TemplateDictionary dict("password_reset_confirm");
  show_steps(dict, StepFlow::Recovery, kResetStep);
  set_duration(dict, "TEMP_PASSWORD_TTL", ctx.config.temp_password_ttl);
  return render_page(ctx, "password_reset_confirm.tpl", dict);
}

// GET /password-reset: the confirmation while the grant is unused, the
// completion page once this browser's grant was used.
Response show(Context& ctx) {
  Transaction tx(ctx.db);
  const Grant grant = look_up_grant(tx, ctx.request);
  tx.commit();
  switch (grant.status) {
    case GrantStatus::ResetUsed: break;
    case GrantStatus::Active: return show_confirmation(ctx);  // nothing initialised yet
    case GrantStatus::Expired:
    case GrantStatus::Missing: return refuse(ctx, refusal_section(grant.status));
  }
  ctemplate::TemplateDictionary dict("password_reset_done");
  show_steps(dict, StepFlow::Recovery, kResetStep);
  set_duration(dict, "TEMP_PASSWORD_TTL", ctx.config.temp_password_ttl);
  return render_page(ctx, "password_reset_done.tpl", dict);
}

}  // namespace
}  // namespace kosmo

int main(int argc, char** argv) {
  return kosmo::run_screen(
      {.name = "password-reset",
       .routes = {{"GET", "/password-reset", kosmo::show}, {"POST", "/password-reset", kosmo::initialise}},
       .templates = {"password_reset_confirm.tpl", "password_reset_done.tpl", "password_reset_refused.tpl",
                     kosmo::mail_template_name(kosmo::MailKind::TemporaryPassword)}},
      argc, argv);
}
