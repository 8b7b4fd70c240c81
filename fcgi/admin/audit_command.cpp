// kosmo-admin audit export: audit_events (D8) as JSON lines, for the insurer's
// auditors or a SIEM. Read page by page (audit_id order), so an export of
// millions of rows holds one page in memory, not the whole result.
#include <sysexits.h>

#include <cstdio>
#include <ctime>
#include <iostream>

#include "admin_commands.h"

namespace kosmo {

const char* const kAuditHelp = R"(NAME
    kosmo-admin audit export - write audit events as JSON lines

SYNOPSIS
    kosmo-admin [--config FILE] audit export --since TIME [--until TIME]

DESCRIPTION
    Writes every audit event (D8) with since <= occurred_at < until to
    standard output, one JSON object a line, oldest first:
      {"audit_id":17,"occurred_at":"2026-11-26T11:50:00.123456Z",
       "event":"login_succeeded","outcome":"ok","member_id":12,
       "ip":"192.0.2.1","user_agent":"...","request_id":"5f1c2a","detail":null}
    Audit rows never hold a token, a password, a session id or a card number.

    TIME is 2026-11-01 (midnight), 2026-11-01T09:00, 2026-11-01 09:00:00 or
    with seconds' fractions, in UTC unless it ends in Z or an offset such as
    +09:00 (Japan). --until defaults to now.

EXIT STATUS
    0 done; 64 usage; 65 a TIME that cannot be read; 69 database unavailable;
    74 standard output could not be written; 78 configuration error.

EXAMPLE
    kosmo-admin audit export --since 2026-11-01T00:00+09:00 --until 2026-12-01T00:00+09:00 > audit-2026-11.jsonl
)";

namespace {

constexpr int kPageRows = 5000;

// The ids of the period first, from idx_audit_events_time alone (the
// primary key is part of every secondary index): the pages then read the
// primary key between them. Without these bounds the first page of a day
// walked the primary key from the table's first row to the day, and the
// last page on to its end (issue 16).
const SqlStatement kAuditIdRange{
    "admin.audit_id_range",
    "SELECT MIN(audit_id) AS first_id, MAX(audit_id) AS last_id FROM audit_events "
    "WHERE occurred_at >= ? AND occurred_at < COALESCE(?, UTC_TIMESTAMP(6) + INTERVAL 1 SECOND)"};
const SqlStatement kAuditPage{
    "admin.audit_page",
    "SELECT audit_id, DATE_FORMAT(occurred_at, '%Y-%m-%dT%H:%i:%s.%fZ') AS occurred_at, event, outcome, "
    "member_id, ip, user_agent, request_id, detail FROM audit_events "
    "WHERE audit_id > ? AND audit_id <= ? AND occurred_at >= ? "
    "AND occurred_at < COALESCE(?, UTC_TIMESTAMP(6) + INTERVAL 1 SECOND) "
    "ORDER BY audit_id LIMIT 5000"};

// "2026-11-01T09:00:00.5+09:00" -> "2026-11-01 00:00:00.500000" (UTC), or
// nullopt. Dates are checked by a round trip through timegm.
std::optional<std::string> parse_utc_time(std::string_view text) {
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  std::size_t pos = 0;
  auto digits = [&](int count, int& out) {
    if (pos + count > text.size()) return false;
    out = 0;
    for (int i = 0; i < count; ++i) {
      const char c = text[pos + i];
      if (c < '0' || c > '9') return false;
      out = out * 10 + (c - '0');
    }
    pos += count;
    return true;
  };
  auto literal = [&](char c) { return pos < text.size() && text[pos] == c ? (++pos, true) : false; };
  if (!digits(4, year) || !literal('-') || !digits(2, month) || !literal('-') || !digits(2, day)) return std::nullopt;
  std::string micros = "000000";
  long offset_seconds = 0;
  if (pos < text.size()) {
    if (!literal('T') && !literal(' ')) return std::nullopt;
    if (!digits(2, hour) || !literal(':') || !digits(2, minute)) return std::nullopt;
    if (literal(':')) {
      if (!digits(2, second)) return std::nullopt;
      if (literal('.')) {
        std::size_t n = 0;
        while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
          if (n < 6) micros[n] = text[pos];
          ++n;
          ++pos;
        }
        if (n == 0) return std::nullopt;
      }
    }
    if (!literal('Z') && pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
      const int sign = text[pos++] == '+' ? 1 : -1;
      int oh = 0, om = 0;
      if (!digits(2, oh) || !literal(':') || !digits(2, om) || oh > 14 || om > 59) return std::nullopt;
      offset_seconds = sign * (oh * 3600L + om * 60L);
    }
  }
  if (pos != text.size() || month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59)
    return std::nullopt;
  std::tm tm{};
  tm.tm_year = year - 1900;
  tm.tm_mon = month - 1;
  tm.tm_mday = day;
  tm.tm_hour = hour;
  tm.tm_min = minute;
  tm.tm_sec = second;
  const std::time_t local = ::timegm(&tm);
  if (tm.tm_mday != day || tm.tm_mon != month - 1) return std::nullopt;  // 2026-02-30
  const std::time_t utc = local - offset_seconds;
  std::tm out{};
  ::gmtime_r(&utc, &out);
  char buffer[40];
  std::snprintf(buffer, sizeof(buffer), "%04d-%02d-%02d %02d:%02d:%02d.%s", out.tm_year + 1900, out.tm_mon + 1,
                out.tm_mday, out.tm_hour, out.tm_min, out.tm_sec, micros.c_str());
  return std::string(buffer);
}

// JSON string: quotes, backslashes and control characters escaped; the
// stored text is valid UTF-8 (strict mode refuses anything else).
std::string json_string(std::string_view text) {
  std::string out = "\"";
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (u < 0x20 || u == 0x7f) {
      char escape[8];
      std::snprintf(escape, sizeof(escape), "\\u%04x", u);
      out += escape;
    } else {
      out += c;
    }
  }
  return out + "\"";
}

std::string json_or_null(const std::optional<std::string>& value) { return value ? json_string(*value) : "null"; }

}  // namespace

int admin_audit(const Config&, Connection& db, const std::vector<std::string>& args) {
  std::optional<std::string> since;
  std::optional<std::string> until;
  bool usage_ok = !args.empty() && args[0] == "export";
  for (std::size_t i = 1; usage_ok && i < args.size(); ++i) {
    std::optional<std::string>* target = args[i] == "--since" ? &since : args[i] == "--until" ? &until : nullptr;
    if (!target || i + 1 >= args.size()) {
      usage_ok = false;
      break;
    }
    *target = parse_utc_time(args[++i]);
    if (!*target) {
      std::cerr << "kosmo-admin audit export: cannot read the time '" << args[i]
                << "' (2026-11-01, 2026-11-01T09:00:00, optionally Z or +09:00)\n";
      return EX_DATAERR;
    }
  }
  if (!usage_ok || !since) {
    std::cerr << "usage: kosmo-admin audit export --since TIME [--until TIME]\n";
    return EX_USAGE;
  }
  sql::PreparedStatement& range = db.statement(kAuditIdRange);
  range.setString(1, *since);
  if (until) range.setString(2, *until);
  else range.setNull(2, 0);
  Rows bounds = query(range);
  bounds->next();
  if (bounds->isNull("first_id")) {
    std::cerr << "kosmo-admin audit export: 0 events\n";
    return 0;
  }
  std::uint64_t last_id = bounds->getUInt64("first_id") - 1;
  const std::uint64_t end_id = bounds->getUInt64("last_id");
  bounds.reset();
  long written = 0;
  for (;;) {
    sql::PreparedStatement& page = db.statement(kAuditPage);
    page.setUInt64(1, last_id);
    page.setUInt64(2, end_id);
    page.setString(3, *since);
    if (until) page.setString(4, *until);
    else page.setNull(4, 0);
    Rows rows = query(page);
    int in_page = 0;
    std::string out;
    while (rows->next()) {
      ++in_page;
      last_id = rows->getUInt64("audit_id");
      out += "{\"audit_id\":" + std::to_string(last_id) +
             ",\"occurred_at\":" + json_string(rows->getString("occurred_at").asStdString()) +
             ",\"event\":" + json_string(rows->getString("event").asStdString()) +
             ",\"outcome\":" + json_string(rows->getString("outcome").asStdString()) + ",\"member_id\":" +
             (rows->isNull("member_id") ? std::string("null") : std::to_string(rows->getUInt64("member_id"))) +
             ",\"ip\":" + json_or_null(nullable_string(*rows, "ip")) +
             ",\"user_agent\":" + json_or_null(nullable_string(*rows, "user_agent")) +
             ",\"request_id\":" + json_or_null(nullable_string(*rows, "request_id")) +
             ",\"detail\":" + json_or_null(nullable_string(*rows, "detail")) + "}\n";
    }
    std::cout << out;
    written += in_page;
    if (in_page < kPageRows) break;
  }
  std::cout.flush();
  std::cerr << "kosmo-admin audit export: " << written << " events\n";
  return std::cout ? 0 : EX_IOERR;
}

}  // namespace kosmo
