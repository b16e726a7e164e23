// SQLite Supplier API repositories (see sqlite_supplier_repositories.h). Every statement is a
// named constant (or a composition of named fragments) with bind parameters; rows are mapped
// field by field, enums through their names in core/supplier_model.h.
#include "storage/sqlite/sqlite_supplier_repositories.h"

#include <initializer_list>
#include <utility>

namespace keygate::storage::sqlite {
namespace {

// A stored enum name this binary does not know means a damaged or foreign row: never guess.
template <class E>
Result<E> knownEnum(std::string_view text, std::string_view column) {
  auto value = core::parseEnum<E>(text);
  if (!value) return storageError("unknown enum value in column " + std::string(column));
  return *value;
}

std::string_view nameOf(auto value) {
  return core::enumName(value);
}

Result<Id> insertReturningId(Query& q) {
  KG_ASSIGN_OR_RETURN(const bool has_row, q.step());
  if (!has_row) return storageError("INSERT … RETURNING id returned no row");
  return q.integer(0);
}

core::Error notFound(std::string message) {
  return core::makeError(core::Errc::kNotFound, std::move(message));
}

// ---- list statements composed from fragments ----

// One optional condition of a list statement; its text uses a fixed parameter number.
struct Fragment {
  bool present;
  std::string_view sql;
};

struct ListSql {
  std::string select;  // parameters: ?1 organization, ?2 limit, ?3 offset, ?4… filters
  std::string count;   // parameters: ?1 organization, ?4… filters
};

ListSql composeList(std::string_view select_head, std::string_view count_head,
                    std::initializer_list<Fragment> fragments, std::string_view order_by) {
  std::string where;
  for (const auto& f : fragments) {
    if (!f.present) continue;
    where += " AND ";
    where += f.sql;
  }
  ListSql out;
  out.select.reserve(select_head.size() + where.size() + order_by.size() + 24);
  out.select.append(select_head).append(where).append(order_by).append(" LIMIT ?2 OFFSET ?3");
  out.count.append(count_head).append(where);
  return out;
}

// Counts, then reads the page (skipped when the offset is past the end). bind(q) binds the
// filter parameters present, to both statements.
template <class T, class Bind, class Read>
Result<Page<T>> runList(Connection& db, std::string_view count_name, std::string_view list_name,
                        const ListSql& sql, Id org, const PageRequest& page, Bind bind, Read read) {
  Page<T> out;
  {
    KG_ASSIGN_OR_RETURN(auto q, db.query(Sql{count_name, sql.count}));
    q.bind(1, org);
    bind(q);
    KG_ASSIGN_OR_RETURN(const bool has_row, q.step());
    out.total = has_row ? q.integer(0) : 0;
  }
  if (out.total <= page.offset || page.limit <= 0) return out;
  KG_ASSIGN_OR_RETURN(auto q, db.query(Sql{list_name, sql.select}));
  q.bind(1, org).bind(2, page.limit).bind(3, page.offset);
  bind(q);
  KG_ASSIGN_OR_RETURN(out.items, fetchAll(q, read));
  return out;
}

// ---- agreements ----

#define KG_AGREEMENT_COLUMNS                                                       \
  "id, supplier_org_id, client_org_id, number, status, currency, effective_from, " \
  "effective_to, created_at, updated_at"

constexpr Sql kInsertAgreement{
    "insert agreement",
    "INSERT INTO agreements (supplier_org_id, client_org_id, number, status, currency, "
    "effective_from, effective_to, created_at, updated_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) RETURNING id"};
constexpr Sql kSelectAgreementWithClient{
    "select agreement with client",
    "SELECT " KG_AGREEMENT_COLUMNS
    " FROM agreements WHERE supplier_org_id = ?1 AND client_org_id = ?2 ORDER BY id DESC LIMIT 1"};

Result<core::Agreement> readAgreement(const Query& q) {
  core::Agreement a;
  a.id = q.integer(0);
  a.supplier_org_id = q.integer(1);
  a.client_org_id = q.integer(2);
  a.number = q.text(3);
  KG_ASSIGN_OR_RETURN(a.status, knownEnum<core::AgreementStatus>(q.text(4), "agreements.status"));
  a.currency = q.text(5);
  a.effective_from = q.integer(6);
  a.effective_to = q.optionalInteger(7);
  a.created_at = q.integer(8);
  a.updated_at = q.integer(9);
  return a;
}

// ---- staffing requests ----

#define KG_REQUEST_COLUMNS                                                                       \
  "r.id, r.client_org_id, o.name, r.number, r.title, r.description, r.location, r.remote_type, " \
  "r.bill_rate_min, r.bill_rate_max, r.currency, r.rate_unit, r.start_date, r.positions, "       \
  "r.status, r.created_at, r.updated_at"
#define KG_REQUEST_FROM                                                                         \
  " FROM staffing_request_releases x JOIN staffing_requests r ON r.id = x.staffing_request_id " \
  "JOIN organizations o ON o.id = r.client_org_id"

constexpr Sql kInsertStaffingRequest{
    "insert staffing request",
    "INSERT INTO staffing_requests (client_org_id, number, title, description, location, "
    "remote_type, bill_rate_min, bill_rate_max, currency, rate_unit, start_date, positions, "
    "status, created_at, updated_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15) RETURNING id"};
constexpr Sql kInsertRequestSkill{
    "insert staffing request skill",
    "INSERT INTO staffing_request_skills (staffing_request_id, position, name, min_years, "
    "required) VALUES (?1, ?2, ?3, ?4, ?5)"};
constexpr Sql kSelectRequestSkills{"select staffing request skills",
                                   "SELECT name, min_years, required FROM staffing_request_skills "
                                   "WHERE staffing_request_id = ?1 ORDER BY position"};
constexpr Sql kInsertRelease{
    "release staffing request",
    "INSERT INTO staffing_request_releases (staffing_request_id, supplier_org_id, released_at) "
    "VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING"};
constexpr Sql kSelectRequest{"select staffing request",
                             "SELECT " KG_REQUEST_COLUMNS KG_REQUEST_FROM
                             " WHERE x.supplier_org_id = ?1 AND r.id = ?2"};
constexpr std::string_view kListRequestsHead =
    "SELECT " KG_REQUEST_COLUMNS KG_REQUEST_FROM " WHERE x.supplier_org_id = ?1";
constexpr std::string_view kCountRequestsHead =
    "SELECT COUNT(*) FROM staffing_request_releases x JOIN staffing_requests r "
    "ON r.id = x.staffing_request_id WHERE x.supplier_org_id = ?1";

Result<core::StaffingRequest> readRequest(const Query& q) {
  core::StaffingRequest r;
  r.id = q.integer(0);
  r.client_org_id = q.integer(1);
  r.client_name = q.text(2);
  r.number = q.text(3);
  r.title = q.text(4);
  r.description = q.text(5);
  r.location = q.text(6);
  KG_ASSIGN_OR_RETURN(r.remote,
                      knownEnum<core::RemoteType>(q.text(7), "staffing_requests.remote_type"));
  r.bill_rate_min = q.integer(8);
  r.bill_rate_max = q.integer(9);
  r.currency = q.text(10);
  KG_ASSIGN_OR_RETURN(r.rate_unit,
                      knownEnum<core::RateUnit>(q.text(11), "staffing_requests.rate_unit"));
  r.start_date = q.integer(12);
  r.positions = static_cast<int>(q.integer(13));
  KG_ASSIGN_OR_RETURN(r.status,
                      knownEnum<core::RequestStatus>(q.text(14), "staffing_requests.status"));
  r.created_at = q.integer(15);
  r.updated_at = q.integer(16);
  return r;
}

// ---- candidates ----

#define KG_CANDIDATE_COLUMNS                                                              \
  "id, supplier_org_id, first_name, last_name, email, location, open_to_remote, "         \
  "willing_to_relocate, desired_rate, currency, rate_unit, available_from, resume_text, " \
  "created_at, updated_at"

constexpr Sql kInsertCandidate{
    "insert candidate",
    "INSERT INTO candidates (supplier_org_id, first_name, last_name, email, location, "
    "open_to_remote, willing_to_relocate, desired_rate, currency, rate_unit, available_from, "
    "resume_text, created_at, updated_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14) RETURNING id"};
constexpr Sql kInsertCandidateSkill{
    "insert candidate skill",
    "INSERT INTO candidate_skills (candidate_id, position, name, years) VALUES (?1, ?2, ?3, ?4)"};
constexpr Sql kSelectCandidateSkills{
    "select candidate skills",
    "SELECT name, years FROM candidate_skills WHERE candidate_id = ?1 ORDER BY position"};
constexpr Sql kSelectCandidate{"select candidate",
                               "SELECT " KG_CANDIDATE_COLUMNS
                               " FROM candidates WHERE supplier_org_id = ?1 AND id = ?2"};

Result<core::Candidate> readCandidate(const Query& q) {
  core::Candidate c;
  c.id = q.integer(0);
  c.supplier_org_id = q.integer(1);
  c.first_name = q.text(2);
  c.last_name = q.text(3);
  c.email = q.text(4);
  c.location = q.text(5);
  c.open_to_remote = q.boolean(6);
  c.willing_to_relocate = q.boolean(7);
  c.desired_rate = q.optionalInteger(8);
  c.currency = q.text(9);
  KG_ASSIGN_OR_RETURN(c.rate_unit, knownEnum<core::RateUnit>(q.text(10), "candidates.rate_unit"));
  c.available_from = q.optionalInteger(11);
  c.resume_text = q.text(12);
  c.created_at = q.integer(13);
  c.updated_at = q.integer(14);
  return c;
}

// ---- submittals ----

constexpr Sql kInsertSubmittal{
    "insert submittal",
    "INSERT INTO submittals (supplier_org_id, client_org_id, staffing_request_id, candidate_id, "
    "status, bill_rate, submitted_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) "
    "RETURNING id"};

// ---- workers ----

#define KG_WORKER_COLUMNS                                                              \
  "id, supplier_org_id, external_id, first_name, last_name, email, phone, job_title, " \
  "location, status, created_at, updated_at"

constexpr Sql kInsertWorker{
    "insert worker",
    "INSERT INTO workers (supplier_org_id, external_id, first_name, last_name, email, phone, "
    "job_title, location, status, created_at, updated_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) RETURNING id"};
constexpr Sql kSelectWorker{"select worker",
                            "SELECT " KG_WORKER_COLUMNS
                            " FROM workers WHERE supplier_org_id = ?1 AND id = ?2"};
constexpr Sql kUpdateWorker{
    "update worker",
    "UPDATE workers SET external_id = ?3, first_name = ?4, last_name = ?5, email = ?6, "
    "phone = ?7, job_title = ?8, location = ?9, status = ?10, updated_at = ?11 "
    "WHERE id = ?1 AND supplier_org_id = ?2"};
constexpr std::string_view kListWorkersHead =
    "SELECT " KG_WORKER_COLUMNS " FROM workers w WHERE w.supplier_org_id = ?1";
constexpr std::string_view kCountWorkersHead =
    "SELECT COUNT(*) FROM workers w WHERE w.supplier_org_id = ?1";
constexpr std::string_view kWorkerExternalIdTaken =
    "A worker with this externalId already exists in your organization.";

Result<core::Worker> readWorker(const Query& q) {
  core::Worker w;
  w.id = q.integer(0);
  w.supplier_org_id = q.integer(1);
  w.external_id = q.text(2);
  w.first_name = q.text(3);
  w.last_name = q.text(4);
  w.email = q.text(5);
  w.phone = q.text(6);
  w.job_title = q.text(7);
  w.location = q.text(8);
  KG_ASSIGN_OR_RETURN(w.status, knownEnum<core::WorkerStatus>(q.text(9), "workers.status"));
  w.created_at = q.integer(10);
  w.updated_at = q.integer(11);
  return w;
}

// ---- engagements ----

#define KG_ENGAGEMENT_COLUMNS                                                                 \
  "e.id, e.supplier_org_id, e.client_org_id, o.name, e.agreement_id, e.staffing_request_id, " \
  "e.worker_id, w.first_name || ' ' || w.last_name, e.number, e.title, e.status, "            \
  "e.start_date, e.end_date, e.rate_unit, e.currency, e.st_rate, e.ot_rate, e.dt_rate, "      \
  "e.cost_center, e.created_at, e.updated_at"
#define KG_ENGAGEMENT_FROM                                                                       \
  " FROM engagements e JOIN organizations o ON o.id = e.client_org_id JOIN workers w ON w.id = " \
  "e.worker_id"

constexpr Sql kInsertEngagement{
    "insert engagement",
    "INSERT INTO engagements (supplier_org_id, client_org_id, agreement_id, staffing_request_id, "
    "worker_id, number, title, status, start_date, end_date, rate_unit, currency, st_rate, "
    "ot_rate, dt_rate, cost_center, created_at, updated_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18) "
    "RETURNING id"};
constexpr Sql kSelectEngagement{"select engagement",
                                "SELECT " KG_ENGAGEMENT_COLUMNS KG_ENGAGEMENT_FROM
                                " WHERE e.supplier_org_id = ?1 AND e.id = ?2"};
constexpr std::string_view kListEngagementsHead =
    "SELECT " KG_ENGAGEMENT_COLUMNS KG_ENGAGEMENT_FROM " WHERE e.supplier_org_id = ?1";
constexpr std::string_view kCountEngagementsHead =
    "SELECT COUNT(*) FROM engagements e WHERE e.supplier_org_id = ?1";

Result<core::Engagement> readEngagement(const Query& q) {
  core::Engagement e;
  e.id = q.integer(0);
  e.supplier_org_id = q.integer(1);
  e.client_org_id = q.integer(2);
  e.client_name = q.text(3);
  e.agreement_id = q.integer(4);
  e.staffing_request_id = q.optionalInteger(5);
  e.worker_id = q.integer(6);
  e.worker_name = q.text(7);
  e.number = q.text(8);
  e.title = q.text(9);
  KG_ASSIGN_OR_RETURN(e.status,
                      knownEnum<core::EngagementStatus>(q.text(10), "engagements.status"));
  e.start_date = q.integer(11);
  e.end_date = q.optionalInteger(12);
  KG_ASSIGN_OR_RETURN(e.rate_unit, knownEnum<core::RateUnit>(q.text(13), "engagements.rate_unit"));
  e.currency = q.text(14);
  e.rates.straight = q.integer(15);
  e.rates.overtime = q.optionalInteger(16);
  e.rates.double_time = q.optionalInteger(17);
  e.cost_center = q.text(18);
  e.created_at = q.integer(19);
  e.updated_at = q.integer(20);
  return e;
}

// ---- timecards ----

#define KG_TIMECARD_COLUMNS                                                                   \
  "t.id, t.supplier_org_id, t.client_org_id, t.engagement_id, t.week_ending, t.status, "      \
  "t.rate_unit, t.currency, t.st_rate, t.ot_rate, t.dt_rate, t.total_hours, t.total_amount, " \
  "t.submitted_at, t.approved_at, t.rejection_reason, t.created_at, t.updated_at"

constexpr Sql kInsertTimecard{
    "insert timecard",
    "INSERT INTO timecards (supplier_org_id, client_org_id, engagement_id, week_ending, status, "
    "rate_unit, currency, st_rate, ot_rate, dt_rate, total_hours, total_amount, submitted_at, "
    "approved_at, rejection_reason, created_at, updated_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17) "
    "RETURNING id"};
constexpr Sql kInsertEntry{
    "insert timecard entry",
    "INSERT INTO timecard_entries (timecard_id, position, work_date, rate_type, hours, time_in, "
    "time_out) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"};
constexpr Sql kDeleteEntries{"delete timecard entries",
                             "DELETE FROM timecard_entries WHERE timecard_id = ?1"};
constexpr Sql kSelectEntries{
    "select timecard entries",
    "SELECT work_date, rate_type, hours, time_in, time_out FROM timecard_entries "
    "WHERE timecard_id = ?1 ORDER BY position"};
constexpr Sql kSelectTimecard{"select timecard", "SELECT " KG_TIMECARD_COLUMNS
                                                 " FROM timecards t WHERE t.supplier_org_id = ?1 "
                                                 "AND t.id = ?2"};
constexpr Sql kUpdateTimecard{
    "update timecard",
    "UPDATE timecards SET status = ?3, total_hours = ?4, total_amount = ?5, submitted_at = ?6, "
    "approved_at = ?7, rejection_reason = ?8, updated_at = ?9 "
    "WHERE id = ?1 AND supplier_org_id = ?2"};
constexpr std::string_view kListTimecardsHead =
    "SELECT " KG_TIMECARD_COLUMNS " FROM timecards t WHERE t.supplier_org_id = ?1";
constexpr std::string_view kCountTimecardsHead =
    "SELECT COUNT(*) FROM timecards t WHERE t.supplier_org_id = ?1";

Result<core::Timecard> readTimecard(const Query& q) {
  core::Timecard t;
  t.id = q.integer(0);
  t.supplier_org_id = q.integer(1);
  t.client_org_id = q.integer(2);
  t.engagement_id = q.integer(3);
  t.week_ending = q.integer(4);
  KG_ASSIGN_OR_RETURN(t.status, knownEnum<core::TimecardStatus>(q.text(5), "timecards.status"));
  KG_ASSIGN_OR_RETURN(t.rate_unit, knownEnum<core::RateUnit>(q.text(6), "timecards.rate_unit"));
  t.currency = q.text(7);
  t.rates.straight = q.integer(8);
  t.rates.overtime = q.optionalInteger(9);
  t.rates.double_time = q.optionalInteger(10);
  t.total_hours = q.integer(11);
  t.total_amount = q.integer(12);
  t.submitted_at = q.optionalInteger(13);
  t.approved_at = q.optionalInteger(14);
  t.rejection_reason = q.text(15);
  t.created_at = q.integer(16);
  t.updated_at = q.integer(17);
  return t;
}

Result<core::TimecardEntry> readEntry(const Query& q) {
  core::TimecardEntry e;
  e.work_date = q.integer(0);
  KG_ASSIGN_OR_RETURN(e.rate_type,
                      knownEnum<core::RateType>(q.text(1), "timecard_entries.rate_type"));
  e.hours = q.integer(2);
  if (auto v = q.optionalInteger(3)) e.time_in = static_cast<int>(*v);
  if (auto v = q.optionalInteger(4)) e.time_out = static_cast<int>(*v);
  return e;
}

// ---- billing items ----

#define KG_BILLING_COLUMNS                                                                     \
  "b.id, b.supplier_org_id, b.client_org_id, b.engagement_id, b.timecard_id, b.invoice_id, "   \
  "b.type, b.status, b.rate_type, b.description, b.service_date, b.quantity, b.unit, b.rate, " \
  "b.amount, b.currency, b.created_at, b.updated_at"

constexpr Sql kInsertBillingItem{
    "insert billing item",
    "INSERT INTO billing_items (supplier_org_id, client_org_id, engagement_id, timecard_id, "
    "invoice_id, type, status, rate_type, description, service_date, quantity, unit, rate, "
    "amount, currency, created_at, updated_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17) "
    "RETURNING id"};
constexpr Sql kSelectBillingItem{
    "select billing item", "SELECT " KG_BILLING_COLUMNS
                           " FROM billing_items b WHERE b.supplier_org_id = ?1 AND b.id = ?2"};
constexpr Sql kSetBillingStatusForTimecard{
    "set billing item status for timecard",
    "UPDATE billing_items SET status = ?4, updated_at = ?5 "
    "WHERE supplier_org_id = ?1 AND timecard_id = ?2 AND status = ?3"};
constexpr Sql kMarkBillingItemInvoiced{
    "mark billing item invoiced",
    "UPDATE billing_items SET invoice_id = ?3, status = 'invoiced', updated_at = ?4 "
    "WHERE supplier_org_id = ?1 AND id = ?2"};
constexpr std::string_view kListBillingHead =
    "SELECT " KG_BILLING_COLUMNS " FROM billing_items b WHERE b.supplier_org_id = ?1";
constexpr std::string_view kCountBillingHead =
    "SELECT COUNT(*) FROM billing_items b WHERE b.supplier_org_id = ?1";

Result<core::BillingItem> readBillingItem(const Query& q) {
  core::BillingItem b;
  b.id = q.integer(0);
  b.supplier_org_id = q.integer(1);
  b.client_org_id = q.integer(2);
  b.engagement_id = q.integer(3);
  b.timecard_id = q.optionalInteger(4);
  b.invoice_id = q.optionalInteger(5);
  KG_ASSIGN_OR_RETURN(b.type, knownEnum<core::BillingItemType>(q.text(6), "billing_items.type"));
  KG_ASSIGN_OR_RETURN(b.status,
                      knownEnum<core::BillingItemStatus>(q.text(7), "billing_items.status"));
  if (const std::string rate_type = q.text(8); !rate_type.empty()) {
    KG_ASSIGN_OR_RETURN(b.rate_type,
                        knownEnum<core::RateType>(rate_type, "billing_items.rate_type"));
  }
  b.description = q.text(9);
  b.service_date = q.integer(10);
  b.quantity = q.integer(11);
  b.unit = q.text(12);
  b.rate = q.integer(13);
  b.amount = q.integer(14);
  b.currency = q.text(15);
  b.created_at = q.integer(16);
  b.updated_at = q.integer(17);
  return b;
}

// ---- invoices ----

#define KG_INVOICE_COLUMNS                                                                 \
  "i.id, i.supplier_org_id, i.client_org_id, o.name, i.number, i.status, i.invoice_date, " \
  "i.due_date, i.period_start, i.period_end, i.currency, i.subtotal, i.tax, i.total, "     \
  "i.line_count, i.created_at, i.updated_at"
#define KG_INVOICE_FROM " FROM invoices i JOIN organizations o ON o.id = i.client_org_id"

constexpr Sql kInsertInvoice{
    "insert invoice",
    "INSERT INTO invoices (supplier_org_id, client_org_id, number, status, invoice_date, "
    "due_date, period_start, period_end, currency, subtotal, tax, total, line_count, "
    "created_at, updated_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15) RETURNING id"};
constexpr Sql kInsertInvoiceLine{
    "insert invoice line",
    "INSERT INTO invoice_lines (invoice_id, line_number, billing_item_id, engagement_id, "
    "description, quantity, rate, amount) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"};
constexpr Sql kSelectInvoiceLines{
    "select invoice lines",
    "SELECT line_number, billing_item_id, engagement_id, description, quantity, rate, amount "
    "FROM invoice_lines WHERE invoice_id = ?1 ORDER BY line_number"};
constexpr Sql kSelectInvoice{"select invoice", "SELECT " KG_INVOICE_COLUMNS KG_INVOICE_FROM
                                               " WHERE i.supplier_org_id = ?1 AND i.id = ?2"};
constexpr std::string_view kListInvoicesHead =
    "SELECT " KG_INVOICE_COLUMNS KG_INVOICE_FROM " WHERE i.supplier_org_id = ?1";
constexpr std::string_view kCountInvoicesHead =
    "SELECT COUNT(*) FROM invoices i WHERE i.supplier_org_id = ?1";

Result<core::Invoice> readInvoice(const Query& q) {
  core::Invoice i;
  i.id = q.integer(0);
  i.supplier_org_id = q.integer(1);
  i.client_org_id = q.integer(2);
  i.client_name = q.text(3);
  i.number = q.text(4);
  KG_ASSIGN_OR_RETURN(i.status, knownEnum<core::InvoiceStatus>(q.text(5), "invoices.status"));
  i.invoice_date = q.integer(6);
  i.due_date = q.integer(7);
  i.period_start = q.integer(8);
  i.period_end = q.integer(9);
  i.currency = q.text(10);
  i.subtotal = q.integer(11);
  i.tax = q.integer(12);
  i.total = q.integer(13);
  i.line_count = static_cast<int>(q.integer(14));
  i.created_at = q.integer(15);
  i.updated_at = q.integer(16);
  return i;
}

Result<core::InvoiceLine> readInvoiceLine(const Query& q) {
  core::InvoiceLine l;
  l.line_number = static_cast<int>(q.integer(0));
  l.billing_item_id = q.optionalInteger(1);
  l.engagement_id = q.integer(2);
  l.description = q.text(3);
  l.quantity = q.integer(4);
  l.rate = q.integer(5);
  l.amount = q.integer(6);
  return l;
}

// ---- candidate insights ----

constexpr Sql kInsertInsight{
    "insert candidate insight",
    "INSERT INTO candidate_insights (supplier_org_id, staffing_request_id, candidate_id, "
    "overall, band, recommendation, model_version, result_json, created_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) RETURNING id"};
constexpr Sql kSelectInsight{
    "select candidate insight",
    "SELECT id, supplier_org_id, staffing_request_id, candidate_id, overall, band, "
    "recommendation, model_version, result_json, created_at FROM candidate_insights "
    "WHERE supplier_org_id = ?1 AND id = ?2"};

Result<core::CandidateInsightRecord> readInsight(const Query& q) {
  core::CandidateInsightRecord r;
  r.id = q.integer(0);
  r.supplier_org_id = q.integer(1);
  r.staffing_request_id = q.integer(2);
  r.candidate_id = q.optionalInteger(3);
  r.overall = static_cast<int>(q.integer(4));
  r.band = q.text(5);
  r.recommendation = q.text(6);
  r.model_version = q.text(7);
  r.result_json = q.text(8);
  r.created_at = q.integer(9);
  return r;
}

std::optional<std::int64_t> optionalInt(const std::optional<int>& v) {
  if (!v) return std::nullopt;
  return std::int64_t{*v};
}

}  // namespace

// ---- agreements ----

Result<Id> SqliteAgreementRepository::create(const core::Agreement& a) {
  KG_ASSIGN_OR_RETURN(auto q, db_.query(kInsertAgreement));
  q.bind(1, a.supplier_org_id)
      .bind(2, a.client_org_id)
      .bind(3, a.number)
      .bind(4, nameOf(a.status))
      .bind(5, a.currency)
      .bind(6, a.effective_from)
      .bind(7, a.effective_to)
      .bind(8, a.created_at)
      .bind(9, a.updated_at);
  return insertReturningId(q);
}

Result<std::optional<core::Agreement>> SqliteAgreementRepository::findWithClient(Id supplier_org_id,
                                                                                 Id client_org_id) {
  KG_ASSIGN_OR_RETURN(auto q, db_.query(kSelectAgreementWithClient));
  q.bind(1, supplier_org_id).bind(2, client_org_id);
  return fetchOne(q, readAgreement);
}

// ---- staffing requests ----

Result<Id> SqliteStaffingRequestRepository::create(const core::StaffingRequest& r) {
  Id id = 0;
  {
    KG_ASSIGN_OR_RETURN(auto q, db_.query(kInsertStaffingRequest));
    q.bind(1, r.client_org_id)
        .bind(2, r.number)
        .bind(3, r.title)
        .bind(4, r.description)
        .bind(5, r.location)
        .bind(6, nameOf(r.remote))
        .bind(7, r.bill_rate_min)
        .bind(8, r.bill_rate_max)
        .bind(9, r.currency)
        .bind(10, nameOf(r.rate_unit))
        .bind(11, r.start_date)
        .bind(12, std::int64_t{r.positions})
        .bind(13, nameOf(r.status))
        .bind(14, r.created_at)
        .bind(15, r.updated_at);
    KG_ASSIGN_OR_RETURN(id, insertReturningId(q));
  }
  for (std::size_t i = 0; i < r.skills.size(); ++i) {
    const auto& s = r.skills[i];
    KG_ASSIGN_OR_RETURN(auto q, db_.query(kInsertRequestSkill));
    q.bind(1, id)
        .bind(2, static_cast<std::int64_t>(i))
        .bind(3, s.name)
        .bind(4, std::int64_t{s.min_years})
        .bindBool(5, s.required);
    KG_TRY(q.run());
  }
  return id;
}

Status SqliteStaffingRequestRepository::release(Id staffing_request_id, Id supplier_org_id,
                                                Seconds at) {
  KG_ASSIGN_OR_RETURN(auto q, db_.query(kInsertRelease));
  q.bind(1, staffing_request_id).bind(2, supplier_org_id).bind(3, at);
  KG_TRY(q.run());
  return core::ok();
}

Status SqliteStaffingRequestRepository::loadSkills(core::StaffingRequest& request) {
  KG_ASSIGN_OR_RETURN(auto q, db_.query(kSelectRequestSkills));
  q.bind(1, request.id);
  KG_ASSIGN_OR_RETURN(request.skills,
                      fetchAll(q, [](const Query& row) -> Result<core::SkillRequirement> {
                        return core::SkillRequirement{row.text(0), static_cast<int>(row.integer(1)),
                                                      row.boolean(2)};
                      }));
  return core::ok();
}

Result<std::optional<core::StaffingRequest>> SqliteStaffingRequestRepository::find(
    Id supplier_org_id, Id id) {
  std::optional<core::StaffingRequest> found;
  {
    KG_ASSIGN_OR_RETURN(auto q, db_.query(kSelectRequest));
    q.bind(1, supplier_org_id).bind(2, id);
    KG_ASSIGN_OR_RETURN(found, fetchOne(q, readRequest));
  }
  if (found) KG_TRY(loadSkills(*found));
  return found;
}

Result<Page<core::StaffingRequest>> SqliteStaffingRequestRepository::list(
    Id supplier_org_id, const StaffingRequestFilter& f, const PageRequest& page) {
  const ListSql sql = composeList(kListRequestsHead, kCountRequestsHead,
                                  {{f.status.has_value(), "r.status = ?4"},
                                   {f.updated_since.has_value(), "r.updated_at >= ?5"}},
                                  " ORDER BY r.id");
  KG_ASSIGN_OR_RETURN(auto out, runList<core::StaffingRequest>(
                                    db_, "count staffing requests", "list staffing requests", sql,
                                    supplier_org_id, page,
                                    [&](Query& q) {
                                      if (f.status) q.bind(4, nameOf(*f.status));
                                      if (f.updated_since) q.bind(5, *f.updated_since);
                                    },
                                    readRequest));
  for (auto& r : out.items) KG_TRY(loadSkills(r));
  return out;
}

// ---- candidates ----

Result<Id> SqliteCandidateRepository::create(const core::Candidate& c) {
  Id id = 0;
  {
    KG_ASSIGN_OR_RETURN(auto q, db_.query(kInsertCandidate));
    q.bind(1, c.supplier_org_id)
        .bind(2, c.first_name)
        .bind(3, c.last_name)
        .bind(4, c.email)
        .bind(5, c.location)
        .bindBool(6, c.open_to_remote)
        .bindBool(7, c.willing_to_relocate)
        .bind(8, c.desired_rate)
        .bind(9, c.currency)
        .bind(10, nameOf(c.rate_unit))
        .bind(11, c.available_from)
        .bind(12, c.resume_text)
        .bind(13, c.created_at)
        .bind(14, c.updated_at);
    KG_ASSIGN_OR_RETURN(id, insertReturningId(q));
  }
  for (std::size_t i = 0; i < c.skills.size(); ++i) {
    KG_ASSIGN_OR_RETURN(auto q, db_.query(kInsertCandidateSkill));
    q.bind(1, id)
        .bind(2, static_cast<std::int64_t>(i))
        .bind(3, c.skills[i].name)
        .bind(4, c.skills[i].years);
    KG_TRY(q.run());
  }
  return id;
}

Result<std::optional<core::Candidate>> SqliteCandidateRepository::find(Id supplier_org_id, Id id) {
  std::optional<core::Candidate> found;
  {
    KG_ASSIGN_OR_RETURN(auto q, db_.query(kSelectCandidate));
    q.bind(1, supplier_org_id).bind(2, id);
    KG_ASSIGN_OR_RETURN(found, fetchOne(q, readCandidate));
  }
  if (!found) return found;
  KG_ASSIGN_OR_RETURN(auto q, db_.query(kSelectCandidateSkills));
  q.bind(1, found->id);
  KG_ASSIGN_OR_RETURN(found->skills,
                      fetchAll(q, [](const Query& row) -> Result<core::CandidateSkill> {
                        return core::CandidateSkill{row.text(0), row.integer(1)};
                      }));
  return found;
}

// ---- submittals ----

Result<Id> SqliteSubmittalRepository::create(const core::Submittal& s) {
  KG_ASSIGN_OR_RETURN(auto q, db_.query(kInsertSubmittal));
  q.bind(1, s.supplier_org_id)
      .bind(2, s.client_org_id)
      .bind(3, s.staffing_request_id)
      .bind(4, s.candidate_id)
      .bind(5, nameOf(s.status))
      .bind(6, s.bill_rate)
      .bind(7, s.submitted_at)
      .bind(8, s.updated_at);
  return insertReturningId(q);
}

// ---- workers ----

Result<Id> SqliteWorkerRepository::create(const core::Worker& w) {
  KG_ASSIGN_OR_RETURN(auto q, db_.query(kInsertWorker));
  q.bind(1, w.supplier_org_id)
      .bind(2, w.external_id)
      .bind(3, w.first_name)
      .bind(4, w.last_name)
      .bind(5, w.email)
      .bind(6, w.phone)
      .bind(7, w.job_title)
      .bind(8, w.location)
      .bind(9, nameOf(w.status))
      .bind(10, w.created_at)
      .bind(11, w.updated_at);
  auto id = insertReturningId(q);
  if (!id) return withConflictMessage(std::move(id).error(), kWorkerExternalIdTaken);
  return id;
}

Result<std::optional<core::Worker>> SqliteWorkerRepository::find(Id supplier_org_id, Id id) {
  KG_ASSIGN_OR_RETURN(auto q, db_.query(kSelectWorker));
  q.bind(1, supplier_org_id).bind(2, id);
  return fetchOne(q, readWorker);
}

Result<Page<core::Worker>> SqliteWorkerRepository::list(Id supplier_org_id, const WorkerFilter& f,
                                                        const PageRequest& page) {
  const ListSql sql = composeList(kListWorkersHead, kCountWorkersHead,
                                  {{f.status.has_value(), "w.status = ?4"},
                                   {f.updated_since.has_value(), "w.updated_at >= ?5"},
                                   {f.external_id.has_value(), "w.external_id = ?6"}},
                                  " ORDER BY w.id");
  return runList<core::Worker>(
      db_, "count workers", "list workers", sql, supplier_org_id, page,
      [&](Query& q) {
        if (f.status) q.bind(4, nameOf(*f.status));
        if (f.updated_since) q.bind(5, *f.updated_since);
        if (f.external_id) q.bind(6, std::string_view(*f.external_id));
      },
      readWorker);
}

Status SqliteWorkerRepository::update(const core::Worker& w) {
  KG_ASSIGN_OR_RETURN(auto q, db_.query(kUpdateWorker));
  q.bind(1, w.id)
      .bind(2, w.supplier_org_id)
      .bind(3, w.external_id)
      .bind(4, w.first_name)
      .bind(5, w.last_name)
      .bind(6, w.email)
      .bind(7, w.phone)
      .bind(8, w.job_title)
      .bind(9, w.location)
      .bind(10, nameOf(w.status))
      .bind(11, w.updated_at);
  auto changed = q.run();
  if (!changed) return withConflictMessage(std::move(changed).error(), kWorkerExternalIdTaken);
  if (*changed == 0) return notFound("No worker with that id.");
  return core::ok();
}

// ---- engagements ----

Result<Id> SqliteEngagementRepository::create(const core::Engagement& e) {
  KG_ASSIGN_OR_RETURN(auto q, db_.query(kInsertEngagement));
  q.bind(1, e.supplier_org_id)
      .bind(2, e.client_org_id)
      .bind(3, e.agreement_id)
      .bind(4, e.staffing_request_id)
      .bind(5, e.worker_id)
      .bind(6, e.number)
      .bind(7, e.title)
      .bind(8, nameOf(e.status))
      .bind(9, e.start_date)
      .bind(10, e.end_date)
      .bind(11, nameOf(e.rate_unit))
      .bind(12, e.currency)
      .bind(13, e.rates.straight)
      .bind(14, e.rates.overtime)
      .bind(15, e.rates.double_time)
      .bind(16, e.cost_center)
      .bind(17, e.created_at)
      .bind(18, e.updated_at);
  return insertReturningId(q);
}

Result<std::optional<core::Engagement>> SqliteEngagementRepository::find(Id supplier_org_id,
                                                                         Id id) {
  KG_ASSIGN_OR_RETURN(auto q, db_.query(kSelectEngagement));
  q.bind(1, supplier_org_id).bind(2, id);
  return fetchOne(q, readEngagement);
}

Result<Page<core::Engagement>> SqliteEngagementRepository::list(Id supplier_org_id,
                                                                const EngagementFilter& f,
                                                                const PageRequest& page) {
  const ListSql sql = composeList(kListEngagementsHead, kCountEngagementsHead,
                                  {{f.status.has_value(), "e.status = ?4"},
                                   {f.updated_since.has_value(), "e.updated_at >= ?5"},
                                   {f.worker_id.has_value(), "e.worker_id = ?6"},
                                   {f.start_date_from.has_value(), "e.start_date >= ?7"},
                                   {f.start_date_to.has_value(), "e.start_date <= ?8"}},
                                  " ORDER BY e.id");
  return runList<core::Engagement>(
      db_, "count engagements", "list engagements", sql, supplier_org_id, page,
      [&](Query& q) {
        if (f.status) q.bind(4, nameOf(*f.status));
        if (f.updated_since) q.bind(5, *f.updated_since);
        if (f.worker_id) q.bind(6, *f.worker_id);
        if (f.start_date_from) q.bind(7, *f.start_date_from);
        if (f.start_date_to) q.bind(8, *f.start_date_to);
      },
      readEngagement);
}

// ---- timecards ----

Status SqliteTimecardRepository::insertEntries(Id timecard_id,
                                               const std::vector<core::TimecardEntry>& entries) {
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const auto& e = entries[i];
    KG_ASSIGN_OR_RETURN(auto q, db_.query(kInsertEntry));
    q.bind(1, timecard_id)
        .bind(2, static_cast<std::int64_t>(i))
        .bind(3, e.work_date)
        .bind(4, nameOf(e.rate_type))
        .bind(5, e.hours)
        .bind(6, optionalInt(e.time_in))
        .bind(7, optionalInt(e.time_out));
    KG_TRY(q.run());
  }
  return core::ok();
}

Status SqliteTimecardRepository::loadEntries(core::Timecard& timecard) {
  KG_ASSIGN_OR_RETURN(auto q, db_.query(kSelectEntries));
  q.bind(1, timecard.id);
  KG_ASSIGN_OR_RETURN(timecard.entries, fetchAll(q, readEntry));
  return core::ok();
}

Result<Id> SqliteTimecardRepository::create(const core::Timecard& t) {
  Id id = 0;
  {
    KG_ASSIGN_OR_RETURN(auto q, db_.query(kInsertTimecard));
    q.bind(1, t.supplier_org_id)
        .bind(2, t.client_org_id)
        .bind(3, t.engagement_id)
        .bind(4, t.week_ending)
        .bind(5, nameOf(t.status))
        .bind(6, nameOf(t.rate_unit))
        .bind(7, t.currency)
        .bind(8, t.rates.straight)
        .bind(9, t.rates.overtime)
        .bind(10, t.rates.double_time)
        .bind(11, t.total_hours)
        .bind(12, t.total_amount)
        .bind(13, t.submitted_at)
        .bind(14, t.approved_at)
        .bind(15, t.rejection_reason)
        .bind(16, t.created_at)
        .bind(17, t.updated_at);
    auto inserted = insertReturningId(q);
    if (!inserted)
      return withConflictMessage(std::move(inserted).error(),
                                 "The engagement already has a timecard for that week.");
    id = *inserted;
  }
  KG_TRY(insertEntries(id, t.entries));
  return id;
}

Result<std::optional<core::Timecard>> SqliteTimecardRepository::find(Id supplier_org_id, Id id) {
  std::optional<core::Timecard> found;
  {
    KG_ASSIGN_OR_RETURN(auto q, db_.query(kSelectTimecard));
    q.bind(1, supplier_org_id).bind(2, id);
    KG_ASSIGN_OR_RETURN(found, fetchOne(q, readTimecard));
  }
  if (found) KG_TRY(loadEntries(*found));
  return found;
}

Result<Page<core::Timecard>> SqliteTimecardRepository::list(Id supplier_org_id,
                                                            const TimecardFilter& f,
                                                            const PageRequest& page) {
  const ListSql sql = composeList(kListTimecardsHead, kCountTimecardsHead,
                                  {{f.status.has_value(), "t.status = ?4"},
                                   {f.updated_since.has_value(), "t.updated_at >= ?5"},
                                   {f.engagement_id.has_value(), "t.engagement_id = ?6"},
                                   {f.week_ending.has_value(), "t.week_ending = ?7"}},
                                  " ORDER BY t.id");
  KG_ASSIGN_OR_RETURN(auto out,
                      runList<core::Timecard>(
                          db_, "count timecards", "list timecards", sql, supplier_org_id, page,
                          [&](Query& q) {
                            if (f.status) q.bind(4, nameOf(*f.status));
                            if (f.updated_since) q.bind(5, *f.updated_since);
                            if (f.engagement_id) q.bind(6, *f.engagement_id);
                            if (f.week_ending) q.bind(7, *f.week_ending);
                          },
                          readTimecard));
  for (auto& t : out.items) KG_TRY(loadEntries(t));
  return out;
}

Status SqliteTimecardRepository::update(const core::Timecard& t) {
  {
    KG_ASSIGN_OR_RETURN(auto q, db_.query(kUpdateTimecard));
    q.bind(1, t.id)
        .bind(2, t.supplier_org_id)
        .bind(3, nameOf(t.status))
        .bind(4, t.total_hours)
        .bind(5, t.total_amount)
        .bind(6, t.submitted_at)
        .bind(7, t.approved_at)
        .bind(8, t.rejection_reason)
        .bind(9, t.updated_at);
    KG_ASSIGN_OR_RETURN(const auto changed, q.run());
    if (changed == 0) return notFound("No timecard with that id.");
  }
  {
    KG_ASSIGN_OR_RETURN(auto q, db_.query(kDeleteEntries));
    q.bind(1, t.id);
    KG_TRY(q.run());
  }
  return insertEntries(t.id, t.entries);
}

// ---- billing items ----

Result<Id> SqliteBillingItemRepository::create(const core::BillingItem& b) {
  KG_ASSIGN_OR_RETURN(auto q, db_.query(kInsertBillingItem));
  q.bind(1, b.supplier_org_id)
      .bind(2, b.client_org_id)
      .bind(3, b.engagement_id)
      .bind(4, b.timecard_id)
      .bind(5, b.invoice_id)
      .bind(6, nameOf(b.type))
      .bind(7, nameOf(b.status));
  if (b.rate_type) {
    q.bind(8, nameOf(*b.rate_type));
  } else {
    q.bind(8, std::optional<std::int64_t>());
  }
  q.bind(9, b.description)
      .bind(10, b.service_date)
      .bind(11, b.quantity)
      .bind(12, b.unit)
      .bind(13, b.rate)
      .bind(14, b.amount)
      .bind(15, b.currency)
      .bind(16, b.created_at)
      .bind(17, b.updated_at);
  return insertReturningId(q);
}

Result<std::optional<core::BillingItem>> SqliteBillingItemRepository::find(Id supplier_org_id,
                                                                           Id id) {
  KG_ASSIGN_OR_RETURN(auto q, db_.query(kSelectBillingItem));
  q.bind(1, supplier_org_id).bind(2, id);
  return fetchOne(q, readBillingItem);
}

Result<Page<core::BillingItem>> SqliteBillingItemRepository::list(Id supplier_org_id,
                                                                  const BillingItemFilter& f,
                                                                  const PageRequest& page) {
  const ListSql sql =
      composeList(kListBillingHead, kCountBillingHead,
                  {{f.status.has_value(), "b.status = ?4"},
                   {f.updated_since.has_value(), "b.updated_at >= ?5"},
                   {f.engagement_id.has_value(), "b.engagement_id = ?6"},
                   {f.type.has_value(), "b.type = ?7"},
                   {f.service_date_from.has_value(), "b.service_date >= ?8"},
                   {f.service_date_to.has_value(), "b.service_date <= ?9"},
                   {f.invoiced.has_value() && *f.invoiced, "b.invoice_id IS NOT NULL"},
                   {f.invoiced.has_value() && !*f.invoiced, "b.invoice_id IS NULL"}},
                  " ORDER BY b.id");
  return runList<core::BillingItem>(
      db_, "count billing items", "list billing items", sql, supplier_org_id, page,
      [&](Query& q) {
        if (f.status) q.bind(4, nameOf(*f.status));
        if (f.updated_since) q.bind(5, *f.updated_since);
        if (f.engagement_id) q.bind(6, *f.engagement_id);
        if (f.type) q.bind(7, nameOf(*f.type));
        if (f.service_date_from) q.bind(8, *f.service_date_from);
        if (f.service_date_to) q.bind(9, *f.service_date_to);
      },
      readBillingItem);
}

Result<std::int64_t> SqliteBillingItemRepository::setStatusForTimecard(Id supplier_org_id,
                                                                       Id timecard_id,
                                                                       core::BillingItemStatus from,
                                                                       core::BillingItemStatus to,
                                                                       Seconds at) {
  KG_ASSIGN_OR_RETURN(auto q, db_.query(kSetBillingStatusForTimecard));
  q.bind(1, supplier_org_id)
      .bind(2, timecard_id)
      .bind(3, nameOf(from))
      .bind(4, nameOf(to))
      .bind(5, at);
  return q.run();
}

Status SqliteBillingItemRepository::markInvoiced(Id supplier_org_id, Id id, Id invoice_id,
                                                 Seconds at) {
  KG_ASSIGN_OR_RETURN(auto q, db_.query(kMarkBillingItemInvoiced));
  q.bind(1, supplier_org_id).bind(2, id).bind(3, invoice_id).bind(4, at);
  KG_ASSIGN_OR_RETURN(const auto changed, q.run());
  if (changed == 0) return notFound("No billing item with that id.");
  return core::ok();
}

// ---- invoices ----

Result<Id> SqliteInvoiceRepository::create(const core::Invoice& i) {
  Id id = 0;
  {
    KG_ASSIGN_OR_RETURN(auto q, db_.query(kInsertInvoice));
    q.bind(1, i.supplier_org_id)
        .bind(2, i.client_org_id)
        .bind(3, i.number)
        .bind(4, nameOf(i.status))
        .bind(5, i.invoice_date)
        .bind(6, i.due_date)
        .bind(7, i.period_start)
        .bind(8, i.period_end)
        .bind(9, i.currency)
        .bind(10, i.subtotal)
        .bind(11, i.tax)
        .bind(12, i.total)
        .bind(13, static_cast<std::int64_t>(i.lines.size()))
        .bind(14, i.created_at)
        .bind(15, i.updated_at);
    KG_ASSIGN_OR_RETURN(id, insertReturningId(q));
  }
  for (const auto& l : i.lines) {
    KG_ASSIGN_OR_RETURN(auto q, db_.query(kInsertInvoiceLine));
    q.bind(1, id)
        .bind(2, std::int64_t{l.line_number})
        .bind(3, l.billing_item_id)
        .bind(4, l.engagement_id)
        .bind(5, l.description)
        .bind(6, l.quantity)
        .bind(7, l.rate)
        .bind(8, l.amount);
    KG_TRY(q.run());
  }
  return id;
}

Result<std::optional<core::Invoice>> SqliteInvoiceRepository::find(Id supplier_org_id, Id id) {
  std::optional<core::Invoice> found;
  {
    KG_ASSIGN_OR_RETURN(auto q, db_.query(kSelectInvoice));
    q.bind(1, supplier_org_id).bind(2, id);
    KG_ASSIGN_OR_RETURN(found, fetchOne(q, readInvoice));
  }
  if (!found) return found;
  KG_ASSIGN_OR_RETURN(auto q, db_.query(kSelectInvoiceLines));
  q.bind(1, found->id);
  KG_ASSIGN_OR_RETURN(found->lines, fetchAll(q, readInvoiceLine));
  return found;
}

Result<Page<core::Invoice>> SqliteInvoiceRepository::list(Id supplier_org_id,
                                                          const InvoiceFilter& f,
                                                          const PageRequest& page) {
  const ListSql sql = composeList(kListInvoicesHead, kCountInvoicesHead,
                                  {{f.status.has_value(), "i.status = ?4"},
                                   {f.updated_since.has_value(), "i.updated_at >= ?5"},
                                   {f.invoice_date_from.has_value(), "i.invoice_date >= ?6"},
                                   {f.invoice_date_to.has_value(), "i.invoice_date <= ?7"}},
                                  " ORDER BY i.id");
  return runList<core::Invoice>(
      db_, "count invoices", "list invoices", sql, supplier_org_id, page,
      [&](Query& q) {
        if (f.status) q.bind(4, nameOf(*f.status));
        if (f.updated_since) q.bind(5, *f.updated_since);
        if (f.invoice_date_from) q.bind(6, *f.invoice_date_from);
        if (f.invoice_date_to) q.bind(7, *f.invoice_date_to);
      },
      readInvoice);
}

// ---- candidate insights ----

Result<Id> SqliteCandidateInsightRepository::create(const core::CandidateInsightRecord& r) {
  KG_ASSIGN_OR_RETURN(auto q, db_.query(kInsertInsight));
  q.bind(1, r.supplier_org_id)
      .bind(2, r.staffing_request_id)
      .bind(3, r.candidate_id)
      .bind(4, std::int64_t{r.overall})
      .bind(5, r.band)
      .bind(6, r.recommendation)
      .bind(7, r.model_version)
      .bind(8, r.result_json)
      .bind(9, r.created_at);
  return insertReturningId(q);
}

Result<std::optional<core::CandidateInsightRecord>> SqliteCandidateInsightRepository::find(
    Id supplier_org_id, Id id) {
  KG_ASSIGN_OR_RETURN(auto q, db_.query(kSelectInsight));
  q.bind(1, supplier_org_id).bind(2, id);
  return fetchOne(q, readInsight);
}

// ---- the set ----

SqliteSupplierRepositories::SqliteSupplierRepositories(Connection& db)
    : agreements_(db),
      staffing_requests_(db),
      candidates_(db),
      submittals_(db),
      workers_(db),
      engagements_(db),
      timecards_(db),
      billing_items_(db),
      invoices_(db),
      candidate_insights_(db),
      repositories_{agreements_, staffing_requests_, candidates_, submittals_,
                    workers_,    engagements_,       timecards_,  billing_items_,
                    invoices_,   candidate_insights_} {}

}  // namespace keygate::storage::sqlite
