// Authentication as ordered engines (bearer token, web session), each answering granted,
// denied (not mine: try the next engine) or rejected (mine, and wrong: stop), composed by a
// Strategy. Scope checks come after authentication; audit writes stay in services.
// auth knows services, not the HTTP transport: the edge passes in the few header values.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "core/scopes.h"
#include "services/accounts.h"
#include "services/tokens.h"

namespace keygate::auth {

// What a request presents, taken from its headers by the edge.
struct Presented {
  std::string_view method;         // HTTP method, for the CSRF rule
  std::string_view authorization;  // the Authorization header, or empty
  std::optional<std::string> session_cookie;
  std::string_view csrf_token;  // the X-CSRF-Token header, or empty
};

struct Principal {
  std::optional<services::Actor> actor;         // web session
  std::optional<services::TokenClaims> claims;  // bearer token
};

enum class Outcome { kGranted, kDenied, kRejected };

struct Decision {
  Outcome outcome = Outcome::kDenied;
  Principal principal;
  core::Error error;  // set when rejected
};

class Engine {
 public:
  virtual ~Engine() = default;
  virtual Decision authenticate(const Presented& presented) = 0;
};

// Authorization: Bearer <token>. Not applicable when there is no Authorization header.
class BearerEngine final : public Engine {
 public:
  explicit BearerEngine(const services::TokenService& tokens) : tokens_(tokens) {}
  Decision authenticate(const Presented& presented) override;

 private:
  const services::TokenService& tokens_;
};

// The session cookie of the web UI. State-changing methods must also carry the session's
// CSRF token in X-CSRF-Token.
class SessionEngine final : public Engine {
 public:
  explicit SessionEngine(services::AccountService& accounts) : accounts_(accounts) {}
  Decision authenticate(const Presented& presented) override;

 private:
  services::AccountService& accounts_;
};

class Strategy {
 public:
  explicit Strategy(std::vector<Engine*> engines) : engines_(std::move(engines)) {}
  // The first granted engine wins; a rejection stops; nobody applicable → unauthenticated.
  core::Result<Principal> authenticate(const Presented& presented) const;

 private:
  std::vector<Engine*> engines_;
};

// Splits "Bearer <token>" (scheme case-insensitive). nullopt when malformed.
std::optional<std::string_view> parseBearer(std::string_view authorization);

bool isSafeMethod(std::string_view method);

// 403 insufficient_scope naming the missing scope.
core::Status requireScope(const services::TokenClaims& claims, core::Scope scope);

}  // namespace keygate::auth
