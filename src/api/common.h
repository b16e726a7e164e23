// Shared plumbing of the handlers: authentication of the two kinds of callers, the request
// context for the event log, and JSON rendering. Internal to api/.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <functional>
#include <memory>
#include <string>

#include "api/api.h"
#include "auth/engine.h"
#include "core/error.h"
#include "http/problem.h"
#include "http/request.h"
#include "http/response.h"

namespace keygate::api {

inline constexpr std::string_view kSessionCookie = "kg_session";

class Handlers {
 public:
  Handlers(ApiServices services, ApiOptions options);

  core::RequestContext context(const http::Request& request) const;
  // Web-session callers (the UI's JSON endpoints); enforces CSRF on state changes.
  core::Result<services::Actor> sessionActor(const http::Request& request);
  // Token callers (API clients).
  core::Result<services::TokenClaims> bearer(const http::Request& request);
  // The one entry point of every token-authenticated API handler: authenticates the bearer
  // token, applies the API rate limits, runs `fn`, and adds the headers every key-authenticated
  // response carries (the key's expiry; rate-limit state).
  http::Response withToken(http::Request& request,
                           const std::function<http::Response(const services::TokenClaims&)>& fn);

  static http::Response json(unsigned status, const boost::json::value& body, bool no_store = true);
  static http::Response error(const core::Error& error, const http::Request& request) {
    return http::problem(error, request);
  }
  std::string sessionCookie(const std::string& token) const;
  std::string clearedSessionCookie() const;

  ApiServices services;
  ApiOptions options;

 private:
  auth::Presented presented(const http::Request& request,
                            std::optional<std::string>& cookie_holder) const;
  auth::BearerEngine bearer_engine_;
  auth::SessionEngine session_engine_;
  auth::Strategy session_strategy_;
  auth::Strategy bearer_strategy_;
};

// JSON renderings shared by several handlers.
boost::json::object renderAccount(const core::User& user);
boost::json::object renderOrganization(const core::Organization& org);
boost::json::object renderKey(const services::KeyView& view, core::Seconds now);
boost::json::value optionalTime(const std::optional<core::Seconds>& t);

using HandlerFn = http::Response (*)(Handlers&, http::Request&);
using HandlersPtr = std::shared_ptr<Handlers>;

// Registers fn for (method, pattern); the route keeps the shared handlers alive.
inline void route(http::Router& router, std::string method, std::string pattern,
                  const HandlersPtr& h, HandlerFn fn) {
  router.add(std::move(method), std::move(pattern),
             [h, fn](http::Request& request) { return fn(*h, request); });
}

void registerSessionRoutes(http::Router& router, const HandlersPtr& h);
void registerKeyRoutes(http::Router& router, const HandlersPtr& h);
void registerTokenRoutes(http::Router& router, const HandlersPtr& h);
void registerOpsRoutes(http::Router& router, const HandlersPtr& h);
void registerSupplierRoutes(http::Router& router, const HandlersPtr& h);
void registerUiRoutes(http::Router& router, const HandlersPtr& h);
void registerRaasRoutes(http::Router& router, const HandlersPtr& h);

}  // namespace keygate::api
