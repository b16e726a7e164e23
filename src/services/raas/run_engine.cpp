// The RaaS run engine (see run_engine.h).
#include "services/raas/run_engine.h"

#include <spdlog/spdlog.h>

#include <charconv>
#include <set>
#include <utility>

#include "services/raas/definition.h"
#include "services/raas/render.h"
#include "services/raas/result_file.h"

namespace keygate::services::raas {
namespace {

constexpr int kPurgeBatch = 500;

// The public reason of a failed run: the error's own message when it is meant for the user,
// a generic one (with the detail in the log) when it is not.
std::string failureMessage(const core::Error& error) {
  switch (error.code) {
    case core::Errc::kInternal:
    case core::Errc::kUnavailable:
      return "The report could not be run because of an internal error. Please try again.";
    default:
      return error.message;
  }
}

// "run-123.kgr" / "run-123.kgr.partial" → 123.
std::optional<core::Id> runIdOfFile(const std::string& name, bool& partial) {
  constexpr std::string_view kPrefix = "run-";
  constexpr std::string_view kSuffix = ".kgr";
  constexpr std::string_view kPartial = ".kgr.partial";
  std::string_view rest(name);
  if (!rest.starts_with(kPrefix)) return std::nullopt;
  rest.remove_prefix(kPrefix.size());
  partial = rest.ends_with(kPartial);
  if (partial) {
    rest.remove_suffix(kPartial.size());
  } else if (rest.ends_with(kSuffix)) {
    rest.remove_suffix(kSuffix.size());
  } else {
    return std::nullopt;
  }
  core::Id id = 0;
  const auto [end, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), id);
  if (ec != std::errc() || end != rest.data() + rest.size()) return std::nullopt;
  return id;
}

}  // namespace

// Receives the streamed rows of one run: renders and appends each to the result file, and
// stops the stream on a write error, an interruption, or too many rows.
class RunEngine::Sink final : public storage::RowSink {
 public:
  Sink(RunEngine& engine, core::Id run_id, Control& control,
       const std::vector<OutputColumn>& columns, ResultWriter& writer)
      : engine_(engine), run_id_(run_id), control_(control), encoder_(columns), writer_(writer) {}

  bool row(std::span<const storage::Cell> cells) override {
    auto appended = writer_.append(encoder_.encode(cells));
    if (!appended) {
      error_ = appended.error();
      return false;
    }
    ++rows_;
    control_.rows.store(rows_, std::memory_order_relaxed);
    if (engine_.observer_ && engine_.observe_every_ > 0 && rows_ % engine_.observe_every_ == 0)
      engine_.observer_(run_id_, rows_);
    return control_.stop.load(std::memory_order_relaxed) == static_cast<int>(Stop::kNone);
  }

  const std::optional<core::Error>& error() const { return error_; }

 private:
  RunEngine& engine_;
  core::Id run_id_;
  Control& control_;
  RowEncoder encoder_;
  ResultWriter& writer_;
  std::int64_t rows_ = 0;
  std::optional<core::Error> error_;
};

RunEngine::RunEngine(storage::Store& store, const core::Clock& clock, EngineOptions options)
    : store_(store), clock_(clock), options_(std::move(options)) {}

RunEngine::~RunEngine() {
  stop();
}

void RunEngine::setProgressObserver(std::function<void(core::Id, std::int64_t)> observer,
                                    std::int64_t every) {
  observer_ = std::move(observer);
  observe_every_ = every;
}

core::Status RunEngine::recover() {
  std::error_code ec;
  const bool created = std::filesystem::create_directories(options_.results_dir, ec);
  if (ec)
    return core::makeError(core::Errc::kInternal, "Cannot create the report results directory " +
                                                      options_.results_dir.string() + ": " +
                                                      ec.message());
  // Results hold the organization's data: private to the service account, like the database.
  if (created)
    std::filesystem::permissions(options_.results_dir, std::filesystem::perms::owner_all,
                                 std::filesystem::perm_options::replace, ec);

  const core::Seconds now = clock_.now();
  int requeued = 0, failed = 0;
  KG_TRY(store_.write([&](storage::Repositories& repos) -> core::Status {
    KG_ASSIGN_OR_RETURN(auto interrupted,
                        repos.raas.runs.listByStatus(storage::RunStatus::kRunning));
    for (const auto& run : interrupted) {
      if (run.attempts >= options_.max_attempts) {
        KG_TRY(repos.raas.runs.finish(run.id, storage::RunStatus::kFailed,
                                      "The run was interrupted by a server restart " +
                                          std::to_string(run.attempts) +
                                          " times and was given up. Request it again.",
                                      0, now, now + options_.retention));
        ++failed;
      } else {
        KG_TRY(repos.raas.runs.requeue(
            run.id, "Interrupted by a server restart; queued to run again.", false));
        ++requeued;
      }
    }
    return core::ok();
  }));
  if (requeued > 0 || failed > 0)
    spdlog::warn("raas: recovered interrupted report runs: {} queued again, {} failed", requeued,
                 failed);

  // A result file belongs to a completed run; anything else is a leftover of a crash or of a
  // purge that could not delete it.
  std::set<core::Id> completed;
  KG_TRY(store_.read([&](storage::Repositories& repos) -> core::Status {
    KG_ASSIGN_OR_RETURN(auto runs, repos.raas.runs.listByStatus(storage::RunStatus::kCompleted));
    for (const auto& run : runs) completed.insert(run.id);
    return core::ok();
  }));
  for (const auto& entry : std::filesystem::directory_iterator(options_.results_dir, ec)) {
    bool partial = false;
    const auto id = runIdOfFile(entry.path().filename().string(), partial);
    if (!id) continue;
    if (partial || !completed.contains(*id)) {
      std::error_code remove_ec;
      std::filesystem::remove(entry.path(), remove_ec);
    }
  }
  if (ec)
    return core::makeError(core::Errc::kInternal, "Cannot list the report results directory " +
                                                      options_.results_dir.string() + ": " +
                                                      ec.message());
  return core::ok();
}

void RunEngine::start() {
  std::lock_guard lock(mutex_);
  if (!workers_.empty()) return;
  stopping_ = false;
  for (int i = 0; i < options_.workers; ++i) workers_.emplace_back([this] { workerLoop(); });
}

void RunEngine::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  {
    std::lock_guard lock(active_mutex_);
    for (auto& [id, control] : active_) {
      int expected = static_cast<int>(Stop::kNone);
      control->stop.compare_exchange_strong(expected, static_cast<int>(Stop::kShutdown));
    }
  }
  std::vector<std::thread> workers;
  {
    std::lock_guard lock(mutex_);
    workers.swap(workers_);
  }
  for (auto& worker : workers)
    if (worker.joinable()) worker.join();
}

void RunEngine::wake() {
  {
    std::lock_guard lock(mutex_);
    ++generation_;
  }
  wake_.notify_all();
}

void RunEngine::workerLoop() {
  std::unique_lock lock(mutex_);
  std::uint64_t seen = generation_;
  while (!stopping_) {
    lock.unlock();
    bool worked = false;
    auto claimed = claimNext();
    if (!claimed) {
      spdlog::error("raas: taking a run from the queue failed: {}", claimed.error().detail);
    } else if (*claimed) {
      worked = true;
      if (auto executed = execute(**claimed); !executed)
        spdlog::error("raas: recording the outcome of run {} failed: {}", (*claimed)->id,
                      executed.error().detail);
      // A slot of this user is free again: a run of theirs waiting behind the limit may go.
      wake();
    }
    lock.lock();
    if (worked) continue;
    wake_.wait_for(lock, options_.poll_interval, [&] { return stopping_ || generation_ != seen; });
    seen = generation_;
  }
}

core::Result<std::optional<storage::RunRecord>> RunEngine::claimNext() {
  std::optional<storage::RunRecord> claimed;
  {
    // A stopped engine takes nothing: the run would only be interrupted and queued again.
    std::lock_guard lock(mutex_);
    if (stopping_) return claimed;
  }
  const core::Seconds now = clock_.now();
  KG_TRY(store_.write([&](storage::Repositories& repos) -> core::Status {
    KG_ASSIGN_OR_RETURN(claimed, repos.raas.runs.claimNext(now, options_.max_running_per_user));
    return core::ok();
  }));
  return claimed;
}

std::shared_ptr<RunEngine::Control> RunEngine::registerRun(core::Id run_id) {
  auto control = std::make_shared<Control>();
  std::lock_guard lock(active_mutex_);
  {
    std::lock_guard state(mutex_);
    if (stopping_) control->stop = static_cast<int>(Stop::kShutdown);
  }
  active_[run_id] = control;
  return control;
}

void RunEngine::unregisterRun(core::Id run_id) {
  std::lock_guard lock(active_mutex_);
  active_.erase(run_id);
}

void RunEngine::interrupt(core::Id run_id) {
  std::lock_guard lock(active_mutex_);
  if (auto it = active_.find(run_id); it != active_.end()) {
    int expected = static_cast<int>(Stop::kNone);
    it->second->stop.compare_exchange_strong(expected, static_cast<int>(Stop::kCancel));
  }
}

std::optional<LiveProgress> RunEngine::progress(core::Id run_id) const {
  std::lock_guard lock(active_mutex_);
  auto it = active_.find(run_id);
  if (it == active_.end()) return std::nullopt;
  LiveProgress live;
  const auto total = it->second->total.load();
  if (total >= 0) live.total = total;
  live.rows = it->second->rows.load();
  return live;
}

core::Result<std::int64_t> RunEngine::produce(const storage::RunRecord& run, Control& control) {
  KG_ASSIGN_OR_RETURN(const RunSpec spec, specFromJson(run.spec_json));

  // Visibility is the requesting account's, read now: a permission or cost-center change
  // made while the run waited in the queue applies to it.
  std::optional<core::User> user;
  std::optional<core::Organization> org;
  KG_TRY(store_.read([&](storage::Repositories& repos) -> core::Status {
    KG_ASSIGN_OR_RETURN(user, repos.users.findById(run.user_id));
    KG_ASSIGN_OR_RETURN(org, repos.organizations.findById(run.org_id));
    return core::ok();
  }));
  if (!user || !org || user->disabled || user->org_id != run.org_id)
    return core::makeError(core::Errc::kPermissionDenied,
                           "The account that requested this run is disabled or no longer exists.");
  storage::RowScope scope{org->id, org->type, std::nullopt};
  if (org->type == core::OrgType::kClient && !user->hasPermission(core::kPermReportAdmin))
    scope.cost_center_user_id = user->id;

  KG_ASSIGN_OR_RETURN(const RunPlan plan, planRun(spec, scope));
  KG_ASSIGN_OR_RETURN(auto writer, ResultWriter::create(resultPath(options_.results_dir, run.id),
                                                        plan.columns.size()));
  Sink sink(*this, run.id, control, plan.columns, writer);
  bool complete = false;
  auto streamed = store_.read([&](storage::Repositories& repos) -> core::Status {
    // Counted in the same snapshot as the rows, so the total matches what is written.
    KG_ASSIGN_OR_RETURN(const auto total, repos.raas.data.count(plan.query));
    if (total > options_.max_rows)
      return core::makeError(core::Errc::kValidationFailed,
                             "The report has " + withThousands(total) + " rows, more than the " +
                                 withThousands(options_.max_rows) +
                                 " a run may return. Add filters or prompts to narrow it.");
    control.total.store(total);
    KG_ASSIGN_OR_RETURN(complete, repos.raas.data.stream(plan.query, sink));
    return core::ok();
  });
  if (sink.error()) return *sink.error();
  KG_TRY(streamed);
  if (!complete) return std::int64_t{-1};  // interrupted: the caller knows why
  KG_TRY(writer.commit());
  return writer.rows();
}

core::Status RunEngine::execute(const storage::RunRecord& run) {
  auto control = registerRun(run.id);
  auto produced = produce(run, *control);
  const auto stop = static_cast<Stop>(control->stop.load());
  unregisterRun(run.id);
  // An interruption that came after the last row changes nothing: the run is recorded as it
  // ended (and a cancelled row is simply not overwritten).
  const bool interrupted = stop != Stop::kNone && (!produced || *produced < 0);

  if (interrupted && stop == Stop::kCancel) {
    // The row already says cancelled (or is gone with its report); the writer removed the
    // partial file.
    removeResult(options_.results_dir, run.id);
    return core::ok();
  }
  if (interrupted && stop == Stop::kShutdown) {
    removeResult(options_.results_dir, run.id);
    return store_.write([&](storage::Repositories& repos) -> core::Status {
      return repos.raas.runs.requeue(
          run.id, "Interrupted by a server shutdown; queued to run again.", true);
    });
  }

  const core::Seconds now = clock_.now();
  const core::Seconds expires_at = now + options_.retention;
  bool recorded = false;
  if (!produced) {
    const auto& error = produced.error();
    if (error.code == core::Errc::kInternal || error.code == core::Errc::kUnavailable)
      spdlog::error("raas: run {} of report {} failed: {}", run.id, run.report_id, error.detail);
    removeResult(options_.results_dir, run.id);
    KG_TRY(store_.write([&](storage::Repositories& repos) -> core::Status {
      KG_ASSIGN_OR_RETURN(recorded,
                          repos.raas.runs.finish(run.id, storage::RunStatus::kFailed,
                                                 failureMessage(error), 0, now, expires_at));
      return core::ok();
    }));
    return core::ok();
  }
  const std::int64_t rows = *produced;
  KG_TRY(store_.write([&](storage::Repositories& repos) -> core::Status {
    KG_ASSIGN_OR_RETURN(recorded, repos.raas.runs.finish(run.id, storage::RunStatus::kCompleted, "",
                                                         rows, now, expires_at));
    return core::ok();
  }));
  // Cancelled, or removed with its report, after the last row: nobody will read this result.
  if (!recorded) removeResult(options_.results_dir, run.id);
  return core::ok();
}

core::Result<int> RunEngine::purgeExpired() {
  int purged = 0;
  for (;;) {
    std::vector<core::Id> expired;
    const core::Seconds now = clock_.now();
    KG_TRY(store_.write([&](storage::Repositories& repos) -> core::Status {
      KG_ASSIGN_OR_RETURN(expired, repos.raas.runs.listExpired(now, kPurgeBatch));
      for (const auto id : expired) KG_TRY(repos.raas.runs.remove(id));
      return core::ok();
    }));
    // Files go after the rows: a crash in between leaves files recover() removes, never a
    // completed run without its file.
    for (const auto id : expired) removeResult(options_.results_dir, id);
    purged += static_cast<int>(expired.size());
    if (expired.size() < static_cast<std::size_t>(kPurgeBatch)) return purged;
  }
}

}  // namespace keygate::services::raas
