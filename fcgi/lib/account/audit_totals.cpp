#include "audit_totals.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace kosmo {
namespace {

// Times travel as text in the database's own form, so no clock but the
// database's is involved.
#define KOSMO_TIME_TEXT(expr) "DATE_FORMAT(" expr ", '%Y-%m-%d %H:%i:%s.%f')"

// settle_to: rows older than five minutes have committed (no transaction of
// the programs lasts minutes), so a total up to there never changes again.
const SqlStatement kReadTotal{
    "audit_totals.read",
    "SELECT n, " KOSMO_TIME_TEXT("counted_before") " AS counted_before, "
    KOSMO_TIME_TEXT("UTC_TIMESTAMP(6) - INTERVAL 5 MINUTE") " AS settle_to, "
    "counted_before < UTC_TIMESTAMP(6) - INTERVAL 10 MINUTE AS stale "
    "FROM audit_event_totals WHERE event = ? AND outcome = ?"};
#undef KOSMO_TIME_TEXT
// A counter sql/007 does not seed starts from the first row (counted once).
const SqlStatement kCreateTotal{
    "audit_totals.create",
    "INSERT IGNORE INTO audit_event_totals (event, outcome, n, counted_before) VALUES (?, ?, 0, '1000-01-01')"};
const SqlStatement kListTotals{"audit_totals.list", "SELECT event, outcome FROM audit_event_totals"};
// Ranges on idx_audit_events_event (event, occurred_at).
const SqlStatement kCountBetween{
    "audit_totals.count_between",
    "SELECT COUNT(*) AS n FROM audit_events WHERE event = ? AND occurred_at >= ? AND occurred_at < ?"};
const SqlStatement kCountOutcomeBetween{
    "audit_totals.count_outcome_between",
    "SELECT COUNT(*) AS n FROM audit_events WHERE event = ? AND occurred_at >= ? AND occurred_at < ? AND outcome = ?"};
// Only if no one moved it meanwhile (another scrape, another node): then
// this one's figures still hold for its own snapshot.
const SqlStatement kAdvanceTotal{
    "audit_totals.advance",
    "UPDATE audit_event_totals SET n = n + ?, counted_before = ? "
    "WHERE event = ? AND outcome = ? AND counted_before = ?"};

constexpr const char* kEndOfTime = "9999-12-31 23:59:59.999999";

struct Total {
  std::uint64_t n = 0;
  std::string counted_before;
  std::string settle_to;
  bool stale = false;
};

std::optional<Total> read_total(Transaction& tx, std::string_view event, std::string_view outcome) {
  sql::PreparedStatement& read = tx.statement(kReadTotal);
  read.setString(1, std::string(event));
  read.setString(2, std::string(outcome));
  Rows rows = query(read);
  if (!rows->next()) return std::nullopt;
  return Total{rows->getUInt64("n"), rows->getString("counted_before").asStdString(),
               rows->getString("settle_to").asStdString(), rows->getBoolean("stale")};
}

Total read_or_create_total(Transaction& tx, std::string_view event, std::string_view outcome) {
  if (auto total = read_total(tx, event, outcome)) return *total;
  sql::PreparedStatement& create = tx.statement(kCreateTotal);
  create.setString(1, std::string(event));
  create.setString(2, std::string(outcome));
  create.executeUpdate();
  // Created by another transaction after this one's snapshot: counted from
  // the first row this time, from the stored total next time.
  return read_total(tx, event, outcome).value_or(Total{0, "1000-01-01 00:00:00.000000", "", false});
}

std::uint64_t count_between(Transaction& tx, std::string_view event, std::string_view outcome,
                            const std::string& from, const std::string& to) {
  sql::PreparedStatement& count = tx.statement(outcome.empty() ? kCountBetween : kCountOutcomeBetween);
  count.setString(1, std::string(event));
  count.setString(2, from);
  count.setString(3, to);
  if (!outcome.empty()) count.setString(4, std::string(outcome));
  Rows rows = query(count);
  rows->next();
  return rows->getUInt64("n");
}

// Adds the settled rows since counted_before to the total and moves it on.
void settle(Transaction& tx, std::string_view event, std::string_view outcome, Total& total) {
  // The same text format on both sides, so the text order is the time order.
  if (total.settle_to <= total.counted_before) return;
  const std::uint64_t added = count_between(tx, event, outcome, total.counted_before, total.settle_to);
  sql::PreparedStatement& advance = tx.statement(kAdvanceTotal);
  advance.setUInt64(1, added);
  advance.setString(2, total.settle_to);
  advance.setString(3, std::string(event));
  advance.setString(4, std::string(outcome));
  advance.setString(5, total.counted_before);
  advance.executeUpdate();
  total.n += added;
  total.counted_before = total.settle_to;
  total.stale = false;
}

}  // namespace

std::uint64_t total_audit_events(Transaction& tx, AuditEvent event, std::string_view outcome) {
  const std::string_view name = to_string(event);
  Total total = read_or_create_total(tx, name, outcome);
  if (total.stale) settle(tx, name, outcome, total);
  return total.n + count_between(tx, name, outcome, total.counted_before, kEndOfTime);
}

void settle_audit_totals(Transaction& tx) {
  std::vector<std::pair<std::string, std::string>> keys;
  {
    Rows rows = query(tx.statement(kListTotals));
    while (rows->next())
      keys.emplace_back(rows->getString("event").asStdString(), rows->getString("outcome").asStdString());
  }
  for (const auto& [event, outcome] : keys)
    if (auto total = read_total(tx, event, outcome)) settle(tx, event, outcome, *total);
}

}  // namespace kosmo
