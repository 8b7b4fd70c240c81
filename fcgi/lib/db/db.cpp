#include "db.h"

#include <cppconn/connection.h>
#include <cppconn/driver.h>
#include <cppconn/exception.h>
#include <cppconn/statement.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>
#include <stdexcept>
#include <utility>

#include "log.h"

namespace kosmo {
namespace {

std::vector<const SqlStatement*>& statement_registry() {
  static std::vector<const SqlStatement*> registry;
  return registry;
}

// Set after the first connection of the process has prepared every statement.
std::atomic<bool> every_statement_checked{false};

sql::Driver* driver() {
  static sql::Driver* instance = get_driver_instance();
  return instance;
}

// @@wsrep_on is ON only on a Galera node. A server built without wsrep (MySQL)
// does not know the variable (1193): a plain server, nothing to wait for.
bool is_galera_node(sql::Statement& plain) {
  try {
    std::unique_ptr<sql::ResultSet> rows(plain.executeQuery("SELECT @@wsrep_on AS wsrep_on"));
    return rows->next() && rows->getInt("wsrep_on") == 1;
  } catch (const sql::SQLException& e) {
    if (e.getErrorCode() == 1193) return false;
    throw;
  }
}

// One connect attempt at a time per process while the database is away, and
// after a failed one a pause as long as it took (at most 1 s) before the next:
// a refused unix socket fails in microseconds, so every request still tries
// once (issue 14), but a dead TCP host that costs db.connect_timeout keeps
// one request waiting, not every worker's. Also writes one line when the
// database is back, for the whole process.
class ConnectGate {
 public:
  // Refuses only while the database is away: with it up, threads connect
  // side by side (a refusal then read as an outage that was none).
  bool enter() {
    std::lock_guard<std::mutex> lock(mutex_);
    if (was_down_ && (connecting_ || std::chrono::steady_clock::now() < retry_after_)) return false;
    connecting_ = true;
    started_ = std::chrono::steady_clock::now();
    return true;
  }
  void failed() {
    std::lock_guard<std::mutex> lock(mutex_);
    const auto now = std::chrono::steady_clock::now();
    retry_after_ = now + std::min<std::chrono::steady_clock::duration>(now - started_, std::chrono::seconds(1));
    connecting_ = false;
    was_down_ = true;
  }
  // True for the first success after a failure. The pause a failure set
  // ends with it: a database that answers is tried at once by every thread
  // (a stale pause refused their connects with 2002 right after db_back).
  bool succeeded() {
    std::lock_guard<std::mutex> lock(mutex_);
    connecting_ = false;
    retry_after_ = {};
    return std::exchange(was_down_, false);
  }

 private:
  std::mutex mutex_;
  bool connecting_ = false;
  bool was_down_ = false;
  std::chrono::steady_clock::time_point started_{};
  std::chrono::steady_clock::time_point retry_after_{};
};

ConnectGate& connect_gate() {
  static ConnectGate gate;
  return gate;
}

}  // namespace

SqlStatement::SqlStatement(const char* name, const char* text)
    : name_(name), text_(text), index_(statement_registry().size()) {
  statement_registry().push_back(this);
}

const std::vector<const SqlStatement*>& registered_statements() { return statement_registry(); }

DbFailure classify(const sql::SQLException& e) {
  switch (e.getErrorCode()) {
    case 2002:  // can't connect through socket
    case 2003:  // can't connect to server
    case 2006:  // server has gone away
    case 2013:  // lost connection during query
    case 2055:  // lost connection at reading initial communication packet
    case 1927:  // connection was killed
    case 1053:  // server shutdown in progress
    case 1047:  // WSREP has not yet prepared node for application use (Galera)
      return DbFailure::ConnectionLost;
    case 1213:  // deadlock; also Galera's certification failure on COMMIT
    case 1205:  // lock wait timeout
      return DbFailure::Conflict;
    default:
      return e.getSQLStateCStr() && std::string_view(e.getSQLStateCStr()) == "40001" ? DbFailure::Conflict
                                                                                    : DbFailure::Other;
  }
}

void init_database_driver() { (void)driver(); }
void db_thread_init() { driver()->threadInit(); }
void db_thread_end() { driver()->threadEnd(); }

Connection::Connection(const Config& config, Prepare prepare, Open when) : config_(config), prepare_(prepare) {
  if (when == Open::Now) open();
}

void Connection::open_if_closed() {
  if (!conn_) open();
}

Connection::~Connection() { close(); }

void Connection::close() noexcept {
  statements_.clear();
  plain_.reset();
  try {
    if (conn_) conn_->close();
  } catch (...) {
    // The server is gone already; nothing left to release on its side.
  }
  conn_.reset();
  in_transaction_ = false;
}

void Connection::open(ConnectFailures failures) {
  ConnectGate& gate = connect_gate();
  // 2002 like a refused socket: callers treat it as the database being away.
  if (!gate.enter()) throw sql::SQLException("database unavailable: another connect is under way", "HY000", 2002);
  try {
    open_first_answering_host(failures);
  } catch (...) {
    gate.failed();
    throw;
  }
  if (gate.succeeded()) log_event(LogLevel::Info, "db_back", {{"server", server_}});
}

void Connection::open_first_answering_host(ConnectFailures failures) {
  std::optional<sql::SQLException> last_error;  // its operator new is protected
  for (const DbHost& host : config_.db_hosts) {
    sql::ConnectOptionsMap options;
    options["hostName"] = host.unix_socket.empty()
                              ? sql::SQLString("tcp://" + host.host + ":" + std::to_string(host.port))
                              : sql::SQLString("unix://" + host.unix_socket);
    options["userName"] = sql::SQLString(config_.db_user);
    options["password"] = sql::SQLString(config_.db_password);
    options["schema"] = sql::SQLString(config_.db_name);
    options["OPT_CHARSET_NAME"] = sql::SQLString("utf8mb4");
    options["OPT_RECONNECT"] = false;  // a silent reconnect would drop a transaction unnoticed
    options["OPT_CONNECT_TIMEOUT"] = config_.db_connect_timeout;
    options["OPT_READ_TIMEOUT"] = config_.db_read_timeout;
    options["OPT_WRITE_TIMEOUT"] = config_.db_read_timeout;
    try {
      conn_.reset(driver()->connect(options));
      plain_.reset(conn_->createStatement());
      // Strict, UTC, READ COMMITTED whatever the server's defaults are: the
      // database clock is the only clock (UTC_TIMESTAMP), and bad data is an error.
      plain_->execute(
          "SET SESSION sql_mode = 'STRICT_ALL_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,"
          "ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION', time_zone = '+00:00'");
      plain_->execute("SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED");
      // Galera applies other nodes' writes asynchronously: without this, the
      // page after a login or a token POST that reaches another node could
      // miss the row just committed. Every START TRANSACTION and SELECT first
      // waits until this node has applied what the cluster had committed.
      const bool causal_reads = config_.db_causal_reads && is_galera_node(*plain_);
      if (causal_reads) plain_->execute("SET SESSION wsrep_sync_wait = 1");
      implicit_begin_ = prepare_ == Prepare::CheckAtConnect && !causal_reads;
      if (implicit_begin_) plain_->execute("SET SESSION autocommit = 0");
      else plain_->execute("SET SESSION autocommit = 1");
      statements_.clear();
      statements_.resize(registered_statements().size());
      // Once per process: every connection runs the same statements on the
      // same schema, and preparing ~50 on each of a program's connections
      // made most of its start-up (bench/README.md, "Statements checked once").
      if (prepare_ == Prepare::CheckAtConnect && !every_statement_checked.load()) {
        check_every_statement();
        every_statement_checked = true;
      }
      server_ = host.describe();
      in_transaction_ = false;
      return;
    } catch (const sql::SQLException& e) {
      if (failures == ConnectFailures::Logged)
        log_event(LogLevel::Warn, "db_connect_failed",
                  {{"server", host.describe()}, {"errno", std::to_string(e.getErrorCode())},
                   {"sqlstate", e.getSQLState()}});
      // A wrong statement is our bug, not a host to fail over from.
      // 1305: a procedure of sql/ is missing (kosmo-admin migrate has not run).
      if (e.getErrorCode() == 1064 || e.getErrorCode() == 1146 || e.getErrorCode() == 1054 ||
          e.getErrorCode() == 1305)
        throw;
      last_error.emplace(e);
      close();
    }
  }
  throw *last_error;
}

void Connection::prepare(const SqlStatement& which) {
  try {
    statements_.at(which.index()).reset(conn_->prepareStatement(which.text()));
  } catch (const sql::SQLException& e) {
    // A connection lost under the prepare (the first request after a
    // database restart) is the caller's to retry and log (db_retry.h): an
    // error line here would ask an operator to act on a request that
    // succeeded (issue 14). A refused statement is our bug.
    if (classify(e) == DbFailure::Other)
      log_event(LogLevel::Error, "sql_prepare_failed",
                {{"statement", which.name()}, {"errno", std::to_string(e.getErrorCode())}});
    throw;
  }
}

// Every statement linked into the program is prepared once here, on the
// process's first connection, so a typo stops the start, and closed again: a
// connection of one screen runs a handful of the ~50, and keeping all
// prepared held the driver buffers of all of them on every connection
// (how much: bench/README.md). A statement is prepared again on its first use on each
// connection and then kept.
void Connection::check_every_statement() {
  for (const SqlStatement* s : registered_statements()) {
    prepare(*s);
    statements_[s->index()].reset();
  }
}

void Connection::reconnect(ConnectFailures failures) {
  close();
  open(failures);
}

sql::PreparedStatement& Connection::statement(const SqlStatement& which) {
  if (!conn_) {
    // Dropped after a failure (a request or health check that could not
    // reconnect). Inside a Transaction with implicit begin nothing of it has
    // reached a server yet, so it simply starts on the new connection.
    const bool was_in_transaction = in_transaction_;
    open();
    in_transaction_ = was_in_transaction;
  }
  // With autocommit = 0 a statement outside a Transaction would open one
  // that nothing ends, holding its metadata locks (a migration would hang).
  if (implicit_begin_ && !in_transaction_)
    throw std::logic_error(std::string("db: statement outside a transaction: ") + which.name());
  statement_ran_ = true;
  if (!statements_.at(which.index())) prepare(which);
  sql::PreparedStatement* prepared = statements_[which.index()].get();
  prepared->clearParameters();
  return *prepared;
}

void Connection::execute(std::string_view sql_text) {
  if (!conn_) open();
  plain_->execute(sql::SQLString(std::string(sql_text)));
}

Transaction::Transaction(Connection& db) : db_(db) {
  // A connection opened on first use learns here whether it runs with implicit begin.
  db_.open_if_closed();
  if (!db_.implicit_begin_) db_.execute("START TRANSACTION");
  db_.in_transaction_ = true;
  db_.statement_ran_ = false;
}

// With implicit begin, a transaction that ran no statement was never opened:
// nothing to send.
bool Transaction::opened() const { return !db_.implicit_begin_ || db_.statement_ran_; }

Transaction::~Transaction() {
  if (done_) return;
  db_.in_transaction_ = false;
  if (!opened()) return;
  try {
    db_.execute("ROLLBACK");
  } catch (const sql::SQLException&) {
    // The connection is gone: the server has rolled back already.
  }
}

void Transaction::commit() {
  if (opened()) {
    db_.commit_attempted_ = true;
    db_.execute("COMMIT");
  }
  done_ = true;
  db_.in_transaction_ = false;
  for (const std::function<void()>& action : std::exchange(after_commit_, {})) {
    try {
      action();
    } catch (const std::exception&) {
      // Committed already: a lost log line must not turn into a 500 answer.
    }
  }
}

// Galera certifies a transaction's write set at COMMIT only; a savepoint and
// ROLLBACK TO SAVEPOINT stay local to the node, like any statement before it.
void Transaction::set_savepoint() {
  db_.statement_ran_ = true;  // with implicit begin, SAVEPOINT opens the transaction too
  db_.execute("SAVEPOINT kosmo_part");
}

void Transaction::roll_back_to_savepoint() { db_.execute("ROLLBACK TO SAVEPOINT kosmo_part"); }

namespace {
// The Japanese way of writing a time (issue 15 item 7): 「2026年12月2日 8時11分」,
// no leading zeros (%c month, %e day, %k hour are unpadded in MariaDB).
const SqlStatement kNowJst{"db.now_jst",
                           "SELECT DATE_FORMAT(DATE_ADD(UTC_TIMESTAMP(), INTERVAL 9 HOUR), "
                           "'%Y年%c月%e日 %k時%i分') AS now_jst"};
// A deadline a few hours or days ahead: 「12月2日 9時11分」. Cut to the minute,
// so the time shown is never later than the real end.
const SqlStatement kDeadlineJst{"db.deadline_jst",
                                "SELECT DATE_FORMAT(DATE_ADD(UTC_TIMESTAMP(), INTERVAL 9 * 3600 + ? SECOND), "
                                "'%c月%e日 %k時%i分') AS deadline_jst"};
}  // namespace

std::string database_now_jst(Transaction& tx) {
  Rows rows = query(tx.statement(kNowJst));
  rows->next();
  return rows->getString("now_jst").asStdString();
}

std::string database_deadline_jst(Transaction& tx, int seconds_from_now) {
  sql::PreparedStatement& statement = tx.statement(kDeadlineJst);
  statement.setInt(1, seconds_from_now);
  Rows rows = query(statement);
  rows->next();
  return rows->getString("deadline_jst").asStdString();
}

Rows query(sql::PreparedStatement& statement) { return Rows(statement.executeQuery()); }

void call_procedure(sql::PreparedStatement& statement, const std::function<void(sql::ResultSet&)>& read) {
  Rows rows(statement.executeQuery());
  const auto read_closing_status = [&statement] {
    while (statement.getMoreResults()) {
    }
  };
  try {
    read(*rows);
  } catch (...) {
    // Keep the connection usable for the ROLLBACK that follows.
    rows.reset();
    try {
      read_closing_status();
    } catch (const sql::SQLException&) {
      // The connection is gone; the reader's exception says more.
    }
    throw;
  }
  rows.reset();
  read_closing_status();
}

std::optional<std::string> nullable_string(sql::ResultSet& rows, const char* column) {
  if (rows.isNull(column)) return std::nullopt;
  return rows.getString(column).asStdString();
}

}  // namespace kosmo
