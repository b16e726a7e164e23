// Linear-scan router: the route table is small (tens of entries), so a scan over
// pre-split patterns is cheap and keeps precedence rules easy to read.
#include "http/router.h"

#include <algorithm>
#include <set>
#include <stdexcept>

#include "http/problem.h"

namespace keygate::http {
namespace {

constexpr std::size_t kMaxSegments = 64;

// Splits "/a/b" into {"a","b"}; "/" into {""}; "/a/" into {"a",""}. Returns false when the
// path does not start with '/' or has more segments than any sane route.
bool splitPath(std::string_view path, std::vector<std::string_view>& out) {
  out.clear();
  if (path.empty() || path.front() != '/') return false;
  path.remove_prefix(1);
  for (;;) {
    if (out.size() == kMaxSegments) return false;
    const auto slash = path.find('/');
    out.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) return true;
    path.remove_prefix(slash + 1);
  }
}

}  // namespace

void Router::add(std::string method, std::string pattern, Handler handler) {
  std::vector<std::string_view> pieces;
  if (!splitPath(pattern, pieces)) {
    throw std::invalid_argument("route pattern must start with '/': " + pattern);
  }
  Route route;
  for (std::string_view piece : pieces) {
    Segment segment;
    if (piece.size() >= 2 && piece.front() == '{' && piece.back() == '}') {
      segment.is_param = true;
      segment.text = std::string(piece.substr(1, piece.size() - 2));
      if (segment.text.find_first_of("{}/") != std::string::npos) {
        throw std::invalid_argument("bad parameter segment in route pattern: " + pattern);
      }
    } else if (piece.find_first_of("{}") != std::string_view::npos) {
      throw std::invalid_argument("braces must enclose a whole segment: " + pattern);
    } else {
      segment.text = std::string(piece);
    }
    route.segments.push_back(std::move(segment));
  }
  for (const Route& existing : routes_) {
    if (existing.method == method && existing.pattern == pattern) {
      throw std::invalid_argument("duplicate route: " + method + " " + pattern);
    }
  }
  route.method = std::move(method);
  route.pattern = std::move(pattern);
  route.handler = std::move(handler);
  routes_.push_back(std::move(route));
}

Router::Match Router::match(std::string_view method, std::string_view path,
                            std::unordered_map<std::string, std::string>& params) const {
  params.clear();
  Match result;
  std::vector<std::string_view> segments;
  if (!splitPath(path, segments)) return result;

  const auto matches = [&](const Route& route) {
    if (route.segments.size() != segments.size()) return false;
    for (std::size_t i = 0; i < segments.size(); ++i) {
      const Segment& s = route.segments[i];
      if (s.is_param ? segments[i].empty() : s.text != segments[i]) return false;
    }
    return true;
  };
  // True when a is more specific than b: at the first segment where one is literal and the
  // other a parameter, the literal wins.
  const auto more_specific = [](const Route& a, const Route& b) {
    for (std::size_t i = 0; i < a.segments.size(); ++i) {
      if (a.segments[i].is_param != b.segments[i].is_param) return !a.segments[i].is_param;
    }
    return false;
  };

  const Route* best = nullptr;
  std::set<std::string_view> allowed;
  for (const Route& route : routes_) {
    if (!matches(route)) continue;
    if (route.method != method) {
      allowed.insert(route.method);
      continue;
    }
    if (best == nullptr || more_specific(route, *best)) best = &route;
  }
  if (best == nullptr) {
    if (!allowed.empty()) {
      result.kind = Match::Kind::kMethodNotAllowed;
      for (std::string_view m : allowed) {
        if (!result.allow.empty()) result.allow += ", ";
        result.allow += m;
      }
    }
    return result;
  }
  result.kind = Match::Kind::kFound;
  result.handler = &best->handler;
  result.route = best->pattern;
  for (std::size_t i = 0; i < segments.size(); ++i) {
    if (best->segments[i].is_param) params[best->segments[i].text] = std::string(segments[i]);
  }
  return result;
}

Response Router::dispatch(Request& request) const {
  Match m = match(request.method, request.path, request.params);
  switch (m.kind) {
    case Match::Kind::kFound:
      request.route = std::string(m.route);
      return (*m.handler)(request);
    case Match::Kind::kMethodNotAllowed: {
      request.route.clear();
      Response response =
          problem(core::makeError(core::Errc::kMethodNotAllowed,
                                  "Method " + request.method + " is not allowed on this resource."),
                  request);
      response.setHeader("Allow", std::move(m.allow));
      return response;
    }
    case Match::Kind::kNotFound:
      break;
  }
  request.route.clear();
  return problem(core::makeError(core::Errc::kNotFound, "No resource at this path."), request);
}

}  // namespace keygate::http
