// The RaaS run engine (DESIGN §4.1): a bounded pool of worker threads that take runs from the
// queue in the database, stream each report's rows from a read snapshot into a result file,
// and record the outcome. The queue lives in the database, so it survives a restart: at
// start-up, recover() puts runs a crash left running back in the queue (or fails them after
// too many attempts), and a graceful stop() puts the runs it interrupts back as well.
// Results are kept for `retention` and then purged with their run.
//
// Every step is also callable on its own (claimNext, execute, purgeExpired), so tests drive
// a run through each state with a FakeClock and no threads.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "core/clock.h"
#include "core/error.h"
#include "storage/raas_repositories.h"
#include "storage/repositories.h"

namespace keygate::services::raas {

struct EngineOptions {
  std::filesystem::path results_dir;
  int workers = 2;
  // Runs of one user executing at the same time; the others of that user wait in the queue.
  int max_running_per_user = 1;
  core::Seconds retention = 24 * 3600;
  // Executions a crash may interrupt before the run fails instead of being queued again.
  int max_attempts = 3;
  // Reports larger than this fail with a message asking for filters.
  std::int64_t max_rows = 10'000'000;
  // How often idle workers look at the queue without being woken (other nodes may enqueue).
  std::chrono::milliseconds poll_interval{2000};
};

// What an executing run has done so far (in memory, on the node that executes it).
struct LiveProgress {
  std::optional<std::int64_t> total;  // known once the rows are counted
  std::int64_t rows = 0;              // written so far
};

class RunEngine {
 public:
  RunEngine(storage::Store& store, const core::Clock& clock, EngineOptions options);
  ~RunEngine();
  RunEngine(const RunEngine&) = delete;
  RunEngine& operator=(const RunEngine&) = delete;

  // Start-up, before start(): creates the results directory, re-queues (or fails) runs left
  // running by a crash, and removes result files no completed run owns.
  core::Status recover();
  void start();
  // Graceful: interrupts executing runs, which go back to the queue, and joins the workers.
  void stop();
  // A run was queued or a slot freed: idle workers look at the queue now.
  void wake();

  // One worker step: marks the next eligible queued run running and returns it.
  core::Result<std::optional<storage::RunRecord>> claimNext();
  // Executes a claimed run to its end (completed, failed, or interrupted). Errors of the run
  // itself are recorded on the run; the returned error is only for failing to record that.
  core::Status execute(const storage::RunRecord& run);
  // Removes runs (and their results) whose retention ended. Returns how many.
  core::Result<int> purgeExpired();

  // Stops a run executing on this node whose row was cancelled or removed.
  void interrupt(core::Id run_id);
  std::optional<LiveProgress> progress(core::Id run_id) const;
  const EngineOptions& options() const { return options_; }

  // Test hook: called on the executing thread every `every` rows.
  void setProgressObserver(std::function<void(core::Id run_id, std::int64_t rows)> observer,
                           std::int64_t every);

 private:
  enum class Stop { kNone = 0, kCancel = 1, kShutdown = 2 };
  struct Control {
    std::atomic<int> stop{0};
    std::atomic<std::int64_t> total{-1};
    std::atomic<std::int64_t> rows{0};
  };
  class Sink;

  // Streams the run's rows into its result file: the number of rows, -1 when interrupted, or
  // the run's error.
  core::Result<std::int64_t> produce(const storage::RunRecord& run, Control& control);
  std::shared_ptr<Control> registerRun(core::Id run_id);
  void unregisterRun(core::Id run_id);
  void workerLoop();

  storage::Store& store_;
  const core::Clock& clock_;
  EngineOptions options_;
  std::function<void(core::Id, std::int64_t)> observer_;
  std::int64_t observe_every_ = 0;

  mutable std::mutex active_mutex_;
  std::map<core::Id, std::shared_ptr<Control>> active_;

  std::mutex mutex_;
  std::condition_variable wake_;
  std::uint64_t generation_ = 0;
  bool stopping_ = false;
  std::vector<std::thread> workers_;
};

}  // namespace keygate::services::raas
