// SqliteStore: the embedded default implementation of storage::Store (DESIGN §6), one SQLite
// database file in WAL mode. One writer connection behind a mutex runs write() transactions
// (BEGIN IMMEDIATE, so writers queue here instead of failing at COMMIT); a small pool of
// read-only connections runs read() snapshots in parallel with the writer. ":memory:" uses the
// single connection for everything, so every use sees the same database.
//
// This header exposes no SQLite types; it depends on storage/repositories.h and core only.
#pragma once

#include <memory>
#include <mutex>
#include <string>

#include "core/clock.h"
#include "storage/repositories.h"

namespace keygate::storage::sqlite {

struct SqliteOptions {
  int busy_timeout_ms = 5000;
  // Read-only connections for read(); 0 makes read() share the writer connection.
  int read_connections = 4;
  // Apply pending migrations in open(). Off by default: the app (and `keygate migrate`) migrate
  // explicitly, so a schema change never happens as a side effect of starting a node.
  bool migrate = false;
};

class RepositorySet;
class ReaderPool;

class SqliteStore final : public Store {
 public:
  using Options = SqliteOptions;

  // Opens (creating if needed) the database at `path`, or a private in-memory database for
  // ":memory:". Fails when the database's schema is newer than this binary.
  static core::Result<std::unique_ptr<SqliteStore>> open(const std::string& path,
                                                         Options options = {});
  ~SqliteStore() override;
  SqliteStore(const SqliteStore&) = delete;
  SqliteStore& operator=(const SqliteStore&) = delete;

  core::Status write(const std::function<core::Status(Repositories&)>& fn) override;
  core::Status read(const std::function<core::Status(Repositories&)>& fn) override;
  core::Status ping() override;

  // Applies the pending embedded migrations in order, each in its own transaction, recording
  // each in schema_migrations(version, applied_at). Safe to run again (and from two processes
  // at once): applied versions are skipped. Fails, changing nothing, when the database is newer.
  core::Status migrate(const core::Clock& clock);
  core::Status migrate();  // with the system clock
  // The highest applied migration version; 0 for a database never migrated.
  core::Result<int> schemaVersion();
  // The highest version embedded in this binary.
  static int latestSchemaVersion();

  const std::string& path() const { return path_; }

 private:
  SqliteStore(std::string path, std::unique_ptr<RepositorySet> writer,
              std::unique_ptr<ReaderPool> readers);
  // Runs fn on a read connection, without a transaction (callers add one when they need it).
  core::Status withReader(const std::function<core::Status(RepositorySet&)>& fn);
  // Nested write()/read()/migrate() on one store from one thread would deadlock on the writer
  // mutex, or silently read a snapshot that misses the enclosing write: both are bugs.
  core::Status checkNotNested() const;

  std::string path_;
  std::mutex writer_mutex_;
  // Declared before readers_ so the read connections close first and the writer, closing last,
  // checkpoints the WAL into the database file.
  std::unique_ptr<RepositorySet> writer_;
  std::unique_ptr<ReaderPool> readers_;  // null for ":memory:" or read_connections <= 0
};

}  // namespace keygate::storage::sqlite
