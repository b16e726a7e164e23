// Operations endpoints: liveness, readiness, Prometheus metrics, and (test configuration
// only) the clock control that lets end-to-end tests move past expiry dates.
#include "api/common.h"
#include "api/json_body.h"

namespace keygate::api {
namespace {

http::Response healthz(Handlers&, http::Request&) {
  return Handlers::json(200, boost::json::object{{"status", "ok"}});
}

http::Response readyz(Handlers& h, http::Request& request) {
  auto ping = h.services.store.ping();
  if (!ping)
    return h.error(core::makeError(core::Errc::kUnavailable, "The database is not reachable.",
                                   ping.error().detail),
                   request);
  return Handlers::json(200, boost::json::object{{"status", "ready"}});
}

http::Response metrics(Handlers& h, http::Request&) {
  return http::Response::text(200, h.services.metrics.render(),
                              "text/plain; version=0.0.4; charset=utf-8");
}

http::Response advanceClock(Handlers& h, http::Request& request) {
  auto body = parseJsonObject(request);
  if (!body) return h.error(body.error(), request);
  auto seconds = optionalInt(*body, "advanceSeconds");
  if (!seconds) return h.error(seconds.error(), request);
  if (!*seconds || **seconds < 0 || **seconds > 10LL * 365 * 86400)
    return h.error(core::fieldError(core::Errc::kValidationFailed, "advanceSeconds",
                                    "advanceSeconds must be between 0 and ten years."),
                   request);
  h.options.test_clock->advance(**seconds);
  return Handlers::json(200, boost::json::object{{"offsetSeconds", h.options.test_clock->offset()},
                                                 {"now", h.services.clock.now()}});
}

}  // namespace

void registerOpsRoutes(http::Router& router, const HandlersPtr& h) {
  route(router, "GET", "/healthz", h, healthz);
  route(router, "GET", "/readyz", h, readyz);
  route(router, "GET", "/metrics", h, metrics);
  if (h->options.test_clock) route(router, "POST", "/api/v1/test/clock", h, advanceClock);
}

}  // namespace keygate::api
