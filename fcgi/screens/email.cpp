// email: メールアドレス登録・変更, 確認メール送信完了, メールアドレス確認 and its
// invalid screen (D16, D2-D4, D7, D11, D12, R7-R9; D17 step 2 as setup mode).
// A change needs the current password, and a wrong one is a failed login of
// the member's login ID (D7): this screen is no way around the lockout. The
// new address counts only once its link is pressed; until then the
// registered address stays in force for everything and hears of the request
// at once. GET and HEAD of the link consume nothing (D2); its button POSTs,
// and one conditional UPDATE uses it and sets the address (D4).
#include <ctemplate/template.h>

#include <optional>
#include <string>
#include <string_view>

#include "audit.h"
#include "duration.h"
#include "email_changes.h"
#include "identity.h"
#include "members.h"
#include "outbox.h"
#include "page.h"
#include "password.h"
#include "rate_limits.h"
#include "screen.h"
#include "session.h"

namespace kosmo {
namespace {

constexpr std::string_view kTokenParameter = "t";
constexpr int kInvalidStatus = 410;  // as URL無効通知画面: the link will never work again (R9)

// D17 step 2: the same form, reached after the forced password change.
bool is_setup(const Request& request) {
  return request.query_value("setup") == "1" || request.form_value("setup") == "1";
}

// The logged-in member, or the redirect they need instead: the login, or the
// forced password change before anything else (R11).
struct Visitor {
  std::optional<Member> member;
  std::optional<Response> redirect;
};

Visitor find_visitor(Transaction& tx, Context& ctx) {
  const std::optional<MemberSession> session = current_session(tx, ctx);
  if (!session) return {std::nullopt, Response::see_other("/login")};
  if (session->password_is_temporary) return {std::nullopt, Response::see_other("/password")};
  std::optional<Member> member = find_member_by_id(tx, session->member_id);
  if (!member) return {std::nullopt, Response::see_other("/login")};
  return {std::move(member), std::nullopt};
}

// The guard of every page for the logged-in member: the redirect a visitor
// needs instead, or nothing for a member. A redirect commits first, since
// finding the visitor may have ended an expired session, with its audit row
// (R11, D8).
std::optional<Response> redirect_elsewhere(Transaction& tx, const Visitor& visitor) {
  if (!visitor.redirect) return std::nullopt;
  tx.commit();
  return visitor.redirect;
}

// error_count > 0: the title says 「エラー: 」 and a summary links to each
// field (issue 15 items 3, 5).
Response render_form(Context& ctx, ctemplate::TemplateDictionary& dict, const Member& member, int status = 200,
                     int error_count = 0) {
  if (error_count > 0) {
    dict.ShowSection("HAS_ERRORS");
    dict.SetIntValue("ERROR_COUNT", error_count);
  }
  if (is_setup(ctx.request)) {
    dict.ShowSection("SETUP");
    show_steps(dict, StepFlow::FirstSetup, 2);
  } else {
    dict.ShowSection("NOT_SETUP");
    dict.ShowSection(member.email ? "CHANGE" : "REGISTER");
  }
  if (member.email) dict.SetValueAndShowSection("REGISTERED_EMAIL", *member.email, "HAS_EMAIL");
  set_duration(dict, "CONFIRM_TTL", ctx.config.email_confirm_ttl);
  return render_page(ctx, "email.tpl", dict, status);
}

Response show_form(Context& ctx) {
  Transaction tx(ctx.db);
  const Visitor visitor = find_visitor(tx, ctx);
  if (std::optional<Response> elsewhere = redirect_elsewhere(tx, visitor)) return *elsewhere;
  tx.commit();
  ctemplate::TemplateDictionary dict("email");
  return render_form(ctx, dict, *visitor.member);
}

// Item 1's errors, each beside its field; the two addresses are kept, the
// password never. Nothing is written and nothing counted.
struct ChangeInput {
  std::string new_email;
  bool usable = true;
  int error_count = 0;  // fields with a problem, for the summary
};

ChangeInput read_change_form(const Request& request, const Member& member, ctemplate::TemplateDictionary& dict) {
  const std::string_view typed = request.form_value("new_email");
  const std::string_view typed_again = request.form_value("new_email_confirm");
  dict.SetValue("NEW_EMAIL", std::string(typed));
  dict.SetValue("NEW_EMAIL_CONFIRM", std::string(typed_again));
  ChangeInput input;
  const AddressInput address = read_mail_address(typed);
  if (address.problem) {
    dict.ShowSection("ERR_NEW_EMAIL");
    dict.ShowSection("ERR_NEW_EMAIL_" + std::string(to_string(*address.problem)));
    input.usable = false;
    ++input.error_count;
  } else if (member.email && same_mail_address(*member.email, address.address)) {
    dict.ShowSection("ERR_NEW_EMAIL");
    dict.ShowSection("ERR_NEW_EMAIL_SAME");
    input.usable = false;
    ++input.error_count;
  }
  const AddressInput again = read_mail_address(typed_again);
  if (again.problem == FieldProblem::Missing) {
    dict.ShowSection("ERR_CONFIRM");
    dict.ShowSection("ERR_CONFIRM_MISSING");
    input.usable = false;
    ++input.error_count;
  } else if (!address.problem && again.address != address.address) {
    dict.ShowSection("ERR_CONFIRM");
    dict.ShowSection("ERR_CONFIRM_MISMATCH");
    input.usable = false;
    ++input.error_count;
  }
  if (request.form_value("current_password").empty()) {
    dict.ShowSection("ERR_PASSWORD");
    dict.ShowSection("ERR_PASSWORD_MISSING");
    input.usable = false;
    ++input.error_count;
  }
  input.new_email = address.address;
  return input;
}

// A wrong password counts against the login ID and the address exactly as
// at ログイン (D7); the count commits even when its audit rows cannot be
// written (D18).
Response refuse_wrong_password(Context& ctx, Transaction& tx, ctemplate::TemplateDictionary& dict,
                               const Member& member) {
  const int wait = record_login_failure(tx, ctx.config, ctx.request.remote_addr, member.login_id);
  try_audit(tx, EmailChangeRefusedOutcome::WrongPassword, member.member_id, ctx.request);
  if (wait > 0)
    try_audit(tx, LoginLockedOutcome::LockoutStarted, member.member_id, ctx.request,
              "wait_seconds=" + std::to_string(wait) + " screen=email");
  tx.commit();
  dict.ShowSection("ERR_PASSWORD");
  dict.ShowSection("ERR_PASSWORD_WRONG");
  return render_form(ctx, dict, member, 200, 1);
}

Response refuse_for_now(Context& ctx, Transaction& tx, ctemplate::TemplateDictionary& dict, const Member& member,
                        EmailChangeRefusedOutcome outcome, int wait_seconds) {
  try_audit(tx, outcome, member.member_id, ctx.request);
  tx.commit();
  dict.ShowSection(outcome == EmailChangeRefusedOutcome::OverLimit ? "ERR_LIMIT" : "ERR_LOCKED");
  dict.SetIntValue("WAIT_MINUTES", (wait_seconds + 59) / 60);
  Response response = render_form(ctx, dict, member, 429);
  response.header("Retry-After", std::to_string(wait_seconds));
  return response;
}

// Item 2: the change, its limit count and both mails in one transaction (D11).
void queue_change(Context& ctx, Transaction& tx, const Member& member, const std::string& new_email) {
  record_email_change(tx, ctx.config, member.member_id);
  const RequestedChange change =
      request_email_change(tx, member.member_id, new_email, member.email, ctx.config.email_confirm_ttl);
  ctemplate::TemplateDictionary confirm("email_confirm");
  confirm.SetValue("TOKEN", change.url_value);
  confirm.SetValue("EXPIRES_AT", change.expires_jst);
  set_duration(confirm, "CONFIRM_TTL", ctx.config.email_confirm_ttl);
  enqueue_mail(tx, ctx.config, MailKind::EmailConfirm, member.member_id, new_email, confirm);
  if (member.email) {
    ctemplate::TemplateDictionary notice("email_change_notice");
    notice.SetValue("REQUESTED_AT", database_now_jst(tx));
    notice.SetValue("NEW_EMAIL_MASKED", mask_address(new_email));
    enqueue_mail(tx, ctx.config, MailKind::EmailChangeNotice, member.member_id, *member.email, notice);
  }
  audit(tx,
        member.email ? EmailChangeRequestedOutcome::ToRegisteredToo : EmailChangeRequestedOutcome::FirstAddress,
        member.member_id, ctx.request);
}

Response submit(Context& ctx) {
  Transaction tx(ctx.db);
  const Visitor visitor = find_visitor(tx, ctx);
  if (std::optional<Response> elsewhere = redirect_elsewhere(tx, visitor)) return *elsewhere;
  const Member& member = *visitor.member;
  ctemplate::TemplateDictionary dict("email");
  const ChangeInput input = read_change_form(ctx.request, member, dict);
  if (!input.usable) {
    tx.commit();
    return render_form(ctx, dict, member, 200, input.error_count);
  }
  // D7: a locked login ID is refused before its password is looked at.
  if (const std::optional<LoginLock> lock =
          find_login_lock(tx, ctx.config, ctx.request.remote_addr, member.login_id))
    return refuse_for_now(ctx, tx, dict, member, EmailChangeRefusedOutcome::LoginIdLocked,
                          lock->retry_after_seconds);
  const std::string_view password = ctx.request.form_value("current_password");
  if (!member.password_hash || verify_password(password, *member.password_hash) == PasswordCheck::Mismatch)
    return refuse_wrong_password(ctx, tx, dict, member);

  // Two requests of one member queue here: the limit and "newest wins" hold.
  lock_member(tx, member.member_id);
  if (const int wait = email_change_wait_seconds(tx, ctx.config, member.member_id); wait > 0)
    return refuse_for_now(ctx, tx, dict, member, EmailChangeRefusedOutcome::OverLimit, wait);
  queue_change(ctx, tx, member, input.new_email);
  tx.commit();
  return Response::see_other(is_setup(ctx.request) ? "/email/sent?setup=1" : "/email/sent");
}

// 確認メールを送信しました: what happens next, with the masked new address.
Response show_sent(Context& ctx) {
  Transaction tx(ctx.db);
  const Visitor visitor = find_visitor(tx, ctx);
  if (std::optional<Response> elsewhere = redirect_elsewhere(tx, visitor)) return *elsewhere;
  const std::optional<PendingChange> pending = find_pending_change(tx, visitor.member->member_id);
  tx.commit();
  if (!pending) return Response::see_other("/email");
  ctemplate::TemplateDictionary dict("email_sent");
  dict.SetValue("NEW_EMAIL_MASKED", mask_address(pending->new_email));
  dict.SetValue("EXPIRES_AT", pending->expires_jst);
  dict.SetValue("SENDING_DOMAIN", ctx.config.mail_sending_domain);
  if (visitor.member->email) dict.ShowSection("REGISTERED_TOLD");
  if (is_setup(ctx.request)) dict.ShowSection("SETUP");
  return render_page(ctx, "email_sent.tpl", dict);
}

std::string_view cause_section(EmailConfirmation confirmation) {
  switch (confirmation) {
    case EmailConfirmation::AlreadyUsed: return "CAUSE_USED";
    case EmailConfirmation::Superseded: return "CAUSE_SUPERSEDED";
    case EmailConfirmation::Expired: return "CAUSE_EXPIRED";
    case EmailConfirmation::AddressChanged: return "CAUSE_ADDRESS_CHANGED";
    case EmailConfirmation::Confirmed:  // not invalid; never rendered here
    case EmailConfirmation::Unknown: return "CAUSE_UNKNOWN";
  }
  return "CAUSE_UNKNOWN";
}

// The invalid screen names a known cause and stays generic otherwise (D3, R9).
Response show_invalid(Context& ctx, EmailConfirmation confirmation) {
  ctemplate::TemplateDictionary dict("email_invalid");
  dict.ShowSection(std::string(cause_section(confirmation)));
  dict.SetValue("SENDING_DOMAIN", ctx.config.mail_sending_domain);
  set_duration(dict, "CONFIRM_TTL", ctx.config.email_confirm_ttl);
  return render_page(ctx, "email_invalid.tpl", dict, kInvalidStatus);
}

// GET or HEAD of the mail's link: reads only (D2), whatever link_confirm says.
Response open_link(Context& ctx) {
  const std::string_view token = ctx.request.query_value(kTokenParameter);
  Transaction tx(ctx.db);
  const ChangeState state = look_up_email_change(tx, token);
  tx.commit();
  if (state.confirmation != EmailConfirmation::Confirmed) return show_invalid(ctx, state.confirmation);
  ctemplate::TemplateDictionary dict("email_confirm");
  dict.SetValue("TOKEN", std::string(token));  // a hidden field of the POST: no log records it (D12)
  dict.SetValue("NEW_EMAIL_MASKED", mask_address(state.new_email));
  return render_page(ctx, "email_confirm.tpl", dict);
}

// 「メールアドレスを確定する」: one conditional UPDATE uses the link and sets the
// address (R7, D4); both addresses hear of it (D16). Always commits: every
// outcome is audited.
Response confirm(Context& ctx) {
  Transaction tx(ctx.db);
  const ChangeState state = confirm_email_change(tx, ctx.request.form_value(kTokenParameter));
  audit(tx, state.confirmation, state.member_id ? std::optional(state.member_id) : std::nullopt, ctx.request);
  if (state.confirmation != EmailConfirmation::Confirmed) {
    tx.commit();
    return show_invalid(ctx, state.confirmation);
  }
  ctemplate::TemplateDictionary mail("email_changed");
  mail.SetValue("CHANGED_AT", database_now_jst(tx));
  mail.SetValue("NEW_EMAIL_MASKED", mask_address(state.new_email));
  if (state.old_email) enqueue_mail(tx, ctx.config, MailKind::EmailChanged, state.member_id, *state.old_email, mail);
  enqueue_mail(tx, ctx.config, MailKind::EmailChanged, state.member_id, state.new_email, mail);
  tx.commit();
  ctemplate::TemplateDictionary dict("email_confirmed");
  dict.SetValue("NEW_EMAIL_MASKED", mask_address(state.new_email));
  if (state.old_email) dict.ShowSection("OLD_TOLD");
  return render_page(ctx, "email_confirmed.tpl", dict);
}

}  // namespace
}  // namespace kosmo

int main(int argc, char** argv) {
  using kosmo::MailKind;
  using kosmo::mail_template_name;
  return kosmo::run_screen(
      {.name = "email",
       .routes = {{"GET", "/email", kosmo::show_form},
                  {"POST", "/email", kosmo::submit},
                  {"GET", "/email/sent", kosmo::show_sent},
                  {"GET", "/email/confirm", kosmo::open_link},
                  {"POST", "/email/confirm", kosmo::confirm}},
       .templates = {"email.tpl", "email_sent.tpl", "email_confirm.tpl", "email_confirmed.tpl", "email_invalid.tpl",
                     mail_template_name(MailKind::EmailConfirm), mail_template_name(MailKind::EmailChangeNotice),
                     mail_template_name(MailKind::EmailChanged)},
       // The form's maxlength (254 and 512 characters) in UTF-8 bytes.
       .field_limits = {{"new_email", 1016}, {"new_email_confirm", 1016}, {"current_password", 2048}}},
      argc, argv);
}
