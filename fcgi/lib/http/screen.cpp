#include "screen.h"

#include <fcgiapp.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <fcntl.h>
#include <malloc.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sysexits.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <cppconn/exception.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <memory>
#include <mutex>
#include <random>
#include <thread>
#include <utility>

#include "client_ip.h"
#include "crypto.h"
#include "csrf.h"
#include "form.h"
#include "log.h"
#include "page.h"
#include "stats.h"

namespace kosmo {
namespace {

// The policy the issue asks for (no inline script or style anywhere), plus the
// headers that keep pages with IDs and tokens out of caches and Referer (D12).
constexpr const char* kContentSecurityPolicy =
    "default-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'; object-src 'none'";

struct Options {
  std::string config_path = default_config_path();
  std::string listen;
  int socket_mode = 0660;
};

void print_usage(std::string_view program) {
  std::cout << "usage: " << program << " [--config FILE] [--listen PATH|HOST:PORT] [--socket-mode OCTAL]\n"
            << "Serves one KOSMO screen over FastCGI. Without --listen the listening socket is\n"
            << "taken from systemd (LISTEN_FDS) or from fd 0 (spawn-fcgi, StandardInput=socket).\n"
            << "SIGTERM finishes the requests in flight and exits 0.\n";
}

Options parse_options(std::string_view program, int argc, char** argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    const bool has_value = i + 1 < argc;
    if (arg == "--help" || arg == "-h") {
      print_usage(program);
      std::exit(0);
    } else if (arg == "--config" && has_value) {
      options.config_path = argv[++i];
    } else if (arg == "--listen" && has_value) {
      options.listen = argv[++i];
    } else if (arg == "--socket-mode" && has_value) {
      const std::string_view value = argv[++i];
      const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), options.socket_mode, 8);
      if (ec != std::errc() || end != value.data() + value.size() || options.socket_mode > 0777) {
        std::cerr << program << ": --socket-mode expects an octal mode such as 0660\n";
        std::exit(EX_USAGE);
      }
    } else {
      std::cerr << program << ": unknown or incomplete option '" << arg << "' (see --help)\n";
      std::exit(EX_USAGE);
    }
  }
  return options;
}

[[noreturn]] void die(int code, std::string_view event, std::initializer_list<LogField> fields) {
  log_event(LogLevel::Error, event, fields);
  std::exit(code);
}

int bind_unix_socket(const std::string& path, int mode) {
  sockaddr_un address{};
  if (path.size() >= sizeof(address.sun_path))
    die(EX_CONFIG, "listen_failed", {{"reason", "socket path too long"}, {"path", path}});
  address.sun_family = AF_UNIX;
  std::memcpy(address.sun_path, path.c_str(), path.size() + 1);
  // A socket left by a killed predecessor would make bind() fail; anything
  // that is not a socket is left alone.
  struct stat st{};
  if (::lstat(path.c_str(), &st) == 0 && S_ISSOCK(st.st_mode)) ::unlink(path.c_str());
  const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 ||
      ::chmod(path.c_str(), static_cast<mode_t>(mode)) != 0 || ::listen(fd, 128) != 0)
    die(EX_UNAVAILABLE, "listen_failed", {{"path", path}, {"errno", std::strerror(errno)}});
  return fd;
}

int bind_tcp_socket(const std::string& spec) {
  const auto colon = spec.rfind(':');
  const std::string host = spec.substr(0, colon);
  int port = 0;
  const std::string port_text = spec.substr(colon + 1);
  std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  if (port <= 0 || port > 65535 || ::inet_pton(AF_INET, host.c_str(), &address.sin_addr) != 1)
    die(EX_USAGE, "listen_failed", {{"reason", "expected IPv4:PORT"}, {"listen", spec}});
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  const int on = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
  if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 || ::listen(fd, 128) != 0)
    die(EX_UNAVAILABLE, "listen_failed", {{"listen", spec}, {"errno", std::strerror(errno)}});
  return fd;
}

bool is_socket(int fd) {
  struct stat st{};
  return ::fstat(fd, &st) == 0 && S_ISSOCK(st.st_mode);
}

// The three ways a sysadmin can hand us the socket, in order of precedence.
int acquire_listen_socket(const Options& options) {
  if (!options.listen.empty())
    return options.listen.find('/') != std::string::npos ? bind_unix_socket(options.listen, options.socket_mode)
                                                         : bind_tcp_socket(options.listen);
  const char* listen_pid = std::getenv("LISTEN_PID");
  const char* listen_fds = std::getenv("LISTEN_FDS");
  if (listen_pid && listen_fds && std::atol(listen_pid) == static_cast<long>(::getpid()) && std::atoi(listen_fds) >= 1) {
    ::unsetenv("LISTEN_PID");
    ::unsetenv("LISTEN_FDS");
    ::unsetenv("LISTEN_FDNAMES");
    return 3;  // SD_LISTEN_FDS_START
  }
  if (is_socket(0)) return 0;
  die(EX_USAGE, "no_listen_socket",
      {{"reason", "fd 0 is not a socket and neither --listen nor LISTEN_FDS was given"}});
}

std::string param(FCGX_Request& request, const char* name) {
  const char* value = FCGX_GetParam(name, request.envp);
  return value ? value : "";
}

// What the whole process shares once workers run: read-only after start.
struct Server {
  Server(const ScreenSpec& s, const Config& c) : screen(s), config(c) {}
  const ScreenSpec& screen;
  const Config& config;
  int listen_fd = -1;
  int stop_fd = -1;
  std::mutex accept_mutex;
  std::atomic<int> exit_code{0};
  std::unique_ptr<ScreenStats> stats;  // counters for the metrics page
};

Response security_headers(Response response) {
  bool has_type = false;
  for (const auto& header : response.headers) has_type = has_type || header.first == "Content-Type";
  if (!has_type) response.header("Content-Type", "text/html; charset=utf-8");
  response.header("Content-Security-Policy", kContentSecurityPolicy);
  response.header("X-Content-Type-Options", "nosniff");
  response.header("X-Frame-Options", "DENY");
  response.header("Referrer-Policy", "no-referrer");
  response.header("Cache-Control", "no-store");
  response.header("Cross-Origin-Opener-Policy", "same-origin");
  return response;
}

// GET /healthz, answered by every screen program, for load balancers: 200
// "ok" when the program runs (it loaded its configuration and templates at
// start, or it would have exited) and its database answers; 503 otherwise.
// No session, no CSRF cookie, nothing written, nothing logged when healthy.
constexpr std::string_view kHealthPath = "/healthz";
const SqlStatement kHealthPing{"health.ping", "SELECT 1 AS ok"};

Response health_answer(int status, std::string_view text) {
  Response response;
  response.status = status;
  response.header("Content-Type", "text/plain; charset=utf-8");
  response.body = std::string(text) + "\n";
  return response;
}

Response health_check(Connection& db, const Request& request) {
  if (request.method != "GET" && request.method != "HEAD") {
    Response response = health_answer(405, "GET or HEAD");
    response.header("Allow", "GET, HEAD");
    return response;
  }
  for (int attempt = 1;; ++attempt) {
    try {
      Transaction tx(db);
      Rows rows = query(tx.statement(kHealthPing));
      const bool answered = rows->next();
      rows.reset();
      tx.commit();
      if (answered) return health_answer(200, "ok");
    } catch (const sql::SQLException& e) {
      // A connection left stale by a database restart is not a failure of
      // the database: one reconnect, as a request would do.
      if (attempt == 1 && classify(e) == DbFailure::ConnectionLost) {
        try {
          db.reconnect();
          continue;
        } catch (const sql::SQLException&) {
        }
      }
      log_event(LogLevel::Warn, "health_db_unavailable",
                {{"req", request.request_id}, {"errno", std::to_string(e.getErrorCode())}});
    }
    return health_answer(503, "database unavailable");
  }
}

struct Dispatch {
  const Route* route = nullptr;
  std::string allow;  // for 405
};

Dispatch find_route(const ScreenSpec& screen, const Request& request) {
  Dispatch found;
  // Both arms are string_views: a const char* and a std::string would make a
  // temporary std::string, and the view would outlive it (found by ASan).
  const std::string_view method =
      request.method == "HEAD" ? std::string_view("GET") : std::string_view(request.method);
  for (const Route& route : screen.routes) {
    if (route.path != request.path) continue;
    if (!found.allow.empty()) found.allow += ", ";
    found.allow += route.method;
    if (route.method == "GET") found.allow += ", HEAD";
    if (route.method == method) found.route = &route;
  }
  return found;
}

// Before a transaction that lost a conflict runs again: a random pause that
// grows with each attempt (up to 20, 40, 80 ms), so two Galera nodes writing
// one row (a token, a busy address's limit counter) stop colliding in step.
void back_off_after_conflict(int attempt) {
  thread_local std::minstd_rand random(std::random_device{}());
  std::uniform_int_distribution<int> pause_ms(1, 10 << std::min(attempt, 3));
  std::this_thread::sleep_for(std::chrono::milliseconds(pause_ms(random)));
}

// Runs the handler, retrying what the database lets us retry: a connection
// lost before COMMIT (nothing was written) once, a lost conflict (the server
// rolled the whole transaction back) up to three times.
Response call_handler(Connection& db, const Route& route, Context& ctx) {
  constexpr int kMaxAttempts = 4;
  int lost_connections = 0;
  for (int attempt = 1;; ++attempt) {
    db.begin_request();
    ctx.set_cookies.clear();
    try {
      return route.handler(ctx);
    } catch (const sql::SQLException& e) {
      const DbFailure failure = classify(e);
      const std::initializer_list<LogField> fields = {
          {"req", ctx.request.request_id}, {"path", ctx.request.path},
          {"errno", std::to_string(e.getErrorCode())}, {"sqlstate", e.getSQLState()},
          {"attempt", std::to_string(attempt)}, {"server", db.server()}};
      if (failure == DbFailure::ConnectionLost) {
        ++lost_connections;
        try {
          db.reconnect();
        } catch (const sql::SQLException&) {
          log_event(LogLevel::Error, "db_unavailable", fields);
          return error_page(ctx.request, 503, "UNAVAILABLE");
        }
        // Lost during COMMIT: it may have been committed, so never run it twice.
        if (!db.commit_attempted() && lost_connections == 1 && attempt < kMaxAttempts) {
          log_event(LogLevel::Warn, "db_retry", fields);
          continue;
        }
      } else if (failure == DbFailure::Conflict && attempt < kMaxAttempts) {
        log_event(LogLevel::Warn, "db_conflict_retry", fields);
        back_off_after_conflict(attempt);
        continue;
      }
      log_event(LogLevel::Error, "fault", fields);
      return error_page(ctx.request, 500, "SERVER_ERROR");
    } catch (const std::exception& e) {
      log_event(LogLevel::Error, "fault",
                {{"req", ctx.request.request_id}, {"path", ctx.request.path}, {"what", e.what()}});
      return error_page(ctx.request, 500, "SERVER_ERROR");
    }
  }
}

// Reads the body only up to the configured limit: a larger one is refused
// before it is read.
bool read_body(FCGX_Request& fcgi, std::size_t length, std::string& body) {
  body.resize(length);
  std::size_t got = 0;
  while (got < length) {
    const int n = FCGX_GetStr(body.data() + got, static_cast<int>(length - got), fcgi.in);
    if (n <= 0) break;
    got += static_cast<std::size_t>(n);
  }
  body.resize(got);
  return got == length;
}

Response handle_request(Server& server, Connection& db, FCGX_Request& fcgi) {
  Request request;
  request.request_id = hex_encode(random_bytes(6));
  request.method = param(fcgi, "REQUEST_METHOD");
  request.path = param(fcgi, "DOCUMENT_URI");
  if (request.path.empty()) request.path = param(fcgi, "SCRIPT_NAME");
  request.query = param(fcgi, "QUERY_STRING");
  request.content_type = param(fcgi, "CONTENT_TYPE");
  request.cookie_header = param(fcgi, "HTTP_COOKIE");
  // nginx's $remote_addr, or a trusted proxy's header when it is that proxy (D7).
  request.remote_addr = resolve_client_ip(server.config, param(fcgi, "REMOTE_ADDR"),
                                          param(fcgi, cgi_header_param(server.config.client_ip_header).c_str()));
  request.user_agent = param(fcgi, "HTTP_USER_AGENT").substr(0, 255);
  request.cookies = parse_cookie_header(request.cookie_header);
  if (request.path == kHealthPath) return health_check(db, request);

  const Dispatch dispatch = find_route(server.screen, request);
  if (dispatch.allow.empty()) return error_page(request, 404, "NOT_FOUND");
  if (!dispatch.route) {
    Response response = error_page(request, 405, "METHOD_NOT_ALLOWED");
    response.header("Allow", dispatch.allow);
    return response;
  }

  const std::string length_text = param(fcgi, "CONTENT_LENGTH");
  std::size_t length = 0;
  if (!length_text.empty()) {
    const auto [end, ec] = std::from_chars(length_text.data(), length_text.data() + length_text.size(), length);
    if (ec != std::errc() || end != length_text.data() + length_text.size())
      return error_page(request, 400, "BAD_REQUEST");
  }
  if (length > server.config.max_body_bytes) return error_page(request, 413, "TOO_LARGE");
  if (length > 0 && !read_body(fcgi, length, request.body)) return error_page(request, 400, "BAD_REQUEST");

  const ParsedFields query = parse_urlencoded(request.query);
  if (query.error != FormError::None) return error_page(request, 400, "BAD_REQUEST");
  request.query_fields = query.fields;

  Context ctx{server.config, db, request, {}, {}};
  std::string csrf_cookie(request.cookie(kCsrfCookie));
  const bool csrf_cookie_ok = is_well_formed_csrf_cookie(csrf_cookie);

  if (request.method == "POST") {
    const std::string_view type = std::string_view(request.content_type).substr(0, request.content_type.find(';'));
    if (type != "application/x-www-form-urlencoded") return error_page(request, 415, "UNSUPPORTED_MEDIA");
    ParsedFields form = parse_urlencoded(request.body);
    if (form.error != FormError::None) {
      log_event(LogLevel::Info, "bad_form", {{"req", request.request_id}, {"path", request.path},
                                              {"error", std::string(to_string(form.error))}});
      return error_page(request, 400, "BAD_REQUEST");
    }
    request.form = std::move(form.fields);
    for (const FieldLimit& limit : server.screen.field_limits) {
      if (request.form_value(limit.name).size() <= limit.max_bytes) continue;
      log_event(LogLevel::Info, "field_too_long",
                {{"req", request.request_id}, {"path", request.path}, {"field", std::string(limit.name)}});
      return error_page(request, 400, "FIELD_TOO_LONG");
    }
    // A missing or wrong token changes nothing: the handler never runs.
    if (!csrf_token_matches(server.config.csrf_key, csrf_cookie, request.form_value(kCsrfField))) {
      log_event(LogLevel::Warn, "csrf_rejected", {{"req", request.request_id}, {"path", request.path}});
      return error_page(request, 403, "CSRF");
    }
  }
  // A browser without a valid CSRF cookie gets one with this answer, so the
  // form it is about to see can be submitted.
  if (!csrf_cookie_ok) csrf_cookie = new_csrf_cookie_value();
  ctx.csrf_token = csrf_token_for(server.config.csrf_key, csrf_cookie);

  Response response = call_handler(db, *dispatch.route, ctx);
  if (!csrf_cookie_ok) response.header("Set-Cookie", set_cookie_header(kCsrfCookie, csrf_cookie, 0));
  for (const std::string& cookie : ctx.set_cookies) response.header("Set-Cookie", cookie);
  return response;
}

void write_response(FCGX_Request& fcgi, Response response, bool head_only) {
  response.head_only = head_only;
  const std::string out = serialize_response(security_headers(std::move(response)));
  FCGX_PutStr(out.data(), static_cast<int>(out.size()), fcgi.out);
}

// Waits for a connection or for the stop signal. One worker at a time waits
// (the mutex), so a stop wakes them one after another, and a connection wakes
// exactly one of them.
enum class Wake { Connection, Stop };
Wake wait_for_connection(Server& server) {
  pollfd fds[2] = {{server.listen_fd, POLLIN, 0}, {server.stop_fd, POLLIN, 0}};
  for (;;) {
    const int n = ::poll(fds, 2, -1);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 || (fds[1].revents & POLLIN)) return Wake::Stop;
    if (fds[0].revents & (POLLERR | POLLHUP | POLLNVAL)) return Wake::Stop;
    if (fds[0].revents & POLLIN) return Wake::Connection;
  }
}

void stop_all(Server& server) {
  const uint64_t one = 1;
  ssize_t ignored = ::write(server.stop_fd, &one, sizeof(one));
  (void)ignored;
}

// Set by wake_background() in a worker; acted on once the answer is sent.
thread_local bool wake_after_answer = false;
void notify_background();

void worker_loop(Server& server, Connection& db) {
  db_thread_init();
  FCGX_Request fcgi;
  FCGX_InitRequest(&fcgi, server.listen_fd, 0);
  for (;;) {
    int accepted = 0;
    {
      std::lock_guard<std::mutex> lock(server.accept_mutex);
      if (wait_for_connection(server) == Wake::Stop) break;
      accepted = FCGX_Accept_r(&fcgi);
    }
    if (accepted == -EAGAIN || accepted == -EWOULDBLOCK || accepted == -EINTR) continue;  // another process took it
    if (accepted < 0) {
      log_event(LogLevel::Error, "accept_failed", {{"code", std::to_string(accepted)}});
      server.exit_code = 1;
      stop_all(server);
      break;
    }
    const bool head_only = param(fcgi, "REQUEST_METHOD") == "HEAD";
    const auto started = std::chrono::steady_clock::now();
    Response response;
    try {
      response = handle_request(server, db, fcgi);
    } catch (const std::exception& e) {
      // Nothing a request does may end the process (a bad_alloc, a bug).
      log_event(LogLevel::Error, "fault", {{"what", e.what()}});
      Request blank;
      response = error_page(blank, 500, "SERVER_ERROR");
    }
    // Counted before the answer leaves, so a client that has its answer
    // also finds it in the metrics.
    server.stats->record(response.status, static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::microseconds>(
                                              std::chrono::steady_clock::now() - started).count()));
    write_response(fcgi, std::move(response), head_only);
    FCGX_Finish_r(&fcgi);
    if (std::exchange(wake_after_answer, false)) notify_background();
  }
  FCGX_Free(&fcgi, 1);
  db_thread_end();
}

// The background thread's alarm clock: woken by handlers, by its poll
// interval, or by the stop.
struct BackgroundSignal {
  std::mutex mutex;
  std::condition_variable changed;
  bool woken = false;
  bool stopping = false;
};
BackgroundSignal& background_signal() {
  static BackgroundSignal signal;
  return signal;
}

void stop_background() {
  BackgroundSignal& signal = background_signal();
  {
    std::lock_guard<std::mutex> lock(signal.mutex);
    signal.stopping = true;
  }
  signal.changed.notify_all();
}

void background_loop(const ScreenSpec& screen, const Config& config, Connection& db) {
  db_thread_init();
  BackgroundWork work(config, db);
  try {
    screen.background(work);
  } catch (const std::exception& e) {
    // The screen's loop handles its own faults; one escaping here is a bug.
    log_event(LogLevel::Error, "background_fault", {{"what", e.what()}});
  }
  db_thread_end();
}

}  // namespace

bool BackgroundWork::wait(int milliseconds) {
  BackgroundSignal& signal = background_signal();
  std::unique_lock<std::mutex> lock(signal.mutex);
  signal.changed.wait_for(lock, std::chrono::milliseconds(milliseconds),
                          [&] { return signal.woken || signal.stopping; });
  signal.woken = false;
  return !signal.stopping;
}

void wake_background() { wake_after_answer = true; }

namespace {
void notify_background() {
  BackgroundSignal& signal = background_signal();
  {
    std::lock_guard<std::mutex> lock(signal.mutex);
    signal.woken = true;
  }
  signal.changed.notify_one();
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
  const Options options = parse_options(program, argc, argv);

  // Start-up, fail-fast in a fixed order: config, templates, socket, database.
  Config config;
  try {
    config = load_config(options.config_path);
  } catch (const ConfigError& e) {
    die(EX_CONFIG, "config_invalid", {{"error", e.what()}});
  }
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

  Server server(screen, config);
  server.listen_fd = acquire_listen_socket(options);
  server.stop_fd = ::eventfd(0, EFD_CLOEXEC);
  if (FCGX_Init() != 0) die(EX_SOFTWARE, "fcgx_init_failed", {});
  // Non-blocking accept: when several processes share one socket, the loser
  // of a race gets EAGAIN and waits again instead of blocking the stop.
  ::fcntl(server.listen_fd, F_SETFL, ::fcntl(server.listen_fd, F_GETFL) | O_NONBLOCK);

  init_database_driver();
  std::vector<std::unique_ptr<Connection>> connections;
  std::vector<std::unique_ptr<Connection>> background_connections;
  try {
    for (int i = 0; i < config.workers; ++i) connections.push_back(std::make_unique<Connection>(config));
    if (screen.background)
      for (int i = 0; i < screen.background_threads; ++i)
        background_connections.push_back(std::make_unique<Connection>(config));
  } catch (const sql::SQLException& e) {
    die(EX_UNAVAILABLE, "db_unavailable_at_start",
        {{"errno", std::to_string(e.getErrorCode())}, {"sqlstate", e.getSQLState()}});
  }

  // Checking every statement on every connection (db.cpp) freed their driver
  // buffers in the middle of the heap, which glibc gives back only at its top
  // unless asked (how much: bench/README.md, "Statements kept only from their
  // first use").
  ::malloc_trim(0);

  // Last of the start-up steps: a start that fails earlier leaves no file.
  try {
    server.stats = std::make_unique<ScreenStats>(config.stats_dir, screen.name);
  } catch (const std::exception& e) {
    die(EX_CANTCREAT, "stats_unavailable", {{"error", e.what()}});
  }
  std::vector<std::thread> workers;
  for (auto& connection : connections)
    workers.emplace_back(worker_loop, std::ref(server), std::ref(*connection));
  log_event(LogLevel::Info, "started", {{"workers", std::to_string(config.workers)},
                                        {"db", connections.front()->server()}});

  std::thread stopper([&] {
    int signal_number = 0;
    sigwait(&stop_signals, &signal_number);
    log_event(LogLevel::Info, "stopping", {{"signal", std::to_string(signal_number)}});
    stop_all(server);
  });
  std::vector<std::thread> background;
  for (auto& connection : background_connections)
    background.emplace_back(background_loop, std::cref(screen), std::cref(config), std::ref(*connection));
  for (auto& worker : workers) worker.join();
  // A worker that failed stopped the others; wake the stopper so it can be joined.
  if (server.exit_code != 0) ::kill(::getpid(), SIGTERM);
  stopper.join();
  // The background work stops after the answers: what was queued before the
  // stop is still handled by the item in hand, the rest by the next start.
  stop_background();
  for (auto& thread : background) thread.join();
  background_connections.clear();
  connections.clear();
  log_event(LogLevel::Info, "stopped", {{"exit", std::to_string(server.exit_code.load())}});
  return server.exit_code;
}

}  // namespace kosmo
