// id_notice: ログインID再通知画面 and URL無効通知画面 (R5, R6, R7, R8, R9, D2,
// D3, D4, D5, D12, D15). Opening the mail URL (GET, HEAD) never consumes it:
// a page with 「ログインIDを表示する」 POSTs it, so a scanner that only fetches
// links changes nothing (D2). The POST consumes with one conditional UPDATE
// (R7, D4), gives the browser a grant cookie (D5) and redirects to /id-notice
// without the token, so the token leaves the address bar, the history and
// any Referer (D12). link_confirm = birth_date also asks the birth date
// (D15); link_confirm = off is the manual's literal behaviour (GET consumes).
#include <ctemplate/template.h>

#include <optional>
#include <string>
#include <string_view>

#include "audit.h"
#include "birth_date.h"
#include "birth_date_message.h"
#include "crypto.h"
#include "duration.h"
#include "form.h"
#include "grants.h"
#include "members.h"
#include "page.h"
#include "screen.h"
#include "tokens.h"

namespace kosmo {
namespace {

constexpr std::string_view kTokenParameter = "t";
// 410 Gone for every invalid case: the URL will never work again, whatever
// the cause, and one status for all causes keeps scanners and monitoring from
// reading success into it (R9, D3).
constexpr int kInvalidStatus = 410;
// ログインID表示, the third of 本人確認 → メール送信 → ログインID表示 → パスワード初期化.
constexpr int kIdStep = 3;

std::string_view cause_section(Redemption redemption) {
  switch (redemption) {
    case Redemption::AlreadyUsed: return "CAUSE_USED";
    case Redemption::TooManyFailures: return "CAUSE_TOO_MANY_FAILURES";
    case Redemption::Superseded: return "CAUSE_SUPERSEDED";
    case Redemption::Expired: return "CAUSE_EXPIRED";
    case Redemption::Granted:  // not invalid; never rendered here
    case Redemption::Unknown: return "CAUSE_UNKNOWN";
  }
  return "CAUSE_UNKNOWN";
}

// URL無効通知画面: the cause when the token is known, the manual's four
// causes when it is not (D3). Never an ID.
Response show_invalid(Context& ctx, std::string_view section) {
  ctemplate::TemplateDictionary dict("id_notice_invalid");
  dict.ShowSection(std::string(section));
  dict.SetValue("SENDING_DOMAIN", ctx.config.mail_sending_domain);  // what to allow-list (cause 4)
  set_duration(dict, "TOKEN_TTL", ctx.config.token_ttl);
  set_duration(dict, "GRANT_TTL", ctx.config.grant_ttl);
  return render_page(ctx, "id_notice_invalid.tpl", dict, kInvalidStatus);
}

Response show_invalid(Context& ctx, Redemption redemption) { return show_invalid(ctx, cause_section(redemption)); }

enum class BirthDateEntry { Missing, Malformed, Wrong };

// The page with 「ログインIDを表示する」; the token goes on in a hidden field of
// a POST body, which no log records (D12).
Response show_confirm(Context& ctx, std::string_view token, std::optional<BirthDateEntry> entry = std::nullopt,
                      int remaining_tries = 0) {
  ctemplate::TemplateDictionary dict("id_notice_confirm");
  show_steps(dict, StepFlow::Recovery, kIdStep);
  dict.SetValue("TOKEN", std::string(token));
  if (ctx.config.link_confirm == LinkConfirm::BirthDate) dict.ShowSection("ASK_BIRTH_DATE");
  if (entry) {
    dict.ShowSection("ERR_BIRTH_DATE");
    dict.ShowSection("HAS_ERRORS");  // 「エラー: 」 in the title, the summary (issue 15 items 3, 5)
    switch (*entry) {
      case BirthDateEntry::Missing: dict.ShowSection("ERR_BIRTH_DATE_MISSING"); break;
      case BirthDateEntry::Malformed:
        show_birth_date_problem(dict, read_typed_birth_date(ctx.request.form_value("birth_date")));
        break;
      case BirthDateEntry::Wrong:
        dict.ShowSection("ERR_BIRTH_DATE_WRONG");
        dict.SetIntValue("REMAINING_TRIES", remaining_tries);
        break;
    }
  }
  return render_page(ctx, "id_notice_confirm.tpl", dict);
}

// Consumes the token (R7, D4); on success the browser gets the grant and the
// token-free URL. Always commits: the audit row is written for every outcome
// (D8). One statement and the COMMIT (issue 16): redeem_token stores the
// grant and the audit row in the same round trip as the consumption.
Response redeem(Context& ctx, Transaction& tx, std::string_view token) {
  const NewGrant grant = new_grant(ctx.config.grant_ttl);  // stored only if granted (D5)
  const TokenState state = redeem_token(tx, token, ctx.config.link_confirm_max_failures, grant, ctx.request);
  switch (state.redemption) {
    case Redemption::Granted:
      tx.commit();
      hand_out_grant(ctx, grant);  // D5
      return Response::see_other("/id-notice");
    case Redemption::AlreadyUsed:
    case Redemption::TooManyFailures:
    case Redemption::Superseded:
    case Redemption::Expired:
    case Redemption::Unknown:
      tx.commit();
      return show_invalid(ctx, state.redemption);
  }
  tx.commit();
  return show_invalid(ctx, Redemption::Unknown);
}

// D15: the birth date of the member the token was issued to must be typed
// before the token is consumed. A wrong one counts against the token; a
// missing or unreadable one is a format error and counts nothing.
Response redeem_with_birth_date(Context& ctx, std::string_view token) {
  const int max_failures = ctx.config.link_confirm_max_failures;
  const std::string_view typed = ctx.request.form_value("birth_date");
  Transaction tx(ctx.db);
  const TokenState state = look_up_token(tx, token, max_failures);
  if (state.redemption != Redemption::Granted) {
    audit(tx, state.redemption, state.member_id ? std::optional(state.member_id) : std::nullopt, ctx.request);
    tx.commit();
    return show_invalid(ctx, state.redemption);
  }
  if (typed.empty()) return show_confirm(ctx, token, BirthDateEntry::Missing);
  const std::optional<CalendarDate> date = parse_birth_date(typed);
  if (!date) return show_confirm(ctx, token, BirthDateEntry::Malformed);

  const std::optional<Member> member = find_member_by_id(tx, state.member_id);
  if (member && constant_time_equal(member->birth_date, date->iso())) return redeem(ctx, tx, token);

  const TokenState after = record_failed_confirmation(tx, token, max_failures);
  // Still usable: the wrong date is the outcome; spent: the token's state.
  if (after.redemption == Redemption::Granted)
    audit(tx, TokenConfirmOutcome::WrongBirthDate, state.member_id, ctx.request);
  else
    audit(tx, after.redemption, state.member_id, ctx.request);
  tx.commit();
  if (after.redemption != Redemption::Granted) return show_invalid(ctx, after.redemption);
  return show_confirm(ctx, token, BirthDateEntry::Wrong, max_failures - after.failed_confirmations);
}

// GET or HEAD of the mail URL.
Response open_link(Context& ctx) {
  const std::string_view token = ctx.request.query_value(kTokenParameter);
  // link_confirm = off: the manual's behaviour, opening is using. A HEAD (a
  // link checker) still never consumes.
  if (ctx.config.link_confirm == LinkConfirm::Off && ctx.request.method == "GET") {
    Transaction tx(ctx.db);
    return redeem(ctx, tx, token);
  }
  Transaction tx(ctx.db);
  const TokenState state = look_up_token(tx, token, ctx.config.link_confirm_max_failures);  // D2: reads only
  tx.commit();
  if (state.redemption != Redemption::Granted) return show_invalid(ctx, state.redemption);
  return show_confirm(ctx, token);
}

// ログインID再通知画面, as long as this browser's grant lasts (D5).
Response show_login_id(Context& ctx) {
  Transaction tx(ctx.db);
  const Grant grant = look_up_grant(tx, ctx.request);
  std::optional<Member> member;
  switch (grant.status) {
    case GrantStatus::Active:
    case GrantStatus::ResetUsed: member = find_member_by_id(tx, grant.member_id); break;
    case GrantStatus::Expired:
    case GrantStatus::Missing: break;
  }
  tx.commit();
  if (!member || member->is_disabled) {
    if (!ctx.request.cookie(kGrantCookie).empty()) ctx.set_cookies.push_back(clear_cookie_header(kGrantCookie));
    return show_invalid(ctx, "CAUSE_GRANT_GONE");
  }
  ctemplate::TemplateDictionary dict("id_notice");
  show_steps(dict, StepFlow::Recovery, kIdStep);
  dict.SetValue("LOGIN_ID", member->login_id);
  dict.ShowSection(grant.status == GrantStatus::Active ? "CAN_RESET" : "RESET_DONE");
  return render_page(ctx, "id_notice.tpl", dict);
}

Response show(Context& ctx) {
  if (ctx.request.query_fields.contains(kTokenParameter)) return open_link(ctx);
  return show_login_id(ctx);
}

Response confirm(Context& ctx) {
  const std::string_view token = ctx.request.form_value(kTokenParameter);
  switch (ctx.config.link_confirm) {
    case LinkConfirm::Button:
    case LinkConfirm::Off: {
      Transaction tx(ctx.db);
      return redeem(ctx, tx, token);
    }
    case LinkConfirm::BirthDate: return redeem_with_birth_date(ctx, token);
  }
  return show_invalid(ctx, Redemption::Unknown);
}

}  // namespace
}  // namespace kosmo

int main(int argc, char** argv) {
  return kosmo::run_screen({.name = "id-notice",
                            .routes = {{"GET", "/id-notice", kosmo::show}, {"POST", "/id-notice", kosmo::confirm}},
                            .templates = {"id_notice.tpl", "id_notice_confirm.tpl", "id_notice_invalid.tpl"}},
                           argc, argv);
}
