// Query parameters, paging, `next` links and ETags of the Supplier API (see supplier_internal.h).
#include <boost/json/serialize.hpp>
#include <charconv>

#include "api/supplier_internal.h"
#include "core/key_rules.h"

namespace keygate::api::supplier {
namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

std::optional<std::int64_t> parseInteger(std::string_view s) {
  std::int64_t v = 0;
  if (s.empty() || s.size() > 18) return std::nullopt;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

bool twoDigits(std::string_view s, std::size_t at, int& out) {
  if (at + 2 > s.size() || s[at] < '0' || s[at] > '9' || s[at + 1] < '0' || s[at + 1] > '9')
    return false;
  out = (s[at] - '0') * 10 + (s[at + 1] - '0');
  return true;
}

// Percent-encodes everything but RFC 3986 unreserved characters.
std::string encodeComponent(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xf];
    }
  }
  return out;
}

bool plausibleHost(std::string_view host) {
  if (host.empty() || host.size() > 255) return false;
  for (char c : host) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '-' || c == ':' || c == '[' || c == ']';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

core::Error QueryParams::invalid(std::string_view name, std::string what) {
  return core::fieldError(core::Errc::kInvalidParameter, std::string(name),
                          "The query parameter '" + std::string(name) + "' " + what + ".");
}

core::Result<QueryParams> QueryParams::parse(const http::Request& request,
                                             std::initializer_list<std::string_view> known) {
  QueryParams out;
  std::string_view rest = request.query;
  while (!rest.empty()) {
    const auto amp = rest.find('&');
    const std::string_view piece = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
    if (piece.empty()) continue;
    const auto eq = piece.find('=');
    auto name = http::percentDecode(piece.substr(0, eq), true);
    auto value = http::percentDecode(
        eq == std::string_view::npos ? std::string_view() : piece.substr(eq + 1), true);
    if (!name) continue;  // an unreadable name cannot be one of ours
    bool is_known = false;
    for (auto k : known) is_known = is_known || k == *name;
    if (!is_known) {
      const std::string lowered = lower(*name);
      for (auto k : known)
        if (k == lowered)
          return core::fieldError(core::Errc::kInvalidParameter, *name,
                                  "Query parameter names are lowercase: use '" + lowered +
                                      "' instead of '" + *name + "'.");
      continue;  // unknown parameters are ignored (DESIGN §4)
    }
    if (!value) return invalid(*name, "is not correctly percent-encoded");
    if (out.find(*name) != nullptr) return invalid(*name, "is given more than once");
    out.values_.emplace_back(std::move(*name), std::move(*value));
  }
  return out;
}

const std::string* QueryParams::find(std::string_view name) const {
  for (const auto& [k, v] : values_)
    if (k == name) return &v;
  return nullptr;
}

core::Result<std::optional<core::Id>> QueryParams::id(std::string_view name) {
  const auto* raw = find(name);
  if (raw == nullptr) return std::optional<core::Id>();
  const auto v = parseInteger(*raw);
  if (!v || *v <= 0) return invalid(name, "must be a positive integer id");
  keep(name, std::to_string(*v));
  return std::optional<core::Id>(*v);
}

core::Result<std::optional<core::Seconds>> QueryParams::date(std::string_view name) {
  const auto* raw = find(name);
  if (raw == nullptr) return std::optional<core::Seconds>();
  const auto v = core::parseDate(*raw);
  if (!v) return invalid(name, "must be a date, YYYY-MM-DD");
  keep(name, core::formatDate(*v));
  return std::optional<core::Seconds>(*v);
}

core::Result<std::optional<core::Seconds>> QueryParams::instant(std::string_view name) {
  const auto* raw = find(name);
  if (raw == nullptr) return std::optional<core::Seconds>();
  auto v = raw->size() == 10 ? core::parseDate(*raw) : parseDateTime(*raw);
  if (!v) return invalid(name, "must be a date (YYYY-MM-DD) or a date-time (YYYY-MM-DDTHH:MM:SSZ)");
  keep(name, core::formatDateTime(*v));
  return std::optional<core::Seconds>(*v);
}

core::Result<std::optional<bool>> QueryParams::boolean(std::string_view name) {
  const auto* raw = find(name);
  if (raw == nullptr) return std::optional<bool>();
  if (*raw != "true" && *raw != "false") return invalid(name, "must be true or false");
  keep(name, *raw);
  return std::optional<bool>(*raw == "true");
}

core::Result<std::optional<std::string>> QueryParams::text(std::string_view name,
                                                           std::size_t max_length) {
  const auto* raw = find(name);
  if (raw == nullptr) return std::optional<std::string>();
  if (raw->empty() || raw->size() > max_length)
    return invalid(name, "must be 1 to " + std::to_string(max_length) + " characters");
  keep(name, *raw);
  return std::optional<std::string>(*raw);
}

core::Result<storage::PageRequest> QueryParams::page() {
  storage::PageRequest page;
  page.limit = kDefaultLimit;
  if (const auto* raw = find("offset")) {
    const auto v = parseInteger(*raw);
    if (!v || *v < 0) return invalid("offset", "must be a non-negative integer");
    page.offset = *v;
  }
  if (const auto* raw = find("limit")) {
    const auto v = parseInteger(*raw);
    if (!v || *v < 1) return invalid("limit", "must be a positive integer (at most 1000)");
    page.limit = std::min(*v, kMaxLimit);  // clamped, as DESIGN §4 says
  }
  return page;
}

std::optional<core::Seconds> parseDateTime(std::string_view s) {
  // 2025-01-31T12:34:56Z or 2025-01-31T12:34:56+02:00
  if (s.size() < 20 || (s[10] != 'T' && s[10] != 't')) return std::nullopt;
  const auto day = core::parseDate(s.substr(0, 10));
  int hh = 0, mm = 0, ss = 0;
  if (!day || !twoDigits(s, 11, hh) || s[13] != ':' || !twoDigits(s, 14, mm) || s[16] != ':' ||
      !twoDigits(s, 17, ss))
    return std::nullopt;
  if (hh > 23 || mm > 59 || ss > 59) return std::nullopt;
  core::Seconds t = *day + hh * 3600 + mm * 60 + ss;
  const std::string_view zone = s.substr(19);
  if (zone == "Z" || zone == "z") return t;
  int oh = 0, om = 0;
  if (zone.size() != 6 || (zone[0] != '+' && zone[0] != '-') || !twoDigits(zone, 1, oh) ||
      zone[3] != ':' || !twoDigits(zone, 4, om) || oh > 23 || om > 59)
    return std::nullopt;
  const core::Seconds offset = oh * 3600 + om * 60;
  return zone[0] == '+' ? t - offset : t + offset;
}

std::string baseUrl(const http::Request& request, const ApiOptions& options) {
  if (!options.public_url.empty()) {
    std::string url = options.public_url;
    while (!url.empty() && url.back() == '/') url.pop_back();
    return url;
  }
  std::string scheme = "http";
  if (options.trust_proxy && http::equalsIgnoreCase(request.header("X-Forwarded-Proto"), "https"))
    scheme = "https";
  const auto host = request.header("Host");
  return scheme + "://" + (plausibleHost(host) ? std::string(host) : std::string("localhost"));
}

boost::json::value nextLink(const http::Request& request, const ApiOptions& options,
                            const QueryParams& params, const storage::PageRequest& page,
                            std::int64_t total) {
  if (page.offset + page.limit >= total) return nullptr;
  std::string url = baseUrl(request, options) + request.path + "?";
  for (const auto& [name, value] : params.kept())
    url += encodeComponent(name) + "=" + encodeComponent(value) + "&";
  url +=
      "offset=" + std::to_string(page.offset + page.limit) + "&limit=" + std::to_string(page.limit);
  return boost::json::string(url);
}

http::Response pageResponse(const http::Request& request, const ApiOptions& options,
                            const QueryParams& params, const storage::PageRequest& page,
                            std::int64_t total, boost::json::array data) {
  boost::json::object body{{"data", std::move(data)},
                           {"offset", page.offset},
                           {"limit", page.limit},
                           {"totalRecords", total},
                           {"next", nextLink(request, options, params, page, total)}};
  auto response = http::Response::json(200, boost::json::serialize(body));
  response.setHeader("Cache-Control", "no-store");
  return response;
}

std::string etagOf(std::string_view body) {
  std::uint64_t hash = 0xcbf29ce484222325ull;
  for (unsigned char c : body) {
    hash ^= c;
    hash *= 0x100000001b3ull;
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string tag = "\"";
  for (int shift = 60; shift >= 0; shift -= 4) tag += kHex[(hash >> shift) & 0xf];
  tag += '"';
  return tag;
}

bool ifNoneMatchHits(std::string_view header, std::string_view etag) {
  while (!header.empty()) {
    const auto comma = header.find(',');
    std::string_view tag = header.substr(0, comma);
    header = comma == std::string_view::npos ? std::string_view() : header.substr(comma + 1);
    while (!tag.empty() && (tag.front() == ' ' || tag.front() == '\t')) tag.remove_prefix(1);
    while (!tag.empty() && (tag.back() == ' ' || tag.back() == '\t')) tag.remove_suffix(1);
    if (tag == "*") return true;
    if (tag.substr(0, 2) == "W/") tag.remove_prefix(2);
    if (tag == etag) return true;
  }
  return false;
}

http::Response conditionalJson(const http::Request& request, const boost::json::value& body) {
  std::string text = boost::json::serialize(body);
  const std::string etag = etagOf(text);
  http::Response response;
  if (ifNoneMatchHits(request.header("If-None-Match"), etag)) {
    response.status = 304;
  } else {
    response = http::Response::json(200, std::move(text));
  }
  response.setHeader("ETag", etag);
  // Clients may keep the body but must revalidate with If-None-Match before using it.
  response.setHeader("Cache-Control", "private, no-cache");
  return response;
}

http::Response createdJson(std::string location, const boost::json::value& body) {
  std::string text = boost::json::serialize(body);
  const std::string etag = etagOf(text);
  auto response = http::Response::json(201, std::move(text));
  response.setHeader("Location", std::move(location));
  response.setHeader("ETag", etag);
  response.setHeader("Cache-Control", "no-store");
  return response;
}

}  // namespace keygate::api::supplier
