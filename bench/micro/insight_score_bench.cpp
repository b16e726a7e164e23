// BM_InsightScore: one candidate pre-submittal insight (services/insights score()) for a
// realistic pair — a staffing request with nine skill requirements and a description, and a
// candidate with nine listed skills, a desired rate, a location and a resume of about 300
// words — i.e. the model's full work per Supplier API insight call: skill matching with
// synonyms, resume analysis and BM25 relevance, rate, location and availability criteria.
#include <benchmark/benchmark.h>

#include <string>

#include "core/key_rules.h"
#include "environment.h"
#include "services/insights/scoring.h"

namespace keygate::bench {
namespace {

namespace insights = services::insights;

insights::RequestProfile platformEngineerRequest(core::Seconds start) {
  insights::RequestProfile r;
  r.title = "Senior Platform Engineer";
  r.description =
      "Join the platform team of a national retailer to build and operate the services behind "
      "checkout and inventory. You will design Go and Python microservices, run them on "
      "Kubernetes in AWS, manage infrastructure as code with Terraform, tune PostgreSQL and "
      "Redis, own CI/CD pipelines and observability with Prometheus and Grafana, and mentor "
      "two junior engineers. Hybrid: three days a week in the Austin office.";
  r.skills = {{"Go", 5, true},         {"Kubernetes", 3, true},  {"AWS", 3, true},
              {"PostgreSQL", 2, true}, {"Terraform", 2, true},   {"Python", 0, false},
              {"Redis", 0, false},     {"Prometheus", 0, false}, {"CI/CD", 0, false}};
  r.location = "Austin, TX, US";
  r.remote = insights::RemoteType::kHybrid;
  r.bill_rate_min_minor = 9500;
  r.bill_rate_max_minor = 12500;
  r.currency = "USD";
  r.rate_unit = insights::RateUnit::kHour;
  r.start_date = start;
  return r;
}

insights::CandidateProfile platformEngineerCandidate(core::Seconds start) {
  insights::CandidateProfile c;
  c.skills = {{"golang", 6.5}, {"k8s", 4},         {"Amazon Web Services", 5},
              {"Postgres", 7}, {"terraform", 2.5}, {"Python", 8},
              {"Docker", 6},   {"Jenkins", 3},     {"Linux", 10}};
  c.location = "Round Rock, Texas";
  c.open_to_remote = true;
  c.willing_to_relocate = false;
  c.desired_rate_minor = 11000;
  c.currency = "USD";
  c.available_from = start + 5 * core::kSecondsPerDay;
  c.resume_text =
      "Maria Gonzalez. Senior software engineer with ten years of experience building and "
      "running backend systems for e-commerce and logistics companies.\n"
      "Experience. Staff Engineer, Lonestar Logistics, Austin, 2020 to present. Led the "
      "migration of forty services from virtual machines to Kubernetes on Amazon Web Services "
      "(EKS), cutting deployment time from hours to minutes. Wrote the shipment tracking and "
      "routing services in Go, handling twelve thousand requests per second at peak. Designed "
      "the PostgreSQL schema for the order ledger, added partitioning and tuned slow queries, "
      "and introduced Redis caching for rate quotes. Built the Terraform modules every team "
      "uses to create databases, queues and clusters, and the GitHub Actions pipelines that "
      "test and deploy them. Set up Prometheus alerting and Grafana dashboards and ran the "
      "on-call rotation for the platform group. Mentored four engineers, two of whom now lead "
      "their own teams.\n"
      "Senior Software Engineer, Bluebonnet Commerce, Dallas, 2016 to 2020. Developed the "
      "checkout and payment services in Python and Django, later rewriting the payment "
      "gateway in Go for lower latency. Containerized the monolith with Docker and moved "
      "builds from Jenkins to a shared CI/CD system. Maintained MySQL and PostgreSQL "
      "databases, wrote data migrations and reporting jobs, and automated Linux server "
      "configuration with Ansible.\n"
      "Software Engineer, Pecan Labs, Houston, 2014 to 2016. Built REST APIs and internal "
      "tools in Python and JavaScript, wrote integration tests, and supported customers "
      "during releases.\n"
      "Education. Bachelor of Science in Computer Science, University of Texas at Austin.\n"
      "Certifications. AWS Certified Solutions Architect Associate; Certified Kubernetes "
      "Administrator.\n"
      "Skills. Go, Python, Kubernetes, Docker, Terraform, AWS, PostgreSQL, Redis, Kafka, "
      "gRPC, Prometheus, Grafana, Linux, Bash, Git, distributed systems, incident response, "
      "capacity planning, technical leadership and mentoring.";
  return c;
}

void BM_InsightScore(benchmark::State& state) {
  const auto start = core::parseDate("2026-10-05");
  require(start.has_value(), "core::parseDate rejects 2026-10-05");
  const auto request = platformEngineerRequest(*start);
  const auto candidate = platformEngineerCandidate(*start);
  const auto once = insights::score(request, candidate);
  require(once.criteria.size() == 5 && once.overall > 0 && once.overall <= 100 &&
              !once.model_version.empty() && once.matched_skills.size() >= 7,
          "insights::score gives an implausible result for a strong candidate (overall " +
              std::to_string(once.overall) + ", " + std::to_string(once.matched_skills.size()) +
              " matched skills)");
  state.SetLabel("overall=" + std::to_string(once.overall) + " band=" + once.band);
  for (auto _ : state) {
    auto result = insights::score(request, candidate);
    benchmark::DoNotOptimize(result);
  }
}
BENCHMARK(BM_InsightScore);

}  // namespace
}  // namespace keygate::bench
