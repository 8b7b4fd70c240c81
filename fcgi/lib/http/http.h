// http: the request as a screen sees it and the response it returns. Handlers
// build a Response value; only run_screen writes it, so a handler that fails
// half-way has sent nothing and can be retried as a whole.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kosmo {

struct Request {
  std::string method;        // REQUEST_METHOD
  std::string path;          // DOCUMENT_URI: the path without the query (safe to log)
  std::string query;         // QUERY_STRING: may hold a recovery token, never logged (D12)
  std::string content_type;  // CONTENT_TYPE
  std::string cookie_header; // HTTP_COOKIE
  std::string remote_addr;   // REMOTE_ADDR as nginx saw it
  std::string user_agent;    // HTTP_USER_AGENT, cut to 255 bytes
  std::string body;
  std::string request_id;    // ours, for logs and the error page
  std::map<std::string, std::string, std::less<>> form;  // parsed POST fields
  std::map<std::string, std::string, std::less<>> query_fields;
  std::map<std::string, std::string, std::less<>> cookies;

  std::string_view form_value(std::string_view name) const;
  std::string_view query_value(std::string_view name) const;
  std::string_view cookie(std::string_view name) const;
};

struct Response {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  bool head_only = false;  // HEAD: headers as for GET, no body

  Response& header(std::string name, std::string value);
  static Response see_other(std::string location);  // POST -> 303 -> GET
};

std::string_view status_text(int status);

// "Status: 303 See Other\r\nLocation: ...\r\n\r\n<body>" for FCGX_PutStr.
std::string serialize_response(const Response& response);

}  // namespace kosmo
