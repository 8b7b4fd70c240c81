// request_pipeline: see request_pipeline.h. The order of the checks is the
// order of the cost: nothing is read from the body before the route and its
// size are known, and no handler runs before the CSRF check (issue 3, 5).
#include "request_pipeline.h"

#include <cppconn/exception.h>

#include <charconv>
#include <exception>
#include <utility>

#include "client_ip.h"
#include "crypto.h"
#include "csrf.h"
#include "db_retry.h"
#include "form.h"
#include "health_check.h"
#include "log.h"

namespace kosmo {
namespace {

// The policy the issue asks for (no inline script or style anywhere), plus the
// headers that keep pages with IDs and tokens out of caches and Referer (D12).
constexpr const char* kContentSecurityPolicy =
    "default-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'; object-src 'none'";

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

// Runs the handler under the one retry policy (db_retry.h): a connection lost
// before COMMIT (nothing was written) once, a lost conflict (the server
// rolled the whole transaction back) up to three times.
Response call_handler(Connection& db, const Route& route, Context& ctx) {
  DbRetry retry(db);
  for (;;) {
    retry.begin_attempt();
    ctx.set_cookies.clear();
    try {
      return route.handler(ctx);
    } catch (const sql::SQLException& e) {
      const DbRetryStep step = retry.after_failure(e);
      const std::initializer_list<LogField> fields = {
          {"req", ctx.request.request_id}, {"path", ctx.request.path},
          {"errno", std::to_string(e.getErrorCode())}, {"sqlstate", e.getSQLState()},
          {"attempt", std::to_string(retry.attempt())}, {"server", db.server()}};
      const std::string_view event = db_retry_event(step, retry.last_failure());
      switch (step) {
        case DbRetryStep::Retry:
          log_event(LogLevel::Warn, event, fields);
          continue;
        case DbRetryStep::Unavailable:
          log_event(LogLevel::Error, event, fields);
          return error_page(ctx.request, 503, "UNAVAILABLE");
        case DbRetryStep::GiveUp:
          log_event(LogLevel::Error, event, fields);
          return error_page(ctx.request, 500, "SERVER_ERROR");
      }
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

}  // namespace

std::string param(FCGX_Request& request, const char* name) {
  const char* value = FCGX_GetParam(name, request.envp);
  return value ? value : "";
}

Response handle_request(const ScreenServer& server, Connection& db, FCGX_Request& fcgi) {
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

}  // namespace kosmo
