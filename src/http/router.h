// Maps (method, path) to a handler. Patterns are '/'-separated literal segments and {name}
// parameter segments; matching is exact per segment (a trailing slash is a different path).
// When several patterns match, the one whose first differing segment is literal wins, so
// "/keys/new" beats "/keys/{id}" whatever the registration order.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "http/request.h"
#include "http/response.h"

namespace keygate::http {

using Handler = std::function<Response(Request&)>;

class Router {
 public:
  // Registers a handler; throws std::invalid_argument for a malformed pattern or a duplicate
  // (method, pattern) — both are programming errors found at start-up.
  void add(std::string method, std::string pattern, Handler handler);

  struct Match {
    enum class Kind { kFound, kMethodNotAllowed, kNotFound };
    Kind kind = Kind::kNotFound;
    const Handler* handler = nullptr;  // set when kFound
    std::string_view route;            // the matched pattern when kFound
    std::string allow;                 // "GET, POST" when kMethodNotAllowed
  };

  // Finds the route for method and path; fills params (cleared first) when found.
  Match match(std::string_view method, std::string_view path,
              std::unordered_map<std::string, std::string>& params) const;

  // Sets request.route and request.params and calls the handler, or renders the 404 / 405
  // problem (with Allow). Exceptions from the handler propagate to the caller (the server).
  Response dispatch(Request& request) const;

 private:
  struct Segment {
    std::string text;  // literal text, or the parameter name
    bool is_param = false;
  };
  struct Route {
    std::string method;
    std::string pattern;
    std::vector<Segment> segments;
    Handler handler;
  };

  std::vector<Route> routes_;
};

}  // namespace keygate::http
