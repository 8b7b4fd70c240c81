// db: one MariaDB connection per worker, its prepared statements, and the
// Transaction that every write goes through. SQL text lives in the file of
// its table (members.cpp, tokens.cpp ...) as a SqlStatement; every statement
// linked into a program is checked when the first connection opens, so a typo stops
// the start, not a request. A connection keeps only the statements it has run.
#pragma once

#include <cppconn/prepared_statement.h>
#include <cppconn/resultset.h>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config.h"

namespace sql {
class Connection;
class Statement;
class SQLException;
}  // namespace sql

namespace kosmo {

// A named SQL text, registered at static initialisation. Declare at namespace
// scope in the table's .cpp: `const SqlStatement kFindMember{"members.find", "SELECT ..."};`
class SqlStatement {
 public:
  SqlStatement(const char* name, const char* text);
  const char* name() const { return name_; }
  const char* text() const { return text_; }
  std::size_t index() const { return index_; }

 private:
  const char* name_;
  const char* text_;
  std::size_t index_;
};

const std::vector<const SqlStatement*>& registered_statements();

// What an SQLException means for the request that saw it.
enum class DbFailure {
  ConnectionLost,  // 2002, 2003, 2006, 2013, 2055: reconnect; retry if nothing was committed
  Conflict,        // 1213 deadlock / Galera certification, 1205 lock wait: retry the transaction
  Other,           // a bug or a constraint: 500
};
DbFailure classify(const sql::SQLException& e);

// Screens check every statement when their first connection opens (a typo stops the
// start) and keep each prepared from its first use; kosmo-admin skips the
// check, because `migrate` runs before the tables its other statements name exist.
enum class Prepare { CheckAtConnect, OnFirstUse };

// When a connection first opens. A screen program or the mailer starts without
// its database and opens on first use (issue 14): a restart during an outage
// must answer 503 at once, not leave requests waiting in the socket.
enum class Open { Now, OnFirstUse };

class Connection {
 public:
  explicit Connection(const Config& config, Prepare prepare = Prepare::CheckAtConnect, Open when = Open::Now);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Drops the current server connection and opens a new one, trying every
  // configured host in order (failover). Throws sql::SQLException if none answers.
  // Quiet: no db_connect_failed line per host, for a loop that polls through
  // an outage and logs it once for the process itself (db_outage.h).
  enum class ConnectFailures { Logged, Quiet };
  void reconnect(ConnectFailures failures = ConnectFailures::Logged);
  // Opens the connection if it is not open; throws like reconnect().
  void open_if_closed();
  bool is_open() const { return conn_ != nullptr; }
  const std::string& server() const { return server_; }

  sql::PreparedStatement& statement(const SqlStatement& which);
  void execute(std::string_view sql_text);  // START TRANSACTION, COMMIT, ROLLBACK, SAVEPOINT only

  bool in_transaction() const { return in_transaction_; }
  // True when the session runs with autocommit = 0, so a Transaction opens
  // with its first statement instead of a START TRANSACTION round trip.
  bool implicit_begin() const { return implicit_begin_; }
  bool commit_attempted() const { return commit_attempted_; }
  void begin_request() { commit_attempted_ = false; }

 private:
  friend class Transaction;
  void open(ConnectFailures failures = ConnectFailures::Logged);
  void open_first_answering_host(ConnectFailures failures);
  void prepare(const SqlStatement& which);
  void check_every_statement();
  void close() noexcept;

  const Config& config_;
  const Prepare prepare_;
  std::string server_;
  // conn_ is declared before the statements so that they are destroyed first.
  std::unique_ptr<sql::Connection> conn_;
  std::unique_ptr<sql::Statement> plain_;
  std::vector<std::unique_ptr<sql::PreparedStatement>> statements_;
  bool in_transaction_ = false;
  bool commit_attempted_ = false;
  bool implicit_begin_ = false;
  bool statement_ran_ = false;  // in this transaction: with implicit begin, else it is still unopened
};

// Rolls back unless commit() ran, so an exception anywhere in a handler leaves
// no half-written member, token, session or outbox row (D11).
//
// How it begins: a screen's or the mailer's session (Prepare::CheckAtConnect) runs
// with autocommit = 0, so the first statement opens the transaction and only
// COMMIT or ROLLBACK travel: every transaction is one database round trip
// shorter, a large share of a token POST (bench/README.md). Such a
// connection runs every statement inside a Transaction (statement() refuses
// any other), so no transaction, row lock or metadata lock outlives its
// request. On a Galera node with db.causal_reads the Transaction still sends
// START TRANSACTION: wsrep_sync_wait makes BEGIN wait for the cluster, which
// a first statement that writes would not. kosmo-admin keeps autocommit.
class Transaction {
 public:
  explicit Transaction(Connection& db);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  // COMMIT is sent as a statement: Connector/C++ 1.1's Connection::commit()
  // ignores mysql_commit()'s result, so a refused COMMIT (a Galera
  // certification failure, a connection lost) would look like success.
  void commit();

  // Runs `action` right after this transaction's COMMIT succeeded, never when
  // it rolls back (an exception, a lost conflict that run_screen retries, a
  // refused COMMIT): a log line that tells of a row (an audit event) must not
  // tell of one that was never committed, nor twice for one retried
  // (issue 12). Actions run in the order given; one that throws is dropped,
  // since the change it describes is committed already.
  void after_commit(std::function<void()> action) { after_commit_.push_back(std::move(action)); }

  // A part of the transaction that may fail alone (an audit row, D18):
  // SAVEPOINT before it, ROLLBACK TO SAVEPOINT when it failed, and what ran
  // before it still commits. One savepoint name: parts do not nest.
  void set_savepoint();
  void roll_back_to_savepoint();

  sql::PreparedStatement& statement(const SqlStatement& which) { return db_.statement(which); }
  Connection& connection() { return db_; }

 private:
  bool opened() const;

  Connection& db_;
  bool done_ = false;
  std::vector<std::function<void()>> after_commit_;
};

// Small helpers for result sets, which Connector/C++ hands out as raw pointers.
using Rows = std::unique_ptr<sql::ResultSet>;
Rows query(sql::PreparedStatement& statement);

// A prepared CALL of a procedure that answers one row set (sql/008_*):
// hands the row set to `read`, then reads the CALL's closing status. After a
// CALL's row set the server sends one more result, the CALL's own status;
// Connector/C++ 1.1 leaves it unread, and the connection's next statement
// (COMMIT, or the next request's) then fails with 2014 "Commands out of
// sync". getMoreResults() reads it from what already arrived: no round trip.
void call_procedure(sql::PreparedStatement& statement, const std::function<void(sql::ResultSet&)>& read);
std::optional<std::string> nullable_string(sql::ResultSet& rows, const char* column);

// 「2026年11月26日 20時31分」 in Japan time (UTC+9, no DST), from the database
// clock, for mails and pages that tell a member when something happened.
std::string database_now_jst(Transaction& tx);

// 「11月27日 20時31分」: now plus `seconds_from_now` in Japan time, for the
// absolute deadline a mail gives beside its duration (issue 15 item 7).
std::string database_deadline_jst(Transaction& tx, int seconds_from_now);

// Calls the driver once from the main thread: get_driver_instance() is not
// thread-safe on its first call.
void init_database_driver();
// Each thread that uses a Connection calls these (mysql_thread_init/end).
void db_thread_init();
void db_thread_end();

}  // namespace kosmo
