// mypage: マイページ and ログアウト (issue 3). Shows who is logged in, the
// registered address, an address change waiting for its link (D16) and the
// previous login (never the import's mark as a time); a member with a temporary
// password is sent to the change screen first (R11). While no address is
// registered (members.email NULL: a pending change is not one), a notice says
// why one matters and links to メールアドレス登録 (D17, R1 カ). Logout ends
// the session on the server, so a replayed cookie is dead.
#include <ctemplate/template.h>

#include "audit.h"
#include "email_changes.h"
#include "form.h"
#include "members.h"
#include "screen.h"
#include "session.h"

namespace kosmo {
namespace {

// 前回のログイン: a member the insurer imported as logged in before (R1 ア)
// has logged in, but not here: the import's time would read as someone
// else's login, and 「今回が初めて」 would be false too.
void show_previous_login(ctemplate::TemplateDictionary& dict, const Member& member) {
  switch (member.previous_login) {
    case PreviousLogin::Here:
      dict.SetValueAndShowSection("PREVIOUS_LOGIN", member.previous_login_jst.value_or(""), "HAS_PREVIOUS_LOGIN");
      return;
    case PreviousLogin::BeforeThisSite:
      dict.ShowSection("FIRST_LOGIN_HERE");
      return;
    case PreviousLogin::None:
      dict.ShowSection("FIRST_LOGIN");
      return;
  }
}

Response show(Context& ctx) {
  Transaction tx(ctx.db);
  const std::optional<MemberSession> session = current_session(tx, ctx);
  if (!session) {
    tx.commit();
    return Response::see_other("/login");
  }
  if (session->password_is_temporary) {
    tx.commit();
    return Response::see_other("/password");
  }
  const std::optional<Member> member = find_member_by_id(tx, session->member_id);
  const std::optional<PendingChange> pending =
      member ? find_pending_change(tx, member->member_id) : std::nullopt;  // D16
  tx.commit();
  if (!member) return Response::see_other("/login");

  ctemplate::TemplateDictionary dict("mypage");
  dict.SetValue("LOGIN_ID", member->login_id);
  if (member->display_name) dict.SetValueAndShowSection("DISPLAY_NAME", *member->display_name, "HAS_NAME");
  if (member->email) dict.SetValueAndShowSection("EMAIL", *member->email, "HAS_EMAIL");
  else dict.ShowSection("NO_EMAIL");
  if (pending) {
    ctemplate::TemplateDictionary* open = dict.AddSectionDictionary("PENDING_EMAIL");
    open->SetValue("PENDING_EMAIL_MASKED", mask_address(pending->new_email));
    open->SetValue("PENDING_EXPIRES_AT", pending->expires_jst);
  }
  show_previous_login(dict, *member);
  if (ctx.request.query_value("changed") == "1") dict.ShowSection("PASSWORD_CHANGED");
  return render_page(ctx, "mypage.tpl", dict);
}

Response logout(Context& ctx) {
  Transaction tx(ctx.db);
  if (const std::optional<MemberSession> session = current_session(tx, ctx)) {
    end_session(tx, *session, "logout");
    audit(tx, LogoutOutcome::Ok, session->member_id, ctx.request);
  }
  tx.commit();
  ctx.set_cookies.push_back(clear_cookie_header(kSessionCookie));
  return Response::see_other("/login?logged_out=1");
}

}  // namespace
}  // namespace kosmo

int main(int argc, char** argv) {
  return kosmo::run_screen({.name = "mypage",
                            .routes = {{"GET", "/mypage", kosmo::show}, {"POST", "/logout", kosmo::logout}},
                            .templates = {"mypage.tpl"}},
                           argc, argv);
}
