// The key lifecycle for the signed-in user (DESIGN §2) and the organization admin's view.
#include "api/common.h"
#include "api/json_body.h"
#include "core/key_rules.h"
#include "core/scopes.h"

namespace keygate::api {
namespace {

boost::json::object revealedBody(const core::Credential& c, const std::string& secret) {
  boost::json::array scopes;
  for (auto& name : core::scopeNames(c.scopes)) scopes.emplace_back(name);
  return {{"credentialKey", c.id},
          {"clientKey", c.client_key},
          {"clientSecret", secret},
          {"name", c.name},
          {"scopes", std::move(scopes)},
          {"expiresAt", core::formatDateTime(c.expires_at)},
          {"expiresOn", core::formatDate(c.expires_at - 1)}};
}

http::Response list(Handlers& h, http::Request& request) {
  auto actor = h.sessionActor(request);
  if (!actor) return h.error(actor.error(), request);
  auto lists = h.services.keys.listOwn(*actor);
  if (!lists) return h.error(lists.error(), request);
  const auto now = h.services.clock.now();
  boost::json::array active, audit;
  for (const auto& v : lists->active) active.push_back(renderKey(v, now));
  for (const auto& v : lists->audit) audit.push_back(renderKey(v, now));
  boost::json::array scopes;
  for (const auto& info : core::allScopes()) {
    if (!core::scopeAllowedFor(actor->org.type, info.scope)) continue;
    scopes.push_back(boost::json::object{{"name", info.name},
                                         {"description", info.description},
                                         {"alwaysIncluded", info.scope == core::kScopeRaas}});
  }
  return Handlers::json(
      200,
      boost::json::object{
          {"credentials", std::move(active)},
          {"auditLog", std::move(audit)},
          {"policy", boost::json::object{
                         {"keyLifetimeDays", actor->org.key_lifetime_days},
                         {"latestExpiresOn", core::formatDate(core::latestExpiryDate(
                                                 now, actor->org.key_lifetime_days))},
                         {"viewRequiresCode", actor->org.login_method == core::LoginMethod::kBasic},
                         {"availableScopes", std::move(scopes)}}}});
}

http::Response generate(Handlers& h, http::Request& request) {
  auto actor = h.sessionActor(request);
  if (!actor) return h.error(actor.error(), request);
  auto body = parseJsonObject(request);
  if (!body) return h.error(body.error(), request);
  auto name = requiredString(*body, "name");
  if (!name) return h.error(name.error(), request);
  auto expires = optionalString(*body, "expiresOn");
  if (!expires) return h.error(expires.error(), request);
  auto scopes = optionalStringArray(*body, "scopes");
  if (!scopes) return h.error(scopes.error(), request);
  services::GenerateInput input{*name, std::nullopt, *scopes};
  if (*expires) {
    input.expires_on = core::parseDate(**expires);
    if (!input.expires_on)
      return h.error(core::fieldError(core::Errc::kValidationFailed, "expiresOn",
                                      "The expiration date must be a date as YYYY-MM-DD."),
                     request);
  }
  auto generated = h.services.keys.generate(*actor, input, h.context(request));
  if (!generated) return h.error(generated.error(), request);
  auto out = revealedBody(generated->credential, generated->client_secret);
  out["createdAt"] = core::formatDateTime(generated->credential.created_at);
  out["viewRequiresCode"] = actor->org.login_method == core::LoginMethod::kBasic;
  boost::json::array shortened;
  for (auto id : generated->shortened) shortened.emplace_back(id);
  out["shortenedCredentialKeys"] = std::move(shortened);
  auto response = Handlers::json(201, out);
  response.setHeader("Location", "/api/v1/me/keys/" + std::to_string(generated->credential.id));
  return response;
}

http::Response getOne(Handlers& h, http::Request& request) {
  auto actor = h.sessionActor(request);
  if (!actor) return h.error(actor.error(), request);
  auto id = pathId(request, "id");
  if (!id) return h.error(id.error(), request);
  auto view = h.services.keys.get(*actor, *id);
  if (!view) return h.error(view.error(), request);
  return Handlers::json(200, renderKey(*view, h.services.clock.now()));
}

http::Response patch(Handlers& h, http::Request& request) {
  auto actor = h.sessionActor(request);
  if (!actor) return h.error(actor.error(), request);
  auto id = pathId(request, "id");
  if (!id) return h.error(id.error(), request);
  auto body = parseJsonObject(request);
  if (!body) return h.error(body.error(), request);
  services::KeyPatch p;
  for (auto field : {"expiresOn", "expiresAt", "expirationDate", "expiry", "neverExpires"})
    if (findField(*body, field, true)) p.touches_expiry = true;
  auto name = optionalString(*body, "name");
  if (!name) return h.error(name.error(), request);
  p.name = *name;
  auto status = optionalString(*body, "status");
  if (!status) return h.error(status.error(), request);
  p.status = *status;
  auto view = h.services.keys.update(*actor, *id, p, h.context(request));
  if (!view) return h.error(view.error(), request);
  return Handlers::json(200, renderKey(*view, h.services.clock.now()));
}

http::Response inactivate(Handlers& h, http::Request& request) {
  auto actor = h.sessionActor(request);
  if (!actor) return h.error(actor.error(), request);
  auto id = pathId(request, "id");
  if (!id) return h.error(id.error(), request);
  auto view = h.services.keys.inactivate(*actor, *id, h.context(request));
  if (!view) return h.error(view.error(), request);
  return Handlers::json(200, renderKey(*view, h.services.clock.now()));
}

http::Response viewCode(Handlers& h, http::Request& request) {
  auto actor = h.sessionActor(request);
  if (!actor) return h.error(actor.error(), request);
  auto id = pathId(request, "id");
  if (!id) return h.error(id.error(), request);
  auto sent = h.services.keys.requestViewCode(*actor, *id, h.context(request));
  if (!sent) return h.error(sent.error(), request);
  return Handlers::json(
      202, boost::json::object{{"sentTo", sent->sent_to},
                               {"expiresAt", core::formatDateTime(sent->expires_at)},
                               {"triesLeft", sent->tries_left},
                               {"resendAfter", core::formatDateTime(sent->resend_after)}});
}

http::Response reveal(Handlers& h, http::Request& request) {
  auto actor = h.sessionActor(request);
  if (!actor) return h.error(actor.error(), request);
  auto id = pathId(request, "id");
  if (!id) return h.error(id.error(), request);
  auto body = parseJsonObject(request, true);
  if (!body) return h.error(body.error(), request);
  auto code = optionalString(*body, "code");
  if (!code) return h.error(code.error(), request);
  auto revealed = h.services.keys.reveal(*actor, *id, *code, h.context(request));
  if (!revealed) return h.error(revealed.error(), request);
  return Handlers::json(200, revealedBody(revealed->credential, revealed->client_secret));
}

http::Response orgGet(Handlers& h, http::Request& request) {
  auto actor = h.sessionActor(request);
  if (!actor) return h.error(actor.error(), request);
  return Handlers::json(200, renderOrganization(actor->org));
}

http::Response orgPatch(Handlers& h, http::Request& request) {
  auto actor = h.sessionActor(request);
  if (!actor) return h.error(actor.error(), request);
  if (actor->user.role != core::Role::kOrgAdmin)
    return h.error(core::makeError(core::Errc::kPermissionDenied,
                                   "Only organization administrators change these settings."),
                   request);
  auto body = parseJsonObject(request);
  if (!body) return h.error(body.error(), request);
  services::OrganizationChanges changes;
  auto method = optionalString(*body, "loginMethod");
  if (!method) return h.error(method.error(), request);
  if (*method) {
    changes.login_method = core::parseLoginMethod(**method);
    if (!changes.login_method)
      return h.error(core::fieldError(core::Errc::kValidationFailed, "loginMethod",
                                      "loginMethod must be basic, two_factor or sso."),
                     request);
  }
  auto lifetime = optionalInt(*body, "keyLifetimeDays");
  if (!lifetime) return h.error(lifetime.error(), request);
  if (*lifetime) {
    if (!core::isAllowedKeyLifetime(static_cast<int>(**lifetime)) || **lifetime > 1000)
      return h.error(core::fieldError(core::Errc::kValidationFailed, "keyLifetimeDays",
                                      "keyLifetimeDays must be 30, 60, 90 or 180."),
                     request);
    changes.key_lifetime_days = static_cast<int>(**lifetime);
  }
  auto tier = optionalString(*body, "apiTier");
  if (!tier) return h.error(tier.error(), request);
  if (*tier) {
    changes.api_tier = core::parseApiTier(**tier);
    if (!changes.api_tier)
      return h.error(core::fieldError(core::Errc::kValidationFailed, "apiTier",
                                      "apiTier must be core, professional, enterprise or "
                                      "unlimited."),
                     request);
  }
  auto org = h.services.accounts.updateOrganization(actor->org.id, changes, actor->user.id,
                                                    h.context(request));
  if (!org) return h.error(org.error(), request);
  return Handlers::json(200, renderOrganization(*org));
}

http::Response orgKeys(Handlers& h, http::Request& request) {
  auto actor = h.sessionActor(request);
  if (!actor) return h.error(actor.error(), request);
  auto keys = h.services.keys.listOrganization(*actor);
  if (!keys) return h.error(keys.error(), request);
  const auto now = h.services.clock.now();
  boost::json::array out;
  for (const auto& v : *keys) out.push_back(renderKey(v, now));
  return Handlers::json(200, boost::json::object{{"keys", std::move(out)}});
}

}  // namespace

void registerKeyRoutes(http::Router& router, const HandlersPtr& h) {
  route(router, "GET", "/api/v1/me/keys", h, list);
  route(router, "POST", "/api/v1/me/keys", h, generate);
  route(router, "GET", "/api/v1/me/keys/{id}", h, getOne);
  route(router, "PATCH", "/api/v1/me/keys/{id}", h, patch);
  route(router, "POST", "/api/v1/me/keys/{id}/inactivate", h, inactivate);
  route(router, "POST", "/api/v1/me/keys/{id}/view-code", h, viewCode);
  route(router, "POST", "/api/v1/me/keys/{id}/reveal", h, reveal);
  route(router, "GET", "/api/v1/org", h, orgGet);
  route(router, "PATCH", "/api/v1/org", h, orgPatch);
  route(router, "GET", "/api/v1/org/keys", h, orgKeys);
  route(router, "POST", "/api/v1/org/keys/{id}/inactivate", h, inactivate);
}

}  // namespace keygate::api
