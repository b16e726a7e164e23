// Pieces of the Supplier API surface (supplier_routes.cpp) that are plain functions: reading
// query parameters (lowercase names, typed values, 400 naming the parameter), paging and the
// `next` link, ETags, and the JSON renderings and body readers of each resource. Declared here
// so they stay small and testable. Internal to api/.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "api/api.h"
#include "core/error.h"
#include "core/supplier_model.h"
#include "http/request.h"
#include "http/response.h"
#include "services/supplier/candidate_insights.h"
#include "services/supplier/timecards.h"
#include "services/supplier/workers.h"
#include "storage/supplier_repositories.h"

namespace keygate::api::supplier {

inline constexpr std::int64_t kDefaultLimit = 500;
inline constexpr std::int64_t kMaxLimit = 1000;

// The query string of one request, decoded once. Names are matched exactly (they are
// lowercase); a parameter whose name differs from a known one only in case is an error, so a
// client sending "engagementId" learns why its filter did nothing. Unknown names are ignored.
class QueryParams {
 public:
  // Fails (400 invalid_parameter) on a malformed percent-encoding, a repeated known parameter,
  // or a known name in the wrong case.
  static core::Result<QueryParams> parse(const http::Request& request,
                                         std::initializer_list<std::string_view> known);

  core::Result<std::optional<core::Id>> id(std::string_view name);
  core::Result<std::optional<core::Seconds>> date(std::string_view name);
  // A date ("2025-01-31", 00:00 UTC) or an RFC 3339 date-time ("2025-01-31T12:00:00Z").
  core::Result<std::optional<core::Seconds>> instant(std::string_view name);
  core::Result<std::optional<bool>> boolean(std::string_view name);
  core::Result<std::optional<std::string>> text(std::string_view name, std::size_t max_length);
  template <class E>
  core::Result<std::optional<E>> enumValue(std::string_view name) {
    const auto* raw = find(name);
    if (raw == nullptr) return std::optional<E>();
    auto value = core::parseEnum<E>(*raw);
    if (!value) return invalid(name, "must be one of: " + core::enumChoices<E>());
    keep(name, *raw);
    return std::optional<E>(*value);
  }
  // offset (default 0) and limit (default 500, clamped to 1000).
  core::Result<storage::PageRequest> page();

  // The validated filter parameters, in the order read, for the `next` link.
  const std::vector<std::pair<std::string, std::string>>& kept() const { return kept_; }

 private:
  const std::string* find(std::string_view name) const;
  void keep(std::string_view name, std::string value) { kept_.emplace_back(name, value); }
  static core::Error invalid(std::string_view name, std::string what);

  std::vector<std::pair<std::string, std::string>> values_;
  std::vector<std::pair<std::string, std::string>> kept_;
};

// "YYYY-MM-DDTHH:MM:SS" with "Z" or "±HH:MM" (RFC 3339, no fractions); nullopt otherwise.
std::optional<core::Seconds> parseDateTime(std::string_view text);

// The absolute URL of this server: public_url when configured, else from the Host header
// (and X-Forwarded-Proto behind a trusted proxy). No trailing slash.
std::string baseUrl(const http::Request& request, const ApiOptions& options);

// The `next` link of a page, or null when the page is the last.
boost::json::value nextLink(const http::Request& request, const ApiOptions& options,
                            const QueryParams& params, const storage::PageRequest& page,
                            std::int64_t total);

// {data, offset, limit, totalRecords, next}.
http::Response pageResponse(const http::Request& request, const ApiOptions& options,
                            const QueryParams& params, const storage::PageRequest& page,
                            std::int64_t total, boost::json::array data);

// A strong ETag of the body (64-bit FNV-1a, hex).
std::string etagOf(std::string_view body);
// True when If-None-Match names the ETag (or is "*"); weak comparison, as RFC 9110 says.
bool ifNoneMatchHits(std::string_view if_none_match, std::string_view etag);
// 200 with the JSON body and its ETag, or 304 when the request's If-None-Match names it.
http::Response conditionalJson(const http::Request& request, const boost::json::value& body);
// 201 with Location and ETag.
http::Response createdJson(std::string location, const boost::json::value& body);

// ---- renderings (wire names are camelCase; amounts are decimal strings) ----

boost::json::value money(core::MinorUnits amount, std::string_view currency);
boost::json::value quantity(core::Hundredths value);
boost::json::value dateOrNull(const std::optional<core::Seconds>& day);
boost::json::value timeOrNull(const std::optional<core::Seconds>& t);

boost::json::object renderEngagement(const core::Engagement& e);
boost::json::object renderBillingItem(const core::BillingItem& b);
boost::json::object renderInvoice(const core::Invoice& i, bool with_lines);
boost::json::object renderWorker(const core::Worker& w);
boost::json::object renderTimecard(const services::supplier::TimecardView& view);
boost::json::object renderStaffingRequest(const core::StaffingRequest& r);
boost::json::object renderInsight(const services::supplier::StoredInsight& insight);

// ---- request bodies (unknown members are ignored; errors name the member) ----

core::Result<services::supplier::NewWorker> readNewWorker(const boost::json::object& body);
// JSON merge patch (RFC 7396): absent = unchanged, null = cleared (or 422 for a required field).
core::Result<services::supplier::WorkerPatch> readWorkerPatch(const boost::json::object& body);
core::Result<services::supplier::NewTimecard> readNewTimecard(const boost::json::object& body);
core::Result<services::supplier::TimecardChange> readTimecardChange(
    const boost::json::object& body);
core::Result<services::supplier::InsightRequest> readInsightRequest(
    const boost::json::object& body);

}  // namespace keygate::api::supplier
