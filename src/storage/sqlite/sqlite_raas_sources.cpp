// The SQL of the RaaS data sources (see sqlite_raas_sources.h), over the Supplier API tables
// of migrations/sqlite/0003. Looked-up values (organization names, worker and engagement
// fields) are correlated subqueries rather than joins, so a report pays for a lookup only
// when it selects that column. Every scope predicate filters on an indexed organization
// column of the driving table.
#include "storage/sqlite/sqlite_raas_sources.h"

#include <array>

namespace keygate::storage::sqlite {
namespace {

// The cost centers assigned to the requesting user.
#define KG_ASSIGNED_COST_CENTERS \
  "(SELECT a.cost_center FROM raas_cost_center_assignments a WHERE a.user_id = :user)"
#define KG_ORG_NAME(column) "(SELECT o.name FROM organizations o WHERE o.id = " column ")"

// ---- staffing requests: the client's own; for a supplier, those released to it ----

constexpr std::array kStaffingRequestColumns{
    RaasColumnSql{"id", "sr.id"},
    RaasColumnSql{"number", "sr.number"},
    RaasColumnSql{"title", "sr.title"},
    RaasColumnSql{"description", "sr.description"},
    RaasColumnSql{"location", "sr.location"},
    RaasColumnSql{"remote_type", "sr.remote_type"},
    RaasColumnSql{"status", "sr.status"},
    RaasColumnSql{"bill_rate_min", "sr.bill_rate_min"},
    RaasColumnSql{"bill_rate_max", "sr.bill_rate_max"},
    RaasColumnSql{"currency", "sr.currency"},
    RaasColumnSql{"rate_unit", "sr.rate_unit"},
    RaasColumnSql{"start_date", "sr.start_date"},
    RaasColumnSql{"positions", "sr.positions"},
    RaasColumnSql{"client_name", KG_ORG_NAME("sr.client_org_id")},
    RaasColumnSql{"created_at", "sr.created_at"},
    RaasColumnSql{"updated_at", "sr.updated_at"},
};

// ---- submittals ----

constexpr std::array kSubmittalColumns{
    RaasColumnSql{"id", "s.id"},
    RaasColumnSql{"status", "s.status"},
    RaasColumnSql{"bill_rate", "s.bill_rate"},
    RaasColumnSql{"currency",
                  "(SELECT sr.currency FROM staffing_requests sr WHERE sr.id = "
                  "s.staffing_request_id)"},
    RaasColumnSql{"submitted_at", "s.submitted_at"},
    RaasColumnSql{"updated_at", "s.updated_at"},
    RaasColumnSql{"staffing_request_id", "s.staffing_request_id"},
    RaasColumnSql{"request_number",
                  "(SELECT sr.number FROM staffing_requests sr WHERE sr.id = "
                  "s.staffing_request_id)"},
    RaasColumnSql{"request_title",
                  "(SELECT sr.title FROM staffing_requests sr WHERE sr.id = "
                  "s.staffing_request_id)"},
    RaasColumnSql{"candidate_id", "s.candidate_id"},
    RaasColumnSql{"candidate_first_name",
                  "(SELECT c.first_name FROM candidates c WHERE c.id = s.candidate_id)"},
    RaasColumnSql{"candidate_last_name",
                  "(SELECT c.last_name FROM candidates c WHERE c.id = s.candidate_id)"},
    RaasColumnSql{"candidate_location",
                  "(SELECT c.location FROM candidates c WHERE c.id = s.candidate_id)"},
    RaasColumnSql{"supplier_name", KG_ORG_NAME("s.supplier_org_id")},
    RaasColumnSql{"client_name", KG_ORG_NAME("s.client_org_id")},
};

// ---- engagements ----

#define KG_ENGAGEMENT_WORKER(field) "(SELECT w." field " FROM workers w WHERE w.id = e.worker_id)"

constexpr std::array kEngagementColumns{
    RaasColumnSql{"id", "e.id"},
    RaasColumnSql{"number", "e.number"},
    RaasColumnSql{"title", "e.title"},
    RaasColumnSql{"status", "e.status"},
    RaasColumnSql{"start_date", "e.start_date"},
    RaasColumnSql{"end_date", "e.end_date"},
    RaasColumnSql{"rate_unit", "e.rate_unit"},
    RaasColumnSql{"currency", "e.currency"},
    RaasColumnSql{"st_rate", "e.st_rate"},
    RaasColumnSql{"ot_rate", "e.ot_rate"},
    RaasColumnSql{"dt_rate", "e.dt_rate"},
    RaasColumnSql{"cost_center", "e.cost_center"},
    RaasColumnSql{"staffing_request_id", "e.staffing_request_id"},
    RaasColumnSql{"worker_id", "e.worker_id"},
    RaasColumnSql{"worker_external_id", KG_ENGAGEMENT_WORKER("external_id")},
    RaasColumnSql{"worker_first_name", KG_ENGAGEMENT_WORKER("first_name")},
    RaasColumnSql{"worker_last_name", KG_ENGAGEMENT_WORKER("last_name")},
    RaasColumnSql{"supplier_name", KG_ORG_NAME("e.supplier_org_id")},
    RaasColumnSql{"client_name", KG_ORG_NAME("e.client_org_id")},
    RaasColumnSql{"created_at", "e.created_at"},
    RaasColumnSql{"updated_at", "e.updated_at"},
};

// ---- workers: the supplier's own; for a client, those engaged with it ----

constexpr std::array kWorkerColumns{
    RaasColumnSql{"id", "w.id"},
    RaasColumnSql{"external_id", "w.external_id"},
    RaasColumnSql{"first_name", "w.first_name"},
    RaasColumnSql{"last_name", "w.last_name"},
    RaasColumnSql{"email", "w.email"},
    RaasColumnSql{"phone", "w.phone"},
    RaasColumnSql{"job_title", "w.job_title"},
    RaasColumnSql{"location", "w.location"},
    RaasColumnSql{"status", "w.status"},
    RaasColumnSql{"supplier_name", KG_ORG_NAME("w.supplier_org_id")},
    RaasColumnSql{"created_at", "w.created_at"},
    RaasColumnSql{"updated_at", "w.updated_at"},
};

// ---- timecard lines: one row per timecard entry ----

#define KG_TIMECARD_ENGAGEMENT(field) \
  "(SELECT e." field " FROM engagements e WHERE e.id = t.engagement_id)"

constexpr std::array kTimecardLineColumns{
    RaasColumnSql{"timecard_id", "t.id"},
    RaasColumnSql{"line_number", "te.position"},
    RaasColumnSql{"week_ending", "t.week_ending"},
    RaasColumnSql{"work_date", "te.work_date"},
    RaasColumnSql{"rate_type", "te.rate_type"},
    RaasColumnSql{"hours", "te.hours"},
    RaasColumnSql{"time_in", "te.time_in"},
    RaasColumnSql{"time_out", "te.time_out"},
    RaasColumnSql{"rate",
                  "CASE te.rate_type WHEN 'ST' THEN t.st_rate WHEN 'OT' THEN t.ot_rate "
                  "ELSE t.dt_rate END"},
    RaasColumnSql{"currency", "t.currency"},
    RaasColumnSql{"rate_unit", "t.rate_unit"},
    RaasColumnSql{"timecard_status", "t.status"},
    RaasColumnSql{"engagement_id", "t.engagement_id"},
    RaasColumnSql{"engagement_number", KG_TIMECARD_ENGAGEMENT("number")},
    RaasColumnSql{"cost_center", KG_TIMECARD_ENGAGEMENT("cost_center")},
    RaasColumnSql{"worker_id", KG_TIMECARD_ENGAGEMENT("worker_id")},
    RaasColumnSql{"worker_name",
                  "(SELECT w.first_name || ' ' || w.last_name FROM engagements e JOIN workers w "
                  "ON w.id = e.worker_id WHERE e.id = t.engagement_id)"},
    RaasColumnSql{"supplier_name", KG_ORG_NAME("t.supplier_org_id")},
    RaasColumnSql{"client_name", KG_ORG_NAME("t.client_org_id")},
};

// ---- billing items ----

constexpr std::array kBillingItemColumns{
    RaasColumnSql{"id", "b.id"},
    RaasColumnSql{"type", "b.type"},
    RaasColumnSql{"status", "b.status"},
    RaasColumnSql{"rate_type", "b.rate_type"},
    RaasColumnSql{"description", "b.description"},
    RaasColumnSql{"service_date", "b.service_date"},
    RaasColumnSql{"quantity", "b.quantity"},
    RaasColumnSql{"unit", "b.unit"},
    RaasColumnSql{"rate", "b.rate"},
    RaasColumnSql{"amount", "b.amount"},
    RaasColumnSql{"currency", "b.currency"},
    RaasColumnSql{"engagement_id", "b.engagement_id"},
    RaasColumnSql{"engagement_number",
                  "(SELECT e.number FROM engagements e WHERE e.id = b.engagement_id)"},
    RaasColumnSql{"cost_center",
                  "(SELECT e.cost_center FROM engagements e WHERE e.id = b.engagement_id)"},
    RaasColumnSql{"timecard_id", "b.timecard_id"},
    RaasColumnSql{"invoice_id", "b.invoice_id"},
    RaasColumnSql{"supplier_name", KG_ORG_NAME("b.supplier_org_id")},
    RaasColumnSql{"client_name", KG_ORG_NAME("b.client_org_id")},
    RaasColumnSql{"created_at", "b.created_at"},
    RaasColumnSql{"updated_at", "b.updated_at"},
};

// ---- invoices ----

constexpr std::array kInvoiceColumns{
    RaasColumnSql{"id", "i.id"},
    RaasColumnSql{"number", "i.number"},
    RaasColumnSql{"status", "i.status"},
    RaasColumnSql{"invoice_date", "i.invoice_date"},
    RaasColumnSql{"due_date", "i.due_date"},
    RaasColumnSql{"period_start", "i.period_start"},
    RaasColumnSql{"period_end", "i.period_end"},
    RaasColumnSql{"currency", "i.currency"},
    RaasColumnSql{"subtotal", "i.subtotal"},
    RaasColumnSql{"tax", "i.tax"},
    RaasColumnSql{"total", "i.total"},
    RaasColumnSql{"line_count", "i.line_count"},
    RaasColumnSql{"supplier_name", KG_ORG_NAME("i.supplier_org_id")},
    RaasColumnSql{"client_name", KG_ORG_NAME("i.client_org_id")},
    RaasColumnSql{"created_at", "i.created_at"},
    RaasColumnSql{"updated_at", "i.updated_at"},
};

// ---- invoice lines ----

constexpr std::array kInvoiceLineColumns{
    RaasColumnSql{"invoice_id", "il.invoice_id"},
    RaasColumnSql{"invoice_number", "i.number"},
    RaasColumnSql{"invoice_date", "i.invoice_date"},
    RaasColumnSql{"invoice_status", "i.status"},
    RaasColumnSql{"line_number", "il.line_number"},
    RaasColumnSql{"description", "il.description"},
    RaasColumnSql{"quantity", "il.quantity"},
    RaasColumnSql{"rate", "il.rate"},
    RaasColumnSql{"amount", "il.amount"},
    RaasColumnSql{"currency", "i.currency"},
    RaasColumnSql{"billing_item_id", "il.billing_item_id"},
    RaasColumnSql{"engagement_id", "il.engagement_id"},
    RaasColumnSql{"engagement_number",
                  "(SELECT e.number FROM engagements e WHERE e.id = il.engagement_id)"},
    RaasColumnSql{"cost_center",
                  "(SELECT e.cost_center FROM engagements e WHERE e.id = il.engagement_id)"},
    RaasColumnSql{"supplier_name", KG_ORG_NAME("i.supplier_org_id")},
    RaasColumnSql{"client_name", KG_ORG_NAME("i.client_org_id")},
};

// ---- candidate insights: the supplier's own pre-submittal analysis ----

constexpr std::array kCandidateInsightColumns{
    RaasColumnSql{"id", "ci.id"},
    RaasColumnSql{"staffing_request_id", "ci.staffing_request_id"},
    RaasColumnSql{"request_number",
                  "(SELECT sr.number FROM staffing_requests sr WHERE sr.id = "
                  "ci.staffing_request_id)"},
    RaasColumnSql{"request_title",
                  "(SELECT sr.title FROM staffing_requests sr WHERE sr.id = "
                  "ci.staffing_request_id)"},
    RaasColumnSql{"candidate_id", "ci.candidate_id"},
    RaasColumnSql{"candidate_name",
                  "(SELECT c.first_name || ' ' || c.last_name FROM candidates c WHERE c.id = "
                  "ci.candidate_id)"},
    RaasColumnSql{"overall", "ci.overall"},
    RaasColumnSql{"band", "ci.band"},
    RaasColumnSql{"recommendation", "ci.recommendation"},
    RaasColumnSql{"model_version", "ci.model_version"},
    RaasColumnSql{"created_at", "ci.created_at"},
};

constexpr std::array kSources{
    RaasSourceSql{
        "staffing_requests",
        "staffing_requests sr",
        "EXISTS (SELECT 1 FROM staffing_request_releases rel WHERE rel.supplier_org_id = :org "
        "AND rel.staffing_request_id = sr.id)",
        "sr.client_org_id = :org",
        // A request has no cost center of its own.
        "0",
        "sr.id",
        kStaffingRequestColumns,
    },
    RaasSourceSql{
        "submittals",
        "submittals s",
        "s.supplier_org_id = :org",
        "s.client_org_id = :org",
        "0",
        "s.id",
        kSubmittalColumns,
    },
    RaasSourceSql{
        "engagements",
        "engagements e",
        "e.supplier_org_id = :org",
        "e.client_org_id = :org",
        "e.client_org_id = :org AND e.cost_center IN " KG_ASSIGNED_COST_CENTERS,
        "e.id",
        kEngagementColumns,
    },
    RaasSourceSql{
        "workers",
        "workers w",
        "w.supplier_org_id = :org",
        "EXISTS (SELECT 1 FROM engagements e WHERE e.worker_id = w.id AND e.client_org_id = :org)",
        "EXISTS (SELECT 1 FROM engagements e WHERE e.worker_id = w.id AND e.client_org_id = :org "
        "AND e.cost_center IN " KG_ASSIGNED_COST_CENTERS ")",
        "w.id",
        kWorkerColumns,
    },
    RaasSourceSql{
        "timecard_lines",
        "timecards t JOIN timecard_entries te ON te.timecard_id = t.id",
        "t.supplier_org_id = :org",
        "t.client_org_id = :org",
        "t.client_org_id = :org AND " KG_TIMECARD_ENGAGEMENT(
            "cost_center") " IN " KG_ASSIGNED_COST_CENTERS,
        "t.id, te.position",
        kTimecardLineColumns,
    },
    RaasSourceSql{
        "billing_items",
        "billing_items b",
        "b.supplier_org_id = :org",
        "b.client_org_id = :org",
        "b.client_org_id = :org AND (SELECT e.cost_center FROM engagements e WHERE e.id = "
        "b.engagement_id) IN " KG_ASSIGNED_COST_CENTERS,
        "b.id",
        kBillingItemColumns,
    },
    RaasSourceSql{
        "invoices",
        "invoices i",
        "i.supplier_org_id = :org",
        "i.client_org_id = :org",
        // Visible when any of its lines belongs to an assigned cost center.
        "i.client_org_id = :org AND EXISTS (SELECT 1 FROM invoice_lines il JOIN engagements e "
        "ON e.id = il.engagement_id WHERE il.invoice_id = i.id AND e.cost_center "
        "IN " KG_ASSIGNED_COST_CENTERS ")",
        "i.id",
        kInvoiceColumns,
    },
    RaasSourceSql{
        "invoice_lines",
        "invoices i JOIN invoice_lines il ON il.invoice_id = i.id",
        "i.supplier_org_id = :org",
        "i.client_org_id = :org",
        "i.client_org_id = :org AND (SELECT e.cost_center FROM engagements e WHERE e.id = "
        "il.engagement_id) IN " KG_ASSIGNED_COST_CENTERS,
        "i.id, il.line_number",
        kInvoiceLineColumns,
    },
    RaasSourceSql{
        "candidate_insights",
        "candidate_insights ci",
        "ci.supplier_org_id = :org",
        // The supplier's private analysis before it submits anyone: never a client's data.
        "0",
        "0",
        "ci.id",
        kCandidateInsightColumns,
    },
};

#undef KG_ASSIGNED_COST_CENTERS
#undef KG_ORG_NAME
#undef KG_ENGAGEMENT_WORKER
#undef KG_TIMECARD_ENGAGEMENT

}  // namespace

std::span<const RaasSourceSql> raasSources() {
  return kSources;
}

const RaasSourceSql* findRaasSource(std::string_view name) {
  for (const auto& source : kSources)
    if (source.name == name) return &source;
  return nullptr;
}

const RaasColumnSql* findRaasColumn(const RaasSourceSql& source, std::string_view name) {
  for (const auto& column : source.columns)
    if (column.name == name) return &column;
  return nullptr;
}

}  // namespace keygate::storage::sqlite
