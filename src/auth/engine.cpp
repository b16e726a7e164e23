#include "auth/engine.h"

#include <algorithm>
#include <cctype>

namespace keygate::auth {
namespace {

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

Decision rejected(core::Error error) {
  Decision d;
  d.outcome = Outcome::kRejected;
  d.error = std::move(error);
  return d;
}

}  // namespace

std::optional<std::string_view> parseBearer(std::string_view authorization) {
  const auto space = authorization.find(' ');
  if (space == std::string_view::npos) return std::nullopt;
  if (!iequals(authorization.substr(0, space), "Bearer")) return std::nullopt;
  auto token = authorization.substr(space + 1);
  while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
  while (!token.empty() && token.back() == ' ') token.remove_suffix(1);
  if (token.empty() || token.find(' ') != std::string_view::npos) return std::nullopt;
  return token;
}

bool isSafeMethod(std::string_view method) {
  return method == "GET" || method == "HEAD" || method == "OPTIONS";
}

Decision BearerEngine::authenticate(const Presented& presented) {
  if (presented.authorization.empty()) return {};
  auto token = parseBearer(presented.authorization);
  if (!token)
    return rejected(core::makeError(core::Errc::kUnauthenticated,
                                    "The Authorization header must be \"Bearer <access token>\"."));
  auto claims = tokens_.verify(*token);
  if (!claims) return rejected(claims.error());
  Decision d;
  d.outcome = Outcome::kGranted;
  d.principal.claims = *claims;
  return d;
}

Decision SessionEngine::authenticate(const Presented& presented) {
  if (!presented.session_cookie) return {};
  auto actor = accounts_.authenticate(*presented.session_cookie);
  if (!actor) return rejected(actor.error());
  if (!isSafeMethod(presented.method) &&
      !services::AccountService::csrfMatches(actor->session, presented.csrf_token))
    return rejected(core::makeError(core::Errc::kCsrfFailed,
                                    "The X-CSRF-Token header is missing or does not match the "
                                    "session. Reload the page and try again."));
  Decision d;
  d.outcome = Outcome::kGranted;
  d.principal.actor = std::move(*actor);
  return d;
}

core::Result<Principal> Strategy::authenticate(const Presented& presented) const {
  for (Engine* engine : engines_) {
    Decision d = engine->authenticate(presented);
    if (d.outcome == Outcome::kGranted) return std::move(d.principal);
    if (d.outcome == Outcome::kRejected) return d.error;
  }
  return core::makeError(core::Errc::kUnauthenticated, "Authentication is required.");
}

core::Status requireScope(const services::TokenClaims& claims, core::Scope scope) {
  if ((claims.scopes & scope) == scope) return core::ok();
  core::Error e =
      core::makeError(core::Errc::kInsufficientScope, "This call needs the scope '" +
                                                          std::string(core::scopeName(scope)) +
                                                          "', which the API key does not have.");
  e.field = std::string(core::scopeName(scope));
  return e;
}

}  // namespace keygate::auth
