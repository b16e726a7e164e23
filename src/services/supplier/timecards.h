// Timecards (DESIGN §4.2, scope timecards:write): a supplier creates a draft for an engagement
// and week, replaces its entries, and moves it along the state machine of core/supplier_model
// (submit, recall, revise). Submitting creates pending billing items, one per rate type, as a
// VMS does; recalling voids them again. Approval and rejection belong to the client (the VMS
// side): they exist here for the demo data and tests, and no Supplier API route reaches them.
// Every change is validated completely before anything is written, in one transaction.
#pragma once

#include <optional>
#include <vector>

#include "core/clock.h"
#include "core/error.h"
#include "core/supplier_model.h"
#include "storage/repositories.h"
#include "storage/supplier_repositories.h"

namespace keygate::services::supplier {

struct NewTimecard {
  core::Id engagement_id = 0;
  core::Seconds week_ending = 0;  // 00:00 UTC of a Sunday
  std::vector<core::TimecardEntry> entries;
};

// A PATCH: replace the entries, change the status, or both (entries first, then the move).
// The move is named either as an action or as the status wanted: "submitted" is submit,
// "draft" is recall from submitted and revise from rejected, anything else is refused like the
// matching action (so "approved" is a 409 like "approve").
struct TimecardChange {
  std::optional<std::vector<core::TimecardEntry>> entries;
  std::optional<core::TimecardAction> action;
  std::optional<core::TimecardStatus> status;
};

// The action that moves a timecard from `current` to `wanted`.
core::TimecardAction actionForStatus(core::TimecardStatus current, core::TimecardStatus wanted);

// A timecard with what it is worth per rate type, for rendering.
struct TimecardView {
  core::Timecard timecard;
  std::vector<core::TimecardLine> lines;
};

class TimecardService {
 public:
  TimecardService(storage::Store& store, const core::Clock& clock) : store_(store), clock_(clock) {}

  // kNotFound (field engagementId) for an engagement that is not the organization's;
  // kValidationFailed for a week ending that is not a Sunday, or outside the engagement;
  // kConflict when the engagement already has a timecard for the week, or is cancelled.
  core::Result<TimecardView> create(core::Id org_id, const NewTimecard& input);
  core::Result<TimecardView> get(core::Id org_id, core::Id id);
  core::Result<storage::Page<TimecardView>> list(core::Id org_id,
                                                 const storage::TimecardFilter& filter,
                                                 const storage::PageRequest& page);
  // As the supplier: entries only on drafts, and only submit / recall / revise (kConflict
  // otherwise, including for any approval).
  core::Result<TimecardView> change(core::Id org_id, core::Id id, const TimecardChange& change);

  // The client's side of the state machine (VMS approval). Not reachable through the API.
  core::Result<TimecardView> approve(core::Id org_id, core::Id id);
  core::Result<TimecardView> reject(core::Id org_id, core::Id id, const std::string& reason);

 private:
  core::Result<TimecardView> move(core::Id org_id, core::Id id, core::TimecardAction action,
                                  core::Party by, const std::string& reason);

  storage::Store& store_;
  const core::Clock& clock_;
};

// The lines of a timecard (from its entries and snapshotted rates).
core::Result<TimecardView> viewOf(core::Timecard timecard);

// The pending billing items that submitting `timecard` creates: one per line.
std::vector<core::BillingItem> billingItemsFor(const core::Timecard& timecard,
                                               const std::vector<core::TimecardLine>& lines,
                                               core::Seconds now);

}  // namespace keygate::services::supplier
