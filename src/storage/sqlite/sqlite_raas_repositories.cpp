// SQLite RaaS repositories (see sqlite_raas_repositories.h).
#include "storage/sqlite/sqlite_raas_repositories.h"

#include <array>
#include <limits>
#include <utility>

#include "storage/sqlite/sqlite_raas_sources.h"

namespace keygate::storage::sqlite {
namespace {

constexpr std::array<std::pair<RunStatus, std::string_view>, 5> kRunStatuses{{
    {RunStatus::kQueued, "queued"},
    {RunStatus::kRunning, "running"},
    {RunStatus::kCompleted, "completed"},
    {RunStatus::kFailed, "failed"},
    {RunStatus::kCancelled, "cancelled"},
}};

std::string_view runStatusName(RunStatus status) {
  for (const auto& [value, name] : kRunStatuses)
    if (value == status) return name;
  return "failed";
}

Result<RunStatus> parseRunStatus(std::string_view text) {
  for (const auto& [value, name] : kRunStatuses)
    if (name == text) return value;
  return storageError("unknown enum value in column raas_runs.status");
}

// ---- reports ----

#define KG_REPORT_COLUMNS                                                              \
  "id, org_id, owner_user_id, name, description, source, columns_json, filters_json, " \
  "sort_json, prompts_json, version, created_at, updated_at"

constexpr Sql kInsertReport{
    "insert raas report",
    "INSERT INTO raas_reports (org_id, owner_user_id, name, description, source, columns_json, "
    "filters_json, sort_json, prompts_json, version, created_at, updated_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12) RETURNING id"};
constexpr Sql kSelectReport{"select raas report",
                            "SELECT " KG_REPORT_COLUMNS " FROM raas_reports WHERE id = ?1"};
constexpr Sql kSelectAccessibleReports{
    "select accessible raas reports",
    "SELECT " KG_REPORT_COLUMNS
    " FROM raas_reports WHERE owner_user_id = ?1 OR id IN "
    "(SELECT report_id FROM raas_report_shares WHERE user_id = ?1) ORDER BY id"};
constexpr Sql kUpdateReport{
    "update raas report",
    "UPDATE raas_reports SET name = ?2, description = ?3, source = ?4, columns_json = ?5, "
    "filters_json = ?6, sort_json = ?7, prompts_json = ?8, version = ?9, updated_at = ?10 "
    "WHERE id = ?1"};
constexpr Sql kDeleteReport{"delete raas report", "DELETE FROM raas_reports WHERE id = ?1"};
constexpr Sql kDeleteShares{"delete raas report shares",
                            "DELETE FROM raas_report_shares WHERE report_id = ?1"};
constexpr Sql kInsertShare{
    "insert raas report share",
    "INSERT INTO raas_report_shares (report_id, user_id, shared_at) VALUES (?1, ?2, ?3)"};
constexpr Sql kSelectShares{
    "select raas report shares",
    "SELECT report_id, user_id, shared_at FROM raas_report_shares WHERE report_id = ?1 "
    "ORDER BY user_id"};
constexpr Sql kSelectShared{
    "select raas report shared",
    "SELECT COUNT(*) FROM raas_report_shares WHERE report_id = ?1 AND user_id = ?2"};

Result<ReportRecord> readReport(const Query& q) {
  ReportRecord r;
  r.id = q.integer(0);
  r.org_id = q.integer(1);
  r.owner_user_id = q.integer(2);
  r.name = q.text(3);
  r.description = q.text(4);
  r.source = q.text(5);
  r.columns_json = q.text(6);
  r.filters_json = q.text(7);
  r.sort_json = q.text(8);
  r.prompts_json = q.text(9);
  r.version = q.integer(10);
  r.created_at = q.integer(11);
  r.updated_at = q.integer(12);
  return r;
}

// ---- runs ----

#define KG_RUN_COLUMNS                                                                  \
  "id, report_id, user_id, org_id, params_hash, spec_json, status, message, progress, " \
  "total_records, attempts, created_at, started_at, finished_at, expires_at"

constexpr Sql kInsertRun{
    "insert raas run",
    "INSERT INTO raas_runs (report_id, user_id, org_id, params_hash, spec_json, status, message, "
    "progress, total_records, attempts, created_at, started_at, finished_at, expires_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14) RETURNING id"};
constexpr Sql kSelectRun{"select raas run",
                         "SELECT " KG_RUN_COLUMNS " FROM raas_runs WHERE id = ?1"};
constexpr Sql kSelectReusableRun{
    "select reusable raas run",
    "SELECT " KG_RUN_COLUMNS
    " FROM raas_runs WHERE user_id = ?1 AND report_id = ?2 AND "
    "params_hash = ?3 AND created_at >= ?4 AND status IN ('queued', 'running', 'completed') "
    "ORDER BY id DESC LIMIT 1"};
constexpr Sql kCountActiveRuns{
    "count active raas runs",
    "SELECT COUNT(*) FROM raas_runs WHERE user_id = ?1 AND status IN ('queued', 'running')"};
// The oldest queued run of a user below the per-user limit of running runs: one user's burst
// of requests cannot occupy every worker while others wait.
constexpr Sql kSelectNextQueued{
    "select next queued raas run",
    "SELECT " KG_RUN_COLUMNS
    " FROM raas_runs r WHERE r.status = 'queued' AND "
    "(SELECT COUNT(*) FROM raas_runs x WHERE x.status = 'running' AND x.user_id = r.user_id) "
    "< ?1 ORDER BY r.id LIMIT 1"};
constexpr Sql kMarkRunning{
    "mark raas run running",
    "UPDATE raas_runs SET status = 'running', started_at = ?2, attempts = attempts + 1, "
    "progress = 0 WHERE id = ?1 AND status = 'queued'"};
constexpr Sql kSelectRunsByStatus{"select raas runs by status",
                                  "SELECT " KG_RUN_COLUMNS
                                  " FROM raas_runs WHERE status = ?1 ORDER BY id"};
constexpr Sql kFinishRun{
    "finish raas run",
    "UPDATE raas_runs SET status = ?2, message = ?3, progress = ?4, total_records = ?5, "
    "finished_at = ?6, expires_at = ?7 WHERE id = ?1 AND status = 'running'"};
constexpr Sql kRequeueRun{
    "requeue raas run",
    "UPDATE raas_runs SET status = 'queued', message = ?2, progress = 0, started_at = NULL, "
    "attempts = MAX(attempts - ?3, 0) WHERE id = ?1 AND status = 'running'"};
constexpr Sql kCancelRun{
    "cancel raas run",
    "UPDATE raas_runs SET status = 'cancelled', message = ?2, finished_at = ?3, expires_at = ?4 "
    "WHERE id = ?1 AND status IN ('queued', 'running')"};
constexpr Sql kSelectExpiredRuns{
    "select expired raas runs",
    "SELECT id FROM raas_runs WHERE expires_at IS NOT NULL AND expires_at <= ?1 "
    "ORDER BY expires_at, id LIMIT ?2"};
constexpr Sql kSelectRunIdsByReport{"select raas run ids by report",
                                    "SELECT id FROM raas_runs WHERE report_id = ?1 ORDER BY id"};
constexpr Sql kDeleteRun{"delete raas run", "DELETE FROM raas_runs WHERE id = ?1"};

Result<RunRecord> readRun(const Query& q) {
  RunRecord r;
  r.id = q.integer(0);
  r.report_id = q.integer(1);
  r.user_id = q.integer(2);
  r.org_id = q.integer(3);
  r.params_hash = q.text(4);
  r.spec_json = q.text(5);
  KG_ASSIGN_OR_RETURN(r.status, parseRunStatus(q.text(6)));
  r.message = q.text(7);
  r.progress = q.integer(8);
  r.total_records = q.optionalInteger(9);
  r.attempts = static_cast<int>(q.integer(10));
  r.created_at = q.integer(11);
  r.started_at = q.optionalInteger(12);
  r.finished_at = q.optionalInteger(13);
  r.expires_at = q.optionalInteger(14);
  return r;
}

Result<Id> readId(const Query& q) {
  return q.integer(0);
}

// ---- cost centers ----

constexpr Sql kDeleteCostCenters{"delete raas cost centers",
                                 "DELETE FROM raas_cost_center_assignments WHERE user_id = ?1"};
constexpr Sql kInsertCostCenter{
    "insert raas cost center",
    "INSERT INTO raas_cost_center_assignments (user_id, cost_center, assigned_at) "
    "VALUES (?1, ?2, ?3)"};
constexpr Sql kSelectCostCenters{
    "select raas cost centers",
    "SELECT cost_center FROM raas_cost_center_assignments WHERE user_id = ?1 "
    "ORDER BY cost_center"};

Result<std::string> readText(const Query& q) {
  return q.text(0);
}

// ---- report rows ----

core::Error invalidQuery(std::string field, std::string message) {
  return core::fieldError(core::Errc::kInvalidParameter, std::move(field), std::move(message));
}

// Appends a scope fragment, turning its :org / :user markers into bound placeholders.
void appendScope(std::string& sql, std::vector<SqlValue>& binds, std::string_view fragment,
                 const RowScope& scope) {
  static constexpr std::string_view kOrg = ":org";
  static constexpr std::string_view kUser = ":user";
  while (!fragment.empty()) {
    const auto at = fragment.find(':');
    if (at == std::string_view::npos) {
      sql += fragment;
      return;
    }
    sql += fragment.substr(0, at);
    fragment.remove_prefix(at);
    if (fragment.starts_with(kOrg)) {
      sql += '?';
      binds.emplace_back(std::int64_t{scope.org_id});
      fragment.remove_prefix(kOrg.size());
    } else if (fragment.starts_with(kUser)) {
      sql += '?';
      // No user means no cost centers: the fragment then matches nothing.
      binds.emplace_back(std::int64_t{scope.cost_center_user_id.value_or(0)});
      fragment.remove_prefix(kUser.size());
    } else {
      sql += ':';
      fragment.remove_prefix(1);
    }
  }
}

std::string_view scopeFragment(const RaasSourceSql& source, const RowScope& scope) {
  switch (scope.org_type) {
    case core::OrgType::kSupplier:
      return source.supplier_scope;
    case core::OrgType::kClient:
      return scope.cost_center_user_id ? source.client_restricted_scope : source.client_scope;
    case core::OrgType::kMsp:
      break;
  }
  // An MSP organization owns no rows of these tables (docs/raas.md).
  return "0";
}

Status bindValue(sqlite3* db, sqlite3_stmt* stmt, int index, const SqlValue& value) {
  int rc = SQLITE_OK;
  if (const auto* i = std::get_if<std::int64_t>(&value)) {
    rc = sqlite3_bind_int64(stmt, index, *i);
  } else if (const auto* s = std::get_if<std::string>(&value)) {
    if (s->size() > static_cast<std::size_t>(std::numeric_limits<int>::max()))
      return storageError("raas row query: bound text too long");
    rc = sqlite3_bind_text(stmt, index, s->data(), static_cast<int>(s->size()), SQLITE_TRANSIENT);
  } else {
    rc = sqlite3_bind_null(stmt, index);
  }
  if (rc != SQLITE_OK) return sqliteError(db, rc, "raas row query (bind)");
  return core::ok();
}

// Prepares a one-off statement (not cached: every report makes different SQL) and binds.
Result<StatementHandle> prepareRowQuery(sqlite3* db, const BuiltRowQuery& built) {
  if (built.sql.size() > static_cast<std::size_t>(std::numeric_limits<int>::max()))
    return storageError("raas row query: statement too long");
  sqlite3_stmt* raw = nullptr;
  const int rc = sqlite3_prepare_v3(db, built.sql.data(), static_cast<int>(built.sql.size()), 0,
                                    &raw, nullptr);
  StatementHandle stmt(raw);
  if (rc != SQLITE_OK) return sqliteError(db, rc, "raas row query (prepare)");
  if (stmt == nullptr) return storageError("raas row query: empty statement");
  for (std::size_t i = 0; i < built.binds.size(); ++i)
    KG_TRY(bindValue(db, stmt.get(), static_cast<int>(i + 1), built.binds[i]));
  return stmt;
}

std::size_t expectedValues(FilterOp op) {
  switch (op) {
    case FilterOp::kBetween:
      return 2;
    case FilterOp::kIn:
      return 0;  // any number, at least one
    case FilterOp::kEq:
    case FilterOp::kGte:
    case FilterOp::kLte:
      break;
  }
  return 1;
}

}  // namespace

// ---- SqliteReportRepository ----

Result<Id> SqliteReportRepository::create(const ReportRecord& r) {
  KG_ASSIGN_OR_RETURN(auto q, db_.query(kInsertReport));
  q.bind(1, r.org_id)
      .bind(2, r.owner_user_id)
      .bind(3, r.name)
      .bind(4, r.description)
      .bind(5, r.source)
      .bind(6, r.columns_json)
      .bind(7, r.filters_json)
      .bind(8, r.sort_json)
      .bind(9, r.prompts_json)
      .bind(10, r.version)
      .bind(11, r.created_at)
      .bind(12, r.updated_at);
  KG_ASSIGN_OR_RETURN(const bool has_row, q.step());
  if (!has_row) return storageError("insert raas report: no id returned");
  return q.integer(0);
}

Result<std::optional<ReportRecord>> SqliteReportRepository::find(Id id) {
  KG_ASSIGN_OR_RETURN(auto q, db_.query(kSelectReport));
  q.bind(1, id);
  return fetchOne(q, readReport);
}

Result<std::vector<ReportRecord>> SqliteReportRepository::listAccessible(Id user_id) {
  KG_ASSIGN_OR_RETURN(auto q, db_.query(kSelectAccessibleReports));
  q.bind(1, user_id);
  return fetchAll(q, readReport);
}

Status SqliteReportRepository::update(const ReportRecord& r) {
  KG_ASSIGN_OR_RETURN(auto q, db_.query(kUpdateReport));
  q.bind(1, r.id)
      .bind(2, r.name)
      .bind(3, r.description)
      .bind(4, r.source)
      .bind(5, r.columns_json)
      .bind(6, r.filters_json)
      .bind(7, r.sort_json)
      .bind(8, r.prompts_json)
      .bind(9, r.version)
      .bind(10, r.updated_at);
  KG_ASSIGN_OR_RETURN(const auto changed, q.run());
  if (changed != 1) return core::makeError(core::Errc::kNotFound, "No such report.");
  return core::ok();
}

Status SqliteReportRepository::remove(Id id) {
  KG_ASSIGN_OR_RETURN(auto q, db_.query(kDeleteReport));
  q.bind(1, id);
  KG_TRY(q.run());
  return core::ok();
}

Status SqliteReportRepository::setShares(Id report_id, const std::vector<Id>& user_ids,
                                         Seconds at) {
  {
    KG_ASSIGN_OR_RETURN(auto q, db_.query(kDeleteShares));
    q.bind(1, report_id);
    KG_TRY(q.run());
  }
  for (const Id user_id : user_ids) {
    KG_ASSIGN_OR_RETURN(auto q, db_.query(kInsertShare));
    q.bind(1, report_id).bind(2, user_id).bind(3, at);
    KG_TRY(q.run());
  }
  return core::ok();
}

Result<std::vector<ReportShare>> SqliteReportRepository::listShares(Id report_id) {
  KG_ASSIGN_OR_RETURN(auto q, db_.query(kSelectShares));
  q.bind(1, report_id);
  return fetchAll(q, [](const Query& row) -> Result<ReportShare> {
    return ReportShare{row.integer(0), row.integer(1), row.integer(2)};
  });
}

Result<bool> SqliteReportRepository::isSharedWith(Id report_id, Id user_id) {
  KG_ASSIGN_OR_RETURN(auto q, db_.query(kSelectShared));
  q.bind(1, report_id).bind(2, user_id);
  KG_ASSIGN_OR_RETURN(const bool has_row, q.step());
  return has_row && q.integer(0) > 0;
}

// ---- SqliteReportRunRepository ----

Result<Id> SqliteReportRunRepository::create(const RunRecord& r) {
  KG_ASSIGN_OR_RETURN(auto q, db_.query(kInsertRun));
  q.bind(1, r.report_id)
      .bind(2, r.user_id)
      .bind(3, r.org_id)
      .bind(4, r.params_hash)
      .bind(5, r.spec_json)
      .bind(6, runStatusName(r.status))
      .bind(7, r.message)
      .bind(8, r.progress)
      .bind(9, r.total_records)
      .bind(10, std::int64_t{r.attempts})
      .bind(11, r.created_at)
      .bind(12, r.started_at)
      .bind(13, r.finished_at)
      .bind(14, r.expires_at);
  KG_ASSIGN_OR_RETURN(const bool has_row, q.step());
  if (!has_row) return storageError("insert raas run: no id returned");
  return q.integer(0);
}

Result<std::optional<RunRecord>> SqliteReportRunRepository::find(Id id) {
  KG_ASSIGN_OR_RETURN(auto q, db_.query(kSelectRun));
  q.bind(1, id);
  return fetchOne(q, readRun);
}

Result<std::optional<RunRecord>> SqliteReportRunRepository::findReusable(
    Id user_id, Id report_id, const std::string& params_hash, Seconds since) {
  KG_ASSIGN_OR_RETURN(auto q, db_.query(kSelectReusableRun));
  q.bind(1, user_id).bind(2, report_id).bind(3, params_hash).bind(4, since);
  return fetchOne(q, readRun);
}

Result<int> SqliteReportRunRepository::countActive(Id user_id) {
  KG_ASSIGN_OR_RETURN(auto q, db_.query(kCountActiveRuns));
  q.bind(1, user_id);
  KG_ASSIGN_OR_RETURN(const bool has_row, q.step());
  return has_row ? static_cast<int>(q.integer(0)) : 0;
}

Result<std::optional<RunRecord>> SqliteReportRunRepository::claimNext(Seconds now,
                                                                      int max_running_per_user) {
  std::optional<RunRecord> next;
  {
    KG_ASSIGN_OR_RETURN(auto q, db_.query(kSelectNextQueued));
    q.bind(1, std::int64_t{max_running_per_user});
    KG_ASSIGN_OR_RETURN(next, fetchOne(q, readRun));
  }
  if (!next) return next;
  KG_ASSIGN_OR_RETURN(auto mark, db_.query(kMarkRunning));
  mark.bind(1, next->id).bind(2, now);
  KG_ASSIGN_OR_RETURN(const auto changed, mark.run());
  if (changed != 1) return storageError("claim raas run: the queued row changed underneath");
  next->status = RunStatus::kRunning;
  next->started_at = now;
  next->attempts += 1;
  next->progress = 0;
  return next;
}

Result<std::vector<RunRecord>> SqliteReportRunRepository::listByStatus(RunStatus status) {
  KG_ASSIGN_OR_RETURN(auto q, db_.query(kSelectRunsByStatus));
  q.bind(1, runStatusName(status));
  return fetchAll(q, readRun);
}

Result<bool> SqliteReportRunRepository::finish(Id id, RunStatus status, const std::string& message,
                                               std::int64_t rows, Seconds now, Seconds expires_at) {
  KG_ASSIGN_OR_RETURN(auto q, db_.query(kFinishRun));
  const std::optional<std::int64_t> total =
      status == RunStatus::kCompleted ? std::optional<std::int64_t>(rows) : std::nullopt;
  q.bind(1, id)
      .bind(2, runStatusName(status))
      .bind(3, message)
      .bind(4, rows)
      .bind(5, total)
      .bind(6, now)
      .bind(7, expires_at);
  KG_ASSIGN_OR_RETURN(const auto changed, q.run());
  return changed == 1;
}

Status SqliteReportRunRepository::requeue(Id id, const std::string& message, bool refund_attempt) {
  KG_ASSIGN_OR_RETURN(auto q, db_.query(kRequeueRun));
  q.bind(1, id).bind(2, message).bind(3, std::int64_t{refund_attempt ? 1 : 0});
  KG_TRY(q.run());
  return core::ok();
}

Result<bool> SqliteReportRunRepository::cancel(Id id, const std::string& message, Seconds now,
                                               Seconds expires_at) {
  KG_ASSIGN_OR_RETURN(auto q, db_.query(kCancelRun));
  q.bind(1, id).bind(2, message).bind(3, now).bind(4, expires_at);
  KG_ASSIGN_OR_RETURN(const auto changed, q.run());
  return changed == 1;
}

Result<std::vector<Id>> SqliteReportRunRepository::listExpired(Seconds now, int limit) {
  KG_ASSIGN_OR_RETURN(auto q, db_.query(kSelectExpiredRuns));
  q.bind(1, now).bind(2, std::int64_t{limit});
  return fetchAll(q, readId);
}

Result<std::vector<Id>> SqliteReportRunRepository::listIdsByReport(Id report_id) {
  KG_ASSIGN_OR_RETURN(auto q, db_.query(kSelectRunIdsByReport));
  q.bind(1, report_id);
  return fetchAll(q, readId);
}

Status SqliteReportRunRepository::remove(Id id) {
  KG_ASSIGN_OR_RETURN(auto q, db_.query(kDeleteRun));
  q.bind(1, id);
  KG_TRY(q.run());
  return core::ok();
}

// ---- SqliteCostCenterRepository ----

Status SqliteCostCenterRepository::set(Id user_id, const std::vector<std::string>& cost_centers,
                                       Seconds at) {
  {
    KG_ASSIGN_OR_RETURN(auto q, db_.query(kDeleteCostCenters));
    q.bind(1, user_id);
    KG_TRY(q.run());
  }
  for (const auto& cost_center : cost_centers) {
    KG_ASSIGN_OR_RETURN(auto q, db_.query(kInsertCostCenter));
    q.bind(1, user_id).bind(2, cost_center).bind(3, at);
    KG_TRY(q.run());
  }
  return core::ok();
}

Result<std::vector<std::string>> SqliteCostCenterRepository::list(Id user_id) {
  KG_ASSIGN_OR_RETURN(auto q, db_.query(kSelectCostCenters));
  q.bind(1, user_id);
  return fetchAll(q, readText);
}

// ---- report rows ----

Result<BuiltRowQuery> buildRowQuery(const RowQuery& query, bool count_only) {
  const RaasSourceSql* source = findRaasSource(query.source);
  if (source == nullptr)
    return invalidQuery("source", "Unknown report source '" + query.source + "'.");
  if (!count_only && query.columns.empty())
    return invalidQuery("columns", "A report selects at least one column.");

  auto column = [&](const std::string& name, const char* field) -> Result<std::string_view> {
    const RaasColumnSql* c = findRaasColumn(*source, name);
    if (c == nullptr)
      return invalidQuery(field, "Unknown column '" + name + "' of source '" + query.source + "'.");
    return c->expr;
  };

  BuiltRowQuery built;
  std::string& sql = built.sql;
  sql.reserve(1024);
  sql += "SELECT ";
  if (count_only) {
    sql += "COUNT(*)";
    // Still resolve the columns, so count() and stream() reject the same queries.
    for (const auto& name : query.columns) KG_TRY(column(name, "columns"));
  } else {
    for (std::size_t i = 0; i < query.columns.size(); ++i) {
      KG_ASSIGN_OR_RETURN(const auto expr, column(query.columns[i], "columns"));
      if (i > 0) sql += ", ";
      sql += expr;
    }
  }
  sql += " FROM ";
  sql += source->from;
  // The organization scope comes first and is parenthesized on its own, so no filter can
  // widen it: every filter is one more AND-ed, parenthesized predicate.
  sql += " WHERE (";
  appendScope(sql, built.binds, scopeFragment(*source, query.scope), query.scope);
  sql += ")";
  for (const auto& filter : query.filters) {
    KG_ASSIGN_OR_RETURN(const auto expr, column(filter.column, "filters"));
    const std::size_t expected = expectedValues(filter.op);
    if ((expected == 0 && filter.values.empty()) ||
        (expected > 0 && filter.values.size() != expected))
      return invalidQuery("filters", "The filter on '" + filter.column + "' has no value.");
    sql += " AND (";
    sql += expr;
    switch (filter.op) {
      case FilterOp::kEq:
        sql += " = ?";
        break;
      case FilterOp::kGte:
        sql += " >= ?";
        break;
      case FilterOp::kLte:
        sql += " <= ?";
        break;
      case FilterOp::kBetween:
        sql += " BETWEEN ? AND ?";
        break;
      case FilterOp::kIn:
        sql += " IN (";
        for (std::size_t i = 0; i < filter.values.size(); ++i) sql += i == 0 ? "?" : ", ?";
        sql += ")";
        break;
    }
    sql += ")";
    for (const auto& value : filter.values) {
      if (std::holds_alternative<std::monostate>(value))
        return invalidQuery("filters", "The filter on '" + filter.column + "' has a null value.");
      built.binds.push_back(value);
    }
  }
  if (!count_only) {
    sql += " ORDER BY ";
    for (const auto& key : query.sort) {
      KG_ASSIGN_OR_RETURN(const auto expr, column(key.column, "sort"));
      sql += expr;
      sql += key.descending ? " DESC, " : " ASC, ";
    }
    sql += source->order;
  }
  return built;
}

Result<std::int64_t> SqliteReportDataRepository::count(const RowQuery& query) {
  KG_ASSIGN_OR_RETURN(const auto built, buildRowQuery(query, true));
  sqlite3* db = db_.handle();
  KG_ASSIGN_OR_RETURN(auto stmt, prepareRowQuery(db, built));
  const int rc = sqlite3_step(stmt.get());
  if (rc != SQLITE_ROW) return sqliteError(db, rc, "raas row count");
  return static_cast<std::int64_t>(sqlite3_column_int64(stmt.get(), 0));
}

Result<bool> SqliteReportDataRepository::stream(const RowQuery& query, RowSink& sink) {
  KG_ASSIGN_OR_RETURN(const auto built, buildRowQuery(query, false));
  sqlite3* db = db_.handle();
  KG_ASSIGN_OR_RETURN(auto stmt, prepareRowQuery(db, built));
  const int width = sqlite3_column_count(stmt.get());
  std::vector<Cell> cells(static_cast<std::size_t>(width));
  for (;;) {
    const int rc = sqlite3_step(stmt.get());
    if (rc == SQLITE_DONE) return true;
    if (rc != SQLITE_ROW) return sqliteError(db, rc, "raas row query (step)");
    for (int i = 0; i < width; ++i) {
      Cell& cell = cells[static_cast<std::size_t>(i)];
      cell = Cell{};
      switch (sqlite3_column_type(stmt.get(), i)) {
        case SQLITE_INTEGER:
          cell.kind = Cell::Kind::kInteger;
          cell.integer = sqlite3_column_int64(stmt.get(), i);
          break;
        case SQLITE_FLOAT:
          cell.kind = Cell::Kind::kReal;
          cell.real = sqlite3_column_double(stmt.get(), i);
          break;
        case SQLITE_TEXT:
        case SQLITE_BLOB: {
          // sqlite3_column_text before sqlite3_column_bytes, as the SQLite docs require.
          const auto* text = sqlite3_column_text(stmt.get(), i);
          const int size = sqlite3_column_bytes(stmt.get(), i);
          cell.kind = Cell::Kind::kText;
          if (text != nullptr && size > 0)
            cell.text = std::string_view(reinterpret_cast<const char*>(text),
                                         static_cast<std::size_t>(size));
          break;
        }
        default:
          break;
      }
    }
    if (!sink.row(cells)) return false;
  }
}

}  // namespace keygate::storage::sqlite
