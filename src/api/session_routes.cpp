// Sign-in, the current session, switching linked accounts, sign-out and TOTP enrollment.
#include "api/common.h"
#include "api/json_body.h"

namespace keygate::api {
namespace {

core::Result<boost::json::object> sessionBody(Handlers& h, const services::Actor& actor) {
  KG_ASSIGN_OR_RETURN(auto linked, h.services.accounts.linkedAccounts(actor.user));
  boost::json::array accounts;
  for (const auto& a : linked) {
    accounts.push_back(boost::json::object{{"accountId", a.user.id},
                                           {"username", a.user.username},
                                           {"organization", renderOrganization(a.org)},
                                           {"current", a.user.id == actor.user.id}});
  }
  return boost::json::object{
      {"account", renderAccount(actor.user)},  {"organization", renderOrganization(actor.org)},
      {"csrfToken", actor.session.csrf_token}, {"totpEnrollmentRequired", !actor.second_factor_ok},
      {"linkedAccounts", std::move(accounts)},
  };
}

http::Response login(Handlers& h, http::Request& request) {
  auto body = parseJsonObject(request);
  if (!body) return h.error(body.error(), request);
  auto username = requiredString(*body, "username");
  if (!username) return h.error(username.error(), request);
  auto password = requiredString(*body, "password");
  if (!password) return h.error(password.error(), request);
  auto totp = optionalString(*body, "totpCode");
  if (!totp) return h.error(totp.error(), request);
  services::LoginInput input{*username, *password, *totp};
  auto signed_in = h.services.accounts.login(input, h.context(request));
  if (!signed_in) return h.error(signed_in.error(), request);
  auto out = sessionBody(h, signed_in->actor);
  if (!out) return h.error(out.error(), request);
  auto response = Handlers::json(200, *out);
  response.addHeader("Set-Cookie", h.sessionCookie(signed_in->cookie_token));
  return response;
}

http::Response current(Handlers& h, http::Request& request) {
  auto actor = h.sessionActor(request);
  if (!actor) return h.error(actor.error(), request);
  auto out = sessionBody(h, *actor);
  if (!out) return h.error(out.error(), request);
  return Handlers::json(200, *out);
}

http::Response logout(Handlers& h, http::Request& request) {
  auto actor = h.sessionActor(request);
  if (!actor) return h.error(actor.error(), request);
  auto cookie = request.cookie(kSessionCookie);
  auto done = h.services.accounts.logout(cookie.value_or(""), h.context(request));
  if (!done) return h.error(done.error(), request);
  http::Response response;
  response.status = 204;
  response.addHeader("Set-Cookie", h.clearedSessionCookie());
  return response;
}

http::Response switchAccount(Handlers& h, http::Request& request) {
  auto actor = h.sessionActor(request);
  if (!actor) return h.error(actor.error(), request);
  auto body = parseJsonObject(request);
  if (!body) return h.error(body.error(), request);
  auto target = requiredId(*body, "accountId");
  if (!target) return h.error(target.error(), request);
  auto switched = h.services.accounts.switchAccount(*actor, *target, h.context(request));
  if (!switched) return h.error(switched.error(), request);
  auto out = sessionBody(h, *switched);
  if (!out) return h.error(out.error(), request);
  return Handlers::json(200, *out);
}

http::Response beginTotp(Handlers& h, http::Request& request) {
  auto actor = h.sessionActor(request);
  if (!actor) return h.error(actor.error(), request);
  auto enrollment = h.services.accounts.beginTotpEnrollment(*actor);
  if (!enrollment) return h.error(enrollment.error(), request);
  return Handlers::json(200, boost::json::object{{"secret", enrollment->secret_base32},
                                                 {"otpauthUri", enrollment->otpauth_uri}});
}

http::Response confirmTotp(Handlers& h, http::Request& request) {
  auto actor = h.sessionActor(request);
  if (!actor) return h.error(actor.error(), request);
  auto body = parseJsonObject(request);
  if (!body) return h.error(body.error(), request);
  auto code = requiredString(*body, "code");
  if (!code) return h.error(code.error(), request);
  auto done = h.services.accounts.confirmTotpEnrollment(*actor, *code, h.context(request));
  if (!done) return h.error(done.error(), request);
  return Handlers::json(200, boost::json::object{{"totpEnabled", true}});
}

}  // namespace

void registerSessionRoutes(http::Router& router, const HandlersPtr& h) {
  route(router, "POST", "/api/v1/session", h, login);
  route(router, "GET", "/api/v1/session", h, current);
  route(router, "DELETE", "/api/v1/session", h, logout);
  route(router, "POST", "/api/v1/session/switch", h, switchAccount);
  route(router, "POST", "/api/v1/me/totp", h, beginTotp);
  route(router, "POST", "/api/v1/me/totp/confirm", h, confirmTotp);
}

}  // namespace keygate::api
