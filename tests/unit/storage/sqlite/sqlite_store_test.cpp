// SqliteStore behaviour: transactions (commit, rollback on error and on exception), read-only
// snapshots, nesting, migrations (embedded, idempotent, newer-schema refusal), the append-only
// event log at the database level, and concurrency (parallel writers, snapshot isolation).
#include "storage/sqlite/sqlite_store.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <future>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "storage/sqlite/migrations.h"
#include "storage/sqlite/sqlite_handle.h"

namespace keygate::storage::sqlite {
namespace {

using core::Errc;

constexpr core::Seconds kT0 = 1764115200;  // 2025-11-26T00:00:00Z

class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "keygate-sqlite-XXXXXX");
    if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

core::Organization org(std::string name) {
  core::Organization o;
  o.name = std::move(name);
  o.created_at = kT0;
  return o;
}

std::unique_ptr<SqliteStore> openStore(const std::string& path, SqliteOptions options = {}) {
  auto opened = SqliteStore::open(path, options);
  EXPECT_TRUE(opened) << (opened ? "" : opened.error().message + " / " + opened.error().detail);
  return opened ? std::move(*opened) : nullptr;
}

std::unique_ptr<SqliteStore> openMigrated(const std::string& path, SqliteOptions options = {}) {
  options.migrate = true;
  return openStore(path, options);
}

std::size_t countOrgs(Store& store) {
  std::size_t count = 0;
  auto status = store.read([&](Repositories& r) -> core::Status {
    KG_ASSIGN_OR_RETURN(auto all, r.organizations.list());
    count = all.size();
    return core::ok();
  });
  EXPECT_TRUE(status) << (status ? "" : status.error().detail);
  return count;
}

// A raw connection beside the store, for what the repositories deliberately cannot do.
std::unique_ptr<Connection> rawConnection(const std::filesystem::path& path) {
  auto connection = Connection::open(path.string(), Connection::Access::kReadWrite, 5000);
  EXPECT_TRUE(connection);
  return connection ? std::move(*connection) : nullptr;
}

std::int64_t scalar(Connection& connection, std::string_view sql) {
  auto q = connection.query(Sql{"test scalar", sql});
  EXPECT_TRUE(q);
  if (!q) return -1;
  auto row = q->step();
  EXPECT_TRUE(row && *row);
  return row && *row ? q->integer(0) : -1;
}

class SqliteStoreTest : public ::testing::Test {
 protected:
  std::filesystem::path dbPath() const { return dir_.path() / "keygate.db"; }
  TempDir dir_;
};

// ---- transactions ----

TEST_F(SqliteStoreTest, WriteCommitsAndDataSurvivesReopening) {
  {
    auto store = openMigrated(dbPath());
    ASSERT_TRUE(store);
    ASSERT_TRUE(store->write([](Repositories& r) -> core::Status {
      KG_TRY(r.organizations.create(org("Acme")));
      return core::ok();
    }));
  }
  auto store = openStore(dbPath());
  ASSERT_TRUE(store);
  EXPECT_EQ(countOrgs(*store), 1u);
}

TEST_F(SqliteStoreTest, WriteRollsBackWhenTheFunctionReturnsAnError) {
  auto store = openMigrated(dbPath());
  ASSERT_TRUE(store);
  auto status = store->write([](Repositories& r) -> core::Status {
    KG_TRY(r.organizations.create(org("Acme")));
    KG_TRY(r.organizations.create(org("Beta")));
    return core::makeError(Errc::kValidationFailed, "changed my mind");
  });
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().code, Errc::kValidationFailed);  // fn's own error, unchanged
  EXPECT_EQ(countOrgs(*store), 0u);

  // A failed statement inside the transaction rolls back what came before it too.
  status = store->write([](Repositories& r) -> core::Status {
    KG_TRY(r.organizations.create(org("Gamma")));
    KG_TRY(r.organizations.create(org("Gamma")));
    return core::ok();
  });
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().code, Errc::kConflict);
  EXPECT_EQ(countOrgs(*store), 0u);

  // The store is still usable afterwards.
  ASSERT_TRUE(store->write([](Repositories& r) -> core::Status {
    KG_TRY(r.organizations.create(org("Acme")));
    return core::ok();
  }));
  EXPECT_EQ(countOrgs(*store), 1u);
}

TEST_F(SqliteStoreTest, WriteRollsBackAndRethrowsWhenTheFunctionThrows) {
  for (const char* path : {":memory:", "file"}) {
    SCOPED_TRACE(path);
    auto store = openMigrated(std::string(path) == "file" ? dbPath().string() : path);
    ASSERT_TRUE(store);
    EXPECT_THROW((void)store->write([](Repositories& r) -> core::Status {
      KG_TRY(r.organizations.create(org("Acme")));
      throw std::runtime_error("boom");
    }),
                 std::runtime_error);
    EXPECT_EQ(countOrgs(*store), 0u);
    ASSERT_TRUE(store->write([](Repositories& r) -> core::Status {
      KG_TRY(r.organizations.create(org("Acme")));
      return core::ok();
    }));
    EXPECT_EQ(countOrgs(*store), 1u);
  }
}

TEST_F(SqliteStoreTest, ReadRejectsWritesInBothModes) {
  for (const char* path : {":memory:", "file"}) {
    SCOPED_TRACE(path);
    auto store = openMigrated(std::string(path) == "file" ? dbPath().string() : path);
    ASSERT_TRUE(store);
    auto status = store->read([](Repositories& r) -> core::Status {
      KG_TRY(r.organizations.create(org("Sneaky")));
      return core::ok();
    });
    ASSERT_FALSE(status);
    EXPECT_EQ(status.error().code, Errc::kInternal);
    EXPECT_EQ(countOrgs(*store), 0u);
    // The shared connection of ":memory:" is writable again after the read.
    ASSERT_TRUE(store->write([](Repositories& r) -> core::Status {
      KG_TRY(r.organizations.create(org("Fine")));
      return core::ok();
    }));
    EXPECT_EQ(countOrgs(*store), 1u);
  }
}

TEST_F(SqliteStoreTest, ReadPassesTheFunctionsErrorAndExceptionThrough) {
  auto store = openMigrated(dbPath());
  ASSERT_TRUE(store);
  auto status = store->read(
      [](Repositories&) -> core::Status { return core::makeError(Errc::kNotFound, "nope"); });
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().code, Errc::kNotFound);
  EXPECT_THROW(
      (void)store->read([](Repositories&) -> core::Status { throw std::logic_error("x"); }),
      std::logic_error);
  EXPECT_TRUE(store->ping());
}

TEST_F(SqliteStoreTest, NestedTransactionsAreRefusedInsteadOfDeadlocking) {
  for (const char* path : {":memory:", "file"}) {
    SCOPED_TRACE(path);
    auto store = openMigrated(std::string(path) == "file" ? dbPath().string() : path);
    ASSERT_TRUE(store);
    core::Status inner_write = core::ok();
    core::Status inner_read = core::ok();
    auto outer = store->write([&](Repositories& r) -> core::Status {
      KG_TRY(r.organizations.create(org("Outer")));
      inner_write = store->write([](Repositories&) { return core::ok(); });
      inner_read = store->read([](Repositories&) { return core::ok(); });
      return core::ok();
    });
    EXPECT_TRUE(outer);
    ASSERT_FALSE(inner_write);
    EXPECT_EQ(inner_write.error().code, Errc::kInternal);
    EXPECT_FALSE(inner_read);
    EXPECT_EQ(countOrgs(*store), 1u);
  }
}

TEST_F(SqliteStoreTest, InMemoryStoresAreSeparateDatabases) {
  auto a = openMigrated(":memory:");
  auto b = openMigrated(":memory:");
  ASSERT_TRUE(a && b);
  ASSERT_TRUE(a->write([](Repositories& r) -> core::Status {
    KG_TRY(r.organizations.create(org("Only in A")));
    return core::ok();
  }));
  EXPECT_EQ(countOrgs(*a), 1u);
  EXPECT_EQ(countOrgs(*b), 0u);
}

TEST_F(SqliteStoreTest, OpenFailsWithAnActionableMessage) {
  const auto path = (dir_.path() / "missing-dir" / "keygate.db").string();
  auto opened = SqliteStore::open(path);
  ASSERT_FALSE(opened);
  EXPECT_NE(opened.error().message.find(path), std::string::npos) << opened.error().message;
  EXPECT_FALSE(SqliteStore::open(""));
}

TEST_F(SqliteStoreTest, FileDatabaseUsesWalAndForeignKeys) {
  auto store = openMigrated(dbPath());
  ASSERT_TRUE(store);
  auto raw = rawConnection(dbPath());
  ASSERT_TRUE(raw);
  auto q = raw->query(Sql{"journal mode", "PRAGMA journal_mode"});
  ASSERT_TRUE(q);
  auto row = q->step();
  ASSERT_TRUE(row && *row);
  EXPECT_EQ(q->text(0), "wal");
}

// ---- the event log is append-only in the database itself ----

TEST_F(SqliteStoreTest, EventsCannotBeUpdatedOrDeleted) {
  auto store = openMigrated(dbPath());
  ASSERT_TRUE(store);
  core::Event event;
  event.at = kT0;
  event.type = "key.generated";
  event.details = "{}";
  event.hash = "h0";
  ASSERT_TRUE(store->write([&](Repositories& r) -> core::Status {
    KG_TRY(r.events.append(event));
    return core::ok();
  }));

  auto raw = rawConnection(dbPath());
  ASSERT_TRUE(raw);
  for (std::string_view sql : {"UPDATE events SET type = 'key.forged'", "DELETE FROM events",
                               "UPDATE events SET details = '{\"x\":1}' WHERE seq = 1"}) {
    auto changed = raw->run(Sql{"tamper", sql});
    ASSERT_FALSE(changed) << sql;
    EXPECT_NE(changed.error().detail.find("events_append_only"), std::string::npos)
        << changed.error().detail;
  }
  EXPECT_EQ(scalar(*raw, "SELECT COUNT(*) FROM events WHERE type = 'key.generated'"), 1);
}

// ---- migrations ----

TEST_F(SqliteStoreTest, EveryMigrationFileIsEmbeddedInOrder) {
  const std::filesystem::path dir = std::filesystem::path(KEYGATE_SOURCE_DIR) / "migrations/sqlite";
  std::set<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir))
    if (entry.path().extension() == ".sql") files.insert(entry.path().filename().string());

  auto embedded = embeddedMigrations();
  ASSERT_EQ(embedded.size(), files.size());
  auto file = files.begin();
  int previous = 0;
  for (const auto& migration : embedded) {
    EXPECT_EQ(std::string(migration.name) + ".sql", *file);
    EXPECT_EQ(migration.version, std::stoi(*file));
    EXPECT_GT(migration.version, previous);
    previous = migration.version;
    std::ifstream in(dir / *file, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    EXPECT_EQ(migration.sql, text.str()) << *file;
    ++file;
  }
  EXPECT_EQ(SqliteStore::latestSchemaVersion(), embedded.back().version);
}

TEST_F(SqliteStoreTest, OpenDoesNotMigrateUnlessAsked) {
  auto store = openStore(dbPath());
  ASSERT_TRUE(store);
  auto version = store->schemaVersion();
  ASSERT_TRUE(version);
  EXPECT_EQ(*version, 0);
  EXPECT_FALSE(store->read([](Repositories& r) -> core::Status {
    KG_TRY(r.organizations.list());
    return core::ok();
  }));
}

TEST_F(SqliteStoreTest, MigrationsAreIdempotent) {
  core::FakeClock clock(kT0 + 42);
  {
    auto store = openStore(dbPath());
    ASSERT_TRUE(store);
    ASSERT_TRUE(store->migrate(clock));
    clock.advance(3600);
    ASSERT_TRUE(store->migrate(clock));
    auto version = store->schemaVersion();
    ASSERT_TRUE(version);
    EXPECT_EQ(*version, SqliteStore::latestSchemaVersion());
  }
  {
    auto store = openMigrated(dbPath());  // open with Options::migrate on an up-to-date file
    ASSERT_TRUE(store);
    ASSERT_TRUE(store->migrate(clock));
    auto version = store->schemaVersion();
    ASSERT_TRUE(version);
    EXPECT_EQ(*version, SqliteStore::latestSchemaVersion());
  }
  auto raw = rawConnection(dbPath());
  ASSERT_TRUE(raw);
  EXPECT_EQ(scalar(*raw, "SELECT COUNT(*) FROM schema_migrations"),
            static_cast<std::int64_t>(embeddedMigrations().size()));
  // Recorded once, at the time of the first run.
  EXPECT_EQ(scalar(*raw, "SELECT MIN(applied_at) FROM schema_migrations"), kT0 + 42);
  EXPECT_EQ(scalar(*raw, "SELECT MAX(applied_at) FROM schema_migrations"), kT0 + 42);
}

TEST_F(SqliteStoreTest, InMemoryMigrateWorks) {
  auto store = openStore(":memory:");
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->migrate());
  ASSERT_TRUE(store->migrate());
  auto version = store->schemaVersion();
  ASSERT_TRUE(version);
  EXPECT_EQ(*version, SqliteStore::latestSchemaVersion());
}

TEST_F(SqliteStoreTest, NewerSchemaIsAClearError) {
  ASSERT_TRUE(openMigrated(dbPath()));
  {
    auto raw = rawConnection(dbPath());
    ASSERT_TRUE(raw);
    auto insert = raw->query(Sql{
        "future version", "INSERT INTO schema_migrations (version, applied_at) VALUES (?1, 0)"});
    ASSERT_TRUE(insert);
    insert->bind(1, std::int64_t{SqliteStore::latestSchemaVersion() + 1});
    ASSERT_TRUE(insert->run());
  }
  auto opened = SqliteStore::open(dbPath());
  ASSERT_FALSE(opened);
  EXPECT_NE(opened.error().message.find("newer than this keygate binary"), std::string::npos)
      << opened.error().message;
  opened = SqliteStore::open(dbPath(), SqliteOptions{.migrate = true});
  ASSERT_FALSE(opened);
  EXPECT_NE(opened.error().message.find("newer than this keygate binary"), std::string::npos);
}

// ---- concurrency ----

TEST_F(SqliteStoreTest, ConcurrentWritersAllLand) {
  auto store = openMigrated(dbPath());
  ASSERT_TRUE(store);
  constexpr int kThreads = 4;
  constexpr int kWritesEach = 100;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kWritesEach; ++i) {
        auto status = store->write([&](Repositories& r) -> core::Status {
          KG_TRY(r.organizations.create(org("org-" + std::to_string(t) + "-" + std::to_string(i))));
          return core::ok();
        });
        if (!status) ++failures;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(countOrgs(*store), static_cast<std::size_t>(kThreads * kWritesEach));
}

TEST_F(SqliteStoreTest, TwoStoresOnOneFileShareTheWriteLock) {
  // Two stores on one file behave like two keygate processes: SQLite's lock, not our mutex,
  // serializes them, and the busy timeout makes the loser wait instead of failing.
  auto first = openMigrated(dbPath());
  auto second = openStore(dbPath());
  ASSERT_TRUE(first && second);
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 2; ++t) {
    threads.emplace_back([&, t] {
      SqliteStore& store = t == 0 ? *first : *second;
      for (int i = 0; i < 50; ++i) {
        auto status = store.write([&](Repositories& r) -> core::Status {
          KG_TRY(r.organizations.create(org("p" + std::to_string(t) + "-" + std::to_string(i))));
          return core::ok();
        });
        if (!status) ++failures;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(countOrgs(*first), 100u);
  EXPECT_EQ(countOrgs(*second), 100u);
}

TEST_F(SqliteStoreTest, ReaderDuringAWriteSeesOnlyCommittedData) {
  auto store = openMigrated(dbPath());
  ASSERT_TRUE(store);
  std::promise<void> written;
  std::promise<void> checked;
  auto checked_future = checked.get_future();
  std::thread writer([&] {
    auto status = store->write([&](Repositories& r) -> core::Status {
      KG_TRY(r.organizations.create(org("Pending")));
      written.set_value();
      checked_future.wait();  // hold the transaction open while the main thread reads
      return core::ok();
    });
    EXPECT_TRUE(status);
  });
  written.get_future().wait();
  // The write is in progress and uncommitted: a read proceeds (WAL) and does not see it.
  EXPECT_EQ(countOrgs(*store), 0u);
  EXPECT_TRUE(store->ping());
  checked.set_value();
  writer.join();
  EXPECT_EQ(countOrgs(*store), 1u);
}

TEST_F(SqliteStoreTest, ReadSnapshotIsStableWhileAWriterCommits) {
  auto store = openMigrated(dbPath());
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->write([](Repositories& r) -> core::Status {
    KG_TRY(r.organizations.create(org("Before")));
    return core::ok();
  }));

  std::promise<void> snapshot_taken;
  std::promise<void> committed;
  auto committed_future = committed.get_future();
  std::size_t first_count = 0;
  std::size_t second_count = 0;
  std::optional<std::string> second_by_name;
  std::thread reader([&] {
    auto status = store->read([&](Repositories& r) -> core::Status {
      KG_ASSIGN_OR_RETURN(auto before, r.organizations.list());
      first_count = before.size();
      snapshot_taken.set_value();
      committed_future.wait();  // a writer commits while this snapshot is open
      KG_ASSIGN_OR_RETURN(auto after, r.organizations.list());
      second_count = after.size();
      KG_ASSIGN_OR_RETURN(auto found, r.organizations.findByName("During"));
      if (found) second_by_name = found->name;
      return core::ok();
    });
    EXPECT_TRUE(status);
  });
  snapshot_taken.get_future().wait();
  ASSERT_TRUE(store->write([](Repositories& r) -> core::Status {
    KG_TRY(r.organizations.create(org("During")));
    return core::ok();
  }));
  committed.set_value();
  reader.join();
  EXPECT_EQ(first_count, 1u);
  EXPECT_EQ(second_count, 1u);
  EXPECT_FALSE(second_by_name);
  EXPECT_EQ(countOrgs(*store), 2u);  // a new snapshot sees the commit
}

TEST_F(SqliteStoreTest, ReadsWaitForAFreeConnectionWhenThePoolIsBusy) {
  auto store = openMigrated(dbPath(), SqliteOptions{.read_connections = 1});
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->write([](Repositories& r) -> core::Status {
    KG_TRY(r.organizations.create(org("Acme")));
    return core::ok();
  }));
  std::atomic<int> ok_reads{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 6; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 50; ++i) {
        auto status = store->read([](Repositories& r) -> core::Status {
          KG_ASSIGN_OR_RETURN(auto found, r.organizations.findByName("Acme"));
          if (!found) return core::makeError(Errc::kNotFound, "missing");
          return core::ok();
        });
        if (status) ++ok_reads;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(ok_reads.load(), 300);
}

TEST_F(SqliteStoreTest, ZeroReadConnectionsShareTheWriter) {
  auto store = openMigrated(dbPath(), SqliteOptions{.read_connections = 0});
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->write([](Repositories& r) -> core::Status {
    KG_TRY(r.organizations.create(org("Acme")));
    return core::ok();
  }));
  EXPECT_EQ(countOrgs(*store), 1u);
  EXPECT_TRUE(store->ping());
}

}  // namespace
}  // namespace keygate::storage::sqlite
