// The Supplier API services against a real SQLite database in memory and a fake clock:
// timecards through their state machine with the billing items a VMS creates, workers with
// merge-patch semantics, candidate insights stored and read back, paging and filters, and
// tenant isolation at the service boundary (another organization's ids are "not found").
#include <gtest/gtest.h>

#include <stdexcept>

#include "core/key_rules.h"
#include "services/supplier/candidate_insights.h"
#include "services/supplier/supplier_reads.h"
#include "services/supplier/timecards.h"
#include "services/supplier/workers.h"
#include "storage/sqlite/sqlite_store.h"
#include "storage/supplier_repositories.h"

namespace keygate::services::supplier {
namespace {

using core::Errc;
using core::Id;
using core::Seconds;

const Seconds kMonday = *core::parseDate("2025-06-09");
const Seconds kSunday = kMonday + 6 * core::kSecondsPerDay;
constexpr Seconds kDay = core::kSecondsPerDay;

std::unique_ptr<storage::sqlite::SqliteStore> openStore() {
  storage::sqlite::SqliteStore::Options options;
  options.migrate = true;
  auto opened = storage::sqlite::SqliteStore::open(":memory:", options);
  if (!opened) throw std::runtime_error(opened.error().detail);
  return std::move(*opened);
}

class SupplierServicesTest : public ::testing::Test {
 protected:
  SupplierServicesTest() : clock(kSunday + 30 * kDay), store(openStore()) {
    acme = org("Acme Staffing", core::OrgType::kSupplier);
    northwind = org("Northwind Talent", core::OrgType::kSupplier);
    globex = org("Globex", core::OrgType::kClient);
    engagement = makeEngagement(acme, "ACME-1");
    other_engagement = makeEngagement(northwind, "NW-1");
  }

  Id org(const std::string& name, core::OrgType type) {
    Id id = 0;
    EXPECT_TRUE(store->write([&](storage::Repositories& r) -> core::Status {
      core::Organization o;
      o.name = name;
      o.type = type;
      o.key_lifetime_days = 90;
      KG_ASSIGN_OR_RETURN(id, r.organizations.create(o));
      return core::ok();
    }));
    return id;
  }

  core::Engagement makeEngagement(Id supplier, const std::string& number) {
    core::Engagement e;
    EXPECT_TRUE(store->write([&](storage::Repositories& r) -> core::Status {
      core::Agreement a;
      a.supplier_org_id = supplier;
      a.client_org_id = globex;
      a.number = "MSA-" + number;
      KG_ASSIGN_OR_RETURN(a.id, r.supplier.agreements.create(a));
      core::Worker w;
      w.supplier_org_id = supplier;
      w.external_id = "W-" + number;
      w.first_name = "Jordan";
      w.last_name = "Rivera";
      KG_ASSIGN_OR_RETURN(w.id, r.supplier.workers.create(w));
      e.supplier_org_id = supplier;
      e.client_org_id = globex;
      e.agreement_id = a.id;
      e.worker_id = w.id;
      e.number = number;
      e.title = "Backend Engineer";
      e.start_date = kMonday - 14 * kDay;
      e.rates.straight = 11000;
      e.rates.overtime = 16500;
      KG_ASSIGN_OR_RETURN(e.id, r.supplier.engagements.create(e));
      return core::ok();
    }));
    return e;
  }

  std::vector<core::TimecardEntry> week(core::Hundredths hours_per_day) {
    std::vector<core::TimecardEntry> out;
    for (int d = 0; d < 5; ++d)
      out.push_back({kMonday + d * kDay, core::RateType::kStraight, hours_per_day, {}, {}});
    return out;
  }

  std::vector<core::BillingItem> itemsOf(Id org_id, Id timecard_id) {
    storage::BillingItemFilter f;
    auto page = reads.listBillingItems(org_id, f, {0, 1000});
    EXPECT_TRUE(page);
    std::vector<core::BillingItem> out;
    for (auto& b : page->items)
      if (b.timecard_id == timecard_id) out.push_back(b);
    return out;
  }

  std::int64_t count(const std::string& what) {
    std::int64_t n = 0;
    EXPECT_TRUE(store->read([&](storage::Repositories& r) -> core::Status {
      if (what == "timecards") {
        KG_ASSIGN_OR_RETURN(auto p, r.supplier.timecards.list(acme, {}, {0, 1}));
        n = p.total;
      } else if (what == "billing") {
        KG_ASSIGN_OR_RETURN(auto p, r.supplier.billing_items.list(acme, {}, {0, 1}));
        n = p.total;
      }
      return core::ok();
    }));
    return n;
  }

  core::FakeClock clock;
  std::unique_ptr<storage::sqlite::SqliteStore> store;
  Id acme = 0, northwind = 0, globex = 0;
  core::Engagement engagement, other_engagement;
  SupplierReadService reads{*store};
  TimecardService timecards{*store, clock};
  WorkerService workers{*store, clock};
  CandidateInsightService insights{*store, clock};
};

TEST_F(SupplierServicesTest, ATimecardGoesThroughItsLifeAndSubmittingCreatesBillingItems) {
  auto entries = week(800);
  entries.push_back({kMonday + 3 * kDay, core::RateType::kOvertime, 150, {}, {}});
  auto created = timecards.create(acme, {engagement.id, kSunday, entries});
  ASSERT_TRUE(created) << created.error().message;
  const Id id = created->timecard.id;
  EXPECT_EQ(created->timecard.status, core::TimecardStatus::kDraft);
  EXPECT_EQ(created->timecard.total_hours, 4150);
  EXPECT_EQ(created->timecard.total_amount, 440000 + 24750);  // 40 h × 110 + 1.5 h × 165
  EXPECT_TRUE(itemsOf(acme, id).empty());

  clock.advance(3600);
  auto submitted = timecards.change(acme, id, {std::nullopt, core::TimecardAction::kSubmit, {}});
  ASSERT_TRUE(submitted) << submitted.error().message;
  EXPECT_EQ(submitted->timecard.status, core::TimecardStatus::kSubmitted);
  EXPECT_EQ(submitted->timecard.submitted_at, clock.now());
  auto items = itemsOf(acme, id);
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0].status, core::BillingItemStatus::kPending);
  EXPECT_EQ(items[0].rate_type, core::RateType::kStraight);
  EXPECT_EQ(items[0].amount, 440000);
  EXPECT_EQ(items[1].rate_type, core::RateType::kOvertime);
  EXPECT_EQ(items[1].quantity, 150);
  EXPECT_EQ(items[1].amount, 24750);

  // Submitted: entries are frozen until recalled.
  auto edit = timecards.change(acme, id, {week(700), std::nullopt, {}});
  ASSERT_FALSE(edit);
  EXPECT_EQ(edit.error().code, Errc::kConflict);

  // The supplier can never approve.
  auto approve = timecards.change(acme, id, {std::nullopt, core::TimecardAction::kApprove, {}});
  ASSERT_FALSE(approve);
  EXPECT_EQ(approve.error().code, Errc::kConflict);
  auto approve_by_status =
      timecards.change(acme, id, {std::nullopt, std::nullopt, core::TimecardStatus::kApproved});
  ASSERT_FALSE(approve_by_status);
  EXPECT_EQ(approve_by_status.error().code, Errc::kConflict);

  // Recall voids the pending items; edit; submit again creates fresh ones.
  auto recalled =
      timecards.change(acme, id, {std::nullopt, std::nullopt, core::TimecardStatus::kDraft});
  ASSERT_TRUE(recalled);
  EXPECT_EQ(recalled->timecard.status, core::TimecardStatus::kDraft);
  for (const auto& b : itemsOf(acme, id)) EXPECT_EQ(b.status, core::BillingItemStatus::kVoid);
  auto resubmitted = timecards.change(acme, id, {week(700), core::TimecardAction::kSubmit, {}});
  ASSERT_TRUE(resubmitted) << resubmitted.error().message;
  EXPECT_EQ(resubmitted->timecard.total_amount, 385000);
  items = itemsOf(acme, id);
  ASSERT_EQ(items.size(), 3u);
  EXPECT_EQ(items[2].status, core::BillingItemStatus::kPending);
  EXPECT_EQ(items[2].amount, 385000);

  // The client approves (VMS side): items follow; now nothing may change it.
  auto approved = timecards.approve(acme, id);
  ASSERT_TRUE(approved);
  EXPECT_EQ(itemsOf(acme, id)[2].status, core::BillingItemStatus::kApproved);
  for (auto action : {core::TimecardAction::kSubmit, core::TimecardAction::kRecall,
                      core::TimecardAction::kRevise}) {
    auto moved = timecards.change(acme, id, {std::nullopt, action, {}});
    ASSERT_FALSE(moved);
    EXPECT_EQ(moved.error().code, Errc::kConflict);
  }
  auto late_edit = timecards.change(acme, id, {week(100), std::nullopt, {}});
  ASSERT_FALSE(late_edit);
  EXPECT_EQ(late_edit.error().code, Errc::kConflict);
  EXPECT_EQ(timecards.get(acme, id)->timecard.total_amount, 385000);
}

TEST_F(SupplierServicesTest, RejectedTimecardsAreRevisedBackToDraft) {
  auto created = timecards.create(acme, {engagement.id, kSunday, week(800)});
  ASSERT_TRUE(created);
  const Id id = created->timecard.id;
  ASSERT_TRUE(timecards.change(acme, id, {std::nullopt, core::TimecardAction::kSubmit, {}}));
  auto rejected = timecards.reject(acme, id, "Wrong cost center");
  ASSERT_TRUE(rejected);
  EXPECT_EQ(rejected->timecard.rejection_reason, "Wrong cost center");
  EXPECT_EQ(itemsOf(acme, id)[0].status, core::BillingItemStatus::kVoid);
  ASSERT_FALSE(timecards.change(acme, id, {std::nullopt, core::TimecardAction::kRecall, {}}));
  auto revised =
      timecards.change(acme, id, {std::nullopt, std::nullopt, core::TimecardStatus::kDraft});
  ASSERT_TRUE(revised);
  EXPECT_EQ(revised->timecard.status, core::TimecardStatus::kDraft);
}

TEST_F(SupplierServicesTest, BadTimecardsAreRefusedAndNothingIsWritten) {
  struct Case {
    const char* what;
    NewTimecard input;
    Errc code;
    const char* field;
  };
  auto over = week(800);
  over.push_back({kMonday, core::RateType::kOvertime, 1700, {}, {}});
  const std::vector<Case> cases = {
      {"not a Sunday", {engagement.id, kSunday - kDay, {}}, Errc::kValidationFailed, "weekEnding"},
      {"unknown engagement", {999999, kSunday, {}}, Errc::kNotFound, "engagementId"},
      {"another supplier's engagement",
       {other_engagement.id, kSunday, {}},
       Errc::kNotFound,
       "engagementId"},
      {"before the engagement",
       {engagement.id, kSunday - 28 * kDay, {}},
       Errc::kValidationFailed,
       "weekEnding"},
      {"25 hours a day",
       {engagement.id, kSunday, over},
       Errc::kValidationFailed,
       "entries[5].hours"},
      {"negative hours",
       {engagement.id, kSunday, week(-800)},
       Errc::kValidationFailed,
       "entries[0].hours"},
  };
  for (const auto& c : cases) {
    auto result = timecards.create(acme, c.input);
    ASSERT_FALSE(result) << c.what;
    EXPECT_EQ(result.error().code, c.code) << c.what;
    EXPECT_EQ(result.error().field, c.field) << c.what;
  }
  EXPECT_EQ(count("timecards"), 0);

  ASSERT_TRUE(timecards.create(acme, {engagement.id, kSunday, {}}));
  auto twice = timecards.create(acme, {engagement.id, kSunday, {}});
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.error().code, Errc::kConflict);
  EXPECT_EQ(count("timecards"), 1);

  // An empty timecard cannot be submitted; the failed submit writes nothing.
  auto listed = timecards.list(acme, {}, {0, 10});
  ASSERT_TRUE(listed);
  const Id id = listed->items.at(0).timecard.id;
  auto empty = timecards.change(acme, id, {std::nullopt, core::TimecardAction::kSubmit, {}});
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.error().code, Errc::kValidationFailed);
  EXPECT_EQ(timecards.get(acme, id)->timecard.status, core::TimecardStatus::kDraft);
  EXPECT_EQ(count("billing"), 0);
}

TEST_F(SupplierServicesTest, AnotherOrganizationsRecordsAreNotFound) {
  auto mine = timecards.create(acme, {engagement.id, kSunday, week(800)});
  ASSERT_TRUE(mine);
  const Id id = mine->timecard.id;
  EXPECT_EQ(timecards.get(northwind, id).error().code, Errc::kNotFound);
  auto foreign_change =
      timecards.change(northwind, id, {std::nullopt, core::TimecardAction::kSubmit, {}});
  ASSERT_FALSE(foreign_change);
  EXPECT_EQ(foreign_change.error().code, Errc::kNotFound);
  EXPECT_EQ(timecards.get(acme, id)->timecard.status, core::TimecardStatus::kDraft);
  EXPECT_EQ(reads.engagement(northwind, engagement.id).error().code, Errc::kNotFound);
  EXPECT_TRUE(reads.engagement(acme, engagement.id));
  EXPECT_EQ(workers.get(northwind, engagement.worker_id).error().code, Errc::kNotFound);
  EXPECT_EQ(workers.patch(northwind, engagement.worker_id, {}).error().code, Errc::kNotFound);
  auto listed = reads.listEngagements(northwind, {}, {0, 100});
  ASSERT_TRUE(listed);
  EXPECT_EQ(listed->total, 1);
  EXPECT_EQ(listed->items.at(0).id, other_engagement.id);
}

TEST_F(SupplierServicesTest, WorkersAreUniquePerOrganizationAndMergePatched) {
  NewWorker input;
  input.external_id = "EXT-42";
  input.first_name = "Ada";
  input.last_name = "Lovelace";
  input.email = "ada@example.com";
  auto created = workers.create(acme, input);
  ASSERT_TRUE(created);
  auto duplicate = workers.create(acme, input);
  ASSERT_FALSE(duplicate);
  EXPECT_EQ(duplicate.error().code, Errc::kConflict);
  EXPECT_TRUE(workers.create(northwind, input));  // another organization may reuse it

  clock.advance(60);
  WorkerPatch patch;
  patch.job_title = "Analyst";
  patch.email = "";  // null in the patch document: removed
  auto patched = workers.patch(acme, created->id, patch);
  ASSERT_TRUE(patched);
  EXPECT_EQ(patched->job_title, "Analyst");
  EXPECT_EQ(patched->email, "");
  EXPECT_EQ(patched->first_name, "Ada");  // untouched
  EXPECT_EQ(patched->updated_at, clock.now());

  WorkerPatch clash;
  clash.external_id = "W-ACME-1";  // the engagement's worker
  auto clashed = workers.patch(acme, created->id, clash);
  ASSERT_FALSE(clashed);
  EXPECT_EQ(clashed.error().code, Errc::kConflict);
  WorkerPatch bad;
  bad.email = "not-an-email";
  EXPECT_EQ(workers.patch(acme, created->id, bad).error().field, "email");
  EXPECT_EQ(workers.get(acme, created->id)->external_id, "EXT-42");

  storage::WorkerFilter f;
  f.external_id = "EXT-42' OR '1'='1";
  auto none = workers.list(acme, f, {0, 100});
  ASSERT_TRUE(none);
  EXPECT_EQ(none->total, 0);
  f.external_id = "EXT-42";
  EXPECT_EQ(workers.list(acme, f, {0, 100})->total, 1);
}

TEST_F(SupplierServicesTest, ListsPageAndFilter) {
  for (int w = 0; w < 5; ++w)
    ASSERT_TRUE(timecards.create(acme, {engagement.id, kSunday - w * 7 * kDay + 0, {}}) ||
                w >= 3);  // weeks before the start are refused
  auto all = timecards.list(acme, {}, {0, 500});
  ASSERT_TRUE(all);
  EXPECT_EQ(all->total, 3);
  auto page = timecards.list(acme, {}, {1, 1});
  ASSERT_TRUE(page);
  EXPECT_EQ(page->total, 3);
  ASSERT_EQ(page->items.size(), 1u);
  EXPECT_EQ(page->items[0].timecard.id, all->items[1].timecard.id);
  auto past_end = timecards.list(acme, {}, {10, 5});
  ASSERT_TRUE(past_end);
  EXPECT_EQ(past_end->total, 3);
  EXPECT_TRUE(past_end->items.empty());
  storage::TimecardFilter by_week;
  by_week.week_ending = kSunday - 7 * kDay;
  auto one = timecards.list(acme, by_week, {0, 500});
  ASSERT_TRUE(one);
  ASSERT_EQ(one->total, 1);
  EXPECT_EQ(one->items[0].timecard.week_ending, kSunday - 7 * kDay);
  storage::TimecardFilter submitted;
  submitted.status = core::TimecardStatus::kSubmitted;
  EXPECT_EQ(timecards.list(acme, submitted, {0, 500})->total, 0);
  storage::TimecardFilter later;
  later.updated_since = clock.now() + 1;
  EXPECT_EQ(timecards.list(acme, later, {0, 500})->total, 0);
}

TEST_F(SupplierServicesTest, CandidateInsightsAreScoredStoredAndReadBack) {
  Id request_id = 0, candidate_id = 0, hidden_request = 0;
  ASSERT_TRUE(store->write([&](storage::Repositories& r) -> core::Status {
    core::StaffingRequest q;
    q.client_org_id = globex;
    q.number = "SR-1";
    q.title = "Backend Engineer";
    q.description = "Go services on PostgreSQL and Kubernetes";
    q.skills = {{"Go", 3, true}, {"PostgreSQL", 2, true}, {"AWS", 1, false}};
    q.location = "Austin, TX, US";
    q.bill_rate_min = 9000;
    q.bill_rate_max = 12000;
    q.start_date = kSunday + 14 * kDay;
    KG_ASSIGN_OR_RETURN(request_id, r.supplier.staffing_requests.create(q));
    KG_TRY(r.supplier.staffing_requests.release(request_id, acme, clock.now()));
    q.number = "SR-2";
    KG_ASSIGN_OR_RETURN(hidden_request, r.supplier.staffing_requests.create(q));
    KG_TRY(r.supplier.staffing_requests.release(hidden_request, northwind, clock.now()));
    core::Candidate c;
    c.supplier_org_id = acme;
    c.first_name = "Maya";
    c.last_name = "Chen";
    c.location = "Austin, TX, US";
    c.desired_rate = 11000;
    c.skills = {{"golang", 500}, {"Postgres", 300}};
    c.resume_text = "Go and PostgreSQL services on Kubernetes";
    KG_ASSIGN_OR_RETURN(candidate_id, r.supplier.candidates.create(c));
    return core::ok();
  }));

  auto first = insights.create(acme, {request_id, candidate_id, std::nullopt, std::nullopt});
  ASSERT_TRUE(first) << first.error().message;
  auto second = insights.create(acme, {request_id, candidate_id, std::nullopt, std::nullopt});
  ASSERT_TRUE(second);
  EXPECT_NE(first->record.id, second->record.id);
  // Deterministic: the same inputs give the same answer.
  EXPECT_EQ(first->result.overall, second->result.overall);
  EXPECT_EQ(first->result.summary, second->result.summary);
  EXPECT_GE(first->result.overall, 0);
  EXPECT_LE(first->result.overall, 100);
  EXPECT_FALSE(first->result.model_version.empty());
  EXPECT_EQ(first->result.criteria.size(), 5u);

  auto stored = insights.get(acme, first->record.id);
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->record.candidate_id, candidate_id);
  EXPECT_EQ(stored->result.overall, first->result.overall);
  EXPECT_EQ(stored->result.criteria.size(), first->result.criteria.size());
  EXPECT_EQ(stored->result.criteria[0].evidence, first->result.criteria[0].evidence);
  EXPECT_EQ(stored->result.matched_skills, first->result.matched_skills);
  EXPECT_EQ(insights.get(northwind, first->record.id).error().code, Errc::kNotFound);

  // A request released to someone else, and another supplier's candidate, are not found.
  auto hidden = insights.create(acme, {hidden_request, candidate_id, std::nullopt, std::nullopt});
  ASSERT_FALSE(hidden);
  EXPECT_EQ(hidden.error().field, "staffingRequestId");
  auto foreign =
      insights.create(northwind, {hidden_request, candidate_id, std::nullopt, std::nullopt});
  ASSERT_FALSE(foreign);
  EXPECT_EQ(foreign.error().field, "candidateId");

  // Inline candidate, rate in the request's currency.
  core::Candidate inline_candidate;
  inline_candidate.currency.clear();
  inline_candidate.skills = {{"Go", 400}};
  auto inline_insight =
      insights.create(acme, {request_id, std::nullopt, inline_candidate, std::string("105.00")});
  ASSERT_TRUE(inline_insight) << inline_insight.error().message;
  EXPECT_FALSE(inline_insight->record.candidate_id);
  auto bad_rate =
      insights.create(acme, {request_id, std::nullopt, inline_candidate, std::string("1e3")});
  ASSERT_FALSE(bad_rate);
  EXPECT_EQ(bad_rate.error().field, "candidate.desiredRate");
}

}  // namespace
}  // namespace keygate::services::supplier
