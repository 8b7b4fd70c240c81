#include "rate_limits.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <algorithm>
#include <map>
#include <utility>

#include "crypto.h"
#include "json_rows.h"

namespace kosmo {
namespace {

// ---- sliding windows over rate_limit_events (identity, login per address) ----
const SqlStatement kRecordEvent{
    "limits.record_event",
    "INSERT INTO rate_limit_events (scope, subject_hash, occurred_at) VALUES (?, ?, UTC_TIMESTAMP(6))"};
// How many events of the subject fall in the window, counted up to a cap
// (the limit + 1): a card or an address under attack holds many rows, and
// counting them all would make each refused request dearer than the last.
const SqlStatement kCountEvents{
    "limits.count_events",
    "SELECT COUNT(*) AS hits FROM (SELECT 1 FROM rate_limit_events WHERE scope = ? AND subject_hash = ? "
    "AND occurred_at > UTC_TIMESTAMP(6) - INTERVAL ? SECOND LIMIT ?) AS recent"};
// 本人確認 counts a whole batch of checks at once (issue 16): one INSERT
// records every attempt's two events (the address and the card) and one
// SELECT reads every subject's count in the window, two round trips for a
// batch of 20 instead of forty. The rows come as one JSON parameter
// (json_rows.h).
const SqlStatement kRecordEventBatch{
    "limits.record_event_batch",
    "INSERT INTO rate_limit_events (scope, subject_hash, occurred_at) "
    "SELECT batch.scope, UNHEX(batch.subject_hex), UTC_TIMESTAMP(6) "
    "FROM JSON_TABLE(?, '$[*]' COLUMNS (scope VARCHAR(32) CHARACTER SET ascii PATH '$[0]', "
    "subject_hex VARCHAR(64) CHARACTER SET ascii PATH '$[1]')) AS batch"};
// Each subject's events in its window before this batch, counted up to a cap
// (one placeholder: the largest limit + 1), as kCountEvents does: the first
// subquery reads at most `cap` index entries, newest first, and only when it
// finds fewer is the window counted, which then holds fewer than `cap`.
const SqlStatement kCountSubjectBatch{
    "limits.count_subject_batch",
    "SELECT batch.position, IF((SELECT 1 FROM rate_limit_events AS e WHERE e.scope = batch.scope "
    "AND e.subject_hash = UNHEX(batch.subject_hex) "
    "AND e.occurred_at > UTC_TIMESTAMP(6) - INTERVAL batch.window_seconds SECOND "
    "ORDER BY e.occurred_at DESC LIMIT 1 OFFSET ?) IS NULL, "
    "(SELECT COUNT(*) FROM rate_limit_events AS e WHERE e.scope = batch.scope "
    "AND e.subject_hash = UNHEX(batch.subject_hex) "
    "AND e.occurred_at > UTC_TIMESTAMP(6) - INTERVAL batch.window_seconds SECOND), ?) AS hits "
    "FROM JSON_TABLE(?, '$[*]' COLUMNS (position FOR ORDINALITY, scope VARCHAR(32) CHARACTER SET ascii PATH '$[0]', "
    "subject_hex VARCHAR(64) CHARACTER SET ascii PATH '$[1]', window_seconds INT PATH '$[2]')) AS batch"};
// In how many seconds the oldest event in the window leaves it (the index
// gives the first row at once).
const SqlStatement kOldestEvent{
    "limits.oldest_event",
    "SELECT CEIL(TIMESTAMPDIFF(MICROSECOND, UTC_TIMESTAMP(6), MIN(occurred_at) + INTERVAL ? SECOND) / 1000000) "
    "AS seconds_left FROM rate_limit_events WHERE scope = ? AND subject_hash = ? "
    "AND occurred_at > UTC_TIMESTAMP(6) - INTERVAL ? SECOND"};
const SqlStatement kDeleteSubjectEvents{"limits.delete_subject_events",
                                        "DELETE FROM rate_limit_events WHERE scope = ? AND subject_hash = ?"};

// ---- the login-ID lockout: one counter row per fixed window in rate_limits ----
// Counts one failure in the login ID's current window: one atomic statement,
// so parallel guesses (on any node) never lose a count.
const SqlStatement kCountHit{
    "limits.count_hit",
    "INSERT INTO rate_limits (scope, subject_hash, window_start, hits) "
    "VALUES (?, ?, FROM_UNIXTIME(UNIX_TIMESTAMP() DIV ? * ?), 1) "
    "ON DUPLICATE KEY UPDATE hits = hits + 1"};
// The subject's newest window; seconds_left <= 0 means it is over.
const SqlStatement kNewestWindow{
    "limits.newest_window",
    "SELECT hits, DATE_FORMAT(window_start, '%Y-%m-%d %H:%i:%s') AS window_start, "
    "TIMESTAMPDIFF(SECOND, UTC_TIMESTAMP(), window_start + INTERVAL ? SECOND) AS seconds_left "
    "FROM rate_limits WHERE scope = ? AND subject_hash = ? ORDER BY window_start DESC LIMIT 1"};
const SqlStatement kSetBlock{
    "limits.set_block",
    "UPDATE rate_limits SET blocked_until = UTC_TIMESTAMP(6) + INTERVAL ? SECOND "
    "WHERE scope = ? AND subject_hash = ? AND window_start = ?"};
// A lock outlives the window that set it, so every row of the subject counts.
const SqlStatement kActiveBlock{
    "limits.active_block",
    "SELECT CEIL(TIMESTAMPDIFF(MICROSECOND, UTC_TIMESTAMP(6), MAX(blocked_until)) / 1000000) AS seconds_left "
    "FROM rate_limits WHERE scope = ? AND subject_hash = ? AND blocked_until > UTC_TIMESTAMP(6)"};
const SqlStatement kDeleteSubject{"limits.delete_subject",
                                  "DELETE FROM rate_limits WHERE scope = ? AND subject_hash = ?"};

bool is_address_scope(LimitScope scope) { return scope == LimitScope::IdentityIp || scope == LimitScope::LoginIp; }

// One host on IPv6 holds a whole /64: counting single addresses there would
// give an attacker 2^64 fresh subjects. IPv4-mapped addresses count as IPv4.
std::string address_subject(std::string_view address) {
  const std::string text(address);
  in6_addr v6{};
  if (::inet_pton(AF_INET6, text.c_str(), &v6) != 1) return text;
  char out[INET6_ADDRSTRLEN] = {};
  if (IN6_IS_ADDR_V4MAPPED(&v6)) {
    in_addr v4{};
    std::copy(v6.s6_addr + 12, v6.s6_addr + 16, reinterpret_cast<unsigned char*>(&v4));
    return ::inet_ntop(AF_INET, &v4, out, sizeof(out)) ? std::string(out) : text;
  }
  std::fill(v6.s6_addr + 8, v6.s6_addr + 16, 0);
  return ::inet_ntop(AF_INET6, &v6, out, sizeof(out)) ? std::string(out) + "/64" : text;
}

// The subject's events in the window, at most limit.max + 1.
int count_events(Transaction& tx, const std::string& scope, const std::string& hash, const WindowLimit& limit) {
  sql::PreparedStatement& count = tx.statement(kCountEvents);
  count.setString(1, scope);
  count.setString(2, hash);
  count.setInt(3, limit.window_seconds);
  count.setInt(4, limit.max + 1);
  Rows rows = query(count);
  return rows->next() ? rows->getInt("hits") : 0;
}

int seconds_until_oldest_leaves(Transaction& tx, const std::string& scope, const std::string& hash,
                                const WindowLimit& limit) {
  sql::PreparedStatement& oldest = tx.statement(kOldestEvent);
  oldest.setInt(1, limit.window_seconds);
  oldest.setString(2, scope);
  oldest.setString(3, hash);
  oldest.setInt(4, limit.window_seconds);
  Rows rows = query(oldest);
  if (!rows->next() || rows->isNull("seconds_left")) return 0;
  return static_cast<int>(rows->getInt64("seconds_left"));
}

// Records one event and returns the subject's count including it (capped).
int record_event(Transaction& tx, const Config& config, LimitScope scope, std::string_view subject,
                        const WindowLimit& limit) {
  const std::string name(to_string(scope));
  const std::string hash = limit_subject_hash(config, scope, subject);
  sql::PreparedStatement& insert = tx.statement(kRecordEvent);
  insert.setString(1, name);
  insert.setString(2, hash);
  insert.executeUpdate();
  return count_events(tx, name, hash, limit);
}

struct Window {
  int hits = 0;  // 0 when the newest window is over
  std::string start;
  int seconds_left = 0;
};

void count_hit(Transaction& tx, const std::string& scope, const std::string& hash, const WindowLimit& limit) {
  sql::PreparedStatement& count = tx.statement(kCountHit);
  count.setString(1, scope);
  count.setString(2, hash);
  count.setInt(3, limit.window_seconds);
  count.setInt(4, limit.window_seconds);
  count.executeUpdate();
}

Window newest_window(Transaction& tx, const std::string& scope, const std::string& hash, const WindowLimit& limit) {
  sql::PreparedStatement& read = tx.statement(kNewestWindow);
  read.setInt(1, limit.window_seconds);
  read.setString(2, scope);
  read.setString(3, hash);
  Rows rows = query(read);
  Window window;
  if (!rows->next()) return window;
  window.seconds_left = static_cast<int>(rows->getInt64("seconds_left"));
  if (window.seconds_left <= 0) return window;
  window.hits = rows->getInt("hits");
  window.start = rows->getString("window_start").asStdString();
  return window;
}

}  // namespace

std::string_view to_string(LimitScope scope) {
  switch (scope) {
    case LimitScope::IdentityIp: return "identity_ip";
    case LimitScope::IdentityCard: return "identity_card";
    case LimitScope::LoginIp: return "login_ip";
    case LimitScope::LoginId: return "login_id";
    case LimitScope::EmailChange: return "email_change";
  }
  return "unknown";
}

std::ostream& operator<<(std::ostream& out, LimitScope scope) { return out << to_string(scope); }

std::string limit_subject_hash(const Config& config, LimitScope scope, std::string_view subject) {
  // A key of its own, derived with a label, so the same secret never MACs
  // a CSRF cookie and a counter subject alike.
  // Derived once per thread (and again only if the secret changes): it was
  // two of the six HMACs of an identity POST.
  thread_local std::string derived_from, limits_key;
  if (limits_key.empty() || derived_from != config.csrf_key) {
    limits_key = hmac_sha256(config.csrf_key, "kosmo-limits-v1");
    derived_from = config.csrf_key;
  }
  const std::string reduced = is_address_scope(scope) ? address_subject(subject) : std::string(subject);
  return hmac_sha256(limits_key, std::string(to_string(scope)) + ":" + reduced);
}

std::string card_subject(std::string_view card_symbol, std::string_view card_number) {
  // LF cannot be in a form value (form.cpp refuses controls), so the pair
  // ("12", "345") never meets ("123", "45").
  return std::string(card_symbol) + "\n" + std::string(card_number);
}

int login_lockout_seconds(const AbuseLimits& limits, int failures) {
  if (failures < limits.login_failures_per_id.max) return 0;
  const int doublings = std::min(failures - limits.login_failures_per_id.max, 30);
  const long long wait = static_cast<long long>(limits.login_lockout_seconds) << doublings;
  return static_cast<int>(std::min<long long>(wait, limits.login_lockout_max_seconds));
}

std::vector<bool> identity_attempts_allowed(Transaction& tx, const Config& config,
                                            const std::vector<IdentityAttempt>& attempts) {
  const AbuseLimits& limits = config.limits;
  const std::string ip_scope(to_string(LimitScope::IdentityIp));
  const std::string card_scope(to_string(LimitScope::IdentityCard));

  // Every attempt's two subjects, and each distinct subject once.
  struct Subject {
    const std::string* scope;
    const WindowLimit* limit;
    std::string hash;
    int hits = 0;  // in the window: first those before the batch, then each attempt's own
  };
  std::vector<Subject> subjects;
  std::map<std::pair<const std::string*, std::string>, std::size_t> index_of;
  auto subject_of = [&](const std::string& scope, const WindowLimit& limit, LimitScope kind, std::string_view raw) {
    std::string hash = limit_subject_hash(config, kind, raw);
    const auto [at, added] = index_of.try_emplace({&scope, hash}, subjects.size());
    if (added) subjects.push_back({&scope, &limit, std::move(hash)});
    return at->second;
  };
  std::vector<std::pair<std::size_t, std::size_t>> subjects_of_attempt;
  subjects_of_attempt.reserve(attempts.size());
  for (const IdentityAttempt& attempt : attempts)
    subjects_of_attempt.emplace_back(
        subject_of(ip_scope, limits.identity_per_ip, LimitScope::IdentityIp, attempt.client_ip),
        subject_of(card_scope, limits.identity_per_card, LimitScope::IdentityCard,
                   card_subject(attempt.card_symbol, attempt.card_number)));
  if (subjects.empty()) return {};

  // What the window held before this batch (capped), read before the batch's
  // own events go in, so that the batch's order decides among its attempts.
  const int cap = std::max(limits.identity_per_ip.max, limits.identity_per_card.max) + 1;
  JsonRows counted;
  for (const Subject& subject : subjects)
    counted.row().word(*subject.scope).hex(subject.hash).integer(subject.limit->window_seconds);
  sql::PreparedStatement& count = tx.statement(kCountSubjectBatch);
  count.setInt(1, cap - 1);
  count.setInt(2, cap);
  count.setString(3, counted.json());
  Rows rows = query(count);
  while (rows->next()) {
    const std::size_t position = rows->getUInt64("position");
    if (position >= 1 && position <= subjects.size()) subjects[position - 1].hits = rows->getInt("hits");
  }
  rows.reset();

  // Each attempt counts, allowed or not, in the batch's order: the n-th
  // attempt of an address sees the n - 1 before it, as one check at a time
  // would (D7).
  std::vector<bool> allowed;
  allowed.reserve(attempts.size());
  JsonRows events;
  for (const auto& [ip, card] : subjects_of_attempt) {
    Subject& by_ip = subjects[ip];
    Subject& by_card = subjects[card];
    ++by_ip.hits;
    ++by_card.hits;
    allowed.push_back(by_ip.hits <= by_ip.limit->max && by_card.hits <= by_card.limit->max);
    events.row().word(*by_ip.scope).hex(by_ip.hash);
    events.row().word(*by_card.scope).hex(by_card.hash);
  }
  sql::PreparedStatement& record = tx.statement(kRecordEventBatch);
  record.setString(1, events.json());
  record.executeUpdate();
  return allowed;
}

std::optional<LoginLock> find_login_lock(Transaction& tx, const Config& config, std::string_view client_ip,
                                         std::string_view login_id) {
  sql::PreparedStatement& block = tx.statement(kActiveBlock);
  block.setString(1, std::string(to_string(LimitScope::LoginId)));
  block.setString(2, limit_subject_hash(config, LimitScope::LoginId, login_id));
  Rows rows = query(block);
  if (rows->next() && !rows->isNull("seconds_left"))
    return LoginLock{LimitScope::LoginId, std::max(1, static_cast<int>(rows->getInt64("seconds_left")))};
  rows.reset();

  const WindowLimit& per_ip = config.limits.login_failures_per_ip;
  const std::string scope(to_string(LimitScope::LoginIp));
  const std::string hash = limit_subject_hash(config, LimitScope::LoginIp, client_ip);
  if (count_events(tx, scope, hash, per_ip) < per_ip.max) return std::nullopt;
  return LoginLock{LimitScope::LoginIp, std::max(1, seconds_until_oldest_leaves(tx, scope, hash, per_ip))};
}

int record_login_failure(Transaction& tx, const Config& config, std::string_view client_ip,
                         std::string_view login_id) {
  const AbuseLimits& limits = config.limits;
  record_event(tx, config, LimitScope::LoginIp, client_ip, limits.login_failures_per_ip);
  const std::string name(to_string(LimitScope::LoginId));
  const std::string hash = limit_subject_hash(config, LimitScope::LoginId, login_id);
  count_hit(tx, name, hash, limits.login_failures_per_id);
  const Window window = newest_window(tx, name, hash, limits.login_failures_per_id);
  const int wait = login_lockout_seconds(limits, window.hits);
  if (wait == 0 || window.start.empty()) return 0;
  sql::PreparedStatement& set_block = tx.statement(kSetBlock);
  set_block.setInt(1, wait);
  set_block.setString(2, name);
  set_block.setString(3, hash);
  set_block.setString(4, window.start);
  set_block.executeUpdate();
  return wait;
}

int email_change_wait_seconds(Transaction& tx, const Config& config, std::uint64_t member_id) {
  const WindowLimit& limit = config.limits.email_changes_per_member;
  const std::string scope(to_string(LimitScope::EmailChange));
  const std::string hash = limit_subject_hash(config, LimitScope::EmailChange, std::to_string(member_id));
  if (count_events(tx, scope, hash, limit) < limit.max) return 0;
  return std::max(1, seconds_until_oldest_leaves(tx, scope, hash, limit));
}

void record_email_change(Transaction& tx, const Config& config, std::uint64_t member_id) {
  record_event(tx, config, LimitScope::EmailChange, std::to_string(member_id),
               config.limits.email_changes_per_member);
}

void clear_login_failures(Transaction& tx, const Config& config, std::string_view login_id) {
  reset_limit(tx, config, LimitScope::LoginId, login_id);
}

int reset_limit(Transaction& tx, const Config& config, LimitScope scope, std::string_view subject) {
  const std::string name(to_string(scope));
  const std::string hash = limit_subject_hash(config, scope, subject);
  int removed = 0;
  for (const SqlStatement* statement : {&kDeleteSubject, &kDeleteSubjectEvents}) {
    sql::PreparedStatement& remove = tx.statement(*statement);
    remove.setString(1, name);
    remove.setString(2, hash);
    removed += remove.executeUpdate();
  }
  return removed;
}

}  // namespace kosmo
