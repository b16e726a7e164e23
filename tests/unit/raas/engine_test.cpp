// The run engine and the run requests: every state of a run with the fake clock (Queued,
// Running with progress, Completed, Failed, purged after 24 hours), the 15-minute dedup, the
// per-user limits, cancellation, restarts with queued and interrupted runs, and sharing.
#include <gmock/gmock.h>

#include <chrono>
#include <fstream>
#include <future>
#include <thread>

#include "raas_fixture.h"
#include "services/raas/result_file.h"

namespace keygate::testing {
namespace {

using ::testing::HasSubstr;

class EngineTest : public RaasFixture {
 protected:
  core::Id hoursReport(core::Id owner = kAlice) {
    auto d = definition("timecard_lines", {"timecard_id", "line_number", "hours"});
    d.prompts.push_back({"fromDate", "From", "work_date", raas::FilterOp::kGte, false, {}});
    return createReport(owner, d);
  }

  bool resultExists(core::Id run) {
    return std::filesystem::exists(raas::resultPath(dir_ / "raas", run));
  }
};

TEST_F(EngineTest, RunGoesThroughEveryStateWithTheFakeClock) {
  const auto report = hoursReport();
  const auto run = request(kAlice, report);

  auto queued = status(kAlice, report, run);
  EXPECT_EQ(queued.status, raas::PublicStatus::kQueued);
  EXPECT_EQ(raas::toString(queued.status), "Queued");
  EXPECT_EQ(queued.total_records, 0);

  auto claimed = engine_->claimNext();
  ASSERT_TRUE(claimed && *claimed);
  EXPECT_EQ((*claimed)->id, run);
  auto running = status(kAlice, report, run);
  EXPECT_EQ(raas::toString(running.status), "Running");

  // While the rows stream, another thread asks for the status, as a client polling would.
  std::optional<raas::RunView> midway;
  engine_->setProgressObserver(
      [&](core::Id, std::int64_t rows) {
        if (rows != 5) return;
        midway = std::async(std::launch::async, [&] { return status(kAlice, report, run); }).get();
      },
      5);
  ASSERT_TRUE(engine_->execute(**claimed));
  ASSERT_TRUE(midway);
  EXPECT_EQ(midway->status, raas::PublicStatus::kRunning);
  EXPECT_EQ(midway->progress, 5);
  EXPECT_EQ(midway->total_records, 18);
  EXPECT_THAT(midway->message, HasSubstr("5 of 18 rows"));

  const core::Seconds finished = clock_.now();
  auto completed = status(kAlice, report, run);
  EXPECT_EQ(raas::toString(completed.status), "Completed");
  EXPECT_EQ(completed.total_records, 18);
  ASSERT_TRUE(completed.run.expires_at);
  EXPECT_EQ(*completed.run.expires_at, finished + 24 * 3600);
  EXPECT_EQ(rows(kAlice, report, run).size(), 18u);

  // Kept for 24 hours…
  clock_.advance(24 * 3600 - 1);
  EXPECT_EQ(status(kAlice, report, run).status, raas::PublicStatus::kCompleted);
  ASSERT_TRUE(engine_->purgeExpired());
  EXPECT_TRUE(resultExists(run));
  // …then gone: at once for the API, and from disk and database at the next purge.
  clock_.advance(1);
  auto expired = service_->runStatus(requester(kAlice), report, run);
  ASSERT_FALSE(expired);
  EXPECT_EQ(expired.error().code, core::Errc::kNotFound);
  EXPECT_THAT(expired.error().message, HasSubstr("expired"));
  auto purged = engine_->purgeExpired();
  ASSERT_TRUE(purged);
  EXPECT_EQ(*purged, 1);
  EXPECT_FALSE(resultExists(run));
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM raas_runs"), 0);
}

TEST_F(EngineTest, FailedRunCarriesItsReasonAndExpiresToo) {
  const auto report = hoursReport();
  const auto run = request(kAlice, report);
  exec("UPDATE users SET disabled = 1 WHERE id = 1");
  EXPECT_EQ(drain(), 1);
  auto failed = status(kAlice, report, run);
  EXPECT_EQ(raas::toString(failed.status), "Failed");
  EXPECT_THAT(failed.message, HasSubstr("disabled"));
  EXPECT_FALSE(resultExists(run));
  auto page = service_->readPage(requester(kAlice), report, run, 1, 10, raas::PageFormat::kJson);
  ASSERT_FALSE(page);
  EXPECT_EQ(page.error().code, core::Errc::kConflict);

  clock_.advance(24 * 3600);
  EXPECT_EQ(*engine_->purgeExpired(), 1);
}

TEST_F(EngineTest, IdenticalRequestWithinFifteenMinutesReturnsTheSameRun) {
  const auto report = hoursReport();
  const auto first = request(kAlice, report);
  auto again = service_->requestRun(requester(kAlice), report, {});
  ASSERT_TRUE(again);
  EXPECT_TRUE(again->reused);
  EXPECT_EQ(again->run_id, first);

  // Different prompt values are a different request.
  const auto other = request(kAlice, report, {{"fromDate", {"2026-01-07"}}});
  EXPECT_NE(other, first);
  EXPECT_EQ(request(kAlice, report, {{"FROMDATE", {"2026-01-07"}}}), other);

  // Still the same once completed, until 15 minutes have passed.
  drain();
  clock_.advance(15 * 60);
  EXPECT_EQ(request(kAlice, report), first);
  clock_.advance(1);
  EXPECT_NE(request(kAlice, report), first);
}

TEST_F(EngineTest, EditingTheReportOrAnotherUserMakesANewRun) {
  const auto report = hoursReport();
  const auto first = request(kAlice, report);
  auto d = definition("timecard_lines", {"timecard_id", "line_number", "hours"});
  d.columns[2].display_name = "Worked";
  ASSERT_TRUE(service_->updateReport(requester(kAlice), report, d));
  EXPECT_NE(request(kAlice, report), first);

  ASSERT_TRUE(service_->shareReport(requester(kAlice), report, {"erin"}));
  EXPECT_NE(request(kErin, report), first);
}

TEST_F(EngineTest, FailedOrCancelledRunsAreNotReused) {
  const auto report = hoursReport();
  const auto first = request(kAlice, report);
  ASSERT_TRUE(service_->cancelRun(requester(kAlice), report, first));
  EXPECT_NE(request(kAlice, report), first);
}

TEST_F(EngineTest, OneUserRunsOneReportAtATimeWhileOthersProceed) {
  const auto report = hoursReport();
  const auto bob_report = createReport(kBob, definition("workers", {"id"}));
  const auto a1 = request(kAlice, report);
  const auto a2 = request(kAlice, report, {{"fromDate", {"2026-01-06"}}});
  const auto b1 = request(kBob, bob_report);

  auto first = engine_->claimNext();
  ASSERT_TRUE(first && *first);
  EXPECT_EQ((*first)->id, a1);
  // Alice's second run waits behind her first; Bob's goes ahead of it.
  auto second = engine_->claimNext();
  ASSERT_TRUE(second && *second);
  EXPECT_EQ((*second)->id, b1);
  auto none = engine_->claimNext();
  ASSERT_TRUE(none);
  EXPECT_FALSE(*none);
  EXPECT_EQ(status(kAlice, report, a2).status, raas::PublicStatus::kQueued);

  ASSERT_TRUE(engine_->execute(**first));
  auto third = engine_->claimNext();
  ASSERT_TRUE(third && *third);
  EXPECT_EQ((*third)->id, a2);
}

class LimitedEngineTest : public EngineTest {
 protected:
  raas::ServiceOptions serviceOptions() override {
    raas::ServiceOptions options;
    options.max_active_per_user = 2;
    return options;
  }
  raas::EngineOptions engineOptions() override {
    auto options = EngineTest::engineOptions();
    options.max_rows = 10;
    return options;
  }
};

TEST_F(LimitedEngineTest, TooManyActiveRunsIsRateLimited) {
  const auto report = hoursReport();
  request(kAlice, report, {{"fromDate", {"2026-01-05"}}});
  request(kAlice, report, {{"fromDate", {"2026-01-06"}}});
  auto third = service_->requestRun(requester(kAlice), report, {{"fromDate", {"2026-01-07"}}});
  ASSERT_FALSE(third);
  EXPECT_EQ(third.error().code, core::Errc::kRateLimited);
  ASSERT_TRUE(third.error().retry_after_seconds);
  // Another user is not affected, and a finished run frees a slot.
  request(kBob, createReport(kBob, definition("workers", {"id"})));
  drain();
  EXPECT_TRUE(service_->requestRun(requester(kAlice), report, {{"fromDate", {"2026-01-07"}}}));
}

TEST_F(LimitedEngineTest, AReportAboveTheRowLimitFailsWithAMessage) {
  const auto report = hoursReport();
  const auto run = request(kAlice, report);  // 18 rows, the limit is 10
  drain();
  auto failed = status(kAlice, report, run);
  EXPECT_EQ(failed.status, raas::PublicStatus::kFailed);
  EXPECT_THAT(failed.message, HasSubstr("18 rows, more than the 10"));
  EXPECT_FALSE(resultExists(run));
}

TEST_F(EngineTest, CancelsQueuedAndRunningRuns) {
  const auto report = hoursReport();
  const auto queued = request(kAlice, report);
  auto cancelled = service_->cancelRun(requester(kAlice), report, queued);
  ASSERT_TRUE(cancelled);
  EXPECT_EQ(cancelled->status, raas::PublicStatus::kFailed);
  EXPECT_THAT(cancelled->message, HasSubstr("Cancelled"));
  EXPECT_EQ(drain(), 0);

  const auto running = request(kAlice, report);
  engine_->setProgressObserver(
      [&](core::Id, std::int64_t) {
        auto result = std::async(std::launch::async, [&] {
                        return service_->cancelRun(requester(kAlice), report, running);
                      }).get();
        EXPECT_TRUE(result);
      },
      3);
  EXPECT_EQ(drain(), 1);
  auto view = status(kAlice, report, running);
  EXPECT_EQ(view.status, raas::PublicStatus::kFailed);
  EXPECT_THAT(view.message, HasSubstr("Cancelled"));
  EXPECT_FALSE(resultExists(running));
  EXPECT_TRUE(std::filesystem::is_empty(dir_ / "raas"));

  const auto done = request(kAlice, report, {{"fromDate", {"2026-01-06"}}});
  engine_->setProgressObserver(nullptr, 0);
  drain();
  auto late = service_->cancelRun(requester(kAlice), report, done);
  ASSERT_FALSE(late);
  EXPECT_EQ(late.error().code, core::Errc::kConflict);
}

// The engine of the restarted process runs its own worker threads.
class WorkerPoolTest : public EngineTest {
 protected:
  raas::EngineOptions engineOptions() override {
    auto options = EngineTest::engineOptions();
    options.workers = 2;
    return options;
  }
};

TEST_F(WorkerPoolTest, QueuedRunsSurviveARestart) {
  const auto report = hoursReport();
  const auto bob_report = createReport(kBob, definition("timecard_lines", {"hours"}));
  const auto a1 = request(kAlice, report);
  const auto a2 = request(kAlice, report, {{"fromDate", {"2026-01-12"}}});
  const auto b1 = request(kBob, bob_report);

  reopen();
  for (const auto run : {a1, a2})
    EXPECT_EQ(status(kAlice, report, run).status, raas::PublicStatus::kQueued);
  // The restarted engine's own workers pick the queue up.
  engine_->start();
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  const auto done = [&] {
    return status(kAlice, report, a1).status == raas::PublicStatus::kCompleted &&
           status(kAlice, report, a2).status == raas::PublicStatus::kCompleted &&
           status(kBob, bob_report, b1).status == raas::PublicStatus::kCompleted;
  };
  while (!done() && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  engine_->stop();
  ASSERT_TRUE(done());
  EXPECT_EQ(rows(kAlice, report, a1).size(), 18u);
  EXPECT_EQ(rows(kAlice, report, a2).size(), 9u);  // the second week only
  EXPECT_EQ(rows(kBob, bob_report, b1).size(), 6u);
}

TEST_F(EngineTest, AnInterruptedRunRestartsAndFailsAfterTooManyAttempts) {
  const auto report = hoursReport();
  const auto run = request(kAlice, report);
  for (int attempt = 1; attempt <= 2; ++attempt) {
    auto claimed = engine_->claimNext();
    ASSERT_TRUE(claimed && *claimed);
    reopen();  // a crash while it ran
    auto view = status(kAlice, report, run);
    EXPECT_EQ(view.status, raas::PublicStatus::kQueued);
    EXPECT_THAT(view.message, HasSubstr("Interrupted by a server restart"));
  }
  // A third interruption is one too many.
  ASSERT_TRUE(engine_->claimNext());
  reopen();
  auto view = status(kAlice, report, run);
  EXPECT_EQ(view.status, raas::PublicStatus::kFailed);
  EXPECT_THAT(view.message, HasSubstr("interrupted by a server restart 3 times"));

  // One crash only: it completes on the next attempt.
  const auto other = request(kAlice, report, {{"fromDate", {"2026-01-06"}}});
  ASSERT_TRUE(engine_->claimNext());
  reopen();
  EXPECT_EQ(drain(), 1);
  EXPECT_EQ(status(kAlice, report, other).status, raas::PublicStatus::kCompleted);
}

TEST_F(EngineTest, RecoveryRemovesLeftoverResultFiles) {
  const auto report = hoursReport();
  const auto run = request(kAlice, report);
  drain();
  std::ofstream(raas::resultPath(dir_ / "raas", 999)) << "orphan";
  std::ofstream(raas::resultPath(dir_ / "raas", 1000).string() + ".partial") << "partial";
  reopen();
  EXPECT_TRUE(resultExists(run));
  EXPECT_FALSE(resultExists(999));
  EXPECT_FALSE(
      std::filesystem::exists(raas::resultPath(dir_ / "raas", 1000).string() + ".partial"));
}

TEST_F(EngineTest, AGracefulStopPutsTheRunBackWithoutCountingTheAttempt) {
  const auto report = hoursReport();
  const auto run = request(kAlice, report);
  engine_->setProgressObserver([&](core::Id, std::int64_t) { engine_->stop(); }, 4);
  EXPECT_EQ(drain(), 1);
  auto view = status(kAlice, report, run);
  EXPECT_EQ(view.status, raas::PublicStatus::kQueued);
  EXPECT_THAT(view.message, HasSubstr("shutdown"));
  EXPECT_EQ(scalar("SELECT attempts FROM raas_runs"), 0);
  EXPECT_FALSE(resultExists(run));
  reopen();
  EXPECT_EQ(drain(), 1);
  EXPECT_EQ(status(kAlice, report, run).status, raas::PublicStatus::kCompleted);
}

TEST_F(EngineTest, OnlyTheOwnerAndSharedUsersReachAReport) {
  const auto report = hoursReport();
  // Erin is in Alice's organization but the report is not shared with her yet.
  auto denied = service_->requestRun(requester(kErin), report, {});
  ASSERT_FALSE(denied);
  EXPECT_EQ(denied.error().code, core::Errc::kNotFound);
  // Bob's organization: he cannot be given a share, nor reach it.
  auto foreign = service_->shareReport(requester(kAlice), report, {"bob"});
  ASSERT_FALSE(foreign);
  EXPECT_EQ(foreign.error().code, core::Errc::kValidationFailed);
  EXPECT_FALSE(service_->getReport(requester(kBob), report));

  auto shared = service_->shareReport(requester(kAlice), report, {"erin"});
  ASSERT_TRUE(shared);
  ASSERT_EQ(shared->shared_with.size(), 1u);
  EXPECT_EQ(shared->shared_with[0].username, "erin");
  const auto erin_run = request(kErin, report);
  drain();
  EXPECT_EQ(rows(kErin, report, erin_run).size(), 18u);
  // A run belongs to whoever requested it.
  EXPECT_FALSE(service_->runStatus(requester(kAlice), report, erin_run));
  // A shared user may run but not change or delete the report.
  auto edit = service_->updateReport(requester(kErin), report, definition("workers", {"id"}));
  ASSERT_FALSE(edit);
  EXPECT_EQ(edit.error().code, core::Errc::kPermissionDenied);
  EXPECT_FALSE(service_->deleteReport(requester(kErin), report));

  // Unshared: her runs of it are out of reach too.
  ASSERT_TRUE(service_->shareReport(requester(kAlice), report, {}));
  EXPECT_FALSE(service_->runStatus(requester(kErin), report, erin_run));
  auto lists = service_->listReports(requester(kErin));
  ASSERT_TRUE(lists);
  EXPECT_TRUE(lists->empty());
}

TEST_F(EngineTest, DeletingAReportRemovesItsRunsAndResults) {
  const auto report = hoursReport();
  const auto run = request(kAlice, report);
  drain();
  ASSERT_TRUE(resultExists(run));
  ASSERT_TRUE(service_->deleteReport(requester(kAlice), report));
  EXPECT_FALSE(resultExists(run));
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM raas_runs"), 0);
  EXPECT_FALSE(service_->getReport(requester(kAlice), report));
}

}  // namespace
}  // namespace keygate::testing
