// The Supplier API (DESIGN §4.2) under /supplier/v1, and the OpenAPI description at
// /openapi.yaml. Every handler enters through Handlers::withToken (bearer authentication, rate
// limits, key headers), checks its scope, reads its parameters strictly, calls one service
// function with the caller's organization, and renders. Tenant isolation is the services' and
// the storage's: every lookup is by (organization, id).
#include <boost/json/serialize.hpp>

#include "api/common.h"
#include "api/json_body.h"
#include "api/openapi_doc.h"
#include "api/supplier_internal.h"
#include "auth/engine.h"
#include "services/supplier/supplier_reads.h"

namespace keygate::api {
namespace {

using supplier::QueryParams;
using Body = std::function<core::Result<http::Response>(const services::TokenClaims&)>;

constexpr std::string_view kBase = "/supplier/v1";

// withToken + scope check + one place that turns an error into problem+json.
http::Response guarded(Handlers& h, http::Request& request, core::Scope scope, const Body& body) {
  return h.withToken(request, [&](const services::TokenClaims& claims) -> http::Response {
    if (auto allowed = auth::requireScope(claims, scope); !allowed)
      return h.error(allowed.error(), request);
    auto response = body(claims);
    if (!response) return h.error(response.error(), request);
    return std::move(*response);
  });
}

SupplierServices& svc(Handlers& h) {
  return *h.services.supplier;
}

std::string location(const http::Request& request, const Handlers& h, std::string_view resource,
                     core::Id id) {
  return supplier::baseUrl(request, h.options) + std::string(kBase) + "/" + std::string(resource) +
         "/" + std::to_string(id);
}

// ---- engagements ----

http::Response listEngagements(Handlers& h, http::Request& request) {
  return guarded(
      h, request, core::kScopeEngagementsRead,
      [&](const services::TokenClaims& claims) -> core::Result<http::Response> {
        KG_ASSIGN_OR_RETURN(
            auto q, QueryParams::parse(request, {"offset", "limit", "status", "updatedsince",
                                                 "workerid", "startdatefrom", "startdateto"}));
        storage::EngagementFilter f;
        KG_ASSIGN_OR_RETURN(f.status, q.enumValue<core::EngagementStatus>("status"));
        KG_ASSIGN_OR_RETURN(f.updated_since, q.instant("updatedsince"));
        KG_ASSIGN_OR_RETURN(f.worker_id, q.id("workerid"));
        KG_ASSIGN_OR_RETURN(f.start_date_from, q.date("startdatefrom"));
        KG_ASSIGN_OR_RETURN(f.start_date_to, q.date("startdateto"));
        KG_ASSIGN_OR_RETURN(auto page, q.page());
        KG_ASSIGN_OR_RETURN(auto rows, svc(h).reads.listEngagements(claims.org_id, f, page));
        boost::json::array data;
        for (const auto& e : rows.items) data.push_back(supplier::renderEngagement(e));
        return supplier::pageResponse(request, h.options, q, page, rows.total, std::move(data));
      });
}

http::Response getEngagement(Handlers& h, http::Request& request) {
  return guarded(h, request, core::kScopeEngagementsRead,
                 [&](const services::TokenClaims& claims) -> core::Result<http::Response> {
                   KG_ASSIGN_OR_RETURN(const auto id, pathId(request, "id"));
                   KG_ASSIGN_OR_RETURN(auto e, svc(h).reads.engagement(claims.org_id, id));
                   return supplier::conditionalJson(request, supplier::renderEngagement(e));
                 });
}

// ---- billing items and invoices ----

http::Response listBillingItems(Handlers& h, http::Request& request) {
  return guarded(
      h, request, core::kScopeBillingRead,
      [&](const services::TokenClaims& claims) -> core::Result<http::Response> {
        KG_ASSIGN_OR_RETURN(
            auto q, QueryParams::parse(request,
                                       {"offset", "limit", "status", "updatedsince", "engagementid",
                                        "type", "servicedatefrom", "servicedateto", "invoiced"}));
        storage::BillingItemFilter f;
        KG_ASSIGN_OR_RETURN(f.status, q.enumValue<core::BillingItemStatus>("status"));
        KG_ASSIGN_OR_RETURN(f.updated_since, q.instant("updatedsince"));
        KG_ASSIGN_OR_RETURN(f.engagement_id, q.id("engagementid"));
        KG_ASSIGN_OR_RETURN(f.type, q.enumValue<core::BillingItemType>("type"));
        KG_ASSIGN_OR_RETURN(f.service_date_from, q.date("servicedatefrom"));
        KG_ASSIGN_OR_RETURN(f.service_date_to, q.date("servicedateto"));
        KG_ASSIGN_OR_RETURN(f.invoiced, q.boolean("invoiced"));
        KG_ASSIGN_OR_RETURN(auto page, q.page());
        KG_ASSIGN_OR_RETURN(auto rows, svc(h).reads.listBillingItems(claims.org_id, f, page));
        boost::json::array data;
        for (const auto& b : rows.items) data.push_back(supplier::renderBillingItem(b));
        return supplier::pageResponse(request, h.options, q, page, rows.total, std::move(data));
      });
}

http::Response getBillingItem(Handlers& h, http::Request& request) {
  return guarded(h, request, core::kScopeBillingRead,
                 [&](const services::TokenClaims& claims) -> core::Result<http::Response> {
                   KG_ASSIGN_OR_RETURN(const auto id, pathId(request, "id"));
                   KG_ASSIGN_OR_RETURN(auto b, svc(h).reads.billingItem(claims.org_id, id));
                   return supplier::conditionalJson(request, supplier::renderBillingItem(b));
                 });
}

http::Response listInvoices(Handlers& h, http::Request& request) {
  return guarded(
      h, request, core::kScopeBillingRead,
      [&](const services::TokenClaims& claims) -> core::Result<http::Response> {
        KG_ASSIGN_OR_RETURN(
            auto q, QueryParams::parse(request, {"offset", "limit", "status", "updatedsince",
                                                 "invoicedatefrom", "invoicedateto"}));
        storage::InvoiceFilter f;
        KG_ASSIGN_OR_RETURN(f.status, q.enumValue<core::InvoiceStatus>("status"));
        KG_ASSIGN_OR_RETURN(f.updated_since, q.instant("updatedsince"));
        KG_ASSIGN_OR_RETURN(f.invoice_date_from, q.date("invoicedatefrom"));
        KG_ASSIGN_OR_RETURN(f.invoice_date_to, q.date("invoicedateto"));
        KG_ASSIGN_OR_RETURN(auto page, q.page());
        KG_ASSIGN_OR_RETURN(auto rows, svc(h).reads.listInvoices(claims.org_id, f, page));
        boost::json::array data;
        for (const auto& i : rows.items) data.push_back(supplier::renderInvoice(i, false));
        return supplier::pageResponse(request, h.options, q, page, rows.total, std::move(data));
      });
}

http::Response getInvoice(Handlers& h, http::Request& request) {
  return guarded(h, request, core::kScopeBillingRead,
                 [&](const services::TokenClaims& claims) -> core::Result<http::Response> {
                   KG_ASSIGN_OR_RETURN(const auto id, pathId(request, "id"));
                   KG_ASSIGN_OR_RETURN(auto i, svc(h).reads.invoice(claims.org_id, id));
                   return supplier::conditionalJson(request, supplier::renderInvoice(i, true));
                 });
}

// ---- workers ----

http::Response listWorkers(Handlers& h, http::Request& request) {
  return guarded(
      h, request, core::kScopeWorkersWrite,
      [&](const services::TokenClaims& claims) -> core::Result<http::Response> {
        KG_ASSIGN_OR_RETURN(auto q, QueryParams::parse(request, {"offset", "limit", "status",
                                                                 "updatedsince", "externalid"}));
        storage::WorkerFilter f;
        KG_ASSIGN_OR_RETURN(f.status, q.enumValue<core::WorkerStatus>("status"));
        KG_ASSIGN_OR_RETURN(f.updated_since, q.instant("updatedsince"));
        KG_ASSIGN_OR_RETURN(f.external_id, q.text("externalid", 64));
        KG_ASSIGN_OR_RETURN(auto page, q.page());
        KG_ASSIGN_OR_RETURN(auto rows, svc(h).workers.list(claims.org_id, f, page));
        boost::json::array data;
        for (const auto& w : rows.items) data.push_back(supplier::renderWorker(w));
        return supplier::pageResponse(request, h.options, q, page, rows.total, std::move(data));
      });
}

http::Response createWorker(Handlers& h, http::Request& request) {
  return guarded(h, request, core::kScopeWorkersWrite,
                 [&](const services::TokenClaims& claims) -> core::Result<http::Response> {
                   KG_ASSIGN_OR_RETURN(auto body, parseJsonObject(request));
                   KG_ASSIGN_OR_RETURN(auto input, supplier::readNewWorker(body));
                   KG_ASSIGN_OR_RETURN(auto w, svc(h).workers.create(claims.org_id, input));
                   return supplier::createdJson(location(request, h, "workers", w.id),
                                                supplier::renderWorker(w));
                 });
}

http::Response getWorker(Handlers& h, http::Request& request) {
  return guarded(h, request, core::kScopeWorkersWrite,
                 [&](const services::TokenClaims& claims) -> core::Result<http::Response> {
                   KG_ASSIGN_OR_RETURN(const auto id, pathId(request, "id"));
                   KG_ASSIGN_OR_RETURN(auto w, svc(h).workers.get(claims.org_id, id));
                   return supplier::conditionalJson(request, supplier::renderWorker(w));
                 });
}

http::Response patchWorker(Handlers& h, http::Request& request) {
  return guarded(h, request, core::kScopeWorkersWrite,
                 [&](const services::TokenClaims& claims) -> core::Result<http::Response> {
                   KG_ASSIGN_OR_RETURN(const auto id, pathId(request, "id"));
                   KG_ASSIGN_OR_RETURN(auto body, parseJsonObject(request));
                   KG_ASSIGN_OR_RETURN(auto patch, supplier::readWorkerPatch(body));
                   KG_ASSIGN_OR_RETURN(auto w, svc(h).workers.patch(claims.org_id, id, patch));
                   return supplier::conditionalJson(request, supplier::renderWorker(w));
                 });
}

// ---- timecards ----

http::Response listTimecards(Handlers& h, http::Request& request) {
  return guarded(
      h, request, core::kScopeTimecardsWrite,
      [&](const services::TokenClaims& claims) -> core::Result<http::Response> {
        KG_ASSIGN_OR_RETURN(
            auto q, QueryParams::parse(request, {"offset", "limit", "status", "updatedsince",
                                                 "engagementid", "weekending"}));
        storage::TimecardFilter f;
        KG_ASSIGN_OR_RETURN(f.status, q.enumValue<core::TimecardStatus>("status"));
        KG_ASSIGN_OR_RETURN(f.updated_since, q.instant("updatedsince"));
        KG_ASSIGN_OR_RETURN(f.engagement_id, q.id("engagementid"));
        KG_ASSIGN_OR_RETURN(f.week_ending, q.date("weekending"));
        KG_ASSIGN_OR_RETURN(auto page, q.page());
        KG_ASSIGN_OR_RETURN(auto rows, svc(h).timecards.list(claims.org_id, f, page));
        boost::json::array data;
        for (const auto& t : rows.items) data.push_back(supplier::renderTimecard(t));
        return supplier::pageResponse(request, h.options, q, page, rows.total, std::move(data));
      });
}

http::Response createTimecard(Handlers& h, http::Request& request) {
  return guarded(h, request, core::kScopeTimecardsWrite,
                 [&](const services::TokenClaims& claims) -> core::Result<http::Response> {
                   KG_ASSIGN_OR_RETURN(auto body, parseJsonObject(request));
                   KG_ASSIGN_OR_RETURN(auto input, supplier::readNewTimecard(body));
                   KG_ASSIGN_OR_RETURN(auto t, svc(h).timecards.create(claims.org_id, input));
                   return supplier::createdJson(location(request, h, "timecards", t.timecard.id),
                                                supplier::renderTimecard(t));
                 });
}

http::Response getTimecard(Handlers& h, http::Request& request) {
  return guarded(h, request, core::kScopeTimecardsWrite,
                 [&](const services::TokenClaims& claims) -> core::Result<http::Response> {
                   KG_ASSIGN_OR_RETURN(const auto id, pathId(request, "id"));
                   KG_ASSIGN_OR_RETURN(auto t, svc(h).timecards.get(claims.org_id, id));
                   return supplier::conditionalJson(request, supplier::renderTimecard(t));
                 });
}

http::Response patchTimecard(Handlers& h, http::Request& request) {
  return guarded(h, request, core::kScopeTimecardsWrite,
                 [&](const services::TokenClaims& claims) -> core::Result<http::Response> {
                   KG_ASSIGN_OR_RETURN(const auto id, pathId(request, "id"));
                   KG_ASSIGN_OR_RETURN(auto body, parseJsonObject(request));
                   KG_ASSIGN_OR_RETURN(auto change, supplier::readTimecardChange(body));
                   KG_ASSIGN_OR_RETURN(auto t, svc(h).timecards.change(claims.org_id, id, change));
                   return supplier::conditionalJson(request, supplier::renderTimecard(t));
                 });
}

// ---- staffing requests and candidate insights ----

http::Response listStaffingRequests(Handlers& h, http::Request& request) {
  return guarded(
      h, request, core::kScopeCandidateInsightsRead,
      [&](const services::TokenClaims& claims) -> core::Result<http::Response> {
        KG_ASSIGN_OR_RETURN(
            auto q, QueryParams::parse(request, {"offset", "limit", "status", "updatedsince"}));
        storage::StaffingRequestFilter f;
        KG_ASSIGN_OR_RETURN(f.status, q.enumValue<core::RequestStatus>("status"));
        KG_ASSIGN_OR_RETURN(f.updated_since, q.instant("updatedsince"));
        KG_ASSIGN_OR_RETURN(auto page, q.page());
        KG_ASSIGN_OR_RETURN(auto rows, svc(h).reads.listStaffingRequests(claims.org_id, f, page));
        boost::json::array data;
        for (const auto& r : rows.items) data.push_back(supplier::renderStaffingRequest(r));
        return supplier::pageResponse(request, h.options, q, page, rows.total, std::move(data));
      });
}

http::Response getStaffingRequest(Handlers& h, http::Request& request) {
  return guarded(h, request, core::kScopeCandidateInsightsRead,
                 [&](const services::TokenClaims& claims) -> core::Result<http::Response> {
                   KG_ASSIGN_OR_RETURN(const auto id, pathId(request, "id"));
                   KG_ASSIGN_OR_RETURN(auto r, svc(h).reads.staffingRequest(claims.org_id, id));
                   return supplier::conditionalJson(request, supplier::renderStaffingRequest(r));
                 });
}

http::Response createInsight(Handlers& h, http::Request& request) {
  return guarded(
      h, request, core::kScopeCandidateInsightsRead,
      [&](const services::TokenClaims& claims) -> core::Result<http::Response> {
        KG_ASSIGN_OR_RETURN(auto body, parseJsonObject(request));
        KG_ASSIGN_OR_RETURN(auto input, supplier::readInsightRequest(body));
        KG_ASSIGN_OR_RETURN(auto insight, svc(h).candidate_insights.create(claims.org_id, input));
        return supplier::createdJson(location(request, h, "candidateinsights", insight.record.id),
                                     supplier::renderInsight(insight));
      });
}

http::Response getInsight(Handlers& h, http::Request& request) {
  return guarded(h, request, core::kScopeCandidateInsightsRead,
                 [&](const services::TokenClaims& claims) -> core::Result<http::Response> {
                   KG_ASSIGN_OR_RETURN(const auto id, pathId(request, "id"));
                   KG_ASSIGN_OR_RETURN(auto insight,
                                       svc(h).candidate_insights.get(claims.org_id, id));
                   return supplier::conditionalJson(request, supplier::renderInsight(insight));
                 });
}

// ---- the description ----

http::Response openApi(Handlers&, http::Request& request) {
  const std::string_view yaml = openApiYaml();
  const std::string etag = supplier::etagOf(yaml);
  http::Response response;
  if (supplier::ifNoneMatchHits(request.header("If-None-Match"), etag)) {
    response.status = 304;
  } else {
    // RFC 9512 registers application/yaml.
    response = http::Response::text(200, std::string(yaml), "application/yaml; charset=utf-8");
  }
  response.setHeader("ETag", etag);
  response.setHeader("Cache-Control", "public, max-age=300");
  return response;
}

void add(http::Router& router, const char* method, std::string_view path, const HandlersPtr& h,
         HandlerFn fn) {
  route(router, method, std::string(kBase) + std::string(path), h, fn);
}

}  // namespace

void registerSupplierRoutes(http::Router& router, const HandlersPtr& h) {
  route(router, "GET", "/openapi.yaml", h, openApi);
  if (h->services.supplier == nullptr) return;
  add(router, "GET", "/engagements", h, listEngagements);
  add(router, "GET", "/engagements/{id}", h, getEngagement);
  add(router, "GET", "/billingitems", h, listBillingItems);
  add(router, "GET", "/billingitems/{id}", h, getBillingItem);
  add(router, "GET", "/invoices", h, listInvoices);
  add(router, "GET", "/invoices/{id}", h, getInvoice);
  add(router, "GET", "/workers", h, listWorkers);
  add(router, "POST", "/workers", h, createWorker);
  add(router, "GET", "/workers/{id}", h, getWorker);
  add(router, "PATCH", "/workers/{id}", h, patchWorker);
  add(router, "GET", "/timecards", h, listTimecards);
  add(router, "POST", "/timecards", h, createTimecard);
  add(router, "GET", "/timecards/{id}", h, getTimecard);
  add(router, "PATCH", "/timecards/{id}", h, patchTimecard);
  add(router, "GET", "/staffingrequests", h, listStaffingRequests);
  add(router, "GET", "/staffingrequests/{id}", h, getStaffingRequest);
  add(router, "POST", "/candidateinsights", h, createInsight);
  add(router, "GET", "/candidateinsights/{id}", h, getInsight);
}

}  // namespace keygate::api
