// RAII wrappers around the SQLite C API (see sqlite_handle.h).
#include "storage/sqlite/sqlite_handle.h"

#include <spdlog/spdlog.h>

#include <array>
#include <cctype>
#include <limits>

namespace keygate::storage::sqlite {
namespace {

constexpr std::string_view kInternalMessage = "Internal storage error.";

// RAISE(ABORT, '<name>') messages of the triggers in migrations/sqlite, and what they mean.
struct TriggerError {
  std::string_view name;
  core::Errc code;
  std::string_view message;
};
constexpr std::array kTriggerErrors{
    TriggerError{"expiry_immutable", core::Errc::kExpiryImmutable,
                 "The expiration date of a key can never be extended or removed."},
    TriggerError{"inactivation_irreversible", core::Errc::kInactivationIrreversible,
                 "An inactivated key cannot be activated again."},
};

std::string describe(sqlite3* db, int rc, std::string_view what) {
  std::string detail(what);
  detail += ": ";
  detail += db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  detail += " (sqlite code ";
  detail += std::to_string(rc);
  detail += ")";
  return detail;
}

}  // namespace

core::Error sqliteError(sqlite3* db, int rc, std::string_view what) {
  std::string detail = describe(db, rc, what);
  switch (rc) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
      return core::makeError(core::Errc::kConflict, "A record with this value already exists.",
                             std::move(detail));
    case SQLITE_CONSTRAINT_TRIGGER:
      if (db != nullptr) {
        const std::string_view message = sqlite3_errmsg(db);
        for (const auto& trigger : kTriggerErrors)
          if (message == trigger.name)
            return core::makeError(trigger.code, std::string(trigger.message), std::move(detail));
      }
      break;
    default:
      break;
  }
  if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED) {
    auto error = core::makeError(core::Errc::kUnavailable,
                                 "The database is busy. Please try again.", std::move(detail));
    error.retry_after_seconds = 1;
    return error;
  }
  return core::makeError(core::Errc::kInternal, std::string(kInternalMessage), std::move(detail));
}

core::Error storageError(std::string detail) {
  return core::makeError(core::Errc::kInternal, std::string(kInternalMessage), std::move(detail));
}

core::Error withConflictMessage(core::Error error, std::string_view message) {
  if (error.code == core::Errc::kConflict) error.message = std::string(message);
  return error;
}

void DatabaseCloser::operator()(sqlite3* db) const noexcept {
  // Every statement is finalized before this runs, so a failure here is a bug worth a log line;
  // a destructor cannot return it.
  const int rc = sqlite3_close(db);
  if (rc != SQLITE_OK) spdlog::error("sqlite3_close failed: {}", sqlite3_errstr(rc));
}

void StatementFinalizer::operator()(sqlite3_stmt* stmt) const noexcept {
  // sqlite3_finalize repeats the error of the statement's last step, which was already
  // reported where it happened; finalizing itself cannot fail.
  sqlite3_finalize(stmt);
}

// ---- Query ----

Query::Query(sqlite3* db, CachedStatement& cached, std::string_view name) noexcept
    : db_(db), stmt_(cached.stmt.get()), cached_(&cached), name_(name) {
  cached.in_use = true;
}

Query::Query(sqlite3* db, StatementHandle owned, std::string_view name) noexcept
    : db_(db), stmt_(owned.get()), owned_(std::move(owned)), name_(name) {}

Query::Query(Query&& other) noexcept
    : db_(other.db_),
      stmt_(std::exchange(other.stmt_, nullptr)),
      cached_(std::exchange(other.cached_, nullptr)),
      owned_(std::move(other.owned_)),
      name_(other.name_),
      bind_error_(std::move(other.bind_error_)) {}

Query::~Query() {
  if (stmt_ == nullptr) return;
  // sqlite3_reset repeats the last step's error (already reported); clearing bindings cannot
  // fail. Resetting here ends the statement's read so COMMIT never meets a busy statement.
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
  if (cached_ != nullptr) cached_->in_use = false;
}

void Query::noteBindResult(int rc, int index) {
  if (rc != SQLITE_OK && !bind_error_) {
    std::string what(name_);
    what += " (binding parameter ";
    what += std::to_string(index);
    what += ")";
    bind_error_ = sqliteError(db_, rc, what);
  }
}

Query& Query::bind(int index, std::int64_t value) {
  noteBindResult(sqlite3_bind_int64(stmt_, index, value), index);
  return *this;
}

Query& Query::bind(int index, std::string_view value) {
  if (value.size() > static_cast<std::size_t>(std::numeric_limits<int>::max())) {
    noteBindResult(SQLITE_TOOBIG, index);
    return *this;
  }
  // SQLITE_TRANSIENT: SQLite copies the bytes, so the caller's string may go away before step.
  noteBindResult(sqlite3_bind_text(stmt_, index, value.data(), static_cast<int>(value.size()),
                                   SQLITE_TRANSIENT),
                 index);
  return *this;
}

Query& Query::bind(int index, std::optional<std::int64_t> value) {
  if (value) return bind(index, *value);
  noteBindResult(sqlite3_bind_null(stmt_, index), index);
  return *this;
}

Query& Query::bindBool(int index, bool value) {
  return bind(index, std::int64_t{value ? 1 : 0});
}

core::Result<bool> Query::step() {
  if (bind_error_) return *bind_error_;
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return sqliteError(db_, rc, name_);
}

core::Result<std::int64_t> Query::run() {
  KG_ASSIGN_OR_RETURN(const bool has_row, step());
  if (has_row) {
    return storageError(std::string(name_) + ": returned a row where none was expected");
  }
  return static_cast<std::int64_t>(sqlite3_changes64(db_));
}

std::int64_t Query::integer(int column) const {
  return sqlite3_column_int64(stmt_, column);
}

std::optional<std::int64_t> Query::optionalInteger(int column) const {
  if (sqlite3_column_type(stmt_, column) == SQLITE_NULL) return std::nullopt;
  return sqlite3_column_int64(stmt_, column);
}

bool Query::boolean(int column) const {
  return sqlite3_column_int64(stmt_, column) != 0;
}

std::string Query::text(int column) const {
  // sqlite3_column_text before sqlite3_column_bytes, as the SQLite docs require.
  const auto* data = sqlite3_column_text(stmt_, column);
  const int size = sqlite3_column_bytes(stmt_, column);
  if (data == nullptr || size <= 0) return {};
  return std::string(reinterpret_cast<const char*>(data), static_cast<std::size_t>(size));
}

// ---- Connection ----

core::Result<std::unique_ptr<Connection>> Connection::open(const std::string& path, Access access,
                                                           int busy_timeout_ms) {
  // Connections are used from many threads (one at a time): a library built without thread
  // support would corrupt its shared state, so refuse it up front.
  if (sqlite3_threadsafe() == 0)
    return storageError("the SQLite library was built with SQLITE_THREADSAFE=0");
  // NOMUTEX: each Connection is used by one thread at a time (the store hands them out under
  // its own locks), so SQLite's per-connection mutex would be pure overhead.
  int flags = SQLITE_OPEN_NOMUTEX;
  flags |= access == Access::kReadOnly ? SQLITE_OPEN_READONLY
                                       : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  // sqlite3_open_v2 hands back a handle even on failure; it must still be closed.
  DatabaseHandle db(raw);
  if (rc != SQLITE_OK) {
    auto error = sqliteError(db.get(), rc, "open database");
    error.message = "Cannot open the database at " + path + ".";
    return error;
  }
  if (const int ext = sqlite3_extended_result_codes(db.get(), 1); ext != SQLITE_OK)
    return sqliteError(db.get(), ext, "enable extended result codes");
  if (const int busy = sqlite3_busy_timeout(db.get(), busy_timeout_ms); busy != SQLITE_OK)
    return sqliteError(db.get(), busy, "set busy timeout");
  return std::unique_ptr<Connection>(new Connection(std::move(db)));
}

Connection::~Connection() {
  // Explicit so the order does not depend on member layout alone: statements first.
  statements_.clear();
}

core::Result<StatementHandle> Connection::prepare(const Sql& sql, unsigned flags) {
  if (sql.text.size() > static_cast<std::size_t>(std::numeric_limits<int>::max()))
    return storageError(std::string(sql.name) + ": statement too long");
  sqlite3_stmt* raw = nullptr;
  const char* tail = nullptr;
  const int rc = sqlite3_prepare_v3(db_.get(), sql.text.data(), static_cast<int>(sql.text.size()),
                                    flags, &raw, &tail);
  StatementHandle stmt(raw);
  if (rc != SQLITE_OK) return sqliteError(db_.get(), rc, sql.name);
  if (stmt == nullptr) return storageError(std::string(sql.name) + ": empty statement");
  const char* end = sql.text.data() + sql.text.size();
  for (; tail != nullptr && tail < end; ++tail) {
    if (std::isspace(static_cast<unsigned char>(*tail)) == 0 && *tail != ';')
      return storageError(std::string(sql.name) + ": holds more than one statement");
  }
  return stmt;
}

core::Result<Query> Connection::query(const Sql& sql) {
  auto it = statements_.find(sql.text);
  if (it == statements_.end()) {
    KG_ASSIGN_OR_RETURN(auto stmt, prepare(sql, SQLITE_PREPARE_PERSISTENT));
    it = statements_.emplace(std::string(sql.text), CachedStatement{std::move(stmt), false}).first;
  }
  if (it->second.in_use) {
    // The cached statement is mid-iteration further up the stack; resetting it would break that
    // loop, so this use gets a statement of its own.
    KG_ASSIGN_OR_RETURN(auto stmt, prepare(sql, 0));
    return Query(db_.get(), std::move(stmt), sql.name);
  }
  return Query(db_.get(), it->second, sql.name);
}

core::Result<std::int64_t> Connection::run(const Sql& sql) {
  KG_ASSIGN_OR_RETURN(auto q, query(sql));
  return q.run();
}

core::Status Connection::runScript(const Sql& sql) {
  const std::string text(sql.text);  // sqlite3_exec needs a terminating NUL
  char* message = nullptr;
  const int rc = sqlite3_exec(db_.get(), text.c_str(), nullptr, nullptr, &message);
  // The message is a copy of sqlite3_errmsg, which sqliteError reads itself.
  sqlite3_free(message);
  if (rc != SQLITE_OK) return sqliteError(db_.get(), rc, sql.name);
  return core::ok();
}

bool Connection::inTransaction() const {
  return sqlite3_get_autocommit(db_.get()) == 0;
}

}  // namespace keygate::storage::sqlite
