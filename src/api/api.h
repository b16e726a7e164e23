// The HTTP surfaces of Keygate: thin handlers that parse and validate, call one service
// function, and render. Routes are registered on an http::Router by app/.
#pragma once

#include <string>

#include "core/clock.h"
#include "http/metrics.h"
#include "http/router.h"
#include "services/accounts.h"
#include "services/keys.h"
#include "services/raas/raas_service.h"
#include "services/rate_limits.h"
#include "services/supplier/candidate_insights.h"
#include "services/supplier/supplier_reads.h"
#include "services/supplier/timecards.h"
#include "services/supplier/workers.h"
#include "services/tokens.h"
#include "storage/repositories.h"

namespace keygate::api {

struct ApiOptions {
  bool cookie_secure = false;  // add Secure to cookies (under TLS)
  core::Seconds session_cookie_max_age = 12 * 3600;
  bool trust_proxy = false;                 // take the client IP from X-Forwarded-For
  core::OffsetClock* test_clock = nullptr;  // test configuration only: clock control route
  // Non-empty on a demo server that writes mail to this outbox: the UI's demo mailbox page.
  std::string demo_outbox_dir;
  // API rate limits applied by Handlers::withToken; null: no limits.
  services::RateLimiter* rate_limiter = nullptr;
  // server.public_url: the base of absolute links (paging `next`, Location); empty = the
  // request's Host header.
  std::string public_url;
};

// The Supplier API's use cases (DESIGN §4.2).
struct SupplierServices {
  services::supplier::SupplierReadService& reads;
  services::supplier::WorkerService& workers;
  services::supplier::TimecardService& timecards;
  services::supplier::CandidateInsightService& candidate_insights;
};

struct ApiServices {
  storage::Store& store;
  services::AccountService& accounts;
  services::KeyService& keys;
  services::TokenService& tokens;
  http::Metrics& metrics;
  const core::Clock& clock;
  SupplierServices* supplier = nullptr;         // null: no /supplier/v1 routes
  services::raas::RaasService* raas = nullptr;  // null: no RaaS routes
};

void registerRoutes(http::Router& router, ApiServices services, ApiOptions options);

}  // namespace keygate::api
