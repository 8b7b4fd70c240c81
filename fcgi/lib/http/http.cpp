#include "http.h"

namespace kosmo {
namespace {

std::string_view find_in(const std::map<std::string, std::string, std::less<>>& fields,
                         std::string_view name) {
  const auto it = fields.find(name);
  return it == fields.end() ? std::string_view{} : std::string_view(it->second);
}

}  // namespace

std::string_view Request::form_value(std::string_view name) const { return find_in(form, name); }
std::string_view Request::query_value(std::string_view name) const { return find_in(query_fields, name); }
std::string_view Request::cookie(std::string_view name) const { return find_in(cookies, name); }

Response& Response::header(std::string name, std::string value) {
  headers.emplace_back(std::move(name), std::move(value));
  return *this;
}

Response Response::see_other(std::string location) {
  Response response;
  response.status = 303;
  response.header("Location", std::move(location));
  return response;
}

std::string_view status_text(int status) {
  switch (status) {
    case 200: return "OK";
    case 303: return "See Other";
    case 400: return "Bad Request";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 410: return "Gone";
    case 413: return "Content Too Large";
    case 415: return "Unsupported Media Type";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    case 503: return "Service Unavailable";
    default: return "Unknown";
  }
}

std::string serialize_response(const Response& response) {
  std::string out;
  out.reserve(512 + response.body.size());
  out += "Status: ";
  out += std::to_string(response.status);
  out += ' ';
  out += status_text(response.status);
  out += "\r\n";
  for (const auto& [name, value] : response.headers) {
    out += name;
    out += ": ";
    // Header values are made by the program, but a CR/LF slipping in from a
    // bug must still never split the response.
    for (char c : value) out += (c == '\r' || c == '\n') ? ' ' : c;
    out += "\r\n";
  }
  out += "Content-Length: ";
  out += std::to_string(response.body.size());
  out += "\r\n\r\n";
  if (!response.head_only) out += response.body;
  return out;
}

}  // namespace kosmo
