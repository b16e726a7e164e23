#include "api/common.h"

#include <boost/json/serialize.hpp>

#include "core/credential_format.h"
#include "core/key_rules.h"
#include "core/scopes.h"

namespace keygate::api {
namespace {

// The caller's address: the first X-Forwarded-For entry behind a trusted proxy.
std::string clientIp(const http::Request& request, bool trust_proxy) {
  if (trust_proxy) {
    auto forwarded = request.header("X-Forwarded-For");
    if (!forwarded.empty()) {
      auto first = forwarded.substr(0, forwarded.find(','));
      while (!first.empty() && first.front() == ' ') first.remove_prefix(1);
      while (!first.empty() && first.back() == ' ') first.remove_suffix(1);
      if (!first.empty() && first.size() <= 64) return std::string(first);
    }
  }
  return request.remote_ip;
}

core::Error rateLimitError(const services::RateDecision& decision) {
  core::Error e;
  e.code = core::Errc::kRateLimited;
  if (decision.refused_by == services::RateLimitRefusal::kDailyQuota) {
    e.message = "The organization's daily API quota of " +
                std::to_string(decision.daily ? decision.daily->limit : 0) +
                " calls is used up; it resets at 00:00 UTC.";
  } else {
    e.message = "Too many requests from this address. Retry after " +
                std::to_string(decision.retry_after) + " seconds.";
  }
  e.retry_after_seconds = decision.retry_after;
  return e;
}

// RateLimit-* (IETF httpapi draft) describe the limit closest to exhaustion — the one that
// refused the call, else the one with fewer requests left; X-Daily-Quota-* always describe
// the organization's daily quota.
void addRateLimitHeaders(http::Response& response, const services::RateDecision& decision) {
  const services::LimitState* shown = nullptr;
  if (decision.refused_by == services::RateLimitRefusal::kPerIp) {
    shown = &*decision.per_ip;
  } else if (decision.refused_by == services::RateLimitRefusal::kDailyQuota) {
    shown = &*decision.daily;
  } else if (decision.per_ip && decision.daily) {
    shown = decision.per_ip->remaining <= decision.daily->remaining ? &*decision.per_ip
                                                                    : &*decision.daily;
  } else if (decision.per_ip) {
    shown = &*decision.per_ip;
  } else if (decision.daily) {
    shown = &*decision.daily;
  }
  if (shown != nullptr) {
    response.setHeader("RateLimit-Limit", std::to_string(shown->limit));
    response.setHeader("RateLimit-Remaining", std::to_string(shown->remaining));
    response.setHeader("RateLimit-Reset", std::to_string(shown->reset));
  }
  if (decision.daily) {
    response.setHeader("X-Daily-Quota-Limit", std::to_string(decision.daily->limit));
    response.setHeader("X-Daily-Quota-Remaining", std::to_string(decision.daily->remaining));
    response.setHeader("X-Daily-Quota-Reset", core::formatDateTime(decision.quota_resets_at));
  } else {
    response.setHeader("X-Daily-Quota-Limit", "unlimited");
    response.setHeader("X-Daily-Quota-Remaining", "unlimited");
  }
}

}  // namespace

Handlers::Handlers(ApiServices s, ApiOptions o)
    : services(s),
      options(o),
      bearer_engine_(s.tokens),
      session_engine_(s.accounts),
      session_strategy_({&session_engine_}),
      bearer_strategy_({&bearer_engine_}) {}

core::RequestContext Handlers::context(const http::Request& request) const {
  core::RequestContext ctx;
  ctx.ip = clientIp(request, options.trust_proxy);
  ctx.user_agent = std::string(request.header("User-Agent").substr(0, 512));
  ctx.request_id = request.request_id;
  return ctx;
}

auth::Presented Handlers::presented(const http::Request& request,
                                    std::optional<std::string>& cookie_holder) const {
  cookie_holder = request.cookie(kSessionCookie);
  return auth::Presented{request.method, request.header("Authorization"), cookie_holder,
                         request.header("X-CSRF-Token")};
}

core::Result<services::Actor> Handlers::sessionActor(const http::Request& request) {
  std::optional<std::string> cookie;
  auto principal = session_strategy_.authenticate(presented(request, cookie));
  if (!principal) return principal.error();
  return std::move(*principal->actor);
}

core::Result<services::TokenClaims> Handlers::bearer(const http::Request& request) {
  std::optional<std::string> cookie;
  auto p = presented(request, cookie);
  p.session_cookie.reset();  // API calls authenticate by token only
  if (p.authorization.empty())
    return core::makeError(core::Errc::kUnauthenticated,
                           "Send an access token: Authorization: Bearer <token>.");
  auto principal = bearer_strategy_.authenticate(p);
  if (!principal) return principal.error();
  return *principal->claims;
}

http::Response Handlers::withToken(
    http::Request& request, const std::function<http::Response(const services::TokenClaims&)>& fn) {
  auto claims = bearer(request);
  if (!claims) return error(claims.error(), request);
  // Limits apply to authenticated calls only: an unauthenticated flood costs a MAC check and
  // is not counted against anyone's quota.
  std::optional<services::RateDecision> decision;
  if (options.rate_limiter != nullptr)
    decision = options.rate_limiter->check(clientIp(request, options.trust_proxy), claims->org_id);
  http::Response response =
      decision && !decision->allowed ? error(rateLimitError(*decision), request) : fn(*claims);
  if (decision) addRateLimitHeaders(response, *decision);
  response.setHeader("X-Key-Expires-At", core::formatDateTime(claims->key_expires_at));
  return response;
}

http::Response Handlers::json(unsigned status, const boost::json::value& body, bool no_store) {
  auto response = http::Response::json(status, boost::json::serialize(body));
  if (no_store) response.setHeader("Cache-Control", "no-store");
  return response;
}

std::string Handlers::sessionCookie(const std::string& token) const {
  std::string cookie = std::string(kSessionCookie) + "=" + token +
                       "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" +
                       std::to_string(options.session_cookie_max_age);
  if (options.cookie_secure) cookie += "; Secure";
  return cookie;
}

std::string Handlers::clearedSessionCookie() const {
  std::string cookie =
      std::string(kSessionCookie) + "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0";
  if (options.cookie_secure) cookie += "; Secure";
  return cookie;
}

boost::json::value optionalTime(const std::optional<core::Seconds>& t) {
  if (!t) return nullptr;
  return boost::json::string(core::formatDateTime(*t));
}

boost::json::object renderAccount(const core::User& user) {
  boost::json::array permissions;
  if (user.hasPermission(core::kPermRaas)) permissions.emplace_back("raas");
  if (user.hasPermission(core::kPermReportAdmin)) permissions.emplace_back("report_admin");
  return {{"id", user.id},
          {"username", user.username},
          {"email", user.email},
          {"displayName", user.display_name},
          {"role", core::toString(user.role)},
          {"permissions", std::move(permissions)},
          {"totpEnabled", user.totpEnabled()}};
}

boost::json::object renderOrganization(const core::Organization& org) {
  return {{"id", org.id},
          {"name", org.name},
          {"type", core::toString(org.type)},
          {"loginMethod", core::toString(org.login_method)},
          {"keyLifetimeDays", org.key_lifetime_days},
          {"apiTier", core::toString(org.api_tier)}};
}

boost::json::object renderKey(const services::KeyView& view, core::Seconds now) {
  const auto& c = view.credential;
  boost::json::array scopes;
  for (auto& name : core::scopeNames(c.scopes)) scopes.emplace_back(name);
  boost::json::object out{
      {"credentialKey", c.id},
      {"name", c.name},
      {"clientKey", core::maskClientKey(c.client_key)},
      {"scopes", std::move(scopes)},
      {"status", services::toString(view.status)},
      {"createdAt", core::formatDateTime(c.created_at)},
      {"expiresAt", core::formatDateTime(c.expires_at)},
      // The last day on which the key works.
      {"expiresOn", core::formatDate(c.expires_at - 1)},
      // Whole days from today to the last valid day: 0 on that day itself.
      {"daysLeft",
       c.expires_at > now ? (c.expires_at - 1 - core::startOfDay(now)) / core::kSecondsPerDay : 0},
      {"lastUsedAt", optionalTime(c.last_used_at)},
      {"inactivatedAt", optionalTime(c.inactivated_at)},
      {"shortenedAt", optionalTime(c.shortened_at)},
  };
  if (!view.owner_username.empty()) out["owner"] = view.owner_username;
  if (c.inactivated_at) {
    out["inactivatedBy"] = view.inactivated_by_name.empty()
                               ? boost::json::value("administrator")
                               : boost::json::value(view.inactivated_by_name);
  } else {
    out["inactivatedBy"] = nullptr;
  }
  return out;
}

void registerRoutes(http::Router& router, ApiServices services, ApiOptions options) {
  auto h = std::make_shared<Handlers>(services, options);
  registerSessionRoutes(router, h);
  registerKeyRoutes(router, h);
  registerTokenRoutes(router, h);
  registerOpsRoutes(router, h);
  registerSupplierRoutes(router, h);
  registerUiRoutes(router, h);
  if (services.raas != nullptr) registerRaasRoutes(router, h);
}

}  // namespace keygate::api
