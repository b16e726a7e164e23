// Repository interfaces of RaaS (DESIGN §4.1): saved reports and their shares, the run queue,
// cost-center assignments, and the streaming reader of report rows. The row reader knows
// sources and columns only by name; each implementation maps a name to its own whitelisted
// SQL and binds every value, so nothing a user typed ever becomes SQL text.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/error.h"
#include "core/model.h"

namespace keygate::storage {

using core::Id;
using core::Result;
using core::Seconds;
using core::Status;

// ---- reports ----

struct ReportRecord {
  Id id = 0;
  Id org_id = 0;
  Id owner_user_id = 0;
  std::string name;
  std::string description;
  std::string source;
  // JSON documents owned by services/raas; storage keeps them as they are.
  std::string columns_json = "[]";
  std::string filters_json = "[]";
  std::string sort_json = "[]";
  std::string prompts_json = "[]";
  std::int64_t version = 1;
  Seconds created_at = 0;
  Seconds updated_at = 0;
};

struct ReportShare {
  Id report_id = 0;
  Id user_id = 0;
  Seconds shared_at = 0;
};

class ReportRepository {
 public:
  virtual ~ReportRepository() = default;
  virtual Result<Id> create(const ReportRecord& report) = 0;
  virtual Result<std::optional<ReportRecord>> find(Id id) = 0;
  // Reports the user owns or that are shared with the user, ordered by id.
  virtual Result<std::vector<ReportRecord>> listAccessible(Id user_id) = 0;
  // Updates name, description, source, the JSON documents, version and updated_at.
  virtual Status update(const ReportRecord& report) = 0;
  // Removes the report with its shares and runs.
  virtual Status remove(Id id) = 0;
  // Replaces the report's shares with exactly these users.
  virtual Status setShares(Id report_id, const std::vector<Id>& user_ids, Seconds at) = 0;
  virtual Result<std::vector<ReportShare>> listShares(Id report_id) = 0;
  virtual Result<bool> isSharedWith(Id report_id, Id user_id) = 0;
};

// ---- runs ----

enum class RunStatus { kQueued, kRunning, kCompleted, kFailed, kCancelled };

struct RunRecord {
  Id id = 0;
  Id report_id = 0;
  Id user_id = 0;  // who requested it: its visibility applies, and only it reads the result
  Id org_id = 0;
  std::string params_hash;
  std::string spec_json;
  RunStatus status = RunStatus::kQueued;
  std::string message;
  std::int64_t progress = 0;
  std::optional<std::int64_t> total_records;
  int attempts = 0;
  Seconds created_at = 0;
  std::optional<Seconds> started_at;
  std::optional<Seconds> finished_at;
  std::optional<Seconds> expires_at;
};

class ReportRunRepository {
 public:
  virtual ~ReportRunRepository() = default;
  virtual Result<Id> create(const RunRecord& run) = 0;
  virtual Result<std::optional<RunRecord>> find(Id id) = 0;
  // The newest run of the same request (user, report, params hash) created at or after
  // `since` that is queued, running or completed.
  virtual Result<std::optional<RunRecord>> findReusable(Id user_id, Id report_id,
                                                        const std::string& params_hash,
                                                        Seconds since) = 0;
  // Queued plus running runs of a user.
  virtual Result<int> countActive(Id user_id) = 0;
  // Marks the oldest queued run whose user has fewer than `max_running_per_user` running
  // runs as running (started_at = now, attempts + 1) and returns it.
  virtual Result<std::optional<RunRecord>> claimNext(Seconds now, int max_running_per_user) = 0;
  // Every run in `status`, ordered by id.
  virtual Result<std::vector<RunRecord>> listByStatus(RunStatus status) = 0;
  // Ends a run that is still running (completed or failed). Returns false, changing nothing,
  // when it is no longer running (cancelled, or removed with its report, meanwhile).
  virtual Result<bool> finish(Id id, RunStatus status, const std::string& message,
                              std::int64_t rows, Seconds now, Seconds expires_at) = 0;
  // Puts an interrupted (running) run back in the queue. `refund_attempt` when the
  // interruption was a graceful stop, which should not count against the run.
  virtual Status requeue(Id id, const std::string& message, bool refund_attempt) = 0;
  // Cancels a queued or running run. Returns false when it had already ended.
  virtual Result<bool> cancel(Id id, const std::string& message, Seconds now,
                              Seconds expires_at) = 0;
  // Runs whose expires_at has passed, oldest first, at most `limit`.
  virtual Result<std::vector<Id>> listExpired(Seconds now, int limit) = 0;
  virtual Result<std::vector<Id>> listIdsByReport(Id report_id) = 0;
  virtual Status remove(Id id) = 0;
};

// ---- visibility assignments ----

class CostCenterRepository {
 public:
  virtual ~CostCenterRepository() = default;
  // Replaces the user's cost centers with exactly these.
  virtual Status set(Id user_id, const std::vector<std::string>& cost_centers, Seconds at) = 0;
  virtual Result<std::vector<std::string>> list(Id user_id) = 0;
};

// ---- report rows ----

// A value bound into a row query: NULL, an integer (ids, dates as unix seconds, money in
// minor units, quantities in hundredths) or text.
using SqlValue = std::variant<std::monostate, std::int64_t, std::string>;

enum class FilterOp { kEq, kIn, kGte, kLte, kBetween };

struct RowFilter {
  std::string column;
  FilterOp op = FilterOp::kEq;
  std::vector<SqlValue> values;  // one; a list for kIn; two (from, to) for kBetween
};

struct RowSort {
  std::string column;
  bool descending = false;
};

// Whose rows a query may read: always one organization's; for a client user without
// report_admin, only rows of the cost centers assigned to `cost_center_user_id`.
struct RowScope {
  Id org_id = 0;
  core::OrgType org_type = core::OrgType::kClient;
  std::optional<Id> cost_center_user_id;
};

struct RowQuery {
  std::string source;
  std::vector<std::string> columns;  // selected, in order
  std::vector<RowFilter> filters;    // all must hold
  std::vector<RowSort> sort;         // then the source's own stable order
  RowScope scope;
};

// One cell of a streamed row. `text` points into the reader's buffer: valid only during the
// RowSink call.
struct Cell {
  enum class Kind { kNull, kInteger, kReal, kText };
  Kind kind = Kind::kNull;
  std::int64_t integer = 0;
  double real = 0;
  std::string_view text;
};

class RowSink {
 public:
  virtual ~RowSink() = default;
  // One row, cells in the order of RowQuery::columns. Returning false stops the stream.
  virtual bool row(std::span<const Cell> cells) = 0;
};

class ReportDataRepository {
 public:
  virtual ~ReportDataRepository() = default;
  // kInvalidParameter naming the source or column when one is unknown to the implementation.
  virtual Result<std::int64_t> count(const RowQuery& query) = 0;
  // Streams the rows to `sink` one at a time; memory does not grow with the row count.
  // Returns false when the sink stopped the stream.
  virtual Result<bool> stream(const RowQuery& query, RowSink& sink) = 0;
};

struct RaasRepositories {
  ReportRepository& reports;
  ReportRunRepository& runs;
  CostCenterRepository& cost_centers;
  ReportDataRepository& data;
};

}  // namespace keygate::storage
