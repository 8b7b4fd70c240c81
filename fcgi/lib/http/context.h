// context: what a handler gets for one request, and all that code below the
// screens (session, grants) may touch of it: the configuration, the worker's
// database connection, the parsed request, and the cookies to add to the
// answer. It is its own header so that those files need not include the
// FastCGI server (screen.h) to set a cookie.
#pragma once

#include <string>
#include <vector>

#include "config.h"
#include "db.h"
#include "http.h"

namespace kosmo {

struct Context {
  const Config& config;
  Connection& db;
  const Request& request;
  std::string csrf_token;                // for the hidden field of every form
  std::vector<std::string> set_cookies;  // Set-Cookie values added to the response
};

}  // namespace kosmo
