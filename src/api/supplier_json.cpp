// JSON renderings and request-body readers of the Supplier API (see supplier_internal.h).
// Wire conventions (docs/supplier-api.md): camelCase names; amounts are decimal strings in the
// currency's own number of fraction digits, next to a `currency` member; quantities (hours,
// days) are decimal strings with two fraction digits; dates "YYYY-MM-DD", instants
// "YYYY-MM-DDTHH:MM:SSZ".
#include <cmath>

#include "api/json_body.h"
#include "api/supplier_internal.h"
#include "core/key_rules.h"

namespace keygate::api::supplier {
namespace {

using boost::json::array;
using boost::json::object;
using boost::json::value;

value textOrNull(const std::string& text) {
  if (text.empty()) return nullptr;
  return value(text);
}

value idOrNull(const std::optional<core::Id>& id) {
  if (!id) return nullptr;
  return value(*id);
}

object rates(const core::Rates& r, std::string_view currency) {
  return object{{"ST", money(r.straight, currency)},
                {"OT", r.overtime ? money(*r.overtime, currency) : value(nullptr)},
                {"DT", r.double_time ? money(*r.double_time, currency) : value(nullptr)}};
}

std::string formatClock(int minutes) {
  std::string out(5, '0');
  out[0] = static_cast<char>('0' + minutes / 600);
  out[1] = static_cast<char>('0' + minutes / 60 % 10);
  out[2] = ':';
  out[3] = static_cast<char>('0' + minutes % 60 / 10);
  out[4] = static_cast<char>('0' + minutes % 10);
  return out;
}

// ---- reading ----

core::Error typeError(const std::string& field, std::string_view expected) {
  return core::fieldError(core::Errc::kValidationFailed, field,
                          "The field '" + field + "' must be " + std::string(expected) + ".");
}

core::Error missing(const std::string& field) {
  return core::fieldError(core::Errc::kValidationFailed, field,
                          "The field '" + field + "' is required.");
}

const value* member(const object& o, std::string_view name) {
  const auto* v = o.if_contains(name);
  return v != nullptr && !v->is_null() ? v : nullptr;
}

core::Result<std::string> needString(const object& o, std::string_view name,
                                     const std::string& field) {
  const auto* v = member(o, name);
  if (v == nullptr) return missing(field);
  if (!v->is_string()) return typeError(field, "a string");
  return std::string(v->as_string());
}

core::Result<std::optional<std::string>> maybeString(const object& o, std::string_view name,
                                                     const std::string& field) {
  const auto* v = member(o, name);
  if (v == nullptr) return std::optional<std::string>();
  if (!v->is_string()) return typeError(field, "a string");
  return std::optional<std::string>(std::string(v->as_string()));
}

core::Result<core::Seconds> needDate(const object& o, std::string_view name,
                                     const std::string& field) {
  KG_ASSIGN_OR_RETURN(auto text, needString(o, name, field));
  const auto day = core::parseDate(text);
  if (!day) return typeError(field, "a date, YYYY-MM-DD");
  return *day;
}

core::Result<std::optional<bool>> maybeBool(const object& o, std::string_view name,
                                            const std::string& field) {
  const auto* v = member(o, name);
  if (v == nullptr) return std::optional<bool>();
  if (!v->is_bool()) return typeError(field, "true or false");
  return std::optional<bool>(v->as_bool());
}

// A quantity with at most two fraction digits, sent as a JSON number (8, 7.5) or a decimal
// string ("7.50"). Numbers are accepted because every client sends hours that way; they are
// turned into hundredths once, and refused when they carry more precision than that.
core::Result<core::Hundredths> needQuantity(const object& o, std::string_view name,
                                            const std::string& field) {
  const auto* v = member(o, name);
  if (v == nullptr) return missing(field);
  constexpr std::string_view kExpected = "a number with at most two decimals, e.g. 7.5";
  if (v->is_int64()) {
    const auto n = v->as_int64();
    if (n > 1000000 || n < -1000000) return typeError(field, kExpected);
    return n * 100;
  }
  if (v->is_uint64()) return typeError(field, kExpected);
  if (v->is_double()) {
    const double d = v->as_double();
    if (!std::isfinite(d) || std::fabs(d) > 1e6) return typeError(field, kExpected);
    const double scaled = d * 100.0;
    const double rounded = std::round(scaled);
    if (std::fabs(scaled - rounded) > 1e-6) return typeError(field, kExpected);
    return static_cast<core::Hundredths>(rounded);
  }
  if (v->is_string()) {
    if (auto parsed = core::parseFixed(v->as_string(), core::kQuantityScale)) return *parsed;
  }
  return typeError(field, kExpected);
}

// "HH:MM" → minutes after midnight.
core::Result<std::optional<int>> maybeClock(const object& o, std::string_view name,
                                            const std::string& field) {
  KG_ASSIGN_OR_RETURN(auto text, maybeString(o, name, field));
  if (!text) return std::optional<int>();
  const auto& s = *text;
  if (s.size() != 5 || s[2] != ':') return typeError(field, "a time of day, HH:MM");
  int digits[4] = {};
  const std::size_t at[4] = {0, 1, 3, 4};
  for (int i = 0; i < 4; ++i) {
    const char c = s[at[i]];
    if (c < '0' || c > '9') return typeError(field, "a time of day, HH:MM");
    digits[i] = c - '0';
  }
  const int hours = digits[0] * 10 + digits[1];
  const int minutes = digits[2] * 10 + digits[3];
  if (hours > 23 || minutes > 59) return typeError(field, "a time of day, HH:MM");
  return std::optional<int>(hours * 60 + minutes);
}

template <class E>
core::Result<std::optional<E>> maybeEnum(const object& o, std::string_view name,
                                         const std::string& field) {
  KG_ASSIGN_OR_RETURN(auto text, maybeString(o, name, field));
  if (!text) return std::optional<E>();
  auto parsed = core::parseEnum<E>(*text);
  if (!parsed) return typeError(field, "one of " + core::enumChoices<E>());
  return std::optional<E>(*parsed);
}

core::Result<std::vector<core::TimecardEntry>> readEntries(const value& v) {
  if (!v.is_array()) return typeError("entries", "an array of entries");
  const auto& items = v.as_array();
  if (items.size() > core::kMaxTimecardEntries)
    return core::fieldError(
        core::Errc::kValidationFailed, "entries",
        "A timecard holds at most " + std::to_string(core::kMaxTimecardEntries) + " entries.");
  std::vector<core::TimecardEntry> entries;
  for (std::size_t i = 0; i < items.size(); ++i) {
    const std::string prefix = "entries[" + std::to_string(i) + "].";
    if (!items[i].is_object()) return typeError("entries[" + std::to_string(i) + "]", "an object");
    const auto& o = items[i].as_object();
    core::TimecardEntry e;
    KG_ASSIGN_OR_RETURN(e.work_date, needDate(o, "workDate", prefix + "workDate"));
    KG_ASSIGN_OR_RETURN(auto rate_type,
                        maybeEnum<core::RateType>(o, "rateType", prefix + "rateType"));
    e.rate_type = rate_type.value_or(core::RateType::kStraight);
    KG_ASSIGN_OR_RETURN(e.hours, needQuantity(o, "hours", prefix + "hours"));
    KG_ASSIGN_OR_RETURN(e.time_in, maybeClock(o, "timeIn", prefix + "timeIn"));
    KG_ASSIGN_OR_RETURN(e.time_out, maybeClock(o, "timeOut", prefix + "timeOut"));
    entries.push_back(e);
  }
  return entries;
}

core::Result<core::Id> needId(const object& o, std::string_view name) {
  return requiredId(o, name);
}

}  // namespace

// ---- renderings ----

value money(core::MinorUnits amount, std::string_view currency) {
  return value(core::formatMoney(amount, currency));
}

value quantity(core::Hundredths v) {
  return value(core::formatFixed(v, core::kQuantityScale));
}

value dateOrNull(const std::optional<core::Seconds>& day) {
  if (!day) return nullptr;
  return value(core::formatDate(*day));
}

value timeOrNull(const std::optional<core::Seconds>& t) {
  if (!t) return nullptr;
  return value(core::formatDateTime(*t));
}

object renderEngagement(const core::Engagement& e) {
  return object{{"id", e.id},
                {"number", e.number},
                {"title", e.title},
                {"status", core::enumName(e.status)},
                {"client", object{{"id", e.client_org_id}, {"name", e.client_name}}},
                {"agreementId", e.agreement_id},
                {"staffingRequestId", idOrNull(e.staffing_request_id)},
                {"worker", object{{"id", e.worker_id}, {"name", e.worker_name}}},
                {"startDate", core::formatDate(e.start_date)},
                {"endDate", dateOrNull(e.end_date)},
                {"currency", e.currency},
                {"rateUnit", core::enumName(e.rate_unit)},
                {"rates", rates(e.rates, e.currency)},
                {"costCenter", e.cost_center},
                {"createdAt", core::formatDateTime(e.created_at)},
                {"updatedAt", core::formatDateTime(e.updated_at)}};
}

object renderBillingItem(const core::BillingItem& b) {
  return object{{"id", b.id},
                {"type", core::enumName(b.type)},
                {"status", core::enumName(b.status)},
                {"engagementId", b.engagement_id},
                {"timecardId", idOrNull(b.timecard_id)},
                {"invoiceId", idOrNull(b.invoice_id)},
                {"invoiced", b.invoice_id.has_value()},
                {"description", b.description},
                {"serviceDate", core::formatDate(b.service_date)},
                {"rateType", b.rate_type ? value(core::enumName(*b.rate_type)) : value(nullptr)},
                {"quantity", quantity(b.quantity)},
                {"unit", b.unit},
                {"rate", money(b.rate, b.currency)},
                {"amount", money(b.amount, b.currency)},
                {"currency", b.currency},
                {"createdAt", core::formatDateTime(b.created_at)},
                {"updatedAt", core::formatDateTime(b.updated_at)}};
}

object renderInvoice(const core::Invoice& i, bool with_lines) {
  object out{{"id", i.id},
             {"number", i.number},
             {"status", core::enumName(i.status)},
             {"client", object{{"id", i.client_org_id}, {"name", i.client_name}}},
             {"invoiceDate", core::formatDate(i.invoice_date)},
             {"dueDate", core::formatDate(i.due_date)},
             {"periodStart", core::formatDate(i.period_start)},
             {"periodEnd", core::formatDate(i.period_end)},
             {"currency", i.currency},
             {"subtotal", money(i.subtotal, i.currency)},
             {"tax", money(i.tax, i.currency)},
             {"total", money(i.total, i.currency)},
             {"lineCount", i.line_count},
             {"createdAt", core::formatDateTime(i.created_at)},
             {"updatedAt", core::formatDateTime(i.updated_at)}};
  if (with_lines) {
    array lines;
    for (const auto& l : i.lines)
      lines.push_back(object{{"lineNumber", l.line_number},
                             {"billingItemId", idOrNull(l.billing_item_id)},
                             {"engagementId", l.engagement_id},
                             {"description", l.description},
                             {"quantity", quantity(l.quantity)},
                             {"rate", money(l.rate, i.currency)},
                             {"amount", money(l.amount, i.currency)}});
    out["lines"] = std::move(lines);
  }
  return out;
}

object renderWorker(const core::Worker& w) {
  return object{{"id", w.id},
                {"externalId", w.external_id},
                {"firstName", w.first_name},
                {"lastName", w.last_name},
                {"email", textOrNull(w.email)},
                {"phone", textOrNull(w.phone)},
                {"jobTitle", textOrNull(w.job_title)},
                {"location", textOrNull(w.location)},
                {"status", core::enumName(w.status)},
                {"createdAt", core::formatDateTime(w.created_at)},
                {"updatedAt", core::formatDateTime(w.updated_at)}};
}

object renderTimecard(const services::supplier::TimecardView& view) {
  const auto& t = view.timecard;
  array entries;
  for (const auto& e : t.entries)
    entries.push_back(
        object{{"workDate", core::formatDate(e.work_date)},
               {"rateType", core::enumName(e.rate_type)},
               {"hours", quantity(e.hours)},
               {"timeIn", e.time_in ? value(formatClock(*e.time_in)) : value(nullptr)},
               {"timeOut", e.time_out ? value(formatClock(*e.time_out)) : value(nullptr)}});
  array lines;
  for (const auto& l : view.lines)
    lines.push_back(object{{"rateType", core::enumName(l.rate_type)},
                           {"quantity", quantity(l.quantity)},
                           {"rate", money(l.rate, t.currency)},
                           {"amount", money(l.amount, t.currency)}});
  return object{{"id", t.id},
                {"engagementId", t.engagement_id},
                {"weekEnding", core::formatDate(t.week_ending)},
                {"periodStart", core::formatDate(t.periodStart())},
                {"status", core::enumName(t.status)},
                {"currency", t.currency},
                {"rateUnit", core::enumName(t.rate_unit)},
                {"rates", rates(t.rates, t.currency)},
                {"entries", std::move(entries)},
                {"lines", std::move(lines)},
                {"totalHours", quantity(t.total_hours)},
                {"totalAmount", money(t.total_amount, t.currency)},
                {"submittedAt", timeOrNull(t.submitted_at)},
                {"approvedAt", timeOrNull(t.approved_at)},
                {"rejectionReason", textOrNull(t.rejection_reason)},
                {"createdAt", core::formatDateTime(t.created_at)},
                {"updatedAt", core::formatDateTime(t.updated_at)}};
}

object renderStaffingRequest(const core::StaffingRequest& r) {
  array required, preferred;
  for (const auto& s : r.skills)
    (s.required ? required : preferred)
        .push_back(object{{"name", s.name}, {"minYears", s.min_years}});
  return object{{"id", r.id},
                {"number", r.number},
                {"title", r.title},
                {"description", r.description},
                {"status", core::enumName(r.status)},
                {"client", object{{"id", r.client_org_id}, {"name", r.client_name}}},
                {"location", r.location},
                {"remoteType", core::enumName(r.remote)},
                {"billRate", object{{"min", money(r.bill_rate_min, r.currency)},
                                    {"max", money(r.bill_rate_max, r.currency)},
                                    {"currency", r.currency},
                                    {"unit", core::enumName(r.rate_unit)}}},
                {"startDate", core::formatDate(r.start_date)},
                {"positions", r.positions},
                {"requiredSkills", std::move(required)},
                {"preferredSkills", std::move(preferred)},
                {"createdAt", core::formatDateTime(r.created_at)},
                {"updatedAt", core::formatDateTime(r.updated_at)}};
}

object renderInsight(const services::supplier::StoredInsight& insight) {
  const auto& r = insight.result;
  auto strings = [](const std::vector<std::string>& values) {
    array out;
    for (const auto& v : values) out.emplace_back(v);
    return out;
  };
  array criteria;
  for (const auto& c : r.criteria)
    criteria.push_back(object{{"name", c.name},
                              {"score", c.score},
                              {"weight", c.weight},
                              {"verdict", c.verdict},
                              {"explanation", c.explanation},
                              {"evidence", strings(c.evidence)}});
  return object{{"id", insight.record.id},
                {"staffingRequestId", insight.record.staffing_request_id},
                {"candidateId", idOrNull(insight.record.candidate_id)},
                {"overall", r.overall},
                {"band", r.band},
                {"recommendation", r.recommendation},
                {"criteria", std::move(criteria)},
                {"matchedSkills", strings(r.matched_skills)},
                {"missingSkills", strings(r.missing_skills)},
                {"summary", r.summary},
                {"modelVersion", r.model_version},
                {"createdAt", core::formatDateTime(insight.record.created_at)}};
}

// ---- bodies ----

core::Result<services::supplier::NewWorker> readNewWorker(const object& body) {
  services::supplier::NewWorker w;
  KG_ASSIGN_OR_RETURN(w.external_id, needString(body, "externalId", "externalId"));
  KG_ASSIGN_OR_RETURN(w.first_name, needString(body, "firstName", "firstName"));
  KG_ASSIGN_OR_RETURN(w.last_name, needString(body, "lastName", "lastName"));
  KG_ASSIGN_OR_RETURN(auto email, maybeString(body, "email", "email"));
  KG_ASSIGN_OR_RETURN(auto phone, maybeString(body, "phone", "phone"));
  KG_ASSIGN_OR_RETURN(auto job_title, maybeString(body, "jobTitle", "jobTitle"));
  KG_ASSIGN_OR_RETURN(auto location, maybeString(body, "location", "location"));
  KG_ASSIGN_OR_RETURN(auto status, maybeEnum<core::WorkerStatus>(body, "status", "status"));
  w.email = email.value_or("");
  w.phone = phone.value_or("");
  w.job_title = job_title.value_or("");
  w.location = location.value_or("");
  w.status = status.value_or(core::WorkerStatus::kActive);
  return w;
}

core::Result<services::supplier::WorkerPatch> readWorkerPatch(const object& body) {
  services::supplier::WorkerPatch p;
  // Required members may change but never become null.
  for (std::string_view name : {"externalId", "firstName", "lastName", "status"}) {
    const auto* v = body.if_contains(name);
    if (v != nullptr && v->is_null())
      return core::fieldError(core::Errc::kValidationFailed, std::string(name),
                              "The field '" + std::string(name) + "' cannot be removed.");
  }
  KG_ASSIGN_OR_RETURN(p.external_id, maybeString(body, "externalId", "externalId"));
  KG_ASSIGN_OR_RETURN(p.first_name, maybeString(body, "firstName", "firstName"));
  KG_ASSIGN_OR_RETURN(p.last_name, maybeString(body, "lastName", "lastName"));
  KG_ASSIGN_OR_RETURN(p.status, maybeEnum<core::WorkerStatus>(body, "status", "status"));
  // Optional members: null removes the value (stored as "").
  auto clearable = [&](std::string_view name, std::optional<std::string>& out) -> core::Status {
    const auto* v = body.if_contains(name);
    if (v == nullptr) return core::ok();
    if (v->is_null()) {
      out = std::string();
      return core::ok();
    }
    if (!v->is_string()) return typeError(std::string(name), "a string or null");
    out = std::string(v->as_string());
    return core::ok();
  };
  KG_TRY(clearable("email", p.email));
  KG_TRY(clearable("phone", p.phone));
  KG_TRY(clearable("jobTitle", p.job_title));
  KG_TRY(clearable("location", p.location));
  return p;
}

core::Result<services::supplier::NewTimecard> readNewTimecard(const object& body) {
  services::supplier::NewTimecard t;
  KG_ASSIGN_OR_RETURN(t.engagement_id, needId(body, "engagementId"));
  KG_ASSIGN_OR_RETURN(t.week_ending, needDate(body, "weekEnding", "weekEnding"));
  if (const auto* entries = member(body, "entries")) {
    KG_ASSIGN_OR_RETURN(t.entries, readEntries(*entries));
  }
  return t;
}

core::Result<services::supplier::TimecardChange> readTimecardChange(const object& body) {
  services::supplier::TimecardChange c;
  if (const auto* entries = body.if_contains("entries")) {
    if (entries->is_null()) return typeError("entries", "an array of entries");
    KG_ASSIGN_OR_RETURN(c.entries, readEntries(*entries));
  }
  KG_ASSIGN_OR_RETURN(auto action, maybeString(body, "action", "action"));
  if (action) {
    c.action = core::parseEnum<core::TimecardAction>(*action);
    if (!c.action) return typeError("action", "one of submit, recall or revise");
  }
  KG_ASSIGN_OR_RETURN(c.status, maybeEnum<core::TimecardStatus>(body, "status", "status"));
  return c;
}

core::Result<services::supplier::InsightRequest> readInsightRequest(const object& body) {
  services::supplier::InsightRequest r;
  KG_ASSIGN_OR_RETURN(r.staffing_request_id, needId(body, "staffingRequestId"));
  if (member(body, "candidateId") != nullptr) {
    KG_ASSIGN_OR_RETURN(r.candidate_id, needId(body, "candidateId"));
  }
  const auto* inline_candidate = member(body, "candidate");
  if (inline_candidate == nullptr) {
    if (!r.candidate_id)
      return core::fieldError(core::Errc::kValidationFailed, "candidateId",
                              "Give candidateId, or describe the candidate inline in "
                              "'candidate'.");
    return r;
  }
  if (!inline_candidate->is_object()) return typeError("candidate", "an object");
  const auto& o = inline_candidate->as_object();
  core::Candidate c;
  c.currency.clear();  // the request's, unless named
  if (const auto* skills = member(o, "skills")) {
    if (!skills->is_array() || skills->as_array().size() > 100)
      return typeError("candidate.skills", "an array of at most 100 skills");
    for (std::size_t i = 0; i < skills->as_array().size(); ++i) {
      const std::string prefix = "candidate.skills[" + std::to_string(i) + "]";
      const auto& item = skills->as_array()[i];
      if (!item.is_object()) return typeError(prefix, "an object with name and years");
      core::CandidateSkill s;
      KG_ASSIGN_OR_RETURN(s.name, needString(item.as_object(), "name", prefix + ".name"));
      if (s.name.empty() || s.name.size() > 100)
        return typeError(prefix + ".name", "1 to 100 characters");
      if (member(item.as_object(), "years") != nullptr) {
        KG_ASSIGN_OR_RETURN(s.years, needQuantity(item.as_object(), "years", prefix + ".years"));
        if (s.years < 0 || s.years > 6000) return typeError(prefix + ".years", "0 to 60");
      }
      c.skills.push_back(std::move(s));
    }
  }
  KG_ASSIGN_OR_RETURN(auto location, maybeString(o, "location", "candidate.location"));
  c.location = location.value_or("");
  KG_ASSIGN_OR_RETURN(auto remote, maybeBool(o, "openToRemote", "candidate.openToRemote"));
  c.open_to_remote = remote.value_or(true);
  KG_ASSIGN_OR_RETURN(auto relocate,
                      maybeBool(o, "willingToRelocate", "candidate.willingToRelocate"));
  c.willing_to_relocate = relocate.value_or(false);
  KG_ASSIGN_OR_RETURN(auto currency, maybeString(o, "currency", "candidate.currency"));
  if (currency) {
    if (!core::currencyExponent(*currency))
      return typeError("candidate.currency", "an ISO 4217 currency code Keygate knows, e.g. USD");
    c.currency = *currency;
  }
  KG_ASSIGN_OR_RETURN(r.desired_rate_text, maybeString(o, "desiredRate", "candidate.desiredRate"));
  if (member(o, "availableFrom") != nullptr) {
    KG_ASSIGN_OR_RETURN(auto day, needDate(o, "availableFrom", "candidate.availableFrom"));
    c.available_from = day;
  }
  KG_ASSIGN_OR_RETURN(auto resume, maybeString(o, "resumeText", "candidate.resumeText"));
  c.resume_text = resume.value_or("");
  if (c.resume_text.size() > 32768)
    return typeError("candidate.resumeText", "at most 32768 characters");
  r.candidate = std::move(c);
  return r;
}

}  // namespace keygate::api::supplier
