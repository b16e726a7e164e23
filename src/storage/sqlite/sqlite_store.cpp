// SqliteStore (see sqlite_store.h): connections, transactions and migrations.
#include "storage/sqlite/sqlite_store.h"

#include <spdlog/spdlog.h>

#include <condition_variable>
#include <utility>
#include <vector>

#include "storage/sqlite/migrations.h"
#include "storage/sqlite/sqlite_handle.h"
#include "storage/sqlite/sqlite_repositories.h"

namespace keygate::storage::sqlite {
namespace {

constexpr Sql kBeginImmediate{"begin immediate", "BEGIN IMMEDIATE"};
constexpr Sql kBeginDeferred{"begin", "BEGIN"};
constexpr Sql kCommit{"commit", "COMMIT"};
constexpr Sql kRollback{"rollback", "ROLLBACK"};
constexpr Sql kQueryOnlyOn{"query_only on", "PRAGMA query_only = ON"};
constexpr Sql kQueryOnlyOff{"query_only off", "PRAGMA query_only = OFF"};
constexpr Sql kJournalModeWal{"journal_mode wal", "PRAGMA journal_mode = WAL"};
// NORMAL is durable in WAL mode except for the last transactions before a power loss, and
// saves an fsync per commit.
constexpr Sql kWriterPragmas{"writer pragmas",
                             "PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;"};
constexpr Sql kSelectOne{"ping", "SELECT 1"};
constexpr Sql kCreateSchemaMigrations{
    "create schema_migrations",
    "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
    "applied_at INTEGER NOT NULL) STRICT"};
constexpr Sql kHasSchemaMigrations{
    "find schema_migrations",
    "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'"};
constexpr Sql kSelectSchemaVersion{"select schema version",
                                   "SELECT COALESCE(MAX(version), 0) FROM schema_migrations"};
constexpr Sql kSelectMigrationApplied{"select migration applied",
                                      "SELECT COUNT(*) FROM schema_migrations WHERE version = ?1"};
constexpr Sql kInsertSchemaMigration{
    "record migration", "INSERT INTO schema_migrations (version, applied_at) VALUES (?1, ?2)"};

constexpr std::string_view kMemoryPath = ":memory:";

// ---- nesting detection ----

struct ActiveFrame {
  const SqliteStore* store;
  const ActiveFrame* outer;
};
thread_local const ActiveFrame* t_active_frame = nullptr;

// Marks this thread as inside a transaction of `store` for the scope's lifetime.
class ActiveScope {
 public:
  explicit ActiveScope(const SqliteStore* store) : frame_{store, t_active_frame} {
    t_active_frame = &frame_;
  }
  ~ActiveScope() { t_active_frame = frame_.outer; }
  ActiveScope(const ActiveScope&) = delete;
  ActiveScope& operator=(const ActiveScope&) = delete;

 private:
  ActiveFrame frame_;
};

// ---- transactions ----

// Ends a transaction that must not commit. Logged rather than returned: the caller is already
// returning (or rethrowing) the failure that made it roll back.
void rollback(Connection& connection) {
  // Some errors (SQLITE_FULL, SQLITE_IOERR, …) make SQLite roll back by itself.
  if (!connection.inTransaction()) return;
  auto rolled_back = connection.run(kRollback);
  if (!rolled_back) spdlog::error("SQLite ROLLBACK failed: {}", rolled_back.error().detail);
}

// Runs body between `begin` and COMMIT; rolls back when body fails or throws (and rethrows).
Status transact(Connection& connection, const Sql& begin, const std::function<Status()>& body) {
  KG_TRY(connection.run(begin));
  Status result = [&]() -> Status {
    try {
      return body();
    } catch (...) {
      rollback(connection);
      throw;
    }
  }();
  if (!result) {
    rollback(connection);
    return result;
  }
  auto committed = connection.run(kCommit);
  if (!committed) {
    rollback(connection);
    return std::move(committed).error();
  }
  return core::ok();
}

// The public message is for the operator who started the process: it says what to do.
core::Error newerSchemaError(int database_version, int binary_version) {
  const std::string database = std::to_string(database_version);
  const std::string binary = std::to_string(binary_version);
  return core::makeError(core::Errc::kInternal,
                         "The database schema (version " + database +
                             ") is newer than this keygate binary supports (version " + binary +
                             "). Upgrade keygate.",
                         "schema version " + database + " is newer than this binary's " + binary);
}

Result<int> readSchemaVersion(Connection& connection) {
  {
    KG_ASSIGN_OR_RETURN(auto has_table, connection.query(kHasSchemaMigrations));
    KG_ASSIGN_OR_RETURN(const bool has_row, has_table.step());
    if (!has_row || has_table.integer(0) == 0) return 0;
  }
  KG_ASSIGN_OR_RETURN(auto q, connection.query(kSelectSchemaVersion));
  KG_ASSIGN_OR_RETURN(const bool has_row, q.step());
  if (!has_row) return storageError("select schema version: no row");
  return static_cast<int>(q.integer(0));
}

Result<bool> migrationApplied(Connection& connection, int version) {
  KG_ASSIGN_OR_RETURN(auto q, connection.query(kSelectMigrationApplied));
  q.bind(1, std::int64_t{version});
  KG_ASSIGN_OR_RETURN(const bool has_row, q.step());
  return has_row && q.integer(0) > 0;
}

Status configureWriter(Connection& connection, const std::string& path) {
  if (path != kMemoryPath) {
    // WAL lets read() snapshots run while a write() is in progress.
    KG_ASSIGN_OR_RETURN(auto q, connection.query(kJournalModeWal));
    KG_ASSIGN_OR_RETURN(const bool has_row, q.step());
    const std::string mode = has_row ? q.text(0) : std::string();
    if (mode != "wal") {
      return core::makeError(core::Errc::kInternal,
                             "Cannot switch the database at " + path + " to WAL mode.",
                             "journal_mode stayed '" + mode + "'");
    }
  }
  return connection.runScript(kWriterPragmas);
}

}  // namespace

// ---- ReaderPool ----

// The read-only connections; read() waits for one when all are busy.
class ReaderPool {
 public:
  explicit ReaderPool(std::vector<std::unique_ptr<RepositorySet>> sets) : sets_(std::move(sets)) {
    for (auto& set : sets_) idle_.push_back(set.get());
  }

  class Lease {
   public:
    Lease(ReaderPool& pool, RepositorySet& set) : pool_(pool), set_(set) {}
    ~Lease() { pool_.release(set_); }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    RepositorySet& operator*() const { return set_; }
    RepositorySet* operator->() const { return &set_; }

   private:
    ReaderPool& pool_;
    RepositorySet& set_;
  };

  Lease acquire() {
    std::unique_lock lock(mutex_);
    available_.wait(lock, [this] { return !idle_.empty(); });
    RepositorySet* set = idle_.back();
    idle_.pop_back();
    return Lease(*this, *set);
  }

 private:
  void release(RepositorySet& set) {
    {
      std::lock_guard lock(mutex_);
      idle_.push_back(&set);
    }
    available_.notify_one();
  }

  std::vector<std::unique_ptr<RepositorySet>> sets_;
  std::mutex mutex_;
  std::condition_variable available_;
  std::vector<RepositorySet*> idle_;
};

// ---- SqliteStore ----

SqliteStore::SqliteStore(std::string path, std::unique_ptr<RepositorySet> writer,
                         std::unique_ptr<ReaderPool> readers)
    : path_(std::move(path)), writer_(std::move(writer)), readers_(std::move(readers)) {}

SqliteStore::~SqliteStore() = default;

Result<std::unique_ptr<SqliteStore>> SqliteStore::open(const std::string& path, Options options) {
  if (path.empty()) {
    return core::makeError(core::Errc::kInternal, "The database path is empty.",
                           "SqliteStore::open with an empty path");
  }
  KG_ASSIGN_OR_RETURN(auto writer_connection, Connection::open(path, Connection::Access::kReadWrite,
                                                               options.busy_timeout_ms));
  KG_TRY(configureWriter(*writer_connection, path));
  auto writer = std::make_unique<RepositorySet>(std::move(writer_connection));

  // A private in-memory database exists only inside its one connection, so reads share it.
  std::unique_ptr<ReaderPool> readers;
  if (path != kMemoryPath && options.read_connections > 0) {
    std::vector<std::unique_ptr<RepositorySet>> sets;
    sets.reserve(static_cast<std::size_t>(options.read_connections));
    for (int i = 0; i < options.read_connections; ++i) {
      KG_ASSIGN_OR_RETURN(auto connection, Connection::open(path, Connection::Access::kReadOnly,
                                                            options.busy_timeout_ms));
      sets.push_back(std::make_unique<RepositorySet>(std::move(connection)));
    }
    readers = std::make_unique<ReaderPool>(std::move(sets));
  }

  std::unique_ptr<SqliteStore> store(new SqliteStore(path, std::move(writer), std::move(readers)));
  if (options.migrate) KG_TRY(store->migrate());
  KG_ASSIGN_OR_RETURN(const int version, store->schemaVersion());
  if (version > latestSchemaVersion()) return newerSchemaError(version, latestSchemaVersion());
  spdlog::info("opened SQLite database {} (schema version {}, {} read connections)", path, version,
               store->readers_ ? options.read_connections : 0);
  return store;
}

Status SqliteStore::checkNotNested() const {
  for (const ActiveFrame* frame = t_active_frame; frame != nullptr; frame = frame->outer) {
    if (frame->store == this) {
      return storageError(
          "SqliteStore: write(), read() or migrate() called inside a transaction of the same "
          "store on the same thread");
    }
  }
  return core::ok();
}

Status SqliteStore::write(const std::function<Status(Repositories&)>& fn) {
  KG_TRY(checkNotNested());
  std::lock_guard lock(writer_mutex_);
  ActiveScope scope(this);
  RepositorySet& set = *writer_;
  // IMMEDIATE takes the write lock up front: a transaction that reads and then writes can never
  // fail half-way because another process wrote in between.
  return transact(set.connection(), kBeginImmediate, [&] { return fn(set.repositories()); });
}

Status SqliteStore::read(const std::function<Status(Repositories&)>& fn) {
  KG_TRY(checkNotNested());
  ActiveScope scope(this);
  if (readers_) {
    auto lease = readers_->acquire();
    // Read-only connection: a write inside fn fails with SQLITE_READONLY.
    return transact(lease->connection(), kBeginDeferred, [&] { return fn(lease->repositories()); });
  }
  // Shared with the writer: query_only makes a write inside fn fail the same way.
  std::lock_guard lock(writer_mutex_);
  Connection& connection = writer_->connection();
  KG_TRY(connection.run(kQueryOnlyOn));
  auto restore = [&connection]() -> Status {
    auto off = connection.run(kQueryOnlyOff);
    if (!off) return std::move(off).error();
    return core::ok();
  };
  Status result = [&]() -> Status {
    try {
      return transact(connection, kBeginDeferred, [&] { return fn(writer_->repositories()); });
    } catch (...) {
      if (auto restored = restore(); !restored)
        spdlog::error("SQLite query_only reset failed: {}", restored.error().detail);
      throw;
    }
  }();
  auto restored = restore();
  if (!result) return result;
  return restored;
}

Status SqliteStore::withReader(const std::function<Status(RepositorySet&)>& fn) {
  KG_TRY(checkNotNested());
  ActiveScope scope(this);
  if (readers_) {
    auto lease = readers_->acquire();
    return fn(*lease);
  }
  std::lock_guard lock(writer_mutex_);
  return fn(*writer_);
}

Status SqliteStore::ping() {
  return withReader([](RepositorySet& set) -> Status {
    KG_ASSIGN_OR_RETURN(auto q, set.connection().query(kSelectOne));
    KG_ASSIGN_OR_RETURN(const bool has_row, q.step());
    if (!has_row || q.integer(0) != 1) return storageError("ping: SELECT 1 returned no 1");
    return core::ok();
  });
}

Result<int> SqliteStore::schemaVersion() {
  int version = 0;
  KG_TRY(withReader([&version](RepositorySet& set) -> Status {
    KG_ASSIGN_OR_RETURN(version, readSchemaVersion(set.connection()));
    return core::ok();
  }));
  return version;
}

int SqliteStore::latestSchemaVersion() {
  return embeddedMigrations().back().version;
}

Status SqliteStore::migrate() {
  static const core::SystemClock system_clock;
  return migrate(system_clock);
}

Status SqliteStore::migrate(const core::Clock& clock) {
  KG_TRY(checkNotNested());
  std::lock_guard lock(writer_mutex_);
  ActiveScope scope(this);
  Connection& connection = writer_->connection();
  const int latest = latestSchemaVersion();

  KG_ASSIGN_OR_RETURN(const int before, readSchemaVersion(connection));
  if (before > latest) return newerSchemaError(before, latest);
  KG_TRY(connection.run(kCreateSchemaMigrations));

  for (const Migration& migration : embeddedMigrations()) {
    bool applied = false;
    // Each migration with its record in one IMMEDIATE transaction: a second process migrating
    // at the same time waits, then sees the version recorded and skips it.
    auto step = transact(connection, kBeginImmediate, [&]() -> Status {
      KG_ASSIGN_OR_RETURN(const int current, readSchemaVersion(connection));
      if (current > latest) return newerSchemaError(current, latest);
      KG_ASSIGN_OR_RETURN(const bool done, migrationApplied(connection, migration.version));
      if (done) return core::ok();
      KG_TRY(connection.runScript(Sql{migration.name, migration.sql}));
      KG_ASSIGN_OR_RETURN(auto record, connection.query(kInsertSchemaMigration));
      record.bind(1, std::int64_t{migration.version}).bind(2, clock.now());
      KG_TRY(record.run());
      applied = true;
      return core::ok();
    });
    if (!step) return step;
    if (applied) spdlog::info("applied SQLite migration {}", migration.name);
  }
  return core::ok();
}

}  // namespace keygate::storage::sqlite
