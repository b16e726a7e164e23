// RaaS use cases (DESIGN §4.1): customizable reports (create, edit, delete, share within the
// organization), run requests with the 15-minute dedup and a per-user limit, run status, and
// paged retrieval of a completed run as JSON rows or CSV. Access: a report is used by its
// owner and the users it is shared with; a run is read only by the account that requested
// it. Anything else reads as "not found", so ids of other people's reports reveal nothing.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/error.h"
#include "core/model.h"
#include "services/raas/definition.h"
#include "services/raas/run_engine.h"
#include "storage/raas_repositories.h"
#include "storage/repositories.h"

namespace keygate::services::raas {

struct ServiceOptions {
  core::Seconds dedup_window = 15 * 60;
  // Queued plus running runs one user may have; more requests get 429.
  int max_active_per_user = 20;
  std::int64_t default_page_size = 5000;
  std::int64_t max_page_size = 20000;
};

// The account a request acts as (a token's, or a web session's).
struct Requester {
  core::User user;
  core::Organization org;
};

struct UserRef {
  core::Id id = 0;
  std::string username;
  std::string display_name;
};

struct ReportView {
  storage::ReportRecord record;
  std::optional<ReportDefinition> definition;  // unset in lists (not parsed there)
  UserRef owner;
  bool owned = false;  // the requester owns it (may edit, share and delete it)
  std::vector<UserRef> shared_with;
};

struct RunRequested {
  core::Id run_id = 0;
  bool reused = false;  // an identical request within the dedup window
};

enum class PublicStatus { kQueued, kRunning, kCompleted, kFailed };
std::string_view toString(PublicStatus status);  // "Queued", "Running", "Completed", "Failed"

struct RunView {
  storage::RunRecord run;
  PublicStatus status = PublicStatus::kQueued;
  std::string message;
  std::int64_t total_records = 0;  // known once counted (running) or completed
  std::int64_t progress = 0;       // rows produced so far
};

enum class PageFormat { kJson, kCsv };

struct PageResult {
  std::int64_t page = 1;
  std::int64_t size = 0;  // after clamping
  std::int64_t total_records = 0;
  std::int64_t total_pages = 0;
  bool has_next = false;
  // JSON: the rows as an array of objects keyed by display names ("[...]").
  // CSV: the header line and the rows.
  std::string body;
};

class RaasService {
 public:
  RaasService(storage::Store& store, const core::Clock& clock, RunEngine& engine,
              ServiceOptions options = {});

  // The account behind a bearer token: kUnauthenticated when it is gone or disabled.
  core::Result<Requester> requesterFor(core::Id user_id, core::Id org_id);

  core::Result<std::vector<ReportView>> listReports(const Requester& requester);
  core::Result<ReportView> getReport(const Requester& requester, core::Id report_id);
  core::Result<ReportView> createReport(const Requester& requester,
                                        const ReportDefinition& definition);
  // Owner only.
  core::Result<ReportView> updateReport(const Requester& requester, core::Id report_id,
                                        const ReportDefinition& definition);
  core::Status deleteReport(const Requester& requester, core::Id report_id);
  // Replaces the shares with these usernames of the owner's organization (owner only).
  core::Result<ReportView> shareReport(const Requester& requester, core::Id report_id,
                                       const std::vector<std::string>& usernames);
  // The accounts of the requester's organization a report can be shared with.
  core::Result<std::vector<UserRef>> shareCandidates(const Requester& requester);

  core::Result<RunRequested> requestRun(const Requester& requester, core::Id report_id,
                                        const PromptValues& prompts);
  core::Result<RunView> runStatus(const Requester& requester, core::Id report_id, core::Id run_id);
  core::Result<RunView> cancelRun(const Requester& requester, core::Id report_id, core::Id run_id);
  // page >= 1 and size >= 1 (kInvalidParameter otherwise); size above the maximum is clamped.
  // kConflict while the run is not completed.
  core::Result<PageResult> readPage(const Requester& requester, core::Id report_id, core::Id run_id,
                                    std::int64_t page, std::int64_t size, PageFormat format);

  // Cost centers (departments) whose rows a client user without report_admin sees.
  core::Status setCostCenters(core::Id user_id, const std::vector<std::string>& cost_centers);
  core::Result<std::vector<std::string>> costCenters(core::Id user_id);

  const ServiceOptions& options() const { return options_; }

 private:
  core::Result<storage::ReportRecord> accessibleReport(storage::Repositories& repos,
                                                       const Requester& requester,
                                                       core::Id report_id);
  core::Result<ReportView> view(storage::Repositories& repos, const Requester& requester,
                                storage::ReportRecord record, bool with_definition);
  core::Result<storage::RunRecord> ownRun(const Requester& requester, core::Id report_id,
                                          core::Id run_id);
  RunView describe(storage::RunRecord run) const;

  storage::Store& store_;
  const core::Clock& clock_;
  RunEngine& engine_;
  ServiceOptions options_;
};

}  // namespace keygate::services::raas
