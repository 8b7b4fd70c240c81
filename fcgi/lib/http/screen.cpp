// screen: run_screen(), the start-up order of every screen program, and the
// two page helpers handlers call. A request then goes worker_pool (accept) ->
// request_pipeline (parse, CSRF, route) -> the screen's handler in
// fcgi/screens/ -> fcgi/lib by concern -> db (prepared statements).
#include "screen.h"

#include <fcgiapp.h>
#include <malloc.h>
#include <signal.h>
#include <sysexits.h>
#include <unistd.h>

#include <cppconn/exception.h>

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "background_work.h"
#include "listen_socket.h"
#include "log.h"
#include "page.h"
#include "screen_options.h"
#include "stats.h"
#include "worker_pool.h"

namespace kosmo {
namespace {

// Opens every connection now if the database answers, so the process's first
// connection checks every statement at start (a typo stops the start, 69).
// A database that is away does not stop the start (issue 14): the program
// answers the 503 page and /healthz 503 at once, and each connection opens on
// its first use once the database is back. Only the first connection is
// tried then, so a dead host costs one connect timeout, not one per thread.
void open_connections_if_database_answers(const std::vector<Connection*>& connections) {
  for (Connection* connection : connections) {
    try {
      connection->open_if_closed();
    } catch (const sql::SQLException& e) {
      if (classify(e) != DbFailure::ConnectionLost)
        die(EX_UNAVAILABLE, "db_refused_at_start",
            {{"errno", std::to_string(e.getErrorCode())}, {"sqlstate", e.getSQLState()}});
      log_event(LogLevel::Warn, "db_unavailable_at_start",
                {{"errno", std::to_string(e.getErrorCode())}, {"then", "starting without it"}});
      return;
    }
  }
}

std::vector<std::unique_ptr<Connection>> unopened_connections(const Config& config, int count) {
  std::vector<std::unique_ptr<Connection>> connections;
  for (int i = 0; i < count; ++i)
    connections.push_back(std::make_unique<Connection>(config, Prepare::CheckAtConnect, Open::OnFirstUse));
  return connections;
}

}  // namespace

Response render_page(Context& ctx, std::string_view template_name, ctemplate::TemplateDictionary& dict, int status) {
  dict.SetValue("CSRF_TOKEN", ctx.csrf_token);
  dict.SetValue("REQUEST_ID", ctx.request.request_id);
  Response response;
  response.status = status;
  response.body = render_template(template_name, dict);
  return response;
}

Response error_page(const Request& request, int status, std::string_view kind) {
  ctemplate::TemplateDictionary dict("error");
  dict.ShowSection(std::string(kind));
  dict.SetIntValue("STATUS", status);
  dict.SetValue("REQUEST_ID", request.request_id);
  Response response;
  response.status = status;
  try {
    response.body = render_template(kErrorTemplate, dict);
  } catch (const std::exception&) {
    response.body = "<!DOCTYPE html><html lang=\"ja\"><title>エラー</title><p>エラーが発生しました。</p></html>";
  }
  return response;
}

int run_screen(const ScreenSpec& screen, int argc, char** argv) {
  const std::string program = "kosmo-" + std::string(screen.name);
  set_program_name(program);
  const ScreenOptions options = parse_screen_options(program, argc, argv);

  // Start-up, fail-fast in a fixed order: config, templates, socket; then the
  // database, which may be away (issue 14).
  Config config;
  try {
    config = load_config(options.config_path);
  } catch (const ConfigError& e) {
    die(EX_CONFIG, "config_invalid", {{"error", e.what()}});
  }
  set_site_identity(config.society, config.public_base_url);  // issue 15: read-only from here on
  try {
    load_templates(config.templates_dir, screen.templates);
  } catch (const std::exception& e) {
    die(EX_CONFIG, "templates_invalid", {{"error", e.what()}});
  }
  try {
    if (screen.on_start) screen.on_start(config);
  } catch (const std::exception& e) {
    die(EX_CONFIG, "start_failed", {{"error", e.what()}});
  }

  // SIGTERM/SIGINT are taken by sigwait() below, in the main thread only; the
  // workers inherit the blocked mask, so no signal interrupts a request.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  ::signal(SIGPIPE, SIG_IGN);  // nginx closing early must not kill us

  const ScreenServer server{screen, config};
  WorkerPool pool(server, acquire_listen_socket(options));
  if (FCGX_Init() != 0) die(EX_SOFTWARE, "fcgx_init_failed", {});

  init_database_driver();
  std::vector<std::unique_ptr<Connection>> connections = unopened_connections(config, config.workers);
  std::vector<std::unique_ptr<Connection>> background_connections =
      unopened_connections(config, screen.background ? screen.background_threads : 0);
  std::vector<Connection*> every_connection;
  for (auto& connection : connections) every_connection.push_back(connection.get());
  for (auto& connection : background_connections) every_connection.push_back(connection.get());
  open_connections_if_database_answers(every_connection);

  // Checking every statement on every connection (db.cpp) freed their driver
  // buffers in the middle of the heap, which glibc gives back only at its top
  // unless asked (how much: bench/README.md, "Statements kept only from their
  // first use").
  ::malloc_trim(0);

  // Last of the start-up steps: a start that fails earlier leaves no file.
  std::unique_ptr<ScreenStats> stats;
  try {
    stats = std::make_unique<ScreenStats>(config.stats_dir, screen.name, StatsKind::Screen);
  } catch (const std::exception& e) {
    die(EX_CANTCREAT, "stats_unavailable", {{"error", e.what()}});
  }
  pool.start(connections, *stats);
  const std::string& db_server = connections.front()->server();
  log_event(LogLevel::Info, "started", {{"workers", std::to_string(config.workers)},
                                        {"db", db_server.empty() ? "unavailable" : db_server}});

  std::thread stopper([&] {
    int signal_number = 0;
    sigwait(&stop_signals, &signal_number);
    if (!pool.failed()) log_event(LogLevel::Info, "stopping", {{"signal", std::to_string(signal_number)}});
    pool.stop();
  });
  std::vector<std::thread> background;
  for (auto& connection : background_connections)
    background.emplace_back(run_background_thread, std::cref(screen), std::cref(config), std::ref(*connection));
  const int exit_code = pool.join();
  // Workers that failed end the program: wake the stopper so it can be joined.
  if (exit_code != 0) ::kill(::getpid(), SIGTERM);
  stopper.join();
  // The background work stops after the answers: what was queued before the
  // stop is still handled by the item in hand, the rest by the next start.
  stop_background();
  for (auto& thread : background) thread.join();
  background_connections.clear();
  connections.clear();
  log_event(exit_code == 0 ? LogLevel::Info : LogLevel::Error, "stopped", {{"exit", std::to_string(exit_code)}});
  return exit_code;
}

}  // namespace kosmo
