// The RaaS source catalogue (see catalogue.h). Every name here has its SQL in
// storage/sqlite/sqlite_raas_sources.cpp; a unit test runs every column of every source
// against a migrated database, so the two lists cannot drift apart unnoticed.
#include "services/raas/catalogue.h"

#include <array>

namespace keygate::services::raas {
namespace {

using T = ColumnType;

constexpr std::array kStaffingRequests{
    ColumnInfo{"id", T::kInteger, "Request ID"},
    ColumnInfo{"number", T::kText, "Request Number"},
    ColumnInfo{"title", T::kText, "Title"},
    ColumnInfo{"description", T::kText, "Description"},
    ColumnInfo{"location", T::kText, "Location"},
    ColumnInfo{"remote_type", T::kText, "Remote Type"},
    ColumnInfo{"status", T::kText, "Status"},
    ColumnInfo{"bill_rate_min", T::kMoney, "Bill Rate Min"},
    ColumnInfo{"bill_rate_max", T::kMoney, "Bill Rate Max"},
    ColumnInfo{"currency", T::kText, "Currency"},
    ColumnInfo{"rate_unit", T::kText, "Rate Unit"},
    ColumnInfo{"start_date", T::kDate, "Start Date"},
    ColumnInfo{"positions", T::kInteger, "Positions"},
    ColumnInfo{"client_name", T::kText, "Client"},
    ColumnInfo{"created_at", T::kDateTime, "Created At"},
    ColumnInfo{"updated_at", T::kDateTime, "Updated At"},
};

constexpr std::array kSubmittals{
    ColumnInfo{"id", T::kInteger, "Submittal ID"},
    ColumnInfo{"status", T::kText, "Status"},
    ColumnInfo{"bill_rate", T::kMoney, "Bill Rate"},
    ColumnInfo{"currency", T::kText, "Currency"},
    ColumnInfo{"submitted_at", T::kDateTime, "Submitted At"},
    ColumnInfo{"updated_at", T::kDateTime, "Updated At"},
    ColumnInfo{"staffing_request_id", T::kInteger, "Request ID"},
    ColumnInfo{"request_number", T::kText, "Request Number"},
    ColumnInfo{"request_title", T::kText, "Request Title"},
    ColumnInfo{"candidate_id", T::kInteger, "Candidate ID"},
    ColumnInfo{"candidate_first_name", T::kText, "Candidate First Name"},
    ColumnInfo{"candidate_last_name", T::kText, "Candidate Last Name"},
    ColumnInfo{"candidate_location", T::kText, "Candidate Location"},
    ColumnInfo{"supplier_name", T::kText, "Supplier"},
    ColumnInfo{"client_name", T::kText, "Client"},
};

constexpr std::array kEngagements{
    ColumnInfo{"id", T::kInteger, "Engagement ID"},
    ColumnInfo{"number", T::kText, "Engagement Number"},
    ColumnInfo{"title", T::kText, "Title"},
    ColumnInfo{"status", T::kText, "Status"},
    ColumnInfo{"start_date", T::kDate, "Start Date"},
    ColumnInfo{"end_date", T::kDate, "End Date"},
    ColumnInfo{"rate_unit", T::kText, "Rate Unit"},
    ColumnInfo{"currency", T::kText, "Currency"},
    ColumnInfo{"st_rate", T::kMoney, "ST Rate"},
    ColumnInfo{"ot_rate", T::kMoney, "OT Rate"},
    ColumnInfo{"dt_rate", T::kMoney, "DT Rate"},
    ColumnInfo{"cost_center", T::kText, "Cost Center"},
    ColumnInfo{"staffing_request_id", T::kInteger, "Request ID"},
    ColumnInfo{"worker_id", T::kInteger, "Worker ID"},
    ColumnInfo{"worker_external_id", T::kText, "Worker External ID"},
    ColumnInfo{"worker_first_name", T::kText, "Worker First Name"},
    ColumnInfo{"worker_last_name", T::kText, "Worker Last Name"},
    ColumnInfo{"supplier_name", T::kText, "Supplier"},
    ColumnInfo{"client_name", T::kText, "Client"},
    ColumnInfo{"created_at", T::kDateTime, "Created At"},
    ColumnInfo{"updated_at", T::kDateTime, "Updated At"},
};

constexpr std::array kWorkers{
    ColumnInfo{"id", T::kInteger, "Worker ID"},
    ColumnInfo{"external_id", T::kText, "External ID"},
    ColumnInfo{"first_name", T::kText, "First Name"},
    ColumnInfo{"last_name", T::kText, "Last Name"},
    ColumnInfo{"email", T::kText, "Email"},
    ColumnInfo{"phone", T::kText, "Phone"},
    ColumnInfo{"job_title", T::kText, "Job Title"},
    ColumnInfo{"location", T::kText, "Location"},
    ColumnInfo{"status", T::kText, "Status"},
    ColumnInfo{"supplier_name", T::kText, "Supplier"},
    ColumnInfo{"created_at", T::kDateTime, "Created At"},
    ColumnInfo{"updated_at", T::kDateTime, "Updated At"},
};

constexpr std::array kTimecardLines{
    ColumnInfo{"timecard_id", T::kInteger, "Timecard ID"},
    ColumnInfo{"line_number", T::kInteger, "Line Number"},
    ColumnInfo{"week_ending", T::kDate, "Week Ending"},
    ColumnInfo{"work_date", T::kDate, "Work Date"},
    ColumnInfo{"rate_type", T::kText, "Rate Type"},
    ColumnInfo{"hours", T::kDecimal, "Hours"},
    ColumnInfo{"time_in", T::kTimeOfDay, "Time In"},
    ColumnInfo{"time_out", T::kTimeOfDay, "Time Out"},
    ColumnInfo{"rate", T::kMoney, "Rate"},
    ColumnInfo{"currency", T::kText, "Currency"},
    ColumnInfo{"rate_unit", T::kText, "Rate Unit"},
    ColumnInfo{"timecard_status", T::kText, "Timecard Status"},
    ColumnInfo{"engagement_id", T::kInteger, "Engagement ID"},
    ColumnInfo{"engagement_number", T::kText, "Engagement Number"},
    ColumnInfo{"cost_center", T::kText, "Cost Center"},
    ColumnInfo{"worker_id", T::kInteger, "Worker ID"},
    ColumnInfo{"worker_name", T::kText, "Worker Name"},
    ColumnInfo{"supplier_name", T::kText, "Supplier"},
    ColumnInfo{"client_name", T::kText, "Client"},
};

constexpr std::array kBillingItems{
    ColumnInfo{"id", T::kInteger, "Billing Item ID"},
    ColumnInfo{"type", T::kText, "Type"},
    ColumnInfo{"status", T::kText, "Status"},
    ColumnInfo{"rate_type", T::kText, "Rate Type"},
    ColumnInfo{"description", T::kText, "Description"},
    ColumnInfo{"service_date", T::kDate, "Service Date"},
    ColumnInfo{"quantity", T::kDecimal, "Quantity"},
    ColumnInfo{"unit", T::kText, "Unit"},
    ColumnInfo{"rate", T::kMoney, "Rate"},
    ColumnInfo{"amount", T::kMoney, "Amount"},
    ColumnInfo{"currency", T::kText, "Currency"},
    ColumnInfo{"engagement_id", T::kInteger, "Engagement ID"},
    ColumnInfo{"engagement_number", T::kText, "Engagement Number"},
    ColumnInfo{"cost_center", T::kText, "Cost Center"},
    ColumnInfo{"timecard_id", T::kInteger, "Timecard ID"},
    ColumnInfo{"invoice_id", T::kInteger, "Invoice ID"},
    ColumnInfo{"supplier_name", T::kText, "Supplier"},
    ColumnInfo{"client_name", T::kText, "Client"},
    ColumnInfo{"created_at", T::kDateTime, "Created At"},
    ColumnInfo{"updated_at", T::kDateTime, "Updated At"},
};

constexpr std::array kInvoices{
    ColumnInfo{"id", T::kInteger, "Invoice ID"},
    ColumnInfo{"number", T::kText, "Invoice Number"},
    ColumnInfo{"status", T::kText, "Status"},
    ColumnInfo{"invoice_date", T::kDate, "Invoice Date"},
    ColumnInfo{"due_date", T::kDate, "Due Date"},
    ColumnInfo{"period_start", T::kDate, "Period Start"},
    ColumnInfo{"period_end", T::kDate, "Period End"},
    ColumnInfo{"currency", T::kText, "Currency"},
    ColumnInfo{"subtotal", T::kMoney, "Subtotal"},
    ColumnInfo{"tax", T::kMoney, "Tax"},
    ColumnInfo{"total", T::kMoney, "Total"},
    ColumnInfo{"line_count", T::kInteger, "Line Count"},
    ColumnInfo{"supplier_name", T::kText, "Supplier"},
    ColumnInfo{"client_name", T::kText, "Client"},
    ColumnInfo{"created_at", T::kDateTime, "Created At"},
    ColumnInfo{"updated_at", T::kDateTime, "Updated At"},
};

constexpr std::array kInvoiceLines{
    ColumnInfo{"invoice_id", T::kInteger, "Invoice ID"},
    ColumnInfo{"invoice_number", T::kText, "Invoice Number"},
    ColumnInfo{"invoice_date", T::kDate, "Invoice Date"},
    ColumnInfo{"invoice_status", T::kText, "Invoice Status"},
    ColumnInfo{"line_number", T::kInteger, "Line Number"},
    ColumnInfo{"description", T::kText, "Description"},
    ColumnInfo{"quantity", T::kDecimal, "Quantity"},
    ColumnInfo{"rate", T::kMoney, "Rate"},
    ColumnInfo{"amount", T::kMoney, "Amount"},
    ColumnInfo{"currency", T::kText, "Currency"},
    ColumnInfo{"billing_item_id", T::kInteger, "Billing Item ID"},
    ColumnInfo{"engagement_id", T::kInteger, "Engagement ID"},
    ColumnInfo{"engagement_number", T::kText, "Engagement Number"},
    ColumnInfo{"cost_center", T::kText, "Cost Center"},
    ColumnInfo{"supplier_name", T::kText, "Supplier"},
    ColumnInfo{"client_name", T::kText, "Client"},
};

constexpr std::array kCandidateInsights{
    ColumnInfo{"id", T::kInteger, "Insight ID"},
    ColumnInfo{"staffing_request_id", T::kInteger, "Request ID"},
    ColumnInfo{"request_number", T::kText, "Request Number"},
    ColumnInfo{"request_title", T::kText, "Request Title"},
    ColumnInfo{"candidate_id", T::kInteger, "Candidate ID"},
    ColumnInfo{"candidate_name", T::kText, "Candidate Name"},
    ColumnInfo{"overall", T::kInteger, "Overall Score"},
    ColumnInfo{"band", T::kText, "Band"},
    ColumnInfo{"recommendation", T::kText, "Recommendation"},
    ColumnInfo{"model_version", T::kText, "Model Version"},
    ColumnInfo{"created_at", T::kDateTime, "Created At"},
};

constexpr std::array kSources{
    SourceInfo{"staffing_requests", "Staffing requests",
               "Requests for contingent workers: the client's own, or those released to the "
               "supplier.",
               kStaffingRequests},
    SourceInfo{"submittals", "Submittals", "Candidates submitted to staffing requests.",
               kSubmittals},
    SourceInfo{"engagements", "Engagements",
               "Assignments of workers to clients, with their ST/OT/DT rates and cost center.",
               kEngagements},
    SourceInfo{"workers", "Workers", "Worker profiles.", kWorkers},
    SourceInfo{"timecard_lines", "Timecard lines",
               "One row per timecard entry: work date, rate type, hours and rate.", kTimecardLines},
    SourceInfo{"billing_items", "Billing items", "Billable time, expenses and adjustments.",
               kBillingItems},
    SourceInfo{"invoices", "Invoices", "Invoice headers with their totals.", kInvoices},
    SourceInfo{"invoice_lines", "Invoice lines", "One row per invoice line.", kInvoiceLines},
    SourceInfo{"candidate_insights", "Candidate insights",
               "Pre-submittal match scores of candidates against staffing requests (suppliers "
               "only).",
               kCandidateInsights},
};

}  // namespace

std::span<const SourceInfo> sources() {
  return kSources;
}

const SourceInfo* findSource(std::string_view name) {
  for (const auto& source : kSources)
    if (source.name == name) return &source;
  return nullptr;
}

const ColumnInfo* findColumn(const SourceInfo& source, std::string_view name) {
  for (const auto& column : source.columns)
    if (column.name == name) return &column;
  return nullptr;
}

std::string_view typeName(ColumnType type) {
  switch (type) {
    case ColumnType::kText:
      return "text";
    case ColumnType::kInteger:
      return "integer";
    case ColumnType::kDecimal:
      return "decimal";
    case ColumnType::kMoney:
      return "money";
    case ColumnType::kDate:
      return "date";
    case ColumnType::kDateTime:
      return "datetime";
    case ColumnType::kTimeOfDay:
      return "time";
  }
  return "text";
}

bool supportsRange(ColumnType type) {
  return type != ColumnType::kText;
}

}  // namespace keygate::services::raas
