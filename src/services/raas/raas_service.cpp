// RaaS use cases (see raas_service.h).
#include "services/raas/raas_service.h"

#include <algorithm>
#include <set>

#include "core/key_rules.h"
#include "crypto/crypto.h"
#include "services/raas/render.h"
#include "services/raas/result_file.h"

namespace keygate::services::raas {
namespace {

constexpr std::size_t kMaxShares = 200;
constexpr std::size_t kMaxCostCenters = 200;
constexpr std::size_t kMaxCostCenterLength = 100;

core::Error reportNotFound() {
  return core::makeError(core::Errc::kNotFound, "No such report.");
}

core::Error runNotFound() {
  return core::makeError(core::Errc::kNotFound, "No such run of this report.");
}

core::Error ownerOnly() {
  return core::makeError(core::Errc::kPermissionDenied,
                         "Only the owner of a report may change, share or delete it.");
}

UserRef refOf(const core::User& user) {
  return UserRef{user.id, user.username, user.display_name};
}

std::string trimmed(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return std::string(text);
}

}  // namespace

std::string_view toString(PublicStatus status) {
  switch (status) {
    case PublicStatus::kQueued:
      return "Queued";
    case PublicStatus::kRunning:
      return "Running";
    case PublicStatus::kCompleted:
      return "Completed";
    case PublicStatus::kFailed:
      break;
  }
  return "Failed";
}

RaasService::RaasService(storage::Store& store, const core::Clock& clock, RunEngine& engine,
                         ServiceOptions options)
    : store_(store), clock_(clock), engine_(engine), options_(options) {}

core::Result<Requester> RaasService::requesterFor(core::Id user_id, core::Id org_id) {
  std::optional<core::User> user;
  std::optional<core::Organization> org;
  KG_TRY(store_.read([&](storage::Repositories& repos) -> core::Status {
    KG_ASSIGN_OR_RETURN(user, repos.users.findById(user_id));
    KG_ASSIGN_OR_RETURN(org, repos.organizations.findById(org_id));
    return core::ok();
  }));
  if (!user || !org || user->disabled || user->org_id != org_id)
    return core::makeError(core::Errc::kUnauthenticated, "The account of this key is not active.");
  return Requester{std::move(*user), std::move(*org)};
}

// ---- reports ----

core::Result<storage::ReportRecord> RaasService::accessibleReport(storage::Repositories& repos,
                                                                  const Requester& requester,
                                                                  core::Id report_id) {
  KG_ASSIGN_OR_RETURN(auto report, repos.raas.reports.find(report_id));
  if (!report || report->org_id != requester.org.id) return reportNotFound();
  if (report->owner_user_id == requester.user.id) return *report;
  KG_ASSIGN_OR_RETURN(const bool shared,
                      repos.raas.reports.isSharedWith(report_id, requester.user.id));
  if (!shared) return reportNotFound();
  return *report;
}

core::Result<ReportView> RaasService::view(storage::Repositories& repos, const Requester& requester,
                                           storage::ReportRecord record, bool with_definition) {
  ReportView out;
  out.owned = record.owner_user_id == requester.user.id;
  if (out.owned) {
    out.owner = refOf(requester.user);
  } else {
    KG_ASSIGN_OR_RETURN(auto owner, repos.users.findById(record.owner_user_id));
    if (owner) out.owner = refOf(*owner);
  }
  // Who else has it matters to its owner only.
  if (out.owned) {
    KG_ASSIGN_OR_RETURN(auto shares, repos.raas.reports.listShares(record.id));
    for (const auto& share : shares) {
      KG_ASSIGN_OR_RETURN(auto user, repos.users.findById(share.user_id));
      if (user) out.shared_with.push_back(refOf(*user));
    }
  }
  if (with_definition) {
    KG_ASSIGN_OR_RETURN(auto definition, fromRecord(record));
    out.definition = std::move(definition);
  }
  out.record = std::move(record);
  return out;
}

core::Result<std::vector<ReportView>> RaasService::listReports(const Requester& requester) {
  std::vector<ReportView> out;
  KG_TRY(store_.read([&](storage::Repositories& repos) -> core::Status {
    KG_ASSIGN_OR_RETURN(auto records, repos.raas.reports.listAccessible(requester.user.id));
    for (auto& record : records) {
      if (record.org_id != requester.org.id) continue;
      KG_ASSIGN_OR_RETURN(auto v, view(repos, requester, std::move(record), false));
      out.push_back(std::move(v));
    }
    return core::ok();
  }));
  return out;
}

core::Result<ReportView> RaasService::getReport(const Requester& requester, core::Id report_id) {
  std::optional<ReportView> out;
  KG_TRY(store_.read([&](storage::Repositories& repos) -> core::Status {
    KG_ASSIGN_OR_RETURN(auto record, accessibleReport(repos, requester, report_id));
    KG_ASSIGN_OR_RETURN(out, view(repos, requester, std::move(record), true));
    return core::ok();
  }));
  return std::move(*out);
}

core::Result<ReportView> RaasService::createReport(const Requester& requester,
                                                   const ReportDefinition& definition) {
  KG_TRY(validateDefinition(definition));
  const core::Seconds now = clock_.now();
  storage::ReportRecord record;
  record.org_id = requester.org.id;
  record.owner_user_id = requester.user.id;
  toRecord(definition, record);
  record.version = 1;
  record.created_at = now;
  record.updated_at = now;
  std::optional<ReportView> out;
  KG_TRY(store_.write([&](storage::Repositories& repos) -> core::Status {
    KG_ASSIGN_OR_RETURN(record.id, repos.raas.reports.create(record));
    KG_ASSIGN_OR_RETURN(out, view(repos, requester, record, true));
    return core::ok();
  }));
  return std::move(*out);
}

core::Result<ReportView> RaasService::updateReport(const Requester& requester, core::Id report_id,
                                                   const ReportDefinition& definition) {
  KG_TRY(validateDefinition(definition));
  std::optional<ReportView> out;
  KG_TRY(store_.write([&](storage::Repositories& repos) -> core::Status {
    KG_ASSIGN_OR_RETURN(auto record, accessibleReport(repos, requester, report_id));
    if (record.owner_user_id != requester.user.id) return ownerOnly();
    toRecord(definition, record);
    record.version += 1;
    record.updated_at = clock_.now();
    KG_TRY(repos.raas.reports.update(record));
    KG_ASSIGN_OR_RETURN(out, view(repos, requester, std::move(record), true));
    return core::ok();
  }));
  return std::move(*out);
}

core::Status RaasService::deleteReport(const Requester& requester, core::Id report_id) {
  std::vector<core::Id> runs;
  KG_TRY(store_.write([&](storage::Repositories& repos) -> core::Status {
    KG_ASSIGN_OR_RETURN(auto record, accessibleReport(repos, requester, report_id));
    if (record.owner_user_id != requester.user.id) return ownerOnly();
    KG_ASSIGN_OR_RETURN(runs, repos.raas.runs.listIdsByReport(report_id));
    // The runs and shares go with it (ON DELETE CASCADE).
    return repos.raas.reports.remove(report_id);
  }));
  for (const auto id : runs) {
    engine_.interrupt(id);
    removeResult(engine_.options().results_dir, id);
  }
  return core::ok();
}

core::Result<ReportView> RaasService::shareReport(const Requester& requester, core::Id report_id,
                                                  const std::vector<std::string>& usernames) {
  if (usernames.size() > kMaxShares)
    return core::fieldError(core::Errc::kValidationFailed, "sharedWith",
                            "A report is shared with at most 200 accounts.");
  std::optional<ReportView> out;
  KG_TRY(store_.write([&](storage::Repositories& repos) -> core::Status {
    KG_ASSIGN_OR_RETURN(auto record, accessibleReport(repos, requester, report_id));
    if (record.owner_user_id != requester.user.id) return ownerOnly();
    std::set<core::Id> ids;
    for (const auto& name : usernames) {
      KG_ASSIGN_OR_RETURN(auto user, repos.users.findByUsername(trimmed(name)));
      // Accounts of other organizations read exactly like accounts that do not exist.
      if (!user || user->org_id != requester.org.id || user->disabled)
        return core::fieldError(
            core::Errc::kValidationFailed, "sharedWith",
            "There is no active account '" + trimmed(name) + "' in your organization.");
      if (user->id != requester.user.id) ids.insert(user->id);
    }
    KG_TRY(repos.raas.reports.setShares(report_id, {ids.begin(), ids.end()}, clock_.now()));
    KG_ASSIGN_OR_RETURN(out, view(repos, requester, std::move(record), true));
    return core::ok();
  }));
  return std::move(*out);
}

core::Result<std::vector<UserRef>> RaasService::shareCandidates(const Requester& requester) {
  std::vector<UserRef> out;
  KG_TRY(store_.read([&](storage::Repositories& repos) -> core::Status {
    KG_ASSIGN_OR_RETURN(auto users, repos.users.listByOrg(requester.org.id));
    for (const auto& user : users)
      if (!user.disabled && user.id != requester.user.id) out.push_back(refOf(user));
    return core::ok();
  }));
  return out;
}

// ---- runs ----

core::Result<RunRequested> RaasService::requestRun(const Requester& requester, core::Id report_id,
                                                   const PromptValues& prompts) {
  std::optional<storage::ReportRecord> record;
  KG_TRY(store_.read([&](storage::Repositories& repos) -> core::Status {
    KG_ASSIGN_OR_RETURN(record, accessibleReport(repos, requester, report_id));
    return core::ok();
  }));
  KG_ASSIGN_OR_RETURN(const auto definition, fromRecord(*record));
  KG_ASSIGN_OR_RETURN(const auto spec, bindPrompts(definition, prompts));
  const std::string spec_json = specToJson(spec);
  const std::string params_hash = crypto::sha256Hex(std::to_string(report_id) + "\n" + spec_json);

  const core::Seconds now = clock_.now();
  RunRequested out;
  KG_TRY(store_.write([&](storage::Repositories& repos) -> core::Status {
    // Re-checked inside the write: the report may have been deleted or unshared meanwhile.
    KG_TRY(accessibleReport(repos, requester, report_id));
    KG_ASSIGN_OR_RETURN(auto existing,
                        repos.raas.runs.findReusable(requester.user.id, report_id, params_hash,
                                                     now - options_.dedup_window));
    if (existing) {
      out = RunRequested{existing->id, true};
      return core::ok();
    }
    KG_ASSIGN_OR_RETURN(const int active, repos.raas.runs.countActive(requester.user.id));
    if (active >= options_.max_active_per_user) {
      auto error = core::makeError(
          core::Errc::kRateLimited,
          "You have " + std::to_string(active) +
              " report runs queued or running, the most allowed. Request more when one ends.");
      error.retry_after_seconds = 30;
      return error;
    }
    storage::RunRecord run;
    run.report_id = report_id;
    run.user_id = requester.user.id;
    run.org_id = requester.org.id;
    run.params_hash = params_hash;
    run.spec_json = spec_json;
    run.status = storage::RunStatus::kQueued;
    run.created_at = now;
    KG_ASSIGN_OR_RETURN(out.run_id, repos.raas.runs.create(run));
    out.reused = false;
    return core::ok();
  }));
  if (!out.reused) engine_.wake();
  return out;
}

core::Result<storage::RunRecord> RaasService::ownRun(const Requester& requester, core::Id report_id,
                                                     core::Id run_id) {
  std::optional<storage::RunRecord> run;
  KG_TRY(store_.read([&](storage::Repositories& repos) -> core::Status {
    KG_TRY(accessibleReport(repos, requester, report_id));
    KG_ASSIGN_OR_RETURN(run, repos.raas.runs.find(run_id));
    return core::ok();
  }));
  if (!run || run->report_id != report_id || run->user_id != requester.user.id)
    return runNotFound();
  // Past its retention the run is gone, whether or not the purge has removed it yet.
  if (run->expires_at && *run->expires_at <= clock_.now())
    return core::makeError(core::Errc::kNotFound,
                           "The results of this run expired: they are kept for 24 hours. "
                           "Request the report again.");
  return std::move(*run);
}

RunView RaasService::describe(storage::RunRecord run) const {
  RunView out;
  out.progress = run.progress;
  out.total_records = run.total_records.value_or(0);
  switch (run.status) {
    case storage::RunStatus::kQueued:
      out.status = PublicStatus::kQueued;
      out.message = run.message.empty() ? "Queued: waiting for a worker." : run.message;
      break;
    case storage::RunStatus::kRunning: {
      out.status = PublicStatus::kRunning;
      const auto live = engine_.progress(run.id);
      if (live && live->total) {
        out.total_records = *live->total;
        out.progress = live->rows;
        const auto percent = *live->total > 0 ? live->rows * 100 / *live->total : 100;
        out.message = "Running: " + withThousands(live->rows) + " of " +
                      withThousands(*live->total) + " rows (" + std::to_string(percent) + "%).";
      } else {
        out.message = "Running: counting rows.";
      }
      break;
    }
    case storage::RunStatus::kCompleted:
      out.status = PublicStatus::kCompleted;
      out.message =
          "Completed: " + withThousands(out.total_records) + " rows." +
          (run.expires_at ? " Results are kept until " + core::formatDateTime(*run.expires_at) + "."
                          : std::string());
      break;
    case storage::RunStatus::kFailed:
    case storage::RunStatus::kCancelled:
      out.status = PublicStatus::kFailed;
      out.message = run.message.empty() ? "The run failed." : run.message;
      break;
  }
  out.run = std::move(run);
  return out;
}

core::Result<RunView> RaasService::runStatus(const Requester& requester, core::Id report_id,
                                             core::Id run_id) {
  KG_ASSIGN_OR_RETURN(auto run, ownRun(requester, report_id, run_id));
  return describe(std::move(run));
}

core::Result<RunView> RaasService::cancelRun(const Requester& requester, core::Id report_id,
                                             core::Id run_id) {
  KG_TRY(ownRun(requester, report_id, run_id));
  const core::Seconds now = clock_.now();
  bool cancelled = false;
  KG_TRY(store_.write([&](storage::Repositories& repos) -> core::Status {
    KG_ASSIGN_OR_RETURN(cancelled, repos.raas.runs.cancel(run_id, "Cancelled by the user.", now,
                                                          now + engine_.options().retention));
    return core::ok();
  }));
  if (!cancelled) return core::makeError(core::Errc::kConflict, "The run has already ended.");
  engine_.interrupt(run_id);
  return runStatus(requester, report_id, run_id);
}

core::Result<PageResult> RaasService::readPage(const Requester& requester, core::Id report_id,
                                               core::Id run_id, std::int64_t page,
                                               std::int64_t size, PageFormat format) {
  if (page < 1) return core::fieldError(core::Errc::kInvalidParameter, "page", "page starts at 1.");
  if (size < 1)
    return core::fieldError(core::Errc::kInvalidParameter, "size", "size is at least 1.");
  size = std::min(size, options_.max_page_size);
  KG_ASSIGN_OR_RETURN(auto run, ownRun(requester, report_id, run_id));
  if (run.status != storage::RunStatus::kCompleted) {
    const auto described = describe(run);
    return core::makeError(core::Errc::kConflict, "The run is not completed (status " +
                                                      std::string(toString(described.status)) +
                                                      "): " + described.message);
  }
  KG_ASSIGN_OR_RETURN(const auto spec, specFromJson(run.spec_json));
  KG_ASSIGN_OR_RETURN(auto reader,
                      ResultReader::open(resultPath(engine_.options().results_dir, run.id)));
  if (reader.columns() != spec.columns.size())
    return core::makeError(core::Errc::kInternal, "The report result is damaged.",
                           "raas run " + std::to_string(run.id) + ": column count mismatch");
  std::vector<std::string> names;
  for (const auto& column : spec.columns) names.push_back(column.display_name);

  PageResult out;
  out.page = page;
  out.size = size;
  out.total_records = reader.rows();
  out.total_pages = (out.total_records + size - 1) / size;
  out.has_next = page < out.total_pages;
  // Only the requested page is ever in memory: the reader seeks to its first row.
  const std::int64_t first = (page - 1) > (INT64_MAX / size) ? INT64_MAX : (page - 1) * size;
  if (format == PageFormat::kCsv) {
    appendCsvHeader(out.body, names);
    KG_TRY(reader.read(first, size,
                       [&](std::span<const Field> fields) { appendCsvRow(out.body, fields); }));
  } else {
    JsonRowsWriter rows(names);
    out.body.push_back('[');
    KG_TRY(reader.read(first, size,
                       [&](std::span<const Field> fields) { rows.row(out.body, fields); }));
    out.body.push_back(']');
  }
  return out;
}

// ---- cost centers ----

core::Status RaasService::setCostCenters(core::Id user_id,
                                         const std::vector<std::string>& cost_centers) {
  if (cost_centers.size() > kMaxCostCenters)
    return core::fieldError(core::Errc::kValidationFailed, "costCenters",
                            "A user has at most 200 cost centers.");
  std::vector<std::string> clean;
  for (const auto& raw : cost_centers) {
    auto value = trimmed(raw);
    if (value.empty() || value.size() > kMaxCostCenterLength)
      return core::fieldError(core::Errc::kValidationFailed, "costCenters",
                              "A cost center has 1 to 100 characters.");
    if (std::find(clean.begin(), clean.end(), value) == clean.end())
      clean.push_back(std::move(value));
  }
  return store_.write([&](storage::Repositories& repos) -> core::Status {
    KG_ASSIGN_OR_RETURN(auto user, repos.users.findById(user_id));
    if (!user) return core::makeError(core::Errc::kNotFound, "No such account.");
    return repos.raas.cost_centers.set(user_id, clean, clock_.now());
  });
}

core::Result<std::vector<std::string>> RaasService::costCenters(core::Id user_id) {
  std::vector<std::string> out;
  KG_TRY(store_.read([&](storage::Repositories& repos) -> core::Status {
    KG_ASSIGN_OR_RETURN(out, repos.raas.cost_centers.list(user_id));
    return core::ok();
  }));
  return out;
}

}  // namespace keygate::services::raas
