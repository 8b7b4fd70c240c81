// request_pipeline: one FastCGI request from its parameters to the bytes of
// its answer: parse, /healthz, routing (404/405), size limits (413, 400),
// content type (415), CSRF on POST (403), the screen's handler under the
// database retry policy (db_retry.h), the security headers on every answer.
// Faults become the Japanese error page with a request id and one log line.
#pragma once

#include <fcgiapp.h>

#include <string>

#include "config.h"
#include "db.h"
#include "http.h"
#include "screen.h"

namespace kosmo {

// What every request of a program shares: read-only once the workers run.
struct ScreenServer {
  const ScreenSpec& screen;
  const Config& config;
};

std::string param(FCGX_Request& request, const char* name);

Response handle_request(const ScreenServer& server, Connection& db, FCGX_Request& fcgi);

void write_response(FCGX_Request& fcgi, Response response, bool head_only);

}  // namespace kosmo
