#include "app/application.h"

#include <filesystem>
#include <stdexcept>

#include "api/api.h"
#include "app/logging.h"
#include "mail/outbox_mailer.h"
#include "mail/smtp_mailer.h"
#include "storage/sqlite/sqlite_store.h"

namespace keygate::app {
namespace {

services::Settings settingsFrom(const Config& c) {
  services::Settings s;
  s.session_idle = c.security.session_idle_minutes * 60LL;
  s.session_absolute = c.security.session_absolute_hours * 3600LL;
  s.token_ttl = c.security.token_ttl_seconds;
  s.login_max_failures = c.security.login_max_failures;
  s.login_max_failures_per_ip = c.security.login_max_failures * 4;
  s.login_window = c.security.login_window_seconds;
  s.token_max_failures = c.security.token_max_failures;
  s.token_max_failures_per_ip = c.security.token_max_failures * 3;
  s.token_window = c.security.token_window_seconds;
  s.view_code_ttl = c.security.view_code_ttl_seconds;
  s.view_code_max_tries = c.security.view_code_max_tries;
  s.view_code_resend = c.security.view_code_resend_seconds;
  s.view_code_max_per_hour = c.security.view_code_max_per_hour;
  s.password_cost = c.security.password_cost == "minimum" ? crypto::PasswordCost::kMinimum
                                                          : crypto::PasswordCost::kInteractive;
  s.mail_from = c.mail.from;
  return s;
}

services::RateLimitSettings rateLimitsFrom(const Config::Limits& limits) {
  services::RateLimitSettings s;
  s.per_ip_rate = limits.per_ip_rate;
  s.per_ip_burst = limits.per_ip_burst;
  s.daily_quota_core = limits.daily_quota_core;
  s.daily_quota_professional = limits.daily_quota_professional;
  s.daily_quota_enterprise = limits.daily_quota_enterprise;
  s.max_tracked_ips = static_cast<std::size_t>(limits.max_tracked_ips);
  return s;
}

mail::SmtpOptions smtpOptionsFrom(const Config::Mail::Smtp& smtp) {
  mail::SmtpOptions o;
  o.url = smtp.url;
  o.username = smtp.username;
  o.password = smtp.password;
  o.tls = smtp.tls == "off"        ? mail::SmtpOptions::Tls::kOff
          : smtp.tls == "starttls" ? mail::SmtpOptions::Tls::kStartTlsRequired
                                   : mail::SmtpOptions::Tls::kStartTlsIfAvailable;
  o.timeout_seconds = smtp.timeout_seconds;
  o.verify_peer = smtp.verify_peer;
  return o;
}

}  // namespace

Application::Application(Config config) : config_(std::move(config)) {}

Application::~Application() {
  stop();
}

core::Result<std::unique_ptr<Application>> Application::create(const Config& config) {
  crypto::initialize();
  std::unique_ptr<Application> app(new Application(config));
  app->clock_ = &app->system_clock_;
  if (config.test.clock_control) {
    app->test_clock_ = std::make_unique<core::OffsetClock>(app->system_clock_);
    app->clock_ = app->test_clock_.get();
  }

  // The data directory holds the database (hashes, ciphertexts, sessions) and usually the
  // master key: private to the service account.
  std::error_code ec;
  const bool created = std::filesystem::create_directories(config.storage.data_dir, ec);
  if (ec)
    return core::makeError(
        core::Errc::kInternal,
        "cannot create the data directory '" + config.storage.data_dir + "': " + ec.message());
  if (created)
    std::filesystem::permissions(config.storage.data_dir, std::filesystem::perms::owner_all,
                                 std::filesystem::perm_options::replace, ec);

  KG_ASSIGN_OR_RETURN(auto keyring,
                      crypto::Keyring::openOrCreate(masterKeyPath(config), app->random_));
  app->keyring_ = std::make_unique<crypto::Keyring>(std::move(keyring));
  for (const auto& retired : config.secrets.retired_key_files)
    KG_TRY(app->keyring_->addRetiredKeyFile(retired));

  storage::sqlite::SqliteStore::Options store_options;
  store_options.migrate = true;
  KG_ASSIGN_OR_RETURN(auto store,
                      storage::sqlite::SqliteStore::open(databasePath(config), store_options));
  app->store_ = std::move(store);

  if (config.mail.transport == "smtp") {
    app->mailer_ = std::make_unique<mail::SmtpMailer>(smtpOptionsFrom(config.mail.smtp),
                                                      *app->clock_, app->random_);
  } else {
    app->mailer_ =
        std::make_unique<mail::OutboxMailer>(outboxDir(config), *app->clock_, app->random_);
  }

  app->settings_ = settingsFrom(config);
  app->events_ = std::make_unique<services::EventLog>(*app->clock_);
  KG_TRY(app->status_view_.load(*app->store_));
  app->accounts_ = std::make_unique<services::AccountService>(
      *app->store_, *app->clock_, app->random_, *app->keyring_, *app->events_, app->settings_);
  app->keys_ = std::make_unique<services::KeyService>(*app->store_, *app->clock_, app->random_,
                                                      *app->keyring_, *app->mailer_, *app->events_,
                                                      app->status_view_, app->settings_);
  app->tokens_ = std::make_unique<services::TokenService>(*app->store_, *app->clock_, app->random_,
                                                          *app->keyring_, *app->events_,
                                                          app->status_view_, app->settings_);

  services::raas::EngineOptions raas_options;
  raas_options.results_dir = std::filesystem::path(config.storage.data_dir) / "raas";
  app->raas_engine_ =
      std::make_unique<services::raas::RunEngine>(*app->store_, *app->clock_, raas_options);
  app->raas_ =
      std::make_unique<services::raas::RaasService>(*app->store_, *app->clock_, *app->raas_engine_);

  // The limiter knows every organization's tier without a database read per call: loaded
  // now, kept current by the accounts service after each change.
  app->rate_limiter_ = std::make_unique<services::RateLimiter>(
      *app->clock_, rateLimitsFrom(config.limits), app->store_.get());
  KG_TRY(app->rate_limiter_->loadTiers());
  app->accounts_->addOrganizationObserver(
      [limiter = app->rate_limiter_.get()](const core::Organization& org) {
        limiter->setTier(org.id, org.api_tier);
      });

  app->supplier_reads_ = std::make_unique<services::supplier::SupplierReadService>(*app->store_);
  app->workers_ = std::make_unique<services::supplier::WorkerService>(*app->store_, *app->clock_);
  app->timecards_ =
      std::make_unique<services::supplier::TimecardService>(*app->store_, *app->clock_);
  app->candidate_insights_ =
      std::make_unique<services::supplier::CandidateInsightService>(*app->store_, *app->clock_);
  app->supplier_api_ = std::make_unique<api::SupplierServices>(api::SupplierServices{
      *app->supplier_reads_, *app->workers_, *app->timecards_, *app->candidate_insights_});

  api::ApiOptions api_options;
  api_options.public_url = config.server.public_url;
  api_options.cookie_secure = config.security.cookie_secure;
  api_options.session_cookie_max_age = app->settings_.session_absolute;
  api_options.trust_proxy = config.server.trust_proxy;
  api_options.test_clock = app->test_clock_.get();
  api_options.rate_limiter = app->rate_limiter_.get();
  if (config.demo.enabled && config.mail.transport == "outbox")
    api_options.demo_outbox_dir = outboxDir(config);
  api::registerRoutes(
      app->router_,
      api::ApiServices{*app->store_, *app->accounts_, *app->keys_, *app->tokens_, app->metrics_,
                       *app->clock_, app->supplier_api_.get(), app->raas_.get()},
      api_options);
  app->metrics_.addCollector([app = app.get()](std::string& out) {
    out += "# HELP keygate_credentials_loaded Credentials in the in-memory status view.\n";
    out += "# TYPE keygate_credentials_loaded gauge\n";
    out += "keygate_credentials_loaded " + std::to_string(app->status_view_.size()) + "\n";
  });
  return app;
}

void Application::start() {
  http::ServerOptions options;
  options.address = config_.server.address;
  options.port = static_cast<unsigned short>(config_.server.port);
  options.threads = config_.server.threads;
  options.max_connections = config_.server.max_connections;
  options.max_header_bytes = static_cast<std::size_t>(config_.server.max_header_bytes);
  options.max_body_bytes = static_cast<std::size_t>(config_.server.max_body_bytes);
  options.read_timeout = std::chrono::milliseconds(config_.server.read_timeout_ms);
  options.idle_timeout = std::chrono::milliseconds(config_.server.idle_timeout_ms);
  options.shutdown_grace = std::chrono::milliseconds(config_.server.shutdown_grace_ms);
  // Runs a previous process left running are queued again before any worker starts.
  if (auto recovered = raas_engine_->recover(); !recovered)
    throw std::runtime_error(recovered.error().message + " " + recovered.error().detail);
  server_ = std::make_unique<http::Server>(options, router_, metrics_);
  server_->start();
  raas_engine_->start();
  maintenance_ = std::thread([this] { maintenanceLoop(); });
  logEvent(LogLevel::kInfo, "listening",
           {{"address", config_.server.address}, {"port", std::to_string(server_->port())}});
}

unsigned short Application::port() const {
  return server_ ? server_->port() : 0;
}

void Application::stopOnSignals() {
  if (server_) server_->stopOnSignals();
}

void Application::wait() {
  if (server_) server_->wait();
}

void Application::stop() {
  {
    std::lock_guard lock(maintenance_mutex_);
    stopping_ = true;
  }
  maintenance_wake_.notify_all();
  if (server_) server_->stop();
  // After the server: no new run is requested while the workers put theirs back in the queue.
  if (raas_engine_) raas_engine_->stop();
  if (maintenance_.joinable()) maintenance_.join();
}

void Application::maintenanceLoop() {
  std::unique_lock lock(maintenance_mutex_);
  while (!stopping_) {
    lock.unlock();
    if (auto expired = keys_->recordExpirations(); !expired) {
      logEvent(LogLevel::kError, "recording key expirations failed",
               {{"detail", expired.error().detail}});
    } else if (*expired > 0) {
      logEvent(LogLevel::kInfo, "keys expired", {{"count", std::to_string(*expired)}});
    }
    if (auto reminders = keys_->sendExpiryReminders(); !reminders) {
      logEvent(LogLevel::kError, "sending expiry reminders failed",
               {{"detail", reminders.error().detail}});
    } else if (reminders->sent > 0 || reminders->failed > 0) {
      logEvent(LogLevel::kInfo, "expiry reminders",
               {{"sent", std::to_string(reminders->sent)},
                {"failed", std::to_string(reminders->failed)}});
    }
    // Tier changes made outside this process (the admin CLI, another node) reach the rate
    // limiter here; changes made through this process reach it at once.
    if (auto tiers = rate_limiter_->loadTiers(); !tiers)
      logEvent(LogLevel::kError, "reloading API tiers failed", {{"detail", tiers.error().detail}});
    if (auto purged = accounts_->purgeSessions(); !purged)
      logEvent(LogLevel::kError, "purging sessions failed", {{"detail", purged.error().detail}});
    if (auto purged = raas_engine_->purgeExpired(); !purged) {
      logEvent(LogLevel::kError, "purging expired report runs failed",
               {{"detail", purged.error().detail}});
    } else if (*purged > 0) {
      logEvent(LogLevel::kInfo, "expired report runs purged", {{"count", std::to_string(*purged)}});
    }
    lock.lock();
    maintenance_wake_.wait_for(lock, std::chrono::seconds(30), [this] { return stopping_; });
  }
}

}  // namespace keygate::app
