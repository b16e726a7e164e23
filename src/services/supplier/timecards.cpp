// Timecards (see timecards.h).
#include "services/supplier/timecards.h"

#include "core/key_rules.h"
#include "services/supplier/supplier_reads.h"

namespace keygate::services::supplier {
namespace {

std::string_view unitName(core::RateUnit unit) {
  return unit == core::RateUnit::kDay ? "day" : "hour";
}

std::string_view rateTypeWords(core::RateType type) {
  switch (type) {
    case core::RateType::kStraight:
      return "straight time";
    case core::RateType::kOvertime:
      return "overtime";
    case core::RateType::kDoubleTime:
      return "double time";
  }
  return "time";
}

}  // namespace

core::TimecardAction actionForStatus(core::TimecardStatus current, core::TimecardStatus wanted) {
  using S = core::TimecardStatus;
  using A = core::TimecardAction;
  switch (wanted) {
    case S::kDraft:
      return current == S::kRejected ? A::kRevise : A::kRecall;
    case S::kSubmitted:
      return A::kSubmit;
    case S::kApproved:
      return A::kApprove;
    case S::kRejected:
      return A::kReject;
    case S::kInvoiced:
      return A::kInvoice;
  }
  return A::kSubmit;
}

core::Result<TimecardView> viewOf(core::Timecard timecard) {
  KG_ASSIGN_OR_RETURN(auto lines,
                      core::timecardLines(timecard.entries, timecard.rates, timecard.rate_unit));
  return TimecardView{std::move(timecard), std::move(lines)};
}

std::vector<core::BillingItem> billingItemsFor(const core::Timecard& timecard,
                                               const std::vector<core::TimecardLine>& lines,
                                               core::Seconds now) {
  std::vector<core::BillingItem> items;
  for (const auto& line : lines) {
    core::BillingItem b;
    b.supplier_org_id = timecard.supplier_org_id;
    b.client_org_id = timecard.client_org_id;
    b.engagement_id = timecard.engagement_id;
    b.timecard_id = timecard.id;
    b.type = core::BillingItemType::kTime;
    b.status = core::BillingItemStatus::kPending;
    b.rate_type = line.rate_type;
    b.description = "Timecard week ending " + core::formatDate(timecard.week_ending) + ", " +
                    std::string(rateTypeWords(line.rate_type));
    b.service_date = timecard.week_ending;
    b.quantity = line.quantity;
    b.unit = std::string(unitName(timecard.rate_unit));
    b.rate = line.rate;
    b.amount = line.amount;
    b.currency = timecard.currency;
    b.created_at = b.updated_at = now;
    items.push_back(std::move(b));
  }
  return items;
}

core::Result<TimecardView> TimecardService::create(core::Id org_id, const NewTimecard& input) {
  if (!core::isWeekEnding(input.week_ending))
    return core::fieldError(core::Errc::kValidationFailed, "weekEnding",
                            "weekEnding must be a Sunday (weeks run Monday to Sunday).");
  core::Timecard t;
  KG_TRY(store_.write([&](storage::Repositories& repos) -> core::Status {
    KG_ASSIGN_OR_RETURN(auto engagement,
                        repos.supplier.engagements.find(org_id, input.engagement_id));
    if (!engagement) {
      auto e = notFound("engagement");
      e.field = "engagementId";
      return e;
    }
    if (engagement->status == core::EngagementStatus::kCancelled)
      return core::makeError(core::Errc::kConflict,
                             "The engagement is cancelled; it takes no timecards.");
    const core::Seconds first_day = input.week_ending - 6 * core::kSecondsPerDay;
    if (input.week_ending < engagement->start_date ||
        (engagement->end_date && first_day > *engagement->end_date))
      return core::fieldError(core::Errc::kValidationFailed, "weekEnding",
                              "The week ending " + core::formatDate(input.week_ending) +
                                  " is outside the engagement's dates.");
    KG_TRY(core::validateTimecardEntries(input.entries, input.week_ending, *engagement));
    const core::Seconds now = clock_.now();
    t.supplier_org_id = org_id;
    t.client_org_id = engagement->client_org_id;
    t.engagement_id = engagement->id;
    t.week_ending = input.week_ending;
    t.status = core::TimecardStatus::kDraft;
    t.rate_unit = engagement->rate_unit;
    t.currency = engagement->currency;
    t.rates = engagement->rates;
    t.entries = input.entries;
    t.created_at = t.updated_at = now;
    KG_TRY(core::computeTimecardTotals(t));
    KG_ASSIGN_OR_RETURN(t.id, repos.supplier.timecards.create(t));
    return core::ok();
  }));
  return viewOf(std::move(t));
}

core::Result<TimecardView> TimecardService::get(core::Id org_id, core::Id id) {
  std::optional<core::Timecard> found;
  KG_TRY(store_.read([&](storage::Repositories& repos) -> core::Status {
    KG_ASSIGN_OR_RETURN(found, repos.supplier.timecards.find(org_id, id));
    return core::ok();
  }));
  if (!found) return notFound("timecard");
  return viewOf(std::move(*found));
}

core::Result<storage::Page<TimecardView>> TimecardService::list(
    core::Id org_id, const storage::TimecardFilter& filter, const storage::PageRequest& page) {
  storage::Page<core::Timecard> rows;
  KG_TRY(store_.read([&](storage::Repositories& repos) -> core::Status {
    KG_ASSIGN_OR_RETURN(rows, repos.supplier.timecards.list(org_id, filter, page));
    return core::ok();
  }));
  storage::Page<TimecardView> out;
  out.total = rows.total;
  out.items.reserve(rows.items.size());
  for (auto& t : rows.items) {
    KG_ASSIGN_OR_RETURN(auto view, viewOf(std::move(t)));
    out.items.push_back(std::move(view));
  }
  return out;
}

core::Result<TimecardView> TimecardService::change(core::Id org_id, core::Id id,
                                                   const TimecardChange& change) {
  if (!change.entries && !change.action && !change.status)
    return core::makeError(core::Errc::kValidationFailed,
                           "Send entries to replace, an action (submit, recall, revise) or a "
                           "status, or entries and a move together.");
  core::Timecard t;
  KG_TRY(store_.write([&](storage::Repositories& repos) -> core::Status {
    KG_ASSIGN_OR_RETURN(auto found, repos.supplier.timecards.find(org_id, id));
    if (!found) return notFound("timecard");
    t = std::move(*found);
    const core::Seconds now = clock_.now();
    if (change.entries) {
      if (!core::timecardEditable(t.status))
        return core::makeError(
            core::Errc::kConflict,
            "Entries can only be changed on a draft timecard; this one is " +
                std::string(core::enumName(t.status)) +
                (t.status == core::TimecardStatus::kSubmitted ? " (recall it first)." : "."));
      KG_ASSIGN_OR_RETURN(auto engagement,
                          repos.supplier.engagements.find(org_id, t.engagement_id));
      if (!engagement) return notFound("engagement");
      KG_TRY(core::validateTimecardEntries(*change.entries, t.week_ending, *engagement));
      t.entries = *change.entries;
      KG_TRY(core::computeTimecardTotals(t));
    }
    std::optional<core::TimecardAction> action = change.action;
    if (change.status) {
      const auto wanted = actionForStatus(t.status, *change.status);
      if (action && *action != wanted)
        return core::fieldError(core::Errc::kValidationFailed, "status",
                                "action and status name different moves; send one of them.");
      action = wanted;
    }
    if (action) {
      KG_ASSIGN_OR_RETURN(t.status,
                          core::nextTimecardStatus(t.status, *action, core::Party::kSupplier));
      switch (*action) {
        case core::TimecardAction::kSubmit: {
          KG_ASSIGN_OR_RETURN(auto lines, core::timecardLines(t.entries, t.rates, t.rate_unit));
          if (lines.empty())
            return core::fieldError(core::Errc::kValidationFailed, "entries",
                                    "A timecard needs time on at least one entry to be "
                                    "submitted.");
          t.submitted_at = now;
          t.rejection_reason.clear();
          for (const auto& item : billingItemsFor(t, lines, now))
            KG_TRY(repos.supplier.billing_items.create(item));
          break;
        }
        case core::TimecardAction::kRecall:
          t.submitted_at.reset();
          KG_TRY(repos.supplier.billing_items.setStatusForTimecard(
              org_id, t.id, core::BillingItemStatus::kPending, core::BillingItemStatus::kVoid,
              now));
          break;
        default:
          break;
      }
    }
    t.updated_at = now;
    return repos.supplier.timecards.update(t);
  }));
  return viewOf(std::move(t));
}

core::Result<TimecardView> TimecardService::approve(core::Id org_id, core::Id id) {
  return move(org_id, id, core::TimecardAction::kApprove, core::Party::kClient, {});
}

core::Result<TimecardView> TimecardService::reject(core::Id org_id, core::Id id,
                                                   const std::string& reason) {
  return move(org_id, id, core::TimecardAction::kReject, core::Party::kClient, reason);
}

core::Result<TimecardView> TimecardService::move(core::Id org_id, core::Id id,
                                                 core::TimecardAction action, core::Party by,
                                                 const std::string& reason) {
  core::Timecard t;
  KG_TRY(store_.write([&](storage::Repositories& repos) -> core::Status {
    KG_ASSIGN_OR_RETURN(auto found, repos.supplier.timecards.find(org_id, id));
    if (!found) return notFound("timecard");
    t = std::move(*found);
    const core::Seconds now = clock_.now();
    KG_ASSIGN_OR_RETURN(t.status, core::nextTimecardStatus(t.status, action, by));
    if (action == core::TimecardAction::kApprove) {
      t.approved_at = now;
      KG_TRY(repos.supplier.billing_items.setStatusForTimecard(
          org_id, t.id, core::BillingItemStatus::kPending, core::BillingItemStatus::kApproved,
          now));
    } else if (action == core::TimecardAction::kReject) {
      t.rejection_reason = reason;
      KG_TRY(repos.supplier.billing_items.setStatusForTimecard(
          org_id, t.id, core::BillingItemStatus::kPending, core::BillingItemStatus::kVoid, now));
    }
    t.updated_at = now;
    return repos.supplier.timecards.update(t);
  }));
  return viewOf(std::move(t));
}

}  // namespace keygate::services::supplier
