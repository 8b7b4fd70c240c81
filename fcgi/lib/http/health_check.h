// health_check: GET /healthz, answered by every screen program for load
// balancers: 200 "ok" when the program runs (it loaded its configuration and
// templates at start, or it would have exited) and its database answers;
// 503 "database unavailable" at once while it does not (issue 14), also in a
// program that started without its database. No session, no CSRF cookie,
// nothing written, nothing logged when healthy.
#pragma once

#include <string_view>

#include "db.h"
#include "http.h"

namespace kosmo {

inline constexpr std::string_view kHealthPath = "/healthz";

Response health_check(Connection& db, const Request& request);

}  // namespace kosmo
