// forgot_id: 本人確認情報入力画面 and 通知メール送信完了画面 (R1, R3, R4, R8, D1,
// D7, D10, D11, D13). A valid POST only queues what was typed and answers
// 303 to /forgot-id/sent; the identity is checked after the answer by the
// program's background threads, so neither the screen nor its timing tells
// who is a member (D1). Only a format error (empty field, impossible date,
// malformed address) is shown on the form.
#include <ctemplate/template.h>

#include <array>
#include <string>

#include "birth_date_message.h"
#include "duration.h"
#include "identity.h"
#include "identity_check_loop.h"
#include "identity_queue.h"
#include "outbox.h"
#include "page.h"
#include "screen.h"

namespace kosmo {
namespace {

constexpr std::array kFormFields = {kCardSymbolField, kCardNumberField, kBirthDateField, kEmailField};

std::string upper(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
  return out;
}

// Step 1 of 本人確認 → メール送信 → ログインID表示 → パスワード初期化 (issue 15 item 3).
constexpr int kFormStep = 1;
constexpr int kSentStep = 2;

Response show_form(Context& ctx) {
  ctemplate::TemplateDictionary dict("forgot_id");
  show_steps(dict, StepFlow::Recovery, kFormStep);
  return render_page(ctx, "forgot_id.tpl", dict);
}

// The form again with what the member typed (not the normalised value: they
// should recognise their input), a message beside each field at fault, and a
// summary at the top that links to each and is announced (issue 15 item 5).
Response show_form_errors(Context& ctx, const IdentityInput& input) {
  ctemplate::TemplateDictionary dict("forgot_id");
  show_steps(dict, StepFlow::Recovery, kFormStep);
  for (const std::string_view field : kFormFields) dict.SetValue(upper(field), std::string(ctx.request.form_value(field)));
  for (const FieldError& error : input.errors) {
    dict.ShowSection("ERR_" + upper(error.field));
    dict.ShowSection("ERR_" + upper(error.field) + "_" + std::string(to_string(error.problem)));
    // A date that was typed but not taken: say what is wrong with it.
    if (error.field == kBirthDateField && error.problem == FieldProblem::Malformed)
      show_birth_date_problem(dict, read_typed_birth_date(ctx.request.form_value(kBirthDateField)));
  }
  dict.ShowSection("HAS_ERRORS");  // 「エラー: 」 in the title
  dict.SetIntValue("ERROR_COUNT", static_cast<long>(input.errors.size()));
  return render_page(ctx, "forgot_id.tpl", dict);
}

// 平成31年5月1日 is taken as 令和元年5月1日, but the member should see that it
// was: the form comes back once with the day understood, written in the
// Western calendar, which the next 「確認」 sends as it is (issue 15 item 5).
Response show_date_understood(Context& ctx, const BirthDateReading& reading) {
  ctemplate::TemplateDictionary dict("forgot_id");
  show_steps(dict, StepFlow::Recovery, kFormStep);
  for (const std::string_view field : kFormFields) dict.SetValue(upper(field), std::string(ctx.request.form_value(field)));
  dict.SetValue("BIRTH_DATE", reading.date->iso());
  show_birth_date_understood(dict, reading);
  return render_page(ctx, "forgot_id.tpl", dict);
}

Response show_sent(Context& ctx) {
  ctemplate::TemplateDictionary dict("forgot_id_sent");
  show_steps(dict, StepFlow::Recovery, kSentStep);
  dict.SetValue("SENDING_DOMAIN", ctx.config.mail_sending_domain);  // R4
  dict.SetValue("MAIL_FROM_ADDRESS", ctx.config.mail_from_address);  // what to search for (issue 15 item 4)
  set_duration(dict, "TOKEN_TTL", ctx.config.token_ttl);            // R6
  return render_page(ctx, "forgot_id_sent.tpl", dict);
}

// The answer does the same work whoever typed what: queue the typed identity
// (one INSERT), commit, 303. Everything that depends on who typed what, the
// D7 limits included, runs after the answer in check_queued_identities()
// (fcgi/lib/recovery/identity_check_loop), so neither the page, its headers
// nor its timing can tell who is a member or which card is over its limit (D1).
Response submit(Context& ctx) {
  const IdentityInput input = read_identity_form(ctx.request);  // NFKC, era dates (D10)
  if (!input.errors.empty()) return show_form_errors(ctx, input);
  const BirthDateReading reading = read_typed_birth_date(ctx.request.form_value(kBirthDateField));
  if (reading.past_era_end) return show_date_understood(ctx, reading);

  Transaction tx(ctx.db);
  queue_identity(tx, input, ctx.request);
  tx.commit();
  wake_background();
  return Response::see_other("/forgot-id/sent");  // POST -> 303 -> GET
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
                            .background_threads = kosmo::kIdentityCheckThreads},
                           argc, argv);
}
