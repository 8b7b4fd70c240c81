// password_change: パスワード変更画面 (issue 3, R11, D9, D17). Rules from NIST
// SP 800-63B: 8 to 128 characters, any characters, not the login ID, not a
// common password. A change ends every other session of the member and
// queues パスワード変更完了のお知らせ in the same transaction. At the first login
// (D17) the screen is step 1 of 初回設定, and a member without a registered
// address goes on to step 2, メールアドレス登録.
#include <ctemplate/template.h>

#include <optional>

#include "audit.h"
#include "members.h"
#include "outbox.h"
#include "page.h"
#include "password.h"
#include "screen.h"
#include "session.h"

namespace kosmo {
namespace {

const CommonPasswords* common_passwords = nullptr;

void load_common_passwords(const Config& config) {
  static const CommonPasswords loaded = CommonPasswords::load(config.common_passwords_file);
  common_passwords = &loaded;
}

std::string_view problem_section(PasswordProblem problem) {
  switch (problem) {
    case PasswordProblem::TooShort: return "ERR_NEW_TOO_SHORT";
    case PasswordProblem::TooLong: return "ERR_NEW_TOO_LONG";
    case PasswordProblem::SameAsLoginId: return "ERR_NEW_LOGIN_ID";
    case PasswordProblem::Common: return "ERR_NEW_COMMON";
    case PasswordProblem::InvalidText: return "ERR_NEW_INVALID";
  }
  return "ERR_NEW_INVALID";
}

// D17: the first login is one with the insurer's temporary password by a
// member who never logged in before it (login has just moved the empty
// last_login_at to previous_login_at). A member the insurer imported as
// logged in before (R1 ア) has logged in, if not here: not a first login.
bool is_first_login(const MemberSession& session, const std::optional<Member>& member) {
  return session.password_is_temporary && member && member->previous_login == PreviousLogin::None;
}

// A forced change (R11) has nowhere to go back to; a chosen one offers
// 「マイページへ戻る」 (issue 15 item 8). The first login shows step 1 of
// 初回設定 (D17, issue 15 item 3).
Response render_form(Context& ctx, ctemplate::TemplateDictionary& dict, const MemberSession& session,
                     const std::optional<Member>& member, int error_count = 0) {
  if (is_first_login(session, member)) {
    dict.ShowSection("FIRST_LOGIN");
    show_steps(dict, StepFlow::FirstSetup, 1);
  } else {
    dict.ShowSection(session.password_is_temporary ? "FORCED" : "NOT_FORCED");
  }
  if (error_count > 0) {
    dict.ShowSection("HAS_ERRORS");  // the title and the summary (issue 15 items 3, 5)
    dict.SetIntValue("ERROR_COUNT", error_count);
  }
  return render_page(ctx, "password_change.tpl", dict);
}

Response show_form(Context& ctx) {
  Transaction tx(ctx.db);
  const std::optional<MemberSession> session = current_session(tx, ctx);
  if (!session) {
    tx.commit();
    return Response::see_other("/login");
  }
  // Only a forced change can be a first login: no extra query otherwise.
  const std::optional<Member> member =
      session->password_is_temporary ? find_member_by_id(tx, session->member_id) : std::nullopt;
  tx.commit();
  ctemplate::TemplateDictionary dict("password_change");
  return render_form(ctx, dict, *session, member);
}

// Where a change leads (D17): a member who had to replace a temporary
// password and has no registered address is offered step 2 of 初回設定;
// everyone else sees マイページ, which says the password was changed.
std::string_view after_change(const MemberSession& session, const Member& member) {
  if (session.password_is_temporary && !member.email) return "/email?setup=1";
  return "/mypage?changed=1";
}

// Returns the template section of the first problem with the new password.
std::optional<std::string_view> check_new_password(std::string_view current, std::string_view fresh,
                                                   std::string_view confirmation, const std::string& login_id) {
  if (const auto problem = find_password_problem(fresh, login_id, *common_passwords)) return problem_section(*problem);
  if (fresh == current) return "ERR_NEW_SAME_AS_CURRENT";
  if (confirmation != fresh) return "ERR_CONFIRM_MISMATCH";
  return std::nullopt;
}

Response submit(Context& ctx) {
  const std::string_view current = ctx.request.form_value("current_password");
  const std::string_view fresh = ctx.request.form_value("new_password");
  const std::string_view confirmation = ctx.request.form_value("new_password_confirm");

  Transaction tx(ctx.db);
  const std::optional<MemberSession> session = current_session(tx, ctx);
  if (!session) {
    tx.commit();
    return Response::see_other("/login");
  }
  const std::optional<Member> member = find_member_by_id(tx, session->member_id);
  ctemplate::TemplateDictionary dict("password_change");
  if (current.empty()) dict.ShowSection("ERR_CURRENT_REQUIRED");
  if (fresh.empty()) dict.ShowSection("ERR_NEW_REQUIRED");
  if (confirmation.empty()) dict.ShowSection("ERR_CONFIRM_REQUIRED");
  if (current.empty() || fresh.empty() || confirmation.empty()) {
    tx.commit();
    return render_form(ctx, dict, *session, member, int{current.empty()} + int{fresh.empty()} + int{confirmation.empty()});
  }

  const bool current_ok = member && member->password_hash &&
                          verify_password(current, *member->password_hash) != PasswordCheck::Mismatch;
  if (!current_ok) {
    audit(tx, PasswordChangeFailedOutcome::WrongCurrentPassword, session->member_id, ctx.request);
    tx.commit();
    dict.ShowSection("ERR_CURRENT_WRONG");
    return render_form(ctx, dict, *session, member, 1);
  }
  if (const auto problem = check_new_password(current, fresh, confirmation, member->login_id)) {
    tx.commit();
    dict.ShowSection(std::string(*problem));
    return render_form(ctx, dict, *session, member, 1);
  }

  store_password(tx, member->member_id, hash_password(fresh), false, 0);
  // Anyone else holding a session of this member is out now.
  end_member_sessions(tx, member->member_id, session->session_hash, "password_changed");
  if (member->email) {
    ctemplate::TemplateDictionary mail("password_changed");
    mail.SetValue("CHANGED_AT", database_now_jst(tx));
    enqueue_mail(tx, ctx.config, MailKind::PasswordChanged, member->member_id, *member->email, mail);  // D9
  }
  audit(tx, session->password_is_temporary ? PasswordChangedOutcome::FromTemporary : PasswordChangedOutcome::Ok,
        member->member_id, ctx.request);
  tx.commit();
  return Response::see_other(std::string(after_change(*session, *member)));
}

}  // namespace
}  // namespace kosmo

int main(int argc, char** argv) {
  return kosmo::run_screen(
      {.name = "password-change",
       .routes = {{"GET", "/password", kosmo::show_form}, {"POST", "/password", kosmo::submit}},
       .templates = {"password_change.tpl", kosmo::mail_template_name(kosmo::MailKind::PasswordChanged)},
       .on_start = kosmo::load_common_passwords,
       // The form's maxlength (512 characters) in UTF-8 bytes; the 128-character
       // rule below it is a form error (ERR_NEW_TOO_LONG).
       .field_limits = {{"current_password", 2048}, {"new_password", 2048}, {"new_password_confirm", 2048}}},
      argc, argv);
}
