// Wiring: builds every component from the configuration (the one place that chooses
// implementations — SQLite from the database URL, outbox or SMTP mail, the real or the
// test-controllable clock) and runs the server with its background maintenance.
#pragma once

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

#include "api/api.h"
#include "app/config.h"
#include "core/clock.h"
#include "crypto/crypto.h"
#include "crypto/keyring.h"
#include "http/metrics.h"
#include "http/router.h"
#include "http/server.h"
#include "mail/mailer.h"
#include "services/accounts.h"
#include "services/credential_status_view.h"
#include "services/event_log.h"
#include "services/keys.h"
#include "services/raas/raas_service.h"
#include "services/raas/run_engine.h"
#include "services/rate_limits.h"
#include "services/settings.h"
#include "services/supplier/candidate_insights.h"
#include "services/supplier/supplier_reads.h"
#include "services/supplier/timecards.h"
#include "services/supplier/workers.h"
#include "services/tokens.h"
#include "storage/repositories.h"

namespace keygate::app {

class Application {
 public:
  // Opens (and migrates) the database, loads the master key, builds the services. Fatal
  // problems (unreadable key file, bad permissions, database errors) come back as an Error
  // whose message an operator can act on.
  static core::Result<std::unique_ptr<Application>> create(const Config& config);
  ~Application();

  // Serving: start() returns once the port is bound; stop() is graceful.
  void start();
  unsigned short port() const;
  void stop();
  void wait();
  void stopOnSignals();

  const Config& config() const { return config_; }
  storage::Store& store() { return *store_; }
  services::AccountService& accounts() { return *accounts_; }
  services::KeyService& keys() { return *keys_; }
  services::TokenService& tokens() { return *tokens_; }
  services::raas::RaasService& raas() { return *raas_; }
  services::raas::RunEngine& raasEngine() { return *raas_engine_; }
  services::supplier::TimecardService& timecards() { return *timecards_; }
  const services::EventLog& events() const { return *events_; }
  const core::Clock& clock() const { return *clock_; }
  // Non-null only when test.clock_control is on.
  core::OffsetClock* testClock() { return test_clock_.get(); }

 private:
  explicit Application(Config config);
  void maintenanceLoop();

  Config config_;
  core::SystemClock system_clock_;
  std::unique_ptr<core::OffsetClock> test_clock_;
  const core::Clock* clock_ = nullptr;
  crypto::SodiumRandom random_;
  std::unique_ptr<crypto::Keyring> keyring_;
  std::unique_ptr<storage::Store> store_;
  std::unique_ptr<mail::Mailer> mailer_;
  services::Settings settings_;
  std::unique_ptr<services::EventLog> events_;
  services::CredentialStatusView status_view_;
  std::unique_ptr<services::AccountService> accounts_;
  std::unique_ptr<services::KeyService> keys_;
  std::unique_ptr<services::TokenService> tokens_;
  // Report runs: the engine's workers start with the server, never for a CLI command.
  std::unique_ptr<services::raas::RunEngine> raas_engine_;
  std::unique_ptr<services::raas::RaasService> raas_;
  std::unique_ptr<services::supplier::SupplierReadService> supplier_reads_;
  std::unique_ptr<services::supplier::WorkerService> workers_;
  std::unique_ptr<services::supplier::TimecardService> timecards_;
  std::unique_ptr<services::supplier::CandidateInsightService> candidate_insights_;
  std::unique_ptr<api::SupplierServices> supplier_api_;
  std::unique_ptr<services::RateLimiter> rate_limiter_;
  http::Metrics metrics_;
  http::Router router_;
  std::unique_ptr<http::Server> server_;

  std::thread maintenance_;
  std::mutex maintenance_mutex_;
  std::condition_variable maintenance_wake_;
  bool stopping_ = false;
};

}  // namespace keygate::app
