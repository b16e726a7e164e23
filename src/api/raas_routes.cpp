// RaaS (DESIGN §4.1). Two surfaces over services/raas:
// - the token API under /raas/v1, in the shapes of Magnit's published RaaS flow (runid,
//   reportid, status Queued/Running/Completed/Failed, totalrecords, nextpage, totalpages,
//   data, format=csv), so existing RaaS client scripts only change their URLs;
// - the web UI's JSON endpoints under /api/v1/reports (session cookie, CSRF on changes) and
//   the report pages.
#include <boost/json/serialize.hpp>
#include <charconv>

#include "api/common.h"
#include "api/json_body.h"
#include "api/supplier_internal.h"
#include "api/ui_internal.h"
#include "core/key_rules.h"
#include "services/raas/catalogue.h"
#include "services/raas/render.h"

namespace keygate::api {
namespace {

namespace json = boost::json;
namespace raas = services::raas;

constexpr std::string_view kRaasBase = "/raas/v1/reports/";
constexpr std::string_view kTokenPath = "/api/v1/get-api-token";

core::Error noRaas() {
  return core::makeError(core::Errc::kUnavailable, "Reports are not available on this server.");
}

// ---- shared parsing and rendering ----

// Appends a JSON value as prompt values: a scalar, or an array of scalars. Other shapes are
// ignored like any unknown attribute.
void addPromptValues(raas::PromptValues& out, std::string name, const json::value& value) {
  std::vector<std::string> values;
  const auto scalar = [](const json::value& v) -> std::optional<std::string> {
    if (v.is_string()) return std::string(v.as_string());
    if (v.is_int64()) return std::to_string(v.as_int64());
    if (v.is_uint64()) return std::to_string(v.as_uint64());
    if (v.is_double()) return json::serialize(v);
    if (v.is_bool()) return std::string(v.as_bool() ? "true" : "false");
    return std::nullopt;
  };
  if (value.is_array()) {
    for (const auto& item : value.as_array())
      if (auto text = scalar(item)) values.push_back(std::move(*text));
  } else if (auto text = scalar(value)) {
    values.push_back(std::move(*text));
  } else {
    return;
  }
  out.emplace_back(std::move(name), std::move(values));
}

// Prompt values from the query string, a form body, or a JSON body (top level, or inside a
// "prompts" object). A repeated query parameter gives an in-list.
core::Result<raas::PromptValues> promptValues(const http::Request& request) {
  raas::PromptValues out;
  const auto addPairs = [&out](const http::HeaderList& pairs) {
    for (const auto& [name, value] : pairs) {
      auto it = std::find_if(out.begin(), out.end(),
                             [&](const auto& entry) { return entry.first == name; });
      if (it == out.end()) {
        out.emplace_back(name, std::vector<std::string>{value});
      } else {
        it->second.push_back(value);
      }
    }
  };
  addPairs(http::parseForm(request.query));
  if (request.body.empty()) return out;
  const auto type = request.header("Content-Type");
  if (http::equalsIgnoreCase(type.substr(0, type.find(';')), "application/x-www-form-urlencoded")) {
    addPairs(http::parseForm(request.body));
    return out;
  }
  KG_ASSIGN_OR_RETURN(auto body, parseJsonObject(request, true));
  for (const auto& entry : body) {
    if (entry.key() == "prompts" && entry.value().is_object()) {
      for (const auto& inner : entry.value().as_object())
        addPromptValues(out, std::string(inner.key()), inner.value());
      continue;
    }
    addPromptValues(out, std::string(entry.key()), entry.value());
  }
  return out;
}

// A positive integer query parameter, or `fallback` when absent.
core::Result<std::int64_t> integerParam(const http::Request& request, std::string_view name,
                                        std::int64_t fallback) {
  auto text = request.queryParam(name);
  if (!text) return fallback;
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (text->empty() || ec != std::errc() || end != text->data() + text->size())
    return core::fieldError(
        core::Errc::kInvalidParameter, std::string(name),
        "The query parameter '" + std::string(name) + "' must be a whole number.");
  return value;
}

// The Magnit-shaped status body, with a few additions clients may ignore.
json::object runBody(const raas::RunView& view) {
  return json::object{{"runid", view.run.id},
                      {"reportid", view.run.report_id},
                      {"status", raas::toString(view.status)},
                      {"message", view.message},
                      {"totalrecords", view.total_records},
                      {"progress", view.progress},
                      {"createdAt", core::formatDateTime(view.run.created_at)},
                      {"startedAt", optionalTime(view.run.started_at)},
                      {"finishedAt", optionalTime(view.run.finished_at)},
                      {"expiresAt", optionalTime(view.run.expires_at)}};
}

http::Response requestedResponse(Handlers& h, const http::Request& request, core::Id report_id,
                                 const raas::RunRequested& requested, std::string status_path) {
  json::object body{
      {"runid", requested.run_id},
      {"reportid", report_id},
      {"message", requested.reused
                      ? "An identical request was made within the last 15 minutes: its run is "
                        "returned."
                      : "The report run is queued."}};
  auto response = Handlers::json(202, body);
  response.setHeader("Location", supplier::baseUrl(request, h.options) + status_path);
  return response;
}

// {"nextpage","totalrecords","totalpages","data"} (JSON), or the CSV with the paging in
// headers. `path` is the retrieval path without the query.
http::Response pageResponse(Handlers& h, const http::Request& request, const std::string& path,
                            raas::PageResult page, raas::PageFormat format) {
  std::optional<std::string> next;
  if (page.has_next) {
    next = supplier::baseUrl(request, h.options) + path + "?page=" + std::to_string(page.page + 1) +
           "&size=" + std::to_string(page.size);
    if (format == raas::PageFormat::kCsv) *next += "&format=csv";
  }
  if (format == raas::PageFormat::kCsv) {
    auto response = http::Response::text(200, std::move(page.body), "text/csv; charset=utf-8");
    response.setHeader("Cache-Control", "no-store");
    response.setHeader("X-Total-Records", std::to_string(page.total_records));
    response.setHeader("X-Total-Pages", std::to_string(page.total_pages));
    if (next) response.setHeader("Link", "<" + *next + ">; rel=\"next\"");
    return response;
  }
  // The rows are already JSON text: the envelope is written around them rather than built as
  // a JSON tree, so a page of 20,000 rows is held once.
  std::string body;
  body.reserve(page.body.size() + 256);
  body += "{\"nextpage\":";
  if (next) {
    raas::appendJsonString(body, *next);
  } else {
    body += "null";
  }
  body += ",\"totalrecords\":" + std::to_string(page.total_records);
  body += ",\"totalpages\":" + std::to_string(page.total_pages);
  body += ",\"page\":" + std::to_string(page.page);
  body += ",\"size\":" + std::to_string(page.size);
  body += ",\"data\":";
  body += page.body;
  body += "}";
  auto response = http::Response::json(200, std::move(body));
  response.setHeader("Cache-Control", "no-store");
  return response;
}

core::Result<raas::PageFormat> formatParam(const http::Request& request) {
  const auto format = request.queryParam("format");
  if (!format || format->empty() || http::equalsIgnoreCase(*format, "json"))
    return raas::PageFormat::kJson;
  if (http::equalsIgnoreCase(*format, "csv")) return raas::PageFormat::kCsv;
  return core::fieldError(core::Errc::kInvalidParameter, "format", "format is json or csv.");
}

// Reads page, size and format, then one page of the run.
http::Response servePage(Handlers& h, http::Request& request, const raas::Requester& requester,
                         core::Id report_id, core::Id run_id, const std::string& path) {
  auto page = integerParam(request, "page", 1);
  if (!page) return h.error(page.error(), request);
  auto size = integerParam(request, "size", h.services.raas->options().default_page_size);
  if (!size) return h.error(size.error(), request);
  auto format = formatParam(request);
  if (!format) return h.error(format.error(), request);
  auto result = h.services.raas->readPage(requester, report_id, run_id, *page, *size, *format);
  if (!result) return h.error(result.error(), request);
  return pageResponse(h, request, path, std::move(*result), *format);
}

// "/raas/v1/reports/5/requests/7" (token API) or "/api/v1/reports/5/runs/7" (UI).
std::string runPath(std::string_view base, core::Id report_id, std::string_view runs,
                    core::Id run_id) {
  return std::string(base) + std::to_string(report_id) + "/" + std::string(runs) + "/" +
         std::to_string(run_id);
}

constexpr std::string_view kUiBase = "/api/v1/reports/";

// The report and run of a .../{report}/…/{runid} path; the report's parameter is named
// differently in the token API ("reportId") and the UI API ("id").
struct RunIds {
  core::Id report = 0;
  core::Id run = 0;
};

core::Result<RunIds> runIds(const http::Request& request, std::string_view report_param) {
  KG_ASSIGN_OR_RETURN(const auto report, pathId(request, report_param));
  KG_ASSIGN_OR_RETURN(const auto run, pathId(request, "runid"));
  return RunIds{report, run};
}

http::Response runResponse(Handlers& h, const http::Request& request,
                           const core::Result<raas::RunView>& view) {
  if (!view) return h.error(view.error(), request);
  return Handlers::json(200, runBody(*view));
}

// ---- token API: /raas/v1 ----

// Runs fn as the account of a valid bearer token (RaaS is in every key's scopes).
http::Response asTokenAccount(Handlers& h, http::Request& request,
                              const std::function<http::Response(const raas::Requester&)>& fn) {
  return h.withToken(request, [&](const services::TokenClaims& claims) {
    if (h.services.raas == nullptr) return h.error(noRaas(), request);
    auto requester = h.services.raas->requesterFor(claims.user_id, claims.org_id);
    if (!requester) return h.error(requester.error(), request);
    return fn(*requester);
  });
}

http::Response tokenRequestRun(Handlers& h, http::Request& request) {
  auto report_id = pathId(request, "reportId");
  if (!report_id) return h.error(report_id.error(), request);
  return asTokenAccount(h, request, [&](const raas::Requester& requester) {
    auto prompts = promptValues(request);
    if (!prompts) return h.error(prompts.error(), request);
    auto requested = h.services.raas->requestRun(requester, *report_id, *prompts);
    if (!requested) return h.error(requested.error(), request);
    return requestedResponse(h, request, *report_id, *requested,
                             runPath(kRaasBase, *report_id, "requests", requested->run_id));
  });
}

http::Response tokenRunStatus(Handlers& h, http::Request& request) {
  auto ids = runIds(request, "reportId");
  if (!ids) return h.error(ids.error(), request);
  return asTokenAccount(h, request, [&](const raas::Requester& requester) {
    return runResponse(h, request, h.services.raas->runStatus(requester, ids->report, ids->run));
  });
}

http::Response tokenCancelRun(Handlers& h, http::Request& request) {
  auto ids = runIds(request, "reportId");
  if (!ids) return h.error(ids.error(), request);
  return asTokenAccount(h, request, [&](const raas::Requester& requester) {
    return runResponse(h, request, h.services.raas->cancelRun(requester, ids->report, ids->run));
  });
}

http::Response tokenRetrievePage(Handlers& h, http::Request& request) {
  auto ids = runIds(request, "reportId");
  if (!ids) return h.error(ids.error(), request);
  return asTokenAccount(h, request, [&](const raas::Requester& requester) {
    return servePage(h, request, requester, ids->report, ids->run,
                     runPath(kRaasBase, ids->report, "requests", ids->run) + "/retrievePagedData");
  });
}

json::object reportSummary(const raas::ReportView& view) {
  const auto* source = raas::findSource(view.record.source);
  return json::object{{"reportid", view.record.id},
                      {"name", view.record.name},
                      {"description", view.record.description},
                      {"source", view.record.source},
                      {"sourceDisplayName", source ? json::value(json::string(source->display_name))
                                                   : json::value(nullptr)},
                      {"owner", json::object{{"id", view.owner.id},
                                             {"username", view.owner.username},
                                             {"displayName", view.owner.display_name}}},
                      {"owned", view.owned},
                      {"updatedAt", core::formatDateTime(view.record.updated_at)}};
}

http::Response tokenListReports(Handlers& h, http::Request& request) {
  return asTokenAccount(h, request, [&](const raas::Requester& requester) {
    auto reports = h.services.raas->listReports(requester);
    if (!reports) return h.error(reports.error(), request);
    json::array data;
    for (const auto& view : *reports) data.push_back(reportSummary(view));
    return Handlers::json(200, json::object{{"data", std::move(data)}});
  });
}

// ---- web UI: /api/v1/reports ----

core::Result<raas::Requester> sessionRequester(Handlers& h, const http::Request& request) {
  if (h.services.raas == nullptr) return noRaas();
  KG_ASSIGN_OR_RETURN(auto actor, h.sessionActor(request));
  return raas::Requester{std::move(actor.user), std::move(actor.org)};
}

json::array usersJson(const std::vector<raas::UserRef>& users) {
  json::array out;
  for (const auto& u : users)
    out.push_back(
        json::object{{"id", u.id}, {"username", u.username}, {"displayName", u.display_name}});
  return out;
}

json::object reportJson(Handlers& h, const http::Request& request, const raas::ReportView& view) {
  auto out = reportSummary(view);
  out["id"] = view.record.id;
  out["version"] = view.record.version;
  out["createdAt"] = core::formatDateTime(view.record.created_at);
  if (view.definition) {
    out["columns"] = raas::columnsToJson(view.definition->columns);
    out["filters"] = raas::filtersToJson(view.definition->filters);
    out["sort"] = raas::sortToJson(view.definition->sort);
    out["prompts"] = raas::promptsToJson(view.definition->prompts);
  }
  out["sharedWith"] = usersJson(view.shared_with);
  // What the RaaS button shows: the token call and this report's three endpoints.
  const std::string base = supplier::baseUrl(request, h.options);
  const std::string requests =
      std::string(kRaasBase) + std::to_string(view.record.id) + "/requests";
  out["raas"] = json::object{
      {"baseUrl", base},
      {"tokenEndpoint", base + std::string(kTokenPath)},
      {"requestEndpoint", base + requests},
      {"statusEndpoint", base + requests + "/{runid}"},
      {"dataEndpoint", base + requests + "/{runid}/retrievePagedData?page=1&size=5000"}};
  return out;
}

json::object sourcesJson() {
  json::array sources;
  for (const auto& source : raas::sources()) {
    json::array columns;
    for (const auto& column : source.columns)
      columns.push_back(json::object{{"name", column.name},
                                     {"type", raas::typeName(column.type)},
                                     {"displayName", column.display_name},
                                     {"ranges", raas::supportsRange(column.type)}});
    sources.push_back(json::object{{"name", source.name},
                                   {"displayName", source.display_name},
                                   {"description", source.description},
                                   {"columns", std::move(columns)}});
  }
  return json::object{{"sources", std::move(sources)}};
}

http::Response uiSources(Handlers& h, http::Request& request) {
  auto requester = sessionRequester(h, request);
  if (!requester) return h.error(requester.error(), request);
  return Handlers::json(200, sourcesJson(), false);
}

http::Response uiListReports(Handlers& h, http::Request& request) {
  auto requester = sessionRequester(h, request);
  if (!requester) return h.error(requester.error(), request);
  auto reports = h.services.raas->listReports(*requester);
  if (!reports) return h.error(reports.error(), request);
  json::array out;
  for (const auto& view : *reports) {
    auto summary = reportSummary(view);
    summary["id"] = view.record.id;
    out.push_back(std::move(summary));
  }
  return Handlers::json(200, json::object{{"reports", std::move(out)}});
}

// The optional "sharedWith" of a create or update body: usernames.
core::Result<std::optional<std::vector<std::string>>> sharedWith(const json::object& body) {
  const auto* value = body.if_contains("sharedWith");
  if (value == nullptr || value->is_null()) return std::optional<std::vector<std::string>>{};
  if (!value->is_array())
    return core::fieldError(core::Errc::kValidationFailed, "sharedWith",
                            "sharedWith must be an array of usernames.");
  std::vector<std::string> out;
  for (const auto& item : value->as_array()) {
    if (item.is_string()) {
      out.emplace_back(item.as_string());
    } else if (item.is_object() && item.as_object().if_contains("username") &&
               item.as_object().at("username").is_string()) {
      out.emplace_back(item.as_object().at("username").as_string());
    } else {
      return core::fieldError(core::Errc::kValidationFailed, "sharedWith",
                              "sharedWith must be an array of usernames.");
    }
  }
  return std::optional<std::vector<std::string>>(std::move(out));
}

http::Response uiSaveReport(Handlers& h, http::Request& request, std::optional<core::Id> id) {
  auto requester = sessionRequester(h, request);
  if (!requester) return h.error(requester.error(), request);
  auto body = parseJsonObject(request);
  if (!body) return h.error(body.error(), request);
  auto definition = raas::parseDefinition(*body);
  if (!definition) return h.error(definition.error(), request);
  auto shares = sharedWith(*body);
  if (!shares) return h.error(shares.error(), request);
  auto saved = id ? h.services.raas->updateReport(*requester, *id, *definition)
                  : h.services.raas->createReport(*requester, *definition);
  if (!saved) return h.error(saved.error(), request);
  if (*shares) {
    saved = h.services.raas->shareReport(*requester, saved->record.id, **shares);
    if (!saved) return h.error(saved.error(), request);
  }
  auto response = Handlers::json(id ? 200 : 201, reportJson(h, request, *saved));
  if (!id) response.setHeader("Location", "/api/v1/reports/" + std::to_string(saved->record.id));
  return response;
}

http::Response uiCreateReport(Handlers& h, http::Request& request) {
  return uiSaveReport(h, request, std::nullopt);
}

http::Response uiUpdateReport(Handlers& h, http::Request& request) {
  auto id = pathId(request, "id");
  if (!id) return h.error(id.error(), request);
  return uiSaveReport(h, request, *id);
}

http::Response uiGetReport(Handlers& h, http::Request& request) {
  auto requester = sessionRequester(h, request);
  if (!requester) return h.error(requester.error(), request);
  auto id = pathId(request, "id");
  if (!id) return h.error(id.error(), request);
  auto view = h.services.raas->getReport(*requester, *id);
  if (!view) return h.error(view.error(), request);
  return Handlers::json(200, reportJson(h, request, *view));
}

http::Response uiDeleteReport(Handlers& h, http::Request& request) {
  auto requester = sessionRequester(h, request);
  if (!requester) return h.error(requester.error(), request);
  auto id = pathId(request, "id");
  if (!id) return h.error(id.error(), request);
  auto deleted = h.services.raas->deleteReport(*requester, *id);
  if (!deleted) return h.error(deleted.error(), request);
  http::Response response;
  response.status = 204;
  return response;
}

http::Response uiShareReport(Handlers& h, http::Request& request) {
  auto requester = sessionRequester(h, request);
  if (!requester) return h.error(requester.error(), request);
  auto id = pathId(request, "id");
  if (!id) return h.error(id.error(), request);
  auto body = parseJsonObject(request);
  if (!body) return h.error(body.error(), request);
  auto shares = sharedWith(*body);
  if (!shares) return h.error(shares.error(), request);
  auto view =
      h.services.raas->shareReport(*requester, *id, shares->value_or(std::vector<std::string>{}));
  if (!view) return h.error(view.error(), request);
  return Handlers::json(200, reportJson(h, request, *view));
}

http::Response uiShareCandidates(Handlers& h, http::Request& request) {
  auto requester = sessionRequester(h, request);
  if (!requester) return h.error(requester.error(), request);
  auto users = h.services.raas->shareCandidates(*requester);
  if (!users) return h.error(users.error(), request);
  return Handlers::json(200, json::object{{"users", usersJson(*users)}});
}

// A run from the builder ("Run now"): the same service as the token API, as the signed-in
// account.
http::Response uiRequestRun(Handlers& h, http::Request& request) {
  auto requester = sessionRequester(h, request);
  if (!requester) return h.error(requester.error(), request);
  auto id = pathId(request, "id");
  if (!id) return h.error(id.error(), request);
  auto prompts = promptValues(request);
  if (!prompts) return h.error(prompts.error(), request);
  auto requested = h.services.raas->requestRun(*requester, *id, *prompts);
  if (!requested) return h.error(requested.error(), request);
  return requestedResponse(h, request, *id, *requested,
                           runPath(kUiBase, *id, "runs", requested->run_id));
}

http::Response uiRunStatus(Handlers& h, http::Request& request) {
  auto requester = sessionRequester(h, request);
  if (!requester) return h.error(requester.error(), request);
  auto ids = runIds(request, "id");
  if (!ids) return h.error(ids.error(), request);
  return runResponse(h, request, h.services.raas->runStatus(*requester, ids->report, ids->run));
}

http::Response uiCancelRun(Handlers& h, http::Request& request) {
  auto requester = sessionRequester(h, request);
  if (!requester) return h.error(requester.error(), request);
  auto ids = runIds(request, "id");
  if (!ids) return h.error(ids.error(), request);
  return runResponse(h, request, h.services.raas->cancelRun(*requester, ids->report, ids->run));
}

http::Response uiRunData(Handlers& h, http::Request& request) {
  auto requester = sessionRequester(h, request);
  if (!requester) return h.error(requester.error(), request);
  auto ids = runIds(request, "id");
  if (!ids) return h.error(ids.error(), request);
  return servePage(h, request, *requester, ids->report, ids->run,
                   runPath(kUiBase, ids->report, "runs", ids->run) + "/data");
}

// Cost centers of an account of the organization (organization administrators only).
core::Result<core::Id> orgMember(Handlers& h, const http::Request& request,
                                 const raas::Requester& requester) {
  if (requester.user.role != core::Role::kOrgAdmin)
    return core::makeError(core::Errc::kPermissionDenied,
                           "Only organization administrators assign cost centers.");
  KG_ASSIGN_OR_RETURN(const auto id, pathId(request, "id"));
  auto account = h.services.accounts.accountWithOrganization(id);
  if (!account || account->user.org_id != requester.org.id)
    return core::makeError(core::Errc::kNotFound, "No such account in your organization.");
  return id;
}

http::Response uiGetCostCenters(Handlers& h, http::Request& request) {
  auto requester = sessionRequester(h, request);
  if (!requester) return h.error(requester.error(), request);
  auto id = orgMember(h, request, *requester);
  if (!id) return h.error(id.error(), request);
  auto centers = h.services.raas->costCenters(*id);
  if (!centers) return h.error(centers.error(), request);
  json::array out;
  for (const auto& c : *centers) out.emplace_back(c);
  return Handlers::json(200, json::object{{"accountId", *id}, {"costCenters", std::move(out)}});
}

http::Response uiSetCostCenters(Handlers& h, http::Request& request) {
  auto requester = sessionRequester(h, request);
  if (!requester) return h.error(requester.error(), request);
  auto id = orgMember(h, request, *requester);
  if (!id) return h.error(id.error(), request);
  auto body = parseJsonObject(request);
  if (!body) return h.error(body.error(), request);
  auto centers = optionalStringArray(*body, "costCenters");
  if (!centers) return h.error(centers.error(), request);
  auto saved = h.services.raas->setCostCenters(*id, *centers);
  if (!saved) return h.error(saved.error(), request);
  return uiGetCostCenters(h, request);
}

// ---- pages ----

http::Response reportPage(Handlers& h, http::Request& request, std::string_view asset,
                          std::string_view path) {
  if (!h.sessionActor(request)) {
    http::Response redirect;
    redirect.status = 303;
    redirect.setHeader("Location", "/login?next=" + std::string(path));
    ui::addSecurityHeaders(redirect);
    return redirect;
  }
  auto response = ui::assetResponse(asset, request);
  if (!response)
    return h.error(core::makeError(core::Errc::kInternal, "missing page", std::string(asset)),
                   request);
  return std::move(*response);
}

http::Response reportsPage(Handlers& h, http::Request& request) {
  return reportPage(h, request, "pages/reports.html", "/reports");
}

http::Response reportBuilderPage(Handlers& h, http::Request& request) {
  return reportPage(h, request, "pages/report.html", "/reports/edit");
}

}  // namespace

void registerRaasRoutes(http::Router& router, const HandlersPtr& h) {
  route(router, "GET", "/raas/v1/reports", h, tokenListReports);
  route(router, "POST", "/raas/v1/reports/{reportId}/requests", h, tokenRequestRun);
  route(router, "GET", "/raas/v1/reports/{reportId}/requests/{runid}", h, tokenRunStatus);
  route(router, "DELETE", "/raas/v1/reports/{reportId}/requests/{runid}", h, tokenCancelRun);
  route(router, "GET", "/raas/v1/reports/{reportId}/requests/{runid}/retrievePagedData", h,
        tokenRetrievePage);

  route(router, "GET", "/api/v1/raas/sources", h, uiSources);
  route(router, "GET", "/api/v1/reports", h, uiListReports);
  route(router, "POST", "/api/v1/reports", h, uiCreateReport);
  route(router, "GET", "/api/v1/reports/share-candidates", h, uiShareCandidates);
  route(router, "GET", "/api/v1/reports/{id}", h, uiGetReport);
  route(router, "PUT", "/api/v1/reports/{id}", h, uiUpdateReport);
  route(router, "DELETE", "/api/v1/reports/{id}", h, uiDeleteReport);
  route(router, "PUT", "/api/v1/reports/{id}/shares", h, uiShareReport);
  route(router, "POST", "/api/v1/reports/{id}/runs", h, uiRequestRun);
  route(router, "GET", "/api/v1/reports/{id}/runs/{runid}", h, uiRunStatus);
  route(router, "DELETE", "/api/v1/reports/{id}/runs/{runid}", h, uiCancelRun);
  route(router, "GET", "/api/v1/reports/{id}/runs/{runid}/data", h, uiRunData);
  route(router, "GET", "/api/v1/org/users/{id}/cost-centers", h, uiGetCostCenters);
  route(router, "PUT", "/api/v1/org/users/{id}/cost-centers", h, uiSetCostCenters);

  route(router, "GET", "/reports", h, reportsPage);
  route(router, "GET", "/reports/edit", h, reportBuilderPage);
}

}  // namespace keygate::api
