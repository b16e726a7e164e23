// The HTTP surfaces of Keygate: thin handlers that parse and validate, call one service
// function, and render. Routes are registered on an http::Router by app/.
#pragma once

#include <string>

#include "core/clock.h"
#include "http/metrics.h"
#include "http/router.h"
#include "services/accounts.h"
#include "services/keys.h"
#include "services/tokens.h"
#include "storage/repositories.h"

namespace keygate::api {

struct ApiOptions {
  bool cookie_secure = false;               // add Secure to cookies (under TLS)
  core::Seconds session_cookie_max_age = 12 * 3600;
  bool trust_proxy = false;                 // take the client IP from X-Forwarded-For
  core::OffsetClock* test_clock = nullptr;  // test configuration only: clock control route
};

struct ApiServices {
  storage::Store& store;
  services::AccountService& accounts;
  services::KeyService& keys;
  services::TokenService& tokens;
  http::Metrics& metrics;
  const core::Clock& clock;
};

void registerRoutes(http::Router& router, ApiServices services, ApiOptions options);

}  // namespace keygate::api
