// screen: what a screen program (fcgi/screens/<screen>.cpp) sees of the
// FastCGI server it runs in: ScreenSpec (routes, templates, background work),
// the Context a handler gets, run_screen(), and the page helpers. The server
// itself is split by job: screen.cpp (start-up order), listen_socket (the
// socket), worker_pool (threads, accept), request_pipeline (parse, size
// limits, CSRF, routing, 404/405/413/415/400/403), db_retry (retrying database
// work), health_check (/healthz) and background_work.
#pragma once

#include <ctemplate/template.h>

#include <string>
#include <string_view>
#include <vector>

#include "config.h"
#include "context.h"
#include "db.h"
#include "http.h"

namespace kosmo {

using Handler = Response (*)(Context&);

struct Route {
  std::string_view method;  // "GET" also answers HEAD
  std::string_view path;
  Handler handler;
};

// A POST field and the most bytes it may hold (issue 5): a longer value is
// refused with the Japanese 400 page before the handler runs, so nothing is
// written. Use the form's maxlength in bytes (UTF-8 takes up to 4 a character);
// the handler's own rules give form errors below that.
struct FieldLimit {
  std::string_view name;
  std::size_t max_bytes;
};

struct ScreenSpec {
  std::string_view name;               // "login" -> program kosmo-login
  std::vector<Route> routes;
  std::vector<std::string> templates;  // loaded at start
  // Loads what the screen needs besides templates (a word list...), after the
  // config and before the first request; throwing stops the start.
  void (*on_start)(const Config&) = nullptr;
  std::vector<FieldLimit> field_limits = {};  // POST fields with a length limit
  // Work a screen does after its answers, named by the screen and living in
  // fcgi/lib: runs in `background_threads` extra threads, each with its own
  // database connection, until the program stops. It loops on
  // BackgroundWork::wait().
  void (*background)(class BackgroundWork&) = nullptr;
  int background_threads = 1;
};

class BackgroundWork {
 public:
  BackgroundWork(const Config& config, Connection& db) : config(config), db(db) {}
  const Config& config;
  Connection& db;
  // Sleeps until wake_background(), `milliseconds`, or the stop; false once
  // the program is stopping (finish the current item, then return).
  bool wait(int milliseconds);
};

// Called by a handler after its COMMIT: a background thread starts on the
// new work as soon as this request's answer has left, instead of at its next
// poll. Not before: the answer's time must not depend on the work (D1).
void wake_background();

int run_screen(const ScreenSpec& screen, int argc, char** argv);

// Renders an HTML page with the CSRF token and the request id filled in.
Response render_page(Context& ctx, std::string_view template_name, ctemplate::TemplateDictionary& dict,
                     int status = 200);

// The Japanese error page for a status; `kind` shows the matching section of error.tpl.
Response error_page(const Request& request, int status, std::string_view kind);

}  // namespace kosmo
