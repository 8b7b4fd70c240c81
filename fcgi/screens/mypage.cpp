// mypage: マイページ and ログアウト (issue 3). Shows who is logged in, the
// registered address and the previous login; a member with a temporary
// password is sent to the change screen first (R11). While no address is
// registered (members.email NULL: a pending change is not one), a notice says
// why one matters and links to メールアドレス登録 (D17, R1 カ). Logout ends
// the session on the server, so a replayed cookie is dead.
#include <ctemplate/template.h>

#include "audit.h"
#include "form.h"
#include "members.h"
#include "screen.h"
#include "session.h"

namespace kosmo {
namespace {

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
  tx.commit();
  if (!member) return Response::see_other("/login");

  ctemplate::TemplateDictionary dict("mypage");
  dict.SetValue("LOGIN_ID", member->login_id);
  if (member->display_name) dict.SetValueAndShowSection("DISPLAY_NAME", *member->display_name, "HAS_NAME");
  if (member->email) dict.SetValueAndShowSection("EMAIL", *member->email, "HAS_EMAIL");
  else dict.ShowSection("NO_EMAIL");
  if (member->previous_login_jst) dict.SetValueAndShowSection("PREVIOUS_LOGIN", *member->previous_login_jst, "HAS_PREVIOUS_LOGIN");
  else dict.ShowSection("FIRST_LOGIN");
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
