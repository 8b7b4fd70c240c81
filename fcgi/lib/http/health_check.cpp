// health_check: see health_check.h. The database is asked with the same
// retry policy as a request (db_retry.h): a connection left stale by a
// database restart is replaced once, a database that is away is not waited for.
#include "health_check.h"

#include <cppconn/exception.h>

#include <string>

#include "db_retry.h"
#include "log.h"

namespace kosmo {
namespace {

const SqlStatement kHealthPing{"health.ping", "SELECT 1 AS ok"};

Response health_answer(int status, std::string_view text) {
  Response response;
  response.status = status;
  response.header("Content-Type", "text/plain; charset=utf-8");
  response.body = std::string(text) + "\n";
  return response;
}

}  // namespace

Response health_check(Connection& db, const Request& request) {
  if (request.method != "GET" && request.method != "HEAD") {
    Response response = health_answer(405, "GET or HEAD");
    response.header("Allow", "GET, HEAD");
    return response;
  }
  DbRetry retry(db);
  for (;;) {
    retry.begin_attempt();
    try {
      Transaction tx(db);
      Rows rows = query(tx.statement(kHealthPing));
      const bool answered = rows->next();
      rows.reset();
      tx.commit();
      if (answered) return health_answer(200, "ok");
    } catch (const sql::SQLException& e) {
      switch (retry.after_failure(e)) {
        case DbRetryStep::Retry: continue;
        case DbRetryStep::Unavailable:
        case DbRetryStep::GiveUp: break;
      }
      log_event(LogLevel::Warn, "health_db_unavailable",
                {{"req", request.request_id}, {"errno", std::to_string(e.getErrorCode())}});
    }
    return health_answer(503, "database unavailable");
  }
}

}  // namespace kosmo
