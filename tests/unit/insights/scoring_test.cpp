// The candidate-insight model end to end: criteria, weights, overall, band, recommendation
// rules, summary and determinism (docs/candidate-insights.md).
#include "services/insights/scoring.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "core/key_rules.h"

namespace keygate::services::insights {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

const core::Seconds kStart = *core::parseDate("2025-03-03");

RequestProfile backendRequest() {
  RequestProfile r;
  r.title = "Senior Backend Engineer";
  r.description =
      "Build Go services on Kubernetes, tune PostgreSQL, run workloads on AWS and manage "
      "infrastructure as code with Terraform.";
  r.skills = {{"Go", 5, true},
              {"Kubernetes", 3, true},
              {"PostgreSQL", 0, true},
              {"AWS", 0, false},
              {"Terraform", 0, false}};
  r.location = "Austin, TX, US";
  r.remote = RemoteType::kHybrid;
  r.bill_rate_min_minor = 8000;
  r.bill_rate_max_minor = 10000;
  r.currency = "USD";
  r.rate_unit = RateUnit::kHour;
  r.start_date = kStart;
  return r;
}

// Lists every requested skill under another accepted spelling; no resume, so the numbers
// below follow from the formulas alone.
CandidateProfile strongCandidate() {
  CandidateProfile c;
  c.skills = {
      {"golang", 6}, {"k8s", 4}, {"Postgres", 5}, {"Amazon Web Services", 2}, {"terraform", 1}};
  c.location = "Austin, Texas";
  c.open_to_remote = true;
  c.desired_rate_minor = 9000;
  c.currency = "USD";
  c.available_from = kStart - 7 * core::kSecondsPerDay;
  return c;
}

const CriterionResult& criterion(const InsightResult& r, const std::string& name) {
  auto it = std::find_if(r.criteria.begin(), r.criteria.end(),
                         [&](const CriterionResult& c) { return c.name == name; });
  EXPECT_NE(it, r.criteria.end()) << name;
  return *it;
}

void removeSkill(CandidateProfile& c, const std::string& canonical) {
  std::erase_if(c.skills,
                [&](const CandidateSkill& s) { return normalizeSkill(s.name) == canonical; });
}

// The invariants every result must satisfy, whatever the inputs.
void expectWellFormed(const InsightResult& r) {
  ASSERT_EQ(r.criteria.size(), 5u);
  int weights = 0;
  int weighted = 0;
  for (const auto& c : r.criteria) {
    weights += c.weight;
    weighted += c.score * c.weight;
    EXPECT_GE(c.score, 0) << c.name;
    EXPECT_LE(c.score, 100) << c.name;
    const std::string expected_verdict = c.score >= 85   ? "strong"
                                         : c.score >= 70 ? "good"
                                         : c.score >= 40 ? "partial"
                                         : c.score >= 1  ? "weak"
                                                         : "missing";
    EXPECT_EQ(c.verdict, expected_verdict) << c.name;
    EXPECT_FALSE(c.explanation.empty()) << c.name;
    EXPECT_EQ(c.explanation.back(), '.') << c.name;
  }
  EXPECT_EQ(weights, 100);
  EXPECT_EQ(r.overall, (weighted + 50) / 100);
  EXPECT_GE(r.overall, 0);
  EXPECT_LE(r.overall, 100);
  const std::string band = r.overall >= 85   ? "excellent"
                           : r.overall >= 70 ? "good"
                           : r.overall >= 50 ? "fair"
                                             : "poor";
  EXPECT_EQ(r.band, band);
  EXPECT_THAT((std::vector<std::string>{"proceed", "review", "do_not_submit"}),
              Contains(r.recommendation));
  if (r.overall < 50) {
    EXPECT_EQ(r.recommendation, "do_not_submit");
  }
  EXPECT_EQ(r.model_version, "kg-match-1.0");
  EXPECT_FALSE(r.summary.empty());
}

TEST(Score, CriteriaWeightsAndOrder) {
  const auto r = score(backendRequest(), strongCandidate());
  ASSERT_EQ(r.criteria.size(), 5u);
  EXPECT_EQ(r.criteria[0].name, "skills");
  EXPECT_EQ(r.criteria[0].weight, 40);
  EXPECT_EQ(r.criteria[1].name, "experience");
  EXPECT_EQ(r.criteria[1].weight, 20);
  EXPECT_EQ(r.criteria[2].name, "rate");
  EXPECT_EQ(r.criteria[2].weight, 15);
  EXPECT_EQ(r.criteria[3].name, "location");
  EXPECT_EQ(r.criteria[3].weight, 15);
  EXPECT_EQ(r.criteria[4].name, "availability");
  EXPECT_EQ(r.criteria[4].weight, 10);
  expectWellFormed(r);
}

TEST(Score, StrongCandidateMatchedThroughSynonymsProceeds) {
  const auto r = score(backendRequest(), strongCandidate());
  expectWellFormed(r);
  for (const auto& c : r.criteria) EXPECT_EQ(c.score, 100) << c.name;
  EXPECT_EQ(r.overall, 100);
  EXPECT_EQ(r.band, "excellent");
  EXPECT_EQ(r.recommendation, "proceed");
  // Required first, then preferred, spelled as the request spells them.
  EXPECT_THAT(r.matched_skills, ElementsAre("Go", "Kubernetes", "PostgreSQL", "AWS", "Terraform"));
  EXPECT_TRUE(r.missing_skills.empty());
  EXPECT_THAT(criterion(r, "skills").evidence,
              Contains("Kubernetes (required): listed as \"k8s\""));
  EXPECT_THAT(criterion(r, "experience").evidence, Contains("Go: 6 years (minimum 5 years)"));
  EXPECT_THAT(r.summary, HasSubstr("Excellent match at 100/100"));
  EXPECT_THAT(r.summary, HasSubstr("Submit"));
}

TEST(Score, PunctuationAndCaseDoNotMatter) {
  auto request = backendRequest();
  request.skills = {{"Node.js", 0, true}, {"C#", 0, true}, {".NET", 0, true}};
  CandidateProfile c = strongCandidate();
  c.skills = {{"NODE", 3}, {"c #", 2}, {"dotnet core", 4}};
  const auto r = score(request, c);
  EXPECT_THAT(r.matched_skills, ElementsAre("Node.js", "C#", ".NET"));
  EXPECT_EQ(criterion(r, "skills").score, 100);
}

TEST(Score, SameInputsGiveIdenticalResults) {
  auto request = backendRequest();
  auto candidate = strongCandidate();
  candidate.desired_rate_minor = 10550;
  candidate.resume_text =
      "Seven years building golang services on k8s and Amazon Web Services; Postgres tuning.";
  removeSkill(candidate, "terraform");
  const auto first = score(request, candidate);
  const auto second = score(request, candidate);
  EXPECT_EQ(first.overall, second.overall);
  EXPECT_EQ(first.band, second.band);
  EXPECT_EQ(first.recommendation, second.recommendation);
  EXPECT_EQ(first.summary, second.summary);
  EXPECT_EQ(first.matched_skills, second.matched_skills);
  EXPECT_EQ(first.missing_skills, second.missing_skills);
  EXPECT_EQ(first.model_version, second.model_version);
  ASSERT_EQ(first.criteria.size(), second.criteria.size());
  for (std::size_t i = 0; i < first.criteria.size(); ++i) {
    EXPECT_EQ(first.criteria[i].name, second.criteria[i].name);
    EXPECT_EQ(first.criteria[i].score, second.criteria[i].score);
    EXPECT_EQ(first.criteria[i].weight, second.criteria[i].weight);
    EXPECT_EQ(first.criteria[i].verdict, second.criteria[i].verdict);
    EXPECT_EQ(first.criteria[i].explanation, second.criteria[i].explanation);
    EXPECT_EQ(first.criteria[i].evidence, second.criteria[i].evidence);
  }
}

TEST(Score, MissingRequiredSkillCapsTheRecommendationAtReview) {
  auto c = strongCandidate();
  removeSkill(c, "kubernetes");
  const auto r = score(backendRequest(), c);
  expectWellFormed(r);
  // Skills: 6 of 8 weight points (required 2, preferred 1) = 75. Experience: Go met, Kubernetes
  // absent = 50. Overall = (75·40 + 50·20 + 100·15 + 100·15 + 100·10) / 100 = 80.
  EXPECT_EQ(criterion(r, "skills").score, 75);
  EXPECT_EQ(criterion(r, "experience").score, 50);
  EXPECT_EQ(r.overall, 80);
  EXPECT_EQ(r.band, "good");
  EXPECT_EQ(r.recommendation, "review");
  EXPECT_THAT(r.missing_skills, ElementsAre("Kubernetes"));
  EXPECT_THAT(r.matched_skills, ElementsAre("Go", "PostgreSQL", "AWS", "Terraform"));
  EXPECT_THAT(criterion(r, "skills").evidence, Contains("Kubernetes (required): not found"));
  EXPECT_THAT(r.summary, HasSubstr("Kubernetes is missing"));
}

TEST(Score, MostRequiredSkillsMissingMeansDoNotSubmit) {
  auto c = strongCandidate();
  removeSkill(c, "kubernetes");
  removeSkill(c, "go");
  const auto r = score(backendRequest(), c);
  expectWellFormed(r);
  EXPECT_EQ(r.overall, 60);  // skills 50, experience 0, the rest 100
  EXPECT_EQ(r.recommendation, "do_not_submit");
  EXPECT_THAT(r.missing_skills, ElementsAre("Go", "Kubernetes"));
}

TEST(Score, MissingPreferredSkillDoesNotBlock) {
  auto c = strongCandidate();
  removeSkill(c, "terraform");
  const auto r = score(backendRequest(), c);
  EXPECT_EQ(criterion(r, "skills").score, 88);  // 7 of 8 = 87.5, rounded half up
  EXPECT_EQ(r.recommendation, "proceed");
  EXPECT_THAT(r.missing_skills, ElementsAre("Terraform"));
}

TEST(Score, SkillNamedOnlyInTheResumeCountsPartially) {
  auto request = backendRequest();
  request.title.clear();
  request.description.clear();  // the BM25 query is then the skill names alone
  auto c = strongCandidate();
  removeSkill(c, "terraform");
  c.resume_text = "Built cloud infrastructure with Ansible modules.";
  const int absent = criterion(score(request, c), "skills").score;
  c.resume_text = "Built cloud infrastructure with Terraform modules.";
  const auto mentioned = score(request, c);
  const int resume_only = criterion(mentioned, "skills").score;
  c.skills.push_back({"Terraform", 2});
  c.resume_text = "Built cloud infrastructure with Ansible modules.";
  const int listed = criterion(score(request, c), "skills").score;

  EXPECT_EQ(absent, 88);  // no shared term with the query: no relevance bonus
  EXPECT_EQ(listed, 100);
  EXPECT_GT(resume_only, absent);
  EXPECT_LT(resume_only, listed);
  EXPECT_THAT(mentioned.matched_skills, Contains("Terraform"));
  EXPECT_THAT(criterion(mentioned, "skills").evidence,
              Contains("Terraform (preferred): named in the resume only"));
}

TEST(Score, RequiredSkillInResumeOnlyIsNotMissing) {
  auto c = strongCandidate();
  removeSkill(c, "kubernetes");
  c.resume_text = "Operated Kubernetes clusters for four years.";
  const auto r = score(backendRequest(), c);
  EXPECT_TRUE(r.missing_skills.empty());
  EXPECT_THAT(criterion(r, "experience").evidence,
              Contains("Kubernetes: named in the resume, years not stated (minimum 3 years)"));
  EXPECT_LT(criterion(r, "experience").score, 100);
}

TEST(Score, ResumeRelevanceOrdersCandidatesWhenTheRequestListsNoSkills) {
  auto request = backendRequest();
  request.skills.clear();
  auto c = strongCandidate();
  c.resume_text = "Backend engineer: Go services on Kubernetes, PostgreSQL tuning, AWS, Terraform.";
  const auto relevant = score(request, c);
  c.resume_text = "Pastry chef specialising in laminated doughs and seasonal desserts.";
  const auto irrelevant = score(request, c);
  EXPECT_GT(criterion(relevant, "skills").score, criterion(irrelevant, "skills").score);
  EXPECT_GT(relevant.overall, irrelevant.overall);
  EXPECT_EQ(criterion(irrelevant, "skills").score, 0);
  c.resume_text.clear();
  EXPECT_EQ(criterion(score(request, c), "skills").score, 50);  // nothing to judge by
}

TEST(Score, ExperienceIsProportionalToTheMinimum) {
  auto c = strongCandidate();
  c.skills[0].years = 2.5;  // Go: half of the 5-year minimum; Kubernetes met
  const auto r = score(backendRequest(), c);
  EXPECT_EQ(criterion(r, "experience").score, 75);
  EXPECT_THAT(criterion(r, "experience").evidence, Contains("Go: 2.5 years (minimum 5 years)"));
  EXPECT_EQ(criterion(r, "experience").explanation,
            "Meets the minimum years for 1 of 2 skills that set one.");
}

TEST(Score, RateWithinRangeAboveMaximumAndFarAbove) {
  auto c = strongCandidate();
  c.desired_rate_minor = 10000;  // exactly the maximum
  EXPECT_EQ(criterion(score(backendRequest(), c), "rate").score, 100);
  c.desired_rate_minor = 7000;  // below the range
  EXPECT_EQ(criterion(score(backendRequest(), c), "rate").score, 100);

  c.desired_rate_minor = 11000;  // 10 % above the maximum: 100 − 4·10
  auto r = score(backendRequest(), c);
  expectWellFormed(r);
  EXPECT_EQ(criterion(r, "rate").score, 60);
  EXPECT_THAT(criterion(r, "rate").explanation, HasSubstr("10% above the maximum of 100.00"));
  EXPECT_EQ(r.overall, 94);
  EXPECT_EQ(r.recommendation, "review");  // high overall, but the rate needs a conversation

  c.desired_rate_minor = 13000;  // 30 % above: 0
  r = score(backendRequest(), c);
  EXPECT_EQ(criterion(r, "rate").score, 0);
  EXPECT_EQ(criterion(r, "rate").verdict, "missing");
  EXPECT_EQ(r.overall, 85);
  EXPECT_EQ(r.recommendation, "do_not_submit");
}

TEST(Score, RateUnknownOrIncomparable) {
  auto c = strongCandidate();
  c.desired_rate_minor.reset();
  EXPECT_EQ(criterion(score(backendRequest(), c), "rate").score, 50);
  c.desired_rate_minor = 9000;
  c.currency = "EUR";
  const auto r = score(backendRequest(), c);
  EXPECT_EQ(criterion(r, "rate").score, 50);
  EXPECT_THAT(criterion(r, "rate").explanation, HasSubstr("cannot be compared"));
  auto request = backendRequest();
  request.bill_rate_min_minor = request.bill_rate_max_minor = 0;
  c.currency = "USD";
  c.desired_rate_minor = 50000;
  EXPECT_EQ(criterion(score(request, c), "rate").score, 100);  // no range to exceed
}

TEST(Score, RemoteRoleAcceptsARemoteCandidateAnywhere) {
  auto request = backendRequest();
  request.remote = RemoteType::kRemote;
  auto c = strongCandidate();
  c.location = "London, UK";
  EXPECT_EQ(criterion(score(request, c), "location").score, 100);
  c.open_to_remote = false;
  EXPECT_EQ(criterion(score(request, c), "location").score, 60);
}

TEST(Score, OnsiteRoleNeedsTheCandidateThereOrWillingToMove) {
  auto request = backendRequest();
  request.remote = RemoteType::kOnsite;
  auto c = strongCandidate();
  c.location = "London, UK";
  c.willing_to_relocate = false;
  auto r = score(request, c);
  expectWellFormed(r);
  EXPECT_EQ(criterion(r, "location").score, 0);
  EXPECT_EQ(r.overall, 85);
  EXPECT_EQ(r.recommendation, "do_not_submit");
  EXPECT_THAT(r.summary, HasSubstr("onsite location"));

  c.willing_to_relocate = true;
  EXPECT_EQ(criterion(score(request, c), "location").score, 70);
  c.willing_to_relocate = false;
  c.location = "Dallas, TX";
  EXPECT_EQ(criterion(score(request, c), "location").score, 60);
  request.remote = RemoteType::kHybrid;
  EXPECT_EQ(criterion(score(request, c), "location").score, 70);
  c.location.clear();
  EXPECT_EQ(criterion(score(request, c), "location").score, 50);
}

TEST(Score, AvailabilityAfterTheStartDate) {
  auto c = strongCandidate();
  c.available_from = kStart;
  EXPECT_EQ(criterion(score(backendRequest(), c), "availability").score, 100);

  c.available_from = kStart + 1;  // any part of a day counts as a day
  auto r = score(backendRequest(), c);
  EXPECT_EQ(criterion(r, "availability").score, 97);
  EXPECT_EQ(criterion(r, "availability").explanation,
            "Available 1 day after the requested start date.");
  EXPECT_EQ(r.recommendation, "review");

  c.available_from = kStart + 10 * core::kSecondsPerDay;
  EXPECT_EQ(criterion(score(backendRequest(), c), "availability").score, 70);

  c.available_from = kStart + 40 * core::kSecondsPerDay;
  r = score(backendRequest(), c);
  EXPECT_EQ(criterion(r, "availability").score, 0);
  EXPECT_EQ(r.recommendation, "do_not_submit");

  c.available_from.reset();
  EXPECT_EQ(criterion(score(backendRequest(), c), "availability").score, 50);
}

TEST(Score, SummaryNamesStrongestAndWeakestCriteria) {
  auto c = strongCandidate();
  c.desired_rate_minor = 11000;  // rate 60
  c.location = "Dallas, TX";     // hybrid, same state: 70
  const auto r = score(backendRequest(), c);
  EXPECT_THAT(r.summary, HasSubstr("strongest on skills (100)"));
  EXPECT_THAT(r.summary, HasSubstr("weakest on rate (60)"));
  EXPECT_THAT(r.summary, HasSubstr("Review before submitting: the desired rate is above"));
}

TEST(Score, HostileInputsStayWithinBounds) {
  auto request = backendRequest();
  request.skills.push_back({"", -3, true});             // empty name: ignored
  request.skills.push_back({"kubernetes", 50, false});  // duplicate: merged, stricter minimum
  request.bill_rate_max_minor = 1;
  auto c = strongCandidate();
  c.skills.push_back({"Go", -4});
  c.skills.push_back({"Rust", 1e300});
  c.desired_rate_minor = INT64_MAX;
  c.available_from = INT64_MAX;
  c.resume_text = std::string(200000, 'x');
  const auto r = score(request, c);
  expectWellFormed(r);
  EXPECT_EQ(r.matched_skills.size(), 5u);
  EXPECT_EQ(criterion(r, "rate").score, 0);
  EXPECT_EQ(criterion(r, "availability").score, 0);

  const auto empty = score(RequestProfile{}, CandidateProfile{});
  expectWellFormed(empty);
}

TEST(Score, InvariantsHoldAcrossManyVariants) {
  int checked = 0;
  for (auto remote : {RemoteType::kOnsite, RemoteType::kHybrid, RemoteType::kRemote}) {
    for (std::int64_t rate : {5000, 9000, 10400, 12000, 20000}) {
      for (int late_days : {-3, 0, 2, 15, 60}) {
        for (const char* place : {"Austin, TX", "Houston, TX", "Denver, CO", "Paris, France", ""}) {
          auto request = backendRequest();
          request.remote = remote;
          auto c = strongCandidate();
          c.desired_rate_minor = rate;
          c.available_from = kStart + late_days * core::kSecondsPerDay;
          c.location = place;
          if (late_days % 2 == 0) removeSkill(c, "go");
          expectWellFormed(score(request, c));
          ++checked;
        }
      }
    }
  }
  EXPECT_EQ(checked, 375);
}

}  // namespace
}  // namespace keygate::services::insights
