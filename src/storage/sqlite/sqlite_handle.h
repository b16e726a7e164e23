// RAII wrappers around the SQLite C API: a Connection (sqlite3*) with its cache of prepared
// statements, and a Query, one use of a cached statement (bind, step, read columns, reset).
// Every return code is checked and turned into a core::Error. Internal to storage/sqlite: the
// only header of the folder that includes <sqlite3.h>; the public SqliteStore header does not.
#pragma once

#include <sqlite3.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/error.h"

namespace keygate::storage::sqlite {

// A named SQL constant. The name goes into error details, so a log line says which statement
// failed; the text holds only bind parameters, never values.
struct Sql {
  std::string_view name;
  std::string_view text;
};

// Turns a failed SQLite result code into an Error: UNIQUE / PRIMARY KEY violations are
// kConflict, a busy or locked database is kUnavailable, the stable messages of our own triggers
// map to their Errc, everything else is kInternal. `what` names the statement for the log-only
// detail, together with SQLite's message (which names columns, never values).
core::Error sqliteError(sqlite3* db, int rc, std::string_view what);

// The generic "storage failed" error for conditions found by our own code (bad rows, misuse).
core::Error storageError(std::string detail);

// The same error with a public message fit for the case at hand, when it is a kConflict.
core::Error withConflictMessage(core::Error error, std::string_view message);

struct DatabaseCloser {
  void operator()(sqlite3* db) const noexcept;
};
using DatabaseHandle = std::unique_ptr<sqlite3, DatabaseCloser>;

struct StatementFinalizer {
  void operator()(sqlite3_stmt* stmt) const noexcept;
};
using StatementHandle = std::unique_ptr<sqlite3_stmt, StatementFinalizer>;

// A prepared statement in a Connection's cache; `in_use` while a Query holds it.
struct CachedStatement {
  StatementHandle stmt;
  bool in_use = false;
};

// One use of a prepared statement: usually borrowed from a Connection's cache, or owned when
// the cached one is busy (a forEach callback running the same query again). Binding errors are
// kept and reported by the next step(), so call sites stay linear while every return code is
// checked. The destructor resets the statement and clears its bindings, ending any read it
// holds open, and gives it back to the cache.
class Query {
 public:
  Query(sqlite3* db, CachedStatement& cached, std::string_view name) noexcept;
  Query(sqlite3* db, StatementHandle owned, std::string_view name) noexcept;
  Query(Query&& other) noexcept;
  Query& operator=(Query&&) = delete;
  Query(const Query&) = delete;
  Query& operator=(const Query&) = delete;
  ~Query();

  // Parameters are 1-based, as in the ?1, ?2 … placeholders of the SQL text.
  Query& bind(int index, std::int64_t value);
  Query& bind(int index, std::string_view value);
  Query& bind(int index, std::optional<std::int64_t> value);
  Query& bindBool(int index, bool value);

  // true: a row is available; false: the statement is done.
  core::Result<bool> step();
  // Runs a statement that returns no rows; returns the number of rows it changed.
  core::Result<std::int64_t> run();

  // Columns of the current row, 0-based. NULL reads as 0 / "" unless optional.
  std::int64_t integer(int column) const;
  std::optional<std::int64_t> optionalInteger(int column) const;
  bool boolean(int column) const;
  std::string text(int column) const;

 private:
  void noteBindResult(int rc, int index);

  sqlite3* db_;
  sqlite3_stmt* stmt_;
  CachedStatement* cached_ = nullptr;  // set when borrowed from the cache
  StatementHandle owned_;              // set when the cached statement was busy
  std::string_view name_;
  std::optional<core::Error> bind_error_;
};

class Connection {
 public:
  enum class Access { kReadWrite, kReadOnly };

  // Opens (read-write: creating) the database at `path`; ":memory:" is a private in-memory
  // database. Enables extended result codes and the busy timeout. Pragmas are the caller's.
  static core::Result<std::unique_ptr<Connection>> open(const std::string& path, Access access,
                                                        int busy_timeout_ms);

  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection();

  // A use of the cached prepared statement for `sql`, preparing it on first use. The text must
  // hold exactly one statement.
  core::Result<Query> query(const Sql& sql);
  // Runs a cached single statement that returns no rows (BEGIN, COMMIT, UPDATE …).
  core::Result<std::int64_t> run(const Sql& sql);
  // Runs SQL text that may hold several statements and has no parameters (migrations).
  core::Status runScript(const Sql& sql);

  // true while a transaction is open (SQLite may end one by itself after some errors).
  bool inTransaction() const;
  sqlite3* handle() const { return db_.get(); }

 private:
  explicit Connection(DatabaseHandle db) : db_(std::move(db)) {}
  core::Result<StatementHandle> prepare(const Sql& sql, unsigned flags);

  // Lets the cache be searched with the string_view of a constant, without a copy per query.
  struct TextHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view text) const noexcept {
      return std::hash<std::string_view>{}(text);
    }
  };

  // Declared after db_ so statements are finalized before the connection closes.
  DatabaseHandle db_;
  std::unordered_map<std::string, CachedStatement, TextHash, std::equal_to<>>
      statements_;  // by SQL text
};

// Steps once: the first row read by `read`, or nullopt.
template <class Read>
auto fetchOne(Query& q, Read read)
    -> core::Result<std::optional<typename decltype(read(q))::value_type>> {
  using T = typename decltype(read(q))::value_type;
  KG_ASSIGN_OR_RETURN(const bool has_row, q.step());
  if (!has_row) return std::optional<T>{};
  KG_ASSIGN_OR_RETURN(T value, read(q));
  return std::optional<T>(std::move(value));
}

// Steps to the end: every row read by `read`, in order.
template <class Read>
auto fetchAll(Query& q, Read read)
    -> core::Result<std::vector<typename decltype(read(q))::value_type>> {
  using T = typename decltype(read(q))::value_type;
  std::vector<T> rows;
  for (;;) {
    KG_ASSIGN_OR_RETURN(const bool has_row, q.step());
    if (!has_row) return rows;
    KG_ASSIGN_OR_RETURN(T value, read(q));
    rows.push_back(std::move(value));
  }
}

}  // namespace keygate::storage::sqlite
