// Domain types of the Supplier API (DESIGN §4.2): agreements between client and supplier
// organizations, staffing requests, candidates, submittals, workers, engagements, timecards
// with entries, billing items and invoices with lines; and the pure rules on them — the
// timecard state machine, entry validation and the money a timecard is worth. No I/O.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/clock.h"
#include "core/error.h"
#include "core/model.h"
#include "core/money.h"

namespace keygate::core {

enum class RateType { kStraight, kOvertime, kDoubleTime };  // ST, OT, DT
enum class RateUnit { kHour, kDay };
enum class RemoteType { kOnsite, kHybrid, kRemote };
enum class AgreementStatus { kActive, kSuspended, kEnded };
enum class RequestStatus { kOpen, kOnHold, kFilled, kClosed, kCancelled };
enum class SubmittalStatus { kSubmitted, kInterviewing, kOffered, kHired, kRejected, kWithdrawn };
enum class WorkerStatus { kActive, kInactive };
enum class EngagementStatus { kPending, kActive, kEnded, kCancelled };
enum class TimecardStatus { kDraft, kSubmitted, kApproved, kRejected, kInvoiced };
// Moves of the timecard state machine (DESIGN §4.2).
enum class TimecardAction { kSubmit, kRecall, kRevise, kApprove, kReject, kInvoice };
enum class BillingItemType { kTime, kExpense, kAdjustment };
enum class BillingItemStatus { kPending, kApproved, kInvoiced, kVoid };
enum class InvoiceStatus { kIssued, kPaid, kVoid };

// Wire and storage names of every enum above, in one table per type.
template <class E>
struct EnumNames;

#define KG_ENUM_NAMES(E, N, ...)                                                          \
  template <>                                                                             \
  struct EnumNames<E> {                                                                   \
    static constexpr std::array<std::pair<E, std::string_view>, N> kNames{{__VA_ARGS__}}; \
  }

KG_ENUM_NAMES(RateType, 3, {RateType::kStraight, "ST"}, {RateType::kOvertime, "OT"},
              {RateType::kDoubleTime, "DT"});
KG_ENUM_NAMES(RateUnit, 2, {RateUnit::kHour, "hour"}, {RateUnit::kDay, "day"});
KG_ENUM_NAMES(RemoteType, 3, {RemoteType::kOnsite, "onsite"}, {RemoteType::kHybrid, "hybrid"},
              {RemoteType::kRemote, "remote"});
KG_ENUM_NAMES(AgreementStatus, 3, {AgreementStatus::kActive, "active"},
              {AgreementStatus::kSuspended, "suspended"}, {AgreementStatus::kEnded, "ended"});
KG_ENUM_NAMES(RequestStatus, 5, {RequestStatus::kOpen, "open"}, {RequestStatus::kOnHold, "on_hold"},
              {RequestStatus::kFilled, "filled"}, {RequestStatus::kClosed, "closed"},
              {RequestStatus::kCancelled, "cancelled"});
KG_ENUM_NAMES(SubmittalStatus, 6, {SubmittalStatus::kSubmitted, "submitted"},
              {SubmittalStatus::kInterviewing, "interviewing"},
              {SubmittalStatus::kOffered, "offered"}, {SubmittalStatus::kHired, "hired"},
              {SubmittalStatus::kRejected, "rejected"}, {SubmittalStatus::kWithdrawn, "withdrawn"});
KG_ENUM_NAMES(WorkerStatus, 2, {WorkerStatus::kActive, "active"},
              {WorkerStatus::kInactive, "inactive"});
KG_ENUM_NAMES(EngagementStatus, 4, {EngagementStatus::kPending, "pending"},
              {EngagementStatus::kActive, "active"}, {EngagementStatus::kEnded, "ended"},
              {EngagementStatus::kCancelled, "cancelled"});
KG_ENUM_NAMES(TimecardStatus, 5, {TimecardStatus::kDraft, "draft"},
              {TimecardStatus::kSubmitted, "submitted"}, {TimecardStatus::kApproved, "approved"},
              {TimecardStatus::kRejected, "rejected"}, {TimecardStatus::kInvoiced, "invoiced"});
KG_ENUM_NAMES(BillingItemType, 3, {BillingItemType::kTime, "time"},
              {BillingItemType::kExpense, "expense"}, {BillingItemType::kAdjustment, "adjustment"});
KG_ENUM_NAMES(BillingItemStatus, 4, {BillingItemStatus::kPending, "pending"},
              {BillingItemStatus::kApproved, "approved"},
              {BillingItemStatus::kInvoiced, "invoiced"}, {BillingItemStatus::kVoid, "void"});
KG_ENUM_NAMES(InvoiceStatus, 3, {InvoiceStatus::kIssued, "issued"}, {InvoiceStatus::kPaid, "paid"},
              {InvoiceStatus::kVoid, "void"});
KG_ENUM_NAMES(TimecardAction, 6, {TimecardAction::kSubmit, "submit"},
              {TimecardAction::kRecall, "recall"}, {TimecardAction::kRevise, "revise"},
              {TimecardAction::kApprove, "approve"}, {TimecardAction::kReject, "reject"},
              {TimecardAction::kInvoice, "invoice"});
#undef KG_ENUM_NAMES

template <class E>
constexpr std::string_view enumName(E value) {
  for (const auto& [v, name] : EnumNames<E>::kNames)
    if (v == value) return name;
  return EnumNames<E>::kNames.front().second;
}

template <class E>
constexpr std::optional<E> parseEnum(std::string_view text) {
  for (const auto& [v, name] : EnumNames<E>::kNames)
    if (name == text) return v;
  return std::nullopt;
}

// "a, b or c": the accepted names, for error messages.
template <class E>
std::string enumChoices() {
  std::string out;
  const auto& names = EnumNames<E>::kNames;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += i + 1 == names.size() ? " or " : ", ";
    out += names[i].second;
  }
  return out;
}

// ---- records ----

struct Agreement {
  Id id = 0;
  Id supplier_org_id = 0;
  Id client_org_id = 0;
  std::string number;  // "AGR-2025-001"
  AgreementStatus status = AgreementStatus::kActive;
  std::string currency = "USD";
  Seconds effective_from = 0;
  std::optional<Seconds> effective_to;
  Seconds created_at = 0;
  Seconds updated_at = 0;
};

struct SkillRequirement {
  std::string name;
  int min_years = 0;
  bool required = true;  // false: preferred
};

// A client's requisition, released to some suppliers (only those see it).
struct StaffingRequest {
  Id id = 0;
  Id client_org_id = 0;
  std::string client_name;  // read-only, joined from organizations
  std::string number;       // "SR-10231"
  std::string title;
  std::string description;
  std::vector<SkillRequirement> skills;
  std::string location;
  RemoteType remote = RemoteType::kOnsite;
  MinorUnits bill_rate_min = 0;
  MinorUnits bill_rate_max = 0;
  std::string currency = "USD";
  RateUnit rate_unit = RateUnit::kHour;
  Seconds start_date = 0;
  int positions = 1;
  RequestStatus status = RequestStatus::kOpen;
  Seconds created_at = 0;
  Seconds updated_at = 0;
};

struct CandidateSkill {
  std::string name;
  Hundredths years = 0;  // 3.5 years = 350
};

struct Candidate {
  Id id = 0;
  Id supplier_org_id = 0;
  std::string first_name;
  std::string last_name;
  std::string email;
  std::string location;
  bool open_to_remote = true;
  bool willing_to_relocate = false;
  std::optional<MinorUnits> desired_rate;
  std::string currency = "USD";
  RateUnit rate_unit = RateUnit::kHour;
  std::optional<Seconds> available_from;
  std::string resume_text;
  std::vector<CandidateSkill> skills;
  Seconds created_at = 0;
  Seconds updated_at = 0;
};

struct Submittal {
  Id id = 0;
  Id supplier_org_id = 0;
  Id client_org_id = 0;
  Id staffing_request_id = 0;
  Id candidate_id = 0;
  SubmittalStatus status = SubmittalStatus::kSubmitted;
  MinorUnits bill_rate = 0;
  Seconds submitted_at = 0;
  Seconds updated_at = 0;
};

// Optional text fields use "" for "not set" (rendered as null).
struct Worker {
  Id id = 0;
  Id supplier_org_id = 0;
  std::string external_id;  // the supplier's own id, unique within the organization
  std::string first_name;
  std::string last_name;
  std::string email;
  std::string phone;
  std::string job_title;
  std::string location;
  WorkerStatus status = WorkerStatus::kActive;
  Seconds created_at = 0;
  Seconds updated_at = 0;
};

// Bill rates per rate type: ST always, OT and DT only when the engagement has them.
struct Rates {
  MinorUnits straight = 0;
  std::optional<MinorUnits> overtime;
  std::optional<MinorUnits> double_time;

  std::optional<MinorUnits> forType(RateType type) const;
};

struct Engagement {
  Id id = 0;
  Id supplier_org_id = 0;
  Id client_org_id = 0;
  std::string client_name;  // read-only, joined
  Id agreement_id = 0;
  std::optional<Id> staffing_request_id;
  Id worker_id = 0;
  std::string worker_name;  // read-only, joined
  std::string number;       // "ENG-000123"
  std::string title;
  EngagementStatus status = EngagementStatus::kActive;
  Seconds start_date = 0;           // 00:00 UTC of the first day
  std::optional<Seconds> end_date;  // 00:00 UTC of the last day; open-ended when absent
  RateUnit rate_unit = RateUnit::kHour;
  std::string currency = "USD";
  Rates rates;
  std::string cost_center;
  Seconds created_at = 0;
  Seconds updated_at = 0;
};

struct TimecardEntry {
  Seconds work_date = 0;  // 00:00 UTC of the day
  RateType rate_type = RateType::kStraight;
  Hundredths hours = 0;
  std::optional<int> time_in;   // minutes after midnight
  std::optional<int> time_out;  // minutes after midnight; before time_in = the next day
};

// What a timecard is worth per rate type: the summed quantity times the rate, rounded once.
struct TimecardLine {
  RateType rate_type = RateType::kStraight;
  Hundredths quantity = 0;  // hours, or days for a day-rate engagement
  MinorUnits rate = 0;
  MinorUnits amount = 0;
};

struct Timecard {
  Id id = 0;
  Id supplier_org_id = 0;
  Id client_org_id = 0;
  Id engagement_id = 0;
  Seconds week_ending = 0;  // 00:00 UTC of the Sunday that ends the week
  TimecardStatus status = TimecardStatus::kDraft;
  // Snapshot of the engagement's terms when the timecard was created, so later rate changes
  // never alter a submitted or invoiced timecard.
  RateUnit rate_unit = RateUnit::kHour;
  std::string currency = "USD";
  Rates rates;
  std::vector<TimecardEntry> entries;
  Hundredths total_hours = 0;
  MinorUnits total_amount = 0;
  std::optional<Seconds> submitted_at;
  std::optional<Seconds> approved_at;
  std::string rejection_reason;
  Seconds created_at = 0;
  Seconds updated_at = 0;

  Seconds periodStart() const { return week_ending - 6 * kSecondsPerDay; }
};

struct BillingItem {
  Id id = 0;
  Id supplier_org_id = 0;
  Id client_org_id = 0;
  Id engagement_id = 0;
  std::optional<Id> timecard_id;
  std::optional<Id> invoice_id;
  BillingItemType type = BillingItemType::kTime;
  BillingItemStatus status = BillingItemStatus::kPending;
  std::optional<RateType> rate_type;  // time items only
  std::string description;
  Seconds service_date = 0;
  Hundredths quantity = 0;
  std::string unit = "hour";  // hour | day | each
  MinorUnits rate = 0;
  MinorUnits amount = 0;
  std::string currency = "USD";
  Seconds created_at = 0;
  Seconds updated_at = 0;
};

struct InvoiceLine {
  int line_number = 0;
  std::optional<Id> billing_item_id;
  Id engagement_id = 0;
  std::string description;
  Hundredths quantity = 0;
  MinorUnits rate = 0;
  MinorUnits amount = 0;
};

struct Invoice {
  Id id = 0;
  Id supplier_org_id = 0;
  Id client_org_id = 0;
  std::string client_name;  // read-only, joined
  std::string number;       // "INV-2025-000123"
  InvoiceStatus status = InvoiceStatus::kIssued;
  Seconds invoice_date = 0;
  Seconds due_date = 0;
  Seconds period_start = 0;
  Seconds period_end = 0;
  std::string currency = "USD";
  MinorUnits subtotal = 0;
  MinorUnits tax = 0;
  MinorUnits total = 0;
  int line_count = 0;
  std::vector<InvoiceLine> lines;  // filled when one invoice is read
  Seconds created_at = 0;
  Seconds updated_at = 0;
};

// A stored candidate insight: the score as computed, kept verbatim (result_json) so a later
// model version never rewrites an answer already given.
struct CandidateInsightRecord {
  Id id = 0;
  Id supplier_org_id = 0;
  Id staffing_request_id = 0;
  std::optional<Id> candidate_id;  // absent for an inline candidate
  int overall = 0;
  std::string band;
  std::string recommendation;
  std::string model_version;
  std::string result_json;
  Seconds created_at = 0;
};

// ---- rules ----

// Who moves a timecard: the supplier (Supplier API), the client (VMS approval) or the system
// (invoicing).
enum class Party { kSupplier, kClient, kSystem };

// The status a timecard moves to when `by` applies `action`. kConflict for a move the state
// machine does not have from `from`, and for any approval, rejection or invoicing attempted by
// the supplier: the Supplier API can never approve (DESIGN §4.2).
Result<TimecardStatus> nextTimecardStatus(TimecardStatus from, TimecardAction action, Party by);

// Entries may be replaced only while a timecard is a draft.
inline bool timecardEditable(TimecardStatus status) {
  return status == TimecardStatus::kDraft;
}

inline constexpr Hundredths kMaxHoursPerDay = 2400;
inline constexpr std::size_t kMaxTimecardEntries = 64;

// True when t is 00:00 UTC of a Sunday, the day every timecard week ends on.
bool isWeekEnding(Seconds t);
// The Sunday (00:00 UTC) ending the week that contains t.
Seconds weekEndingFor(Seconds t);

// Checks entries against the timecard's week and the engagement: each work date inside the
// week and inside the engagement's dates, hours from 0 to 24 with at most 24 per day in total,
// only rate types the engagement has, time in and out both or neither. Errors are
// kValidationFailed with `field` naming the entry ("entries[2].hours").
Status validateTimecardEntries(const std::vector<TimecardEntry>& entries, Seconds week_ending,
                               const Engagement& engagement);

// One line per rate type that has time, in ST, OT, DT order. Hour-rate engagements bill the
// summed hours; day-rate engagements bill one day per date with time of that rate type.
Result<std::vector<TimecardLine>> timecardLines(const std::vector<TimecardEntry>& entries,
                                                const Rates& rates, RateUnit unit);

// Fills total_hours and total_amount from the entries and the snapshotted rates.
Status computeTimecardTotals(Timecard& timecard);

}  // namespace keygate::core
