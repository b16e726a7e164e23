// Token issuance (DESIGN §3): the Magnit-compatible JSON call, standard OAuth 2.0 client
// credentials (RFC 6749 §4.4), and whoami for any valid token.
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "api/common.h"
#include "api/json_body.h"
#include "core/key_rules.h"
#include "core/scopes.h"
#include "crypto/crypto.h"

namespace keygate::api {
namespace {

boost::json::array scopeArray(std::uint32_t bits) {
  boost::json::array out;
  for (auto& name : core::scopeNames(bits)) out.emplace_back(name);
  return out;
}

http::Response tokenResponse(http::Response response) {
  response.setHeader("Cache-Control", "no-store");
  response.setHeader("Pragma", "no-cache");
  return response;
}

http::Response getApiToken(Handlers& h, http::Request& request) {
  auto body = parseJsonObject(request);
  if (!body) return h.error(body.error(), request);
  // Field names are matched case-insensitively, as Magnit's token call does.
  auto credential_key = requiredId(*body, "credentialKey", true);
  if (!credential_key) return h.error(credential_key.error(), request);
  auto client_key = requiredString(*body, "clientKey", true);
  if (!client_key) return h.error(client_key.error(), request);
  auto client_secret = requiredString(*body, "clientSecret", true);
  if (!client_secret) return h.error(client_secret.error(), request);
  auto issued =
      h.services.tokens.issue(*credential_key, *client_key, *client_secret, h.context(request));
  crypto::secureZero(*client_secret);
  if (!issued) return h.error(issued.error(), request);
  return tokenResponse(
      Handlers::json(200, boost::json::object{{"accessToken", issued->access_token},
                                              {"tokenType", "Bearer"},
                                              {"expiresIn", issued->expires_in},
                                              {"scopes", scopeArray(issued->scopes)}}));
}

// RFC 6749 §5.2 error members, added to the problem+json body so OAuth libraries find them.
http::Response oauthError(Handlers& h, const http::Request& request, const core::Error& error,
                          std::string_view oauth_code) {
  auto response = h.error(error, request);
  boost::system::error_code ec;
  auto value = boost::json::parse(response.body, ec);
  if (!ec && value.is_object()) {
    value.as_object()["error"] = oauth_code;
    value.as_object()["error_description"] = error.message;
    response.body = boost::json::serialize(value);
  }
  if (oauth_code == "invalid_client")
    response.setHeader("WWW-Authenticate", "Basic realm=\"keygate\"");
  return tokenResponse(std::move(response));
}

http::Response oauthToken(Handlers& h, http::Request& request) {
  auto content_type = request.header("Content-Type");
  if (!http::equalsIgnoreCase(content_type.substr(0, content_type.find(';')),
                              "application/x-www-form-urlencoded"))
    return oauthError(h, request,
                      core::makeError(core::Errc::kUnsupportedMediaType,
                                      "Send the token request as "
                                      "application/x-www-form-urlencoded (RFC 6749 §4.4)."),
                      "invalid_request");
  auto form = http::parseForm(request.body);
  auto field = [&](std::string_view name) -> std::optional<std::string> {
    for (auto& [k, v] : form)
      if (k == name) return v;
    return std::nullopt;
  };
  auto grant = field("grant_type");
  if (!grant)
    return oauthError(
        h, request,
        core::fieldError(core::Errc::kMalformedRequest, "grant_type", "grant_type is required."),
        "invalid_request");
  if (*grant != "client_credentials")
    return oauthError(h, request,
                      core::fieldError(core::Errc::kMalformedRequest, "grant_type",
                                       "Only grant_type=client_credentials is supported."),
                      "unsupported_grant_type");

  // Client authentication: HTTP Basic (RFC 6749 §2.3.1, form-encoded id and secret) or the
  // client_id / client_secret form fields — not both.
  std::optional<std::string> client_id, client_secret;
  auto authorization = request.header("Authorization");
  if (!authorization.empty()) {
    const auto space = authorization.find(' ');
    std::optional<std::string> decoded;
    if (space != std::string_view::npos &&
        http::equalsIgnoreCase(authorization.substr(0, space), "Basic"))
      decoded = crypto::base64Decode(authorization.substr(space + 1));
    const auto colon = decoded ? decoded->find(':') : std::string::npos;
    if (!decoded || colon == std::string::npos)
      return oauthError(h, request,
                        core::makeError(core::Errc::kUnauthenticated,
                                        "The Authorization header must be HTTP Basic with the "
                                        "client id and secret."),
                        "invalid_client");
    client_id = http::percentDecode(std::string_view(*decoded).substr(0, colon), true);
    client_secret = http::percentDecode(std::string_view(*decoded).substr(colon + 1), true);
    crypto::secureZero(*decoded);
    if (field("client_secret"))
      return oauthError(h, request,
                        core::makeError(core::Errc::kMalformedRequest,
                                        "Authenticate the client in one way only."),
                        "invalid_request");
  } else {
    client_id = field("client_id");
    client_secret = field("client_secret");
  }
  if (!client_id || !client_secret)
    return oauthError(h, request,
                      core::makeError(core::Errc::kUnauthenticated,
                                      "Client authentication is required: client_id is the "
                                      "Client Key, client_secret the Client Secret."),
                      "invalid_client");
  auto issued = h.services.tokens.issueForClientKey(*client_id, *client_secret, h.context(request));
  crypto::secureZero(*client_secret);
  for (auto& [k, v] : form) crypto::secureZero(v);
  if (!issued) {
    const auto code =
        issued.error().code == core::Errc::kRateLimited ? "slow_down" : "invalid_client";
    return oauthError(h, request, issued.error(), code);
  }
  return tokenResponse(
      Handlers::json(200, boost::json::object{{"access_token", issued->access_token},
                                              {"token_type", "Bearer"},
                                              {"expires_in", issued->expires_in},
                                              {"scope", core::scopeString(issued->scopes)}}));
}

http::Response whoamiFor(Handlers& h, const http::Request& request,
                         const services::TokenClaims& claims) {
  auto account = h.services.accounts.accountWithOrganization(claims.user_id);
  if (!account) return h.error(account.error(), request);
  return Handlers::json(
      200, boost::json::object{{"account", renderAccount(account->user)},
                               {"organization", renderOrganization(account->org)},
                               {"credentialKey", claims.credential_id},
                               {"scopes", scopeArray(claims.scopes)},
                               {"keyExpiresAt", core::formatDateTime(claims.key_expires_at)},
                               {"tokenExpiresAt", core::formatDateTime(claims.expires_at)}});
}

http::Response whoami(Handlers& h, http::Request& request) {
  return h.withToken(
      request, [&](const services::TokenClaims& claims) { return whoamiFor(h, request, claims); });
}

}  // namespace

void registerTokenRoutes(http::Router& router, const HandlersPtr& h) {
  route(router, "POST", "/api/v1/get-api-token", h, getApiToken);
  route(router, "POST", "/oauth/token", h, oauthToken);
  route(router, "GET", "/api/v1/whoami", h, whoami);
}

}  // namespace keygate::api
