// The RaaS repositories (storage/raas_repositories.h) over one SQLite Connection. Like the
// other SQLite repositories they run no transactions of their own. Report row queries are
// assembled from the constants of sqlite_raas_sources.cpp with every value bound; they are
// prepared per run instead of cached, since each report makes its own statement.
// Internal to storage/sqlite.
#pragma once

#include "storage/raas_repositories.h"
#include "storage/sqlite/sqlite_handle.h"

namespace keygate::storage::sqlite {

class SqliteReportRepository final : public ReportRepository {
 public:
  explicit SqliteReportRepository(Connection& db) : db_(db) {}
  Result<Id> create(const ReportRecord& report) override;
  Result<std::optional<ReportRecord>> find(Id id) override;
  Result<std::vector<ReportRecord>> listAccessible(Id user_id) override;
  Status update(const ReportRecord& report) override;
  Status remove(Id id) override;
  Status setShares(Id report_id, const std::vector<Id>& user_ids, Seconds at) override;
  Result<std::vector<ReportShare>> listShares(Id report_id) override;
  Result<bool> isSharedWith(Id report_id, Id user_id) override;

 private:
  Connection& db_;
};

class SqliteReportRunRepository final : public ReportRunRepository {
 public:
  explicit SqliteReportRunRepository(Connection& db) : db_(db) {}
  Result<Id> create(const RunRecord& run) override;
  Result<std::optional<RunRecord>> find(Id id) override;
  Result<std::optional<RunRecord>> findReusable(Id user_id, Id report_id,
                                                const std::string& params_hash,
                                                Seconds since) override;
  Result<int> countActive(Id user_id) override;
  Result<std::optional<RunRecord>> claimNext(Seconds now, int max_running_per_user) override;
  Result<std::vector<RunRecord>> listByStatus(RunStatus status) override;
  Result<bool> finish(Id id, RunStatus status, const std::string& message, std::int64_t rows,
                      Seconds now, Seconds expires_at) override;
  Status requeue(Id id, const std::string& message, bool refund_attempt) override;
  Result<bool> cancel(Id id, const std::string& message, Seconds now, Seconds expires_at) override;
  Result<std::vector<Id>> listExpired(Seconds now, int limit) override;
  Result<std::vector<Id>> listIdsByReport(Id report_id) override;
  Status remove(Id id) override;

 private:
  Connection& db_;
};

class SqliteCostCenterRepository final : public CostCenterRepository {
 public:
  explicit SqliteCostCenterRepository(Connection& db) : db_(db) {}
  Status set(Id user_id, const std::vector<std::string>& cost_centers, Seconds at) override;
  Result<std::vector<std::string>> list(Id user_id) override;

 private:
  Connection& db_;
};

class SqliteReportDataRepository final : public ReportDataRepository {
 public:
  explicit SqliteReportDataRepository(Connection& db) : db_(db) {}
  Result<std::int64_t> count(const RowQuery& query) override;
  Result<bool> stream(const RowQuery& query, RowSink& sink) override;

 private:
  Connection& db_;
};

// The SQL text and bind values of a row query (exposed for tests of the query builder).
struct BuiltRowQuery {
  std::string sql;
  std::vector<SqlValue> binds;
};
// kInvalidParameter naming the unknown source or column, or a filter without its values.
Result<BuiltRowQuery> buildRowQuery(const RowQuery& query, bool count_only);

class SqliteRaasRepositories {
 public:
  explicit SqliteRaasRepositories(Connection& db)
      : reports_(db),
        runs_(db),
        cost_centers_(db),
        data_(db),
        repositories_{reports_, runs_, cost_centers_, data_} {}
  SqliteRaasRepositories(const SqliteRaasRepositories&) = delete;
  SqliteRaasRepositories& operator=(const SqliteRaasRepositories&) = delete;

  RaasRepositories& repositories() { return repositories_; }

 private:
  SqliteReportRepository reports_;
  SqliteReportRunRepository runs_;
  SqliteCostCenterRepository cost_centers_;
  SqliteReportDataRepository data_;
  RaasRepositories repositories_;
};

}  // namespace keygate::storage::sqlite
