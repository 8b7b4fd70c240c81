// login: ログイン画面 (issue 3, R2, R11, D14). One message for every failure,
// so the screen never says whether the login ID exists or the password was
// wrong; an unknown ID costs the same argon2id time as a known one. Success
// gives a new session id (no fixation), records last_login_at (R1 ア needs
// it), and sends a member with a temporary password to the change screen.
// D7: failures count per login ID (known or not) and per address; over a
// limit the screen says to wait, the same for every ID, and the password is
// not even verified.
#include <ctemplate/template.h>

#include "audit.h"
#include "rate_limits.h"
#include "members.h"
#include "normalize.h"
#include "password.h"
#include "screen.h"
#include "session.h"

namespace kosmo {
namespace {

// Longer than any password the change screen accepts (128 code points of up
// to 4 bytes): anything longer cannot match and is not worth hashing.
constexpr std::size_t kMaxPasswordBytes = 512;

Response show_form(Context& ctx) {
  ctemplate::TemplateDictionary dict("login");
  if (ctx.request.query_value("logged_out") == "1") dict.ShowSection("LOGGED_OUT");
  return render_page(ctx, "login.tpl", dict);
}

Response show_failure(Context& ctx, ctemplate::TemplateDictionary& dict) {
  dict.ShowSection("LOGIN_FAILED");
  dict.ShowSection("HAS_ERRORS");  // 「エラー: 」 in the title (issue 15 item 3)
  return render_page(ctx, "login.tpl", dict);
}

// D7: one page for a locked ID, an unknown ID and a busy address alike.
Response show_locked(Context& ctx, ctemplate::TemplateDictionary& dict, const LoginLock& lock) {
  dict.ShowSection("LOGIN_LOCKED");
  dict.ShowSection("HAS_ERRORS");
  dict.SetIntValue("WAIT_MINUTES", (lock.retry_after_seconds + 59) / 60);
  Response response = render_page(ctx, "login.tpl", dict, 429);
  response.header("Retry-After", std::to_string(lock.retry_after_seconds));
  return response;
}

// Why a login is refused before its password is looked at, for the audit
// row only (the page says the same thing for all of them); none when the
// password decides.
std::optional<LoginFailedOutcome> refusal_reason(const std::optional<Member>& member) {
  if (!member) return LoginFailedOutcome::UnknownLoginId;
  if (member->is_disabled) return LoginFailedOutcome::Disabled;
  if (!member->password_hash) return LoginFailedOutcome::NoPassword;
  if (member->password_expired) return LoginFailedOutcome::TemporaryPasswordExpired;
  return std::nullopt;
}

Response submit(Context& ctx) {
  ctemplate::TemplateDictionary dict("login");
  // Login IDs are digits; a member typing them full-width still gets in (D10).
  const std::string login_id = normalize_login_id(ctx.request.form_value("login_id"));
  const std::string_view password = ctx.request.form_value("password");
  dict.SetValue("LOGIN_ID", login_id);
  if (login_id.empty()) dict.ShowSection("ERR_LOGIN_ID");
  if (password.empty()) dict.ShowSection("ERR_PASSWORD");
  if (login_id.empty() || password.empty()) {
    // The summary at the top links to each empty field (issue 15 item 5).
    dict.ShowSection("HAS_ERRORS");
    dict.ShowSection("HAS_FIELD_ERRORS");
    dict.SetIntValue("ERROR_COUNT", (login_id.empty() ? 1 : 0) + (password.empty() ? 1 : 0));
    return render_page(ctx, "login.tpl", dict);
  }

  const std::string& client_ip = ctx.request.remote_addr;
  Transaction tx(ctx.db);
  if (const std::optional<LoginLock> lock = find_login_lock(tx, ctx.config, client_ip, login_id)) {
    // Looked up for the audit row only, after the decision: the answer is the same for any ID.
    const std::optional<Member> member = find_member_by_login_id(tx, login_id);
    try_audit(tx, LoginLockedOutcome::Refused, member ? std::optional(member->member_id) : std::nullopt,
              ctx.request, "scope=" + std::string(to_string(lock->scope)));
    tx.commit();
    return show_locked(ctx, dict, *lock);
  }
  const std::optional<Member> member = find_member_by_login_id(tx, login_id);
  const std::optional<LoginFailedOutcome> refusal = refusal_reason(member);
  // One argon2id and one bcrypt computation whatever the ID: neither an
  // unknown ID nor an imported $2y$ hash shows in the time (issue 13).
  const bool verifiable = !refusal && password.size() <= kMaxPasswordBytes;
  const PasswordCheck check =
      verify_password_evenly(password.substr(0, kMaxPasswordBytes),
                             verifiable ? std::optional<std::string_view>(*member->password_hash) : std::nullopt);
  if (check == PasswordCheck::Mismatch) {
    const std::optional<std::uint64_t> member_id = member ? std::optional(member->member_id) : std::nullopt;
    // D18: the count commits even when its audit rows cannot be written, and
    // the member gets the same page: try_audit undoes only the refused row.
    const int wait = record_login_failure(tx, ctx.config, client_ip, login_id);
    try_audit(tx, refusal.value_or(LoginFailedOutcome::WrongPassword), member_id, ctx.request);
    if (wait > 0)
      try_audit(tx, LoginLockedOutcome::LockoutStarted, member_id, ctx.request,
                "wait_seconds=" + std::to_string(wait));
    tx.commit();
    return show_failure(ctx, dict);
  }

  // Hashes imported from the PHP system ($2y$) become argon2id at first use.
  if (check == PasswordCheck::MatchNeedsRehash)
    upgrade_password_hash(tx, member->member_id, hash_password(password));
  clear_login_failures(tx, ctx.config, login_id);
  if (const std::optional<MemberSession> old = current_session(tx, ctx)) end_session(tx, *old, "relogin");
  start_session(tx, ctx, member->member_id);
  record_login(tx, member->member_id);
  audit(tx, member->password_is_temporary ? LoginSucceededOutcome::TemporaryPassword : LoginSucceededOutcome::Ok,
        member->member_id, ctx.request);
  tx.commit();
  // R11: a temporary password leads to the change screen and nowhere else.
  return Response::see_other(member->password_is_temporary ? "/password" : "/mypage");
}

}  // namespace
}  // namespace kosmo

int main(int argc, char** argv) {
  return kosmo::run_screen({.name = "login",
                            .routes = {{"GET", "/login", kosmo::show_form}, {"POST", "/login", kosmo::submit}},
                            .templates = {"login.tpl"},
                            // The form's maxlength (64 and 512 characters) in UTF-8 bytes.
                            .field_limits = {{"login_id", 256}, {"password", 2048}}},
                           argc, argv);
}
