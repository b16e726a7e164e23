#include "app/demo_seed.h"

#include <map>

#include "core/key_rules.h"
#include "core/supplier_model.h"
#include "services/insights/scoring.h"
#include "services/supplier/candidate_insights.h"
#include "services/supplier/insight_codec.h"
#include "services/supplier/timecards.h"
#include "storage/supplier_repositories.h"

namespace keygate::app {
namespace {

struct DemoOrg {
  const char* name;
  core::OrgType type;
  core::LoginMethod login;
  core::ApiTier tier;
};

struct DemoUser {
  const char* username;
  const char* org;
  const char* email;
  const char* display;
  core::Role role;
  std::uint32_t permissions;
  const char* what;
};

}  // namespace

core::Result<std::vector<DemoLogin>> seedDemo(services::AccountService& accounts) {
  static const DemoOrg kOrgs[] = {
      {"Acme Staffing", core::OrgType::kSupplier, core::LoginMethod::kBasic,
       core::ApiTier::kProfessional},
      {"Northwind Talent", core::OrgType::kSupplier, core::LoginMethod::kTwoFactor,
       core::ApiTier::kEnterprise},
      {"Globex Corporation", core::OrgType::kClient, core::LoginMethod::kBasic,
       core::ApiTier::kCore},
      {"Initech Services", core::OrgType::kClient, core::LoginMethod::kSso, core::ApiTier::kCore},
      {"Benchmark Unlimited", core::OrgType::kSupplier, core::LoginMethod::kBasic,
       core::ApiTier::kUnlimited},
  };
  static const DemoUser kUsers[] = {
      {"sam.supplier", "Acme Staffing", "sam.supplier@acme.example", "Sam Supplier",
       core::Role::kSupplierUser, core::kPermRaas,
       "basic-auth supplier: View needs the emailed 8-digit code"},
      {"alex.admin", "Acme Staffing", "alex.admin@acme.example", "Alex Admin",
       core::Role::kOrgAdmin, core::kPermRaas | core::kPermReportAdmin,
       "organization admin of Acme Staffing"},
      {"tara.twofactor", "Northwind Talent", "tara@northwind.example", "Tara Twofactor",
       core::Role::kSupplierUser, core::kPermRaas,
       "two-factor supplier: enrolls TOTP at first sign-in, View shows values directly"},
      {"carla.client", "Globex Corporation", "carla.client@globex.example", "Carla Client",
       core::Role::kClientManager, core::kPermRaas, "client manager: RaaS scope only"},
      {"pat.acme", "Acme Staffing", "pat@people.example", "Pat Linked", core::Role::kSupplierUser,
       core::kPermRaas, "linked to pat.globex: switch accounts from the user menu"},
      {"pat.globex", "Globex Corporation", "pat@people.example", "Pat Linked",
       core::Role::kClientManager, core::kPermRaas, "linked to pat.acme"},
      {"ivan.sso", "Initech Services", "ivan@initech.example", "Ivan SSO",
       core::Role::kClientManager, core::kPermRaas, "SSO organization: password sign-in refused"},
      {"bench.unlimited", "Benchmark Unlimited", "bench@bench.example", "Bench User",
       core::Role::kSupplierUser, core::kPermRaas, "unlimited API tier, for benchmarks"},
  };

  for (const auto& o : kOrgs) {
    KG_ASSIGN_OR_RETURN(auto existing, accounts.findOrganization(o.name));
    if (existing) continue;
    services::NewOrganization input{o.name, o.type, o.login, std::nullopt, o.tier};
    KG_TRY(accounts.createOrganization(input));
  }
  std::vector<DemoLogin> logins;
  for (const auto& u : kUsers) {
    logins.push_back({u.username, u.org, u.what});
    KG_ASSIGN_OR_RETURN(auto existing, accounts.findUser(u.username));
    if (existing) continue;
    KG_ASSIGN_OR_RETURN(auto org, accounts.findOrganization(u.org));
    if (!org) return core::makeError(core::Errc::kInternal, "demo organization missing");
    services::NewUser input{
        org->id, u.username, u.email, u.display, u.role, u.permissions, std::string(kDemoPassword)};
    KG_TRY(accounts.createUser(input));
  }
  KG_ASSIGN_OR_RETURN(auto first, accounts.findUser("pat.acme"));
  KG_ASSIGN_OR_RETURN(auto second, accounts.findUser("pat.globex"));
  if (first && second && (!first->link_group || first->link_group != second->link_group))
    KG_TRY(accounts.linkAccounts(first->id, second->id));
  return logins;
}

// ---- Supplier API demo data ----

namespace {

using core::Id;
using core::MinorUnits;
using core::RateUnit;
using core::Seconds;
using core::Status;
constexpr Seconds kDay = core::kSecondsPerDay;
constexpr Seconds kWeek = 7 * kDay;

core::Result<Id> orgIdOf(storage::Repositories& repos, std::string_view name) {
  KG_ASSIGN_OR_RETURN(auto org, repos.organizations.findByName(std::string(name)));
  if (!org)
    return core::makeError(core::Errc::kInternal, "The demo organization '" + std::string(name) +
                                                      "' is missing: run seed-demo first.");
  return org->id;
}

// 00:00 UTC of the first day of the month that contains t.
Seconds monthStart(Seconds t) {
  return *core::parseDate(core::formatDate(t).substr(0, 8) + "01");
}
Seconds nextMonthStart(Seconds t) {
  return monthStart(monthStart(t) + 32 * kDay);
}

core::TimecardEntry entry(Seconds day, core::RateType type, core::Hundredths hours, int in_minutes,
                          int out_minutes) {
  return core::TimecardEntry{day, type, hours, in_minutes, out_minutes};
}

// A working week: Monday to Friday 8 hours ST (09:00–17:30 with a half-hour break), plus
// overtime on Thursday evening and double time on Saturday morning when asked for. Only days
// inside the engagement's dates.
std::vector<core::TimecardEntry> workWeek(const core::Engagement& e, Seconds week_ending,
                                          bool overtime, bool double_time) {
  std::vector<core::TimecardEntry> entries;
  const Seconds monday = week_ending - 6 * kDay;
  auto inside = [&](Seconds day) {
    return day >= e.start_date && (!e.end_date || day <= *e.end_date);
  };
  for (int d = 0; d < 5; ++d) {
    const Seconds day = monday + d * kDay;
    if (!inside(day)) continue;
    entries.push_back(entry(day, core::RateType::kStraight, 800, 9 * 60, 17 * 60 + 30));
    if (d == 3 && overtime && e.rates.overtime)
      entries.push_back(entry(day, core::RateType::kOvertime, 200, 17 * 60 + 30, 19 * 60 + 30));
  }
  const Seconds saturday = monday + 5 * kDay;
  if (double_time && e.rates.double_time && inside(saturday))
    entries.push_back(entry(saturday, core::RateType::kDoubleTime, 400, 8 * 60, 12 * 60));
  return entries;
}

// Writes one timecard already in `status`, with the billing items a VMS would have made on
// its way there (void when rejected). Returns the items that still count.
core::Result<std::vector<core::BillingItem>> writeTimecard(storage::SupplierRepositories& r,
                                                           const core::Engagement& e,
                                                           Seconds week_ending,
                                                           std::vector<core::TimecardEntry> entries,
                                                           core::TimecardStatus status,
                                                           const std::string& rejection_reason) {
  core::Timecard t;
  t.supplier_org_id = e.supplier_org_id;
  t.client_org_id = e.client_org_id;
  t.engagement_id = e.id;
  t.week_ending = week_ending;
  t.status = status;
  t.rate_unit = e.rate_unit;
  t.currency = e.currency;
  t.rates = e.rates;
  t.entries = std::move(entries);
  KG_TRY(core::computeTimecardTotals(t));
  // A realistic history: created on the Friday, submitted on the Monday after the week,
  // approved two days later.
  t.created_at = week_ending - 2 * kDay + 15 * 3600;
  t.updated_at = t.created_at;
  const Seconds submitted = week_ending + kDay + 9 * 3600;
  const Seconds decided = submitted + 2 * kDay;
  if (status != core::TimecardStatus::kDraft) t.submitted_at = t.updated_at = submitted;
  if (status == core::TimecardStatus::kApproved || status == core::TimecardStatus::kInvoiced)
    t.approved_at = t.updated_at = decided;
  if (status == core::TimecardStatus::kRejected) {
    t.rejection_reason = rejection_reason;
    t.updated_at = decided;
  }
  KG_ASSIGN_OR_RETURN(t.id, r.timecards.create(t));
  std::vector<core::BillingItem> kept;
  if (status == core::TimecardStatus::kDraft) return kept;
  KG_ASSIGN_OR_RETURN(auto lines, core::timecardLines(t.entries, t.rates, t.rate_unit));
  for (auto& item : services::supplier::billingItemsFor(t, lines, submitted)) {
    switch (status) {
      case core::TimecardStatus::kSubmitted:
        item.status = core::BillingItemStatus::kPending;
        break;
      case core::TimecardStatus::kRejected:
        item.status = core::BillingItemStatus::kVoid;
        break;
      default:
        item.status = core::BillingItemStatus::kApproved;
        break;
    }
    item.updated_at = t.updated_at;
    KG_ASSIGN_OR_RETURN(item.id, r.billing_items.create(item));
    if (item.status != core::BillingItemStatus::kVoid) kept.push_back(std::move(item));
  }
  return kept;
}

// One invoice over the items (each becomes a line and is marked invoiced).
core::Status writeInvoice(storage::SupplierRepositories& r, Id supplier, Id client,
                          std::string number, const std::vector<core::BillingItem>& items,
                          Seconds period_start, Seconds period_end, std::int64_t tax_bp,
                          core::InvoiceStatus status) {
  core::Invoice inv;
  inv.supplier_org_id = supplier;
  inv.client_org_id = client;
  inv.number = std::move(number);
  inv.status = status;
  inv.invoice_date = period_end + kDay;
  inv.due_date = inv.invoice_date + 30 * kDay;
  inv.period_start = period_start;
  inv.period_end = period_end;
  inv.currency = items.empty() ? "USD" : items.front().currency;
  for (const auto& item : items) {
    core::InvoiceLine line;
    line.line_number = static_cast<int>(inv.lines.size()) + 1;
    line.billing_item_id = item.id;
    line.engagement_id = item.engagement_id;
    line.description = item.description;
    line.quantity = item.quantity;
    line.rate = item.rate;
    line.amount = item.amount;
    inv.subtotal += item.amount;
    inv.lines.push_back(std::move(line));
  }
  inv.tax = core::applyBasisPoints(inv.subtotal, tax_bp).value_or(0);
  inv.total = inv.subtotal + inv.tax;
  inv.created_at = inv.updated_at = inv.invoice_date + 8 * 3600;
  KG_ASSIGN_OR_RETURN(const Id id, r.invoices.create(inv));
  for (const auto& item : items)
    KG_TRY(r.billing_items.markInvoiced(supplier, item.id, id, inv.created_at));
  return core::ok();
}

struct DemoRequest {
  const char* client;
  const char* number;
  const char* title;
  const char* description;
  std::vector<core::SkillRequirement> skills;
  const char* location;
  core::RemoteType remote;
  MinorUnits min_rate, max_rate;
  RateUnit unit;
  int start_in_weeks;
  int positions;
  core::RequestStatus status;
  std::vector<const char*> released_to;
};

struct DemoCandidate {
  const char* supplier;
  const char* first;
  const char* last;
  const char* location;
  bool remote, relocate;
  MinorUnits rate;
  RateUnit unit;
  int available_in_weeks;
  std::vector<core::CandidateSkill> skills;
  const char* resume;
  const char* submitted_to;  // a request number, or nullptr
  core::SubmittalStatus submittal;
};

struct DemoWorker {
  const char* supplier;
  const char* external_id;
  const char* first;
  const char* last;
  const char* email;
  const char* phone;
  const char* title;
  const char* location;
  core::WorkerStatus status;
};

struct DemoEngagement {
  const char* worker;  // external id
  const char* client;
  const char* number;
  const char* title;
  const char* cost_center;
  int start_weeks_ago;                    // negative: starts in the future
  std::optional<int> end_weeks_from_now;  // negative: ended that many weeks ago
  RateUnit unit;
  MinorUnits st;
  std::optional<MinorUnits> ot, dt;
  core::EngagementStatus status;
  const char* request;  // a request number, or nullptr
};

constexpr const char* kAcme = "Acme Staffing";
constexpr const char* kNorthwind = "Northwind Talent";
constexpr const char* kBench = "Benchmark Unlimited";
constexpr const char* kGlobex = "Globex Corporation";
constexpr const char* kInitech = "Initech Services";

std::int64_t taxFor(std::string_view client) {
  return client == kInitech ? 825 : 0;
}

const std::vector<DemoRequest>& demoRequests() {
  using core::RemoteType;
  using core::RequestStatus;
  static const std::vector<DemoRequest> kRequests = {
      {kGlobex,
       "SR-1001",
       "Senior Backend Engineer (Go, PostgreSQL)",
       "Globex's payments platform team needs a senior backend engineer to design and build Go "
       "microservices on PostgreSQL, run them on Kubernetes, and mentor two junior engineers. "
       "Experience with high-volume transaction processing, gRPC APIs and AWS is a plus.",
       {{"Go", 5, true},
        {"PostgreSQL", 3, true},
        {"Kubernetes", 2, true},
        {"AWS", 2, false},
        {"gRPC", 1, false}},
       "Austin, TX, US",
       RemoteType::kHybrid,
       9500,
       12500,
       RateUnit::kHour,
       3,
       2,
       RequestStatus::kOpen,
       {kAcme, kNorthwind, kBench}},
      {kGlobex,
       "SR-1002",
       "Data Analyst",
       "Analyse procurement and spend data, build dashboards for the finance leadership, and "
       "automate monthly reporting with SQL and Python.",
       {{"SQL", 3, true}, {"Python", 2, true}, {"Tableau", 1, false}},
       "Chicago, IL, US",
       RemoteType::kOnsite,
       5500,
       7500,
       RateUnit::kHour,
       2,
       1,
       RequestStatus::kOpen,
       {kAcme}},
      {kGlobex,
       "SR-1003",
       "Frontend Developer (React)",
       "Build the customer self-service portal in React and TypeScript with an accessible "
       "design system; work closely with product design.",
       {{"JavaScript", 4, true}, {"React", 3, true}, {"TypeScript", 2, true}, {"CSS", 2, false}},
       "Remote, US",
       RemoteType::kRemote,
       8000,
       10500,
       RateUnit::kHour,
       4,
       1,
       RequestStatus::kOnHold,
       {kNorthwind}},
      {kInitech,
       "SR-2001",
       "Payroll Systems Consultant",
       "Lead the migration of Initech's payroll from a legacy system to SAP SuccessFactors "
       "Employee Central Payroll: configuration, parallel runs and cut-over.",
       {{"SAP", 5, true}, {"Payroll", 3, true}},
       "Dallas, TX, US",
       RemoteType::kOnsite,
       60000,
       80000,
       RateUnit::kDay,
       1,
       1,
       RequestStatus::kOpen,
       {kAcme, kNorthwind}},
      {kInitech,
       "SR-2002",
       "DevOps Engineer",
       "Automate infrastructure with Terraform on AWS, operate EKS clusters, and build CI/CD "
       "pipelines for forty services.",
       {{"Terraform", 3, true}, {"AWS", 3, true}, {"k8s", 2, true}, {"CI/CD", 2, false}},
       "Remote, US",
       RemoteType::kRemote,
       9000,
       12000,
       RateUnit::kHour,
       -18,
       1,
       RequestStatus::kFilled,
       {kNorthwind}},
      {kInitech,
       "SR-2003",
       "QA Automation Engineer",
       "Own the automated regression suite of the claims application: Selenium and Java, with "
       "behaviour-driven scenarios in Cucumber.",
       {{"Selenium", 3, true}, {"Java", 3, true}, {"Cucumber", 1, false}},
       "Austin, TX, US",
       RemoteType::kHybrid,
       6000,
       8000,
       RateUnit::kHour,
       2,
       2,
       RequestStatus::kOpen,
       {kAcme}},
  };
  return kRequests;
}

const std::vector<DemoCandidate>& demoCandidates() {
  using core::SubmittalStatus;
  static const std::vector<DemoCandidate> kCandidates = {
      {kAcme,
       "Maya",
       "Chen",
       "Austin, TX, US",
       true,
       false,
       11500,
       RateUnit::kHour,
       2,
       {{"Go", 600}, {"Postgres", 400}, {"k8s", 300}, {"AWS", 250}},
       "Senior backend engineer. Six years building Go microservices for payment processing "
       "on PostgreSQL; runs services on Kubernetes in AWS; designed gRPC APIs; mentors junior "
       "engineers.",
       "SR-1001",
       SubmittalStatus::kSubmitted},
      {kAcme,
       "Luis",
       "Ortega",
       "Chicago, IL, US",
       false,
       false,
       6500,
       RateUnit::kHour,
       1,
       {{"SQL", 400}, {"Python", 300}, {"Excel", 500}},
       "Financial data analyst: SQL reporting, Python automation of month-end close, "
       "dashboards for procurement spend.",
       "SR-1002",
       SubmittalStatus::kInterviewing},
      {kAcme,
       "Priya",
       "Nair",
       "Austin, TX, US",
       true,
       false,
       7200,
       RateUnit::kHour,
       3,
       {{"Java", 500}, {"Selenium", 400}, {"Cucumber", 200}},
       "QA automation engineer: Selenium WebDriver suites in Java, BDD with Cucumber, CI "
       "integration.",
       "SR-2003",
       SubmittalStatus::kOffered},
      {kAcme,
       "Tom",
       "Becker",
       "Dallas, TX, US",
       false,
       true,
       70000,
       RateUnit::kDay,
       0,
       {{"SAP", 700}, {"Payroll", 400}},
       "SAP payroll consultant with seven years of SuccessFactors Employee Central Payroll "
       "implementations, parallel runs and cut-overs.",
       nullptr,
       SubmittalStatus::kSubmitted},
      {kNorthwind,
       "Aisha",
       "Bello",
       "Denver, CO, US",
       true,
       false,
       9800,
       RateUnit::kHour,
       1,
       {{"JS", 600}, {"React", 400}, {"TypeScript", 300}, {"CSS", 500}},
       "Frontend developer: React and TypeScript design systems, accessibility audits, "
       "customer portals.",
       nullptr,
       SubmittalStatus::kSubmitted},
      {kNorthwind,
       "Kenji",
       "Watanabe",
       "Seattle, WA, US",
       true,
       false,
       11000,
       RateUnit::kHour,
       0,
       {{"Terraform", 400}, {"AWS", 500}, {"Kubernetes", 400}, {"Jenkins", 300}},
       "DevOps engineer: Terraform on AWS, EKS operations, Jenkins and GitHub Actions "
       "pipelines.",
       "SR-2002",
       SubmittalStatus::kHired},
      {kNorthwind,
       "Olga",
       "Petrova",
       "Austin, TX, US",
       true,
       false,
       10000,
       RateUnit::kHour,
       4,
       {{"Go", 300}, {"PostgreSQL", 500}, {"Docker", 400}},
       "Backend developer: Go services and PostgreSQL schema design; containerised "
       "deployments with Docker.",
       "SR-1001",
       SubmittalStatus::kSubmitted},
      {kNorthwind,
       "Daniel",
       "Kim",
       "Houston, TX, US",
       false,
       false,
       62000,
       RateUnit::kDay,
       2,
       {{"SAP", 300}, {"Payroll", 200}},
       "Payroll analyst moving into SAP payroll configuration.",
       nullptr,
       SubmittalStatus::kSubmitted},
  };
  return kCandidates;
}

const std::vector<DemoWorker>& demoWorkers() {
  using core::WorkerStatus;
  static const std::vector<DemoWorker> kWorkers = {
      {kAcme, "ACME-W-1001", "Jordan", "Rivera", "jordan.rivera@acme-staffing.example",
       "+1 512 555 0142", "Software Engineer", "Austin, TX", WorkerStatus::kActive},
      {kAcme, "ACME-W-1002", "Emily", "Nguyen", "emily.nguyen@acme-staffing.example",
       "+1 312 555 0178", "Business Analyst", "Chicago, IL", WorkerStatus::kActive},
      {kAcme, "ACME-W-1003", "Marcus", "Johnson", "marcus.johnson@acme-staffing.example",
       "+1 214 555 0111", "Payroll Consultant", "Dallas, TX", WorkerStatus::kActive},
      {kAcme, "ACME-W-1004", "Sofia", "Rossi", "sofia.rossi@acme-staffing.example",
       "+1 512 555 0190", "QA Engineer", "Austin, TX", WorkerStatus::kActive},
      {kAcme, "ACME-W-1005", "Liam", "O'Brien", "", "", "Project Coordinator", "Plano, TX",
       WorkerStatus::kInactive},
      {kAcme, "ACME-W-1006", "Hannah", "Schmidt", "hannah.schmidt@acme-staffing.example", "",
       "Data Engineer", "Remote", WorkerStatus::kActive},
      {kNorthwind, "NW-2001", "Grace", "Okafor", "grace.okafor@northwind.example",
       "+1 206 555 0123", "DevOps Engineer", "Seattle, WA", WorkerStatus::kActive},
      {kNorthwind, "NW-2002", "Mateo", "Garcia", "mateo.garcia@northwind.example",
       "+1 303 555 0155", "Frontend Developer", "Denver, CO", WorkerStatus::kActive},
      {kNorthwind, "NW-2003", "Chloe", "Martin", "chloe.martin@northwind.example", "",
       "Technical Writer", "Portland, OR", WorkerStatus::kActive},
      {kNorthwind, "NW-2004", "Ravi", "Patel", "ravi.patel@northwind.example", "+1 713 555 0166",
       "Database Administrator", "Houston, TX", WorkerStatus::kActive},
      {kNorthwind, "NW-2005", "Zoe", "Williams", "", "", "Scrum Master", "Remote",
       WorkerStatus::kActive},
      {kBench, "BU-0001", "Bench", "Worker", "bench.worker@bench.example", "", "Load Test Engineer",
       "Remote", WorkerStatus::kActive},
  };
  return kWorkers;
}

const std::vector<DemoEngagement>& demoEngagements() {
  using core::EngagementStatus;
  static const std::vector<DemoEngagement> kEngagements = {
      {"ACME-W-1001", kGlobex, "ACME-ENG-0001", "Senior Backend Engineer", "GLX-ENG-4410", 20,
       std::nullopt, RateUnit::kHour, 11000, 16500, 22000, EngagementStatus::kActive, "SR-1001"},
      {"ACME-W-1002", kGlobex, "ACME-ENG-0002", "Business Analyst", "GLX-FIN-2200", 16,
       std::nullopt, RateUnit::kHour, 6850, 10275, std::nullopt, EngagementStatus::kActive,
       "SR-1002"},
      {"ACME-W-1003", kInitech, "ACME-ENG-0003", "Payroll Systems Consultant", "INI-HR-0300", 14,
       std::nullopt, RateUnit::kDay, 65000, std::nullopt, std::nullopt, EngagementStatus::kActive,
       "SR-2001"},
      {"ACME-W-1004", kInitech, "ACME-ENG-0004", "QA Automation Engineer", "INI-IT-0815", 30, -8,
       RateUnit::kHour, 7200, 10800, std::nullopt, EngagementStatus::kEnded, nullptr},
      {"ACME-W-1006", kGlobex, "ACME-ENG-0005", "Data Engineer", "GLX-ENG-4420", -2, 26,
       RateUnit::kHour, 9500, 14250, std::nullopt, EngagementStatus::kPending, nullptr},
      {"NW-2001", kInitech, "NW-ENG-0001", "DevOps Engineer", "INI-IT-0820", 18, std::nullopt,
       RateUnit::kHour, 10500, 15750, 21000, EngagementStatus::kActive, "SR-2002"},
      {"NW-2002", kGlobex, "NW-ENG-0002", "Frontend Developer", "GLX-DIG-1100", 12, std::nullopt,
       RateUnit::kHour, 9200, 13800, std::nullopt, EngagementStatus::kActive, nullptr},
      {"NW-2004", kInitech, "NW-ENG-0003", "Database Administrator", "INI-IT-0830", 10, 20,
       RateUnit::kHour, 8800, 13200, std::nullopt, EngagementStatus::kActive, nullptr},
      {"NW-2003", kGlobex, "NW-ENG-0004", "Technical Writer", "GLX-DOC-0100", 6, std::nullopt,
       RateUnit::kHour, 6000, std::nullopt, std::nullopt, EngagementStatus::kCancelled, nullptr},
      {"BU-0001", kGlobex, "BU-ENG-0001", "Load Test Engineer", "GLX-ENG-9000", 10, std::nullopt,
       RateUnit::kHour, 8000, 12000, std::nullopt, EngagementStatus::kActive, nullptr},
  };
  return kEngagements;
}

const char* supplierOfWorker(std::string_view external_id) {
  for (const auto& w : demoWorkers())
    if (external_id == w.external_id) return w.supplier;
  return kAcme;
}

}  // namespace

core::Result<SupplierDemoSummary> seedSupplierDemo(storage::Store& store,
                                                   const core::Clock& clock) {
  SupplierDemoSummary summary;
  const Seconds now = clock.now();
  const Seconds today = core::startOfDay(now);
  // The newest demo timecard week ends three Sundays back, so the last weeks are free for a
  // demo user (or a test) to create timecards in.
  const Seconds latest_week = core::weekEndingFor(today) - 3 * kWeek;
  KG_TRY(store.write([&](storage::Repositories& repos) -> Status {
    auto& r = repos.supplier;
    std::map<std::string, Id, std::less<>> orgs;
    for (const char* name : {kAcme, kNorthwind, kBench, kGlobex, kInitech}) {
      KG_ASSIGN_OR_RETURN(orgs[name], orgIdOf(repos, name));
    }
    KG_ASSIGN_OR_RETURN(auto existing, r.agreements.findWithClient(orgs[kAcme], orgs[kGlobex]));
    if (existing) return core::ok();
    summary.created = true;

    // Agreements: every supplier with each client it works for.
    std::map<std::pair<Id, Id>, Id> agreements;
    int agreement_number = 1;
    for (const char* supplier : {kAcme, kNorthwind, kBench}) {
      for (const char* client : {kGlobex, kInitech}) {
        if (std::string_view(supplier) == kBench && std::string_view(client) == kInitech) continue;
        core::Agreement a;
        a.supplier_org_id = orgs[supplier];
        a.client_org_id = orgs[client];
        a.number = "MSA-" + std::to_string(2024000 + agreement_number++);
        a.effective_from = today - 400 * kDay;
        a.created_at = a.updated_at = now - 400 * kDay;
        const std::pair<Id, Id> key{a.supplier_org_id, a.client_org_id};
        KG_ASSIGN_OR_RETURN(agreements[key], r.agreements.create(a));
      }
    }

    // Staffing requests, released to some suppliers only.
    std::map<std::string, core::StaffingRequest, std::less<>> requests;
    for (const auto& d : demoRequests()) {
      core::StaffingRequest q;
      q.client_org_id = orgs[d.client];
      q.number = d.number;
      q.title = d.title;
      q.description = d.description;
      q.skills = d.skills;
      q.location = d.location;
      q.remote = d.remote;
      q.bill_rate_min = d.min_rate;
      q.bill_rate_max = d.max_rate;
      q.rate_unit = d.unit;
      q.start_date = today + d.start_in_weeks * kWeek;
      q.positions = d.positions;
      q.status = d.status;
      q.created_at = q.updated_at = now - 30 * kDay;
      KG_ASSIGN_OR_RETURN(q.id, r.staffing_requests.create(q));
      for (const char* supplier : d.released_to)
        KG_TRY(r.staffing_requests.release(q.id, orgs[supplier], now - 29 * kDay));
      requests[d.number] = q;
    }

    // Candidates, their submittals, and one stored insight per supplier.
    for (const auto& d : demoCandidates()) {
      core::Candidate c;
      c.supplier_org_id = orgs[d.supplier];
      c.first_name = d.first;
      c.last_name = d.last;
      c.email = std::string(d.first) + "." + d.last + "@candidates.example";
      for (char& ch : c.email) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      c.location = d.location;
      c.open_to_remote = d.remote;
      c.willing_to_relocate = d.relocate;
      c.desired_rate = d.rate;
      c.rate_unit = d.unit;
      c.available_from = today + d.available_in_weeks * kWeek;
      c.resume_text = d.resume;
      c.skills = d.skills;
      c.created_at = c.updated_at = now - 20 * kDay;
      KG_ASSIGN_OR_RETURN(c.id, r.candidates.create(c));
      if (d.submitted_to == nullptr) continue;
      const auto& request = requests.at(d.submitted_to);
      core::Submittal s;
      s.supplier_org_id = c.supplier_org_id;
      s.client_org_id = request.client_org_id;
      s.staffing_request_id = request.id;
      s.candidate_id = c.id;
      s.status = d.submittal;
      s.bill_rate = d.rate;
      s.submitted_at = s.updated_at = now - 10 * kDay;
      KG_TRY(r.submittals.create(s));
      if (std::string_view(d.submitted_to) == "SR-1001") {
        const auto result = services::insights::score(services::supplier::requestProfile(request),
                                                      services::supplier::candidateProfile(c));
        core::CandidateInsightRecord insight;
        insight.supplier_org_id = c.supplier_org_id;
        insight.staffing_request_id = request.id;
        insight.candidate_id = c.id;
        insight.overall = result.overall;
        insight.band = result.band;
        insight.recommendation = result.recommendation;
        insight.model_version = result.model_version;
        insight.result_json = services::supplier::encodeInsight(result);
        insight.created_at = now - 11 * kDay;
        KG_TRY(r.candidate_insights.create(insight));
      }
    }

    // Workers.
    std::map<std::string, core::Worker, std::less<>> workers;
    for (const auto& d : demoWorkers()) {
      core::Worker w;
      w.supplier_org_id = orgs[d.supplier];
      w.external_id = d.external_id;
      w.first_name = d.first;
      w.last_name = d.last;
      w.email = d.email;
      w.phone = d.phone;
      w.job_title = d.title;
      w.location = d.location;
      w.status = d.status;
      w.created_at = w.updated_at = now - 200 * kDay;
      KG_ASSIGN_OR_RETURN(w.id, r.workers.create(w));
      workers[d.external_id] = w;
    }

    // Engagements with their timecards, billing items and invoices.
    // (client, month) → the invoiced items of one supplier, invoiced together.
    std::map<std::tuple<Id, Id, Seconds>, std::vector<core::BillingItem>> to_invoice;
    int engagement_index = 0;
    for (const auto& d : demoEngagements()) {
      const auto& worker = workers.at(d.worker);
      core::Engagement e;
      e.supplier_org_id = orgs[supplierOfWorker(d.worker)];
      e.client_org_id = orgs[d.client];
      e.agreement_id = agreements.at({e.supplier_org_id, e.client_org_id});
      if (d.request != nullptr) e.staffing_request_id = requests.at(d.request).id;
      e.worker_id = worker.id;
      e.number = d.number;
      e.title = d.title;
      e.status = d.status;
      // Engagements start on a Monday.
      e.start_date = core::weekEndingFor(today) - 6 * kDay - d.start_weeks_ago * kWeek;
      if (d.end_weeks_from_now)
        e.end_date = core::weekEndingFor(today) - 2 * kDay + *d.end_weeks_from_now * kWeek;
      e.rate_unit = d.unit;
      e.rates.straight = d.st;
      e.rates.overtime = d.ot;
      e.rates.double_time = d.dt;
      e.cost_center = d.cost_center;
      e.created_at = e.updated_at = e.start_date - 14 * kDay;
      KG_ASSIGN_OR_RETURN(e.id, r.engagements.create(e));
      ++summary.engagements;
      ++engagement_index;
      if (e.status == core::EngagementStatus::kPending ||
          e.status == core::EngagementStatus::kCancelled)
        continue;

      for (Seconds week = core::weekEndingFor(e.start_date); week <= latest_week; week += kWeek) {
        if (e.end_date && week - 6 * kDay > *e.end_date) break;
        const auto age = (latest_week - week) / kWeek;
        core::TimecardStatus status = core::TimecardStatus::kInvoiced;
        if (age == 0) {
          status = core::TimecardStatus::kDraft;
        } else if (age == 1) {
          status = core::TimecardStatus::kSubmitted;
        } else if (age == 2 && engagement_index == 2) {
          status = core::TimecardStatus::kRejected;
        } else if (age < 6) {
          status = core::TimecardStatus::kApproved;
        }
        if (e.end_date && age < 6) status = core::TimecardStatus::kInvoiced;
        KG_ASSIGN_OR_RETURN(
            auto items,
            writeTimecard(r, e, week, workWeek(e, week, age % 3 == 1, age % 4 == 2), status,
                          "Thursday overtime was not pre-approved by the hiring manager."));
        ++summary.timecards;
        summary.billing_items += static_cast<std::int64_t>(items.size());
        if (status == core::TimecardStatus::kInvoiced)
          for (auto& item : items)
            to_invoice[{e.supplier_org_id, e.client_org_id, monthStart(week)}].push_back(item);
      }

      // An approved expense that is not invoiced yet, as VMS expense reports are.
      core::BillingItem expense;
      expense.supplier_org_id = e.supplier_org_id;
      expense.client_org_id = e.client_org_id;
      expense.engagement_id = e.id;
      expense.type = core::BillingItemType::kExpense;
      expense.status = core::BillingItemStatus::kApproved;
      expense.description = "Mileage and parking, client site visits";
      expense.service_date = latest_week - kWeek;
      expense.quantity = 100;
      expense.unit = "each";
      expense.rate = expense.amount = 4560;
      expense.created_at = expense.updated_at = latest_week + 2 * kDay;
      KG_TRY(r.billing_items.create(expense));
      ++summary.billing_items;
      if (engagement_index == 1) {
        core::BillingItem adjustment = expense;
        adjustment.type = core::BillingItemType::kAdjustment;
        adjustment.status = core::BillingItemStatus::kPending;
        adjustment.description = "Credit: duplicate parking charge";
        adjustment.rate = adjustment.amount = -1250;
        KG_TRY(r.billing_items.create(adjustment));
        ++summary.billing_items;
      }
    }

    for (auto& [key, items] : to_invoice) {
      const auto& [supplier, client, month] = key;
      const Seconds month_end = nextMonthStart(month) - kDay;
      std::string client_name = client == orgs[kGlobex] ? kGlobex : kInitech;
      const std::string prefix = supplier == orgs[kAcme]        ? "ACME"
                                 : supplier == orgs[kNorthwind] ? "NW"
                                                                : "BU";
      const std::string number = prefix + "-INV-" + core::formatDate(month).substr(0, 4) +
                                 core::formatDate(month).substr(5, 2) + "-" +
                                 (client == orgs[kGlobex] ? "GLX" : "INI");
      const bool paid = month_end + 45 * kDay < today;
      KG_TRY(writeInvoice(r, supplier, client, number, items, month, month_end, taxFor(client_name),
                          paid ? core::InvoiceStatus::kPaid : core::InvoiceStatus::kIssued));
      ++summary.invoices;
    }
    return core::ok();
  }));
  return summary;
}

core::Result<ScaleSummary> seedScale(storage::Store& store, const core::Clock& clock,
                                     std::int64_t engagements,
                                     const std::function<void(std::int64_t)>& progress) {
  ScaleSummary summary;
  if (engagements <= 0) return summary;
  const Seconds now = clock.now();
  const Seconds latest_week = core::weekEndingFor(core::startOfDay(now)) - kWeek;
  const Seconds first_week = latest_week - 51 * kWeek;
  // Unique per run (the supplier's engagement count so far), so repeated runs add batches
  // instead of colliding on numbers.
  std::string batch;
  Id supplier = 0, client = 0, agreement = 0;
  KG_TRY(store.write([&](storage::Repositories& repos) -> Status {
    KG_ASSIGN_OR_RETURN(supplier, orgIdOf(repos, kBench));
    KG_ASSIGN_OR_RETURN(client, orgIdOf(repos, kGlobex));
    KG_ASSIGN_OR_RETURN(auto existing_engagements,
                        repos.supplier.engagements.list(supplier, {}, {0, 0}));
    batch = "S" + std::to_string(existing_engagements.total);
    KG_ASSIGN_OR_RETURN(auto existing, repos.supplier.agreements.findWithClient(supplier, client));
    if (existing) {
      agreement = existing->id;
      return core::ok();
    }
    core::Agreement a;
    a.supplier_org_id = supplier;
    a.client_org_id = client;
    a.number = "MSA-BENCH-" + batch;
    a.effective_from = first_week - 7 * kDay;
    a.created_at = a.updated_at = now;
    KG_ASSIGN_OR_RETURN(agreement, repos.supplier.agreements.create(a));
    return core::ok();
  }));

  // About 430 rows per engagement; 500 engagements per transaction keeps each commit large
  // (fast) and the WAL bounded.
  constexpr std::int64_t kPerTransaction = 500;
  for (std::int64_t done = 0; done < engagements;) {
    const std::int64_t end = std::min(engagements, done + kPerTransaction);
    KG_TRY(store.write([&](storage::Repositories& repos) -> Status {
      auto& r = repos.supplier;
      for (std::int64_t i = done; i < end; ++i) {
        const std::string n = std::to_string(i + 1);
        core::Worker w;
        w.supplier_org_id = supplier;
        w.external_id = "BU-" + batch + "-" + n;
        w.first_name = "Bench";
        w.last_name = "Worker " + n;
        w.job_title = "Contractor";
        w.created_at = w.updated_at = now;
        KG_ASSIGN_OR_RETURN(w.id, r.workers.create(w));

        core::Engagement e;
        e.supplier_org_id = supplier;
        e.client_org_id = client;
        e.agreement_id = agreement;
        e.worker_id = w.id;
        e.number = "BU-ENG-" + batch + "-" + n;
        e.title = "Contractor";
        e.status = core::EngagementStatus::kActive;
        e.start_date = first_week - 6 * kDay;
        e.rate_unit = RateUnit::kHour;
        e.rates.straight = 6000 + (i % 50) * 125;
        e.rates.overtime = e.rates.straight * 3 / 2;
        e.cost_center = "GLX-BENCH-" + std::to_string(i % 20);
        e.created_at = e.updated_at = now;
        KG_ASSIGN_OR_RETURN(e.id, r.engagements.create(e));
        ++summary.engagements;

        std::vector<core::BillingItem> block;
        for (int k = 0; k < 52; ++k) {
          const Seconds week = first_week + k * kWeek;
          const int age = 51 - k;
          const auto status = age == 0   ? core::TimecardStatus::kDraft
                              : age == 1 ? core::TimecardStatus::kSubmitted
                              : age < 4  ? core::TimecardStatus::kApproved
                                         : core::TimecardStatus::kInvoiced;
          KG_ASSIGN_OR_RETURN(
              auto items,
              writeTimecard(r, e, week, workWeek(e, week, k % 4 == 3, false), status, {}));
          ++summary.timecards;
          summary.billing_items += static_cast<std::int64_t>(items.size());
          if (status != core::TimecardStatus::kInvoiced) continue;
          block.insert(block.end(), items.begin(), items.end());
          // Four-weekly invoices, as many VMS programs bill.
          if (k % 4 == 3) {
            const Seconds period_start = week - 27 * kDay;
            KG_TRY(writeInvoice(r, supplier, client,
                                "BU-INV-" + batch + "-" + n + "-" + std::to_string(k / 4 + 1),
                                block, period_start, week, 0, core::InvoiceStatus::kIssued));
            ++summary.invoices;
            block.clear();
          }
        }
      }
      return core::ok();
    }));
    done = end;
    if (progress) progress(done);
  }
  return summary;
}

}  // namespace keygate::app
