// Keygate's configuration: a TOML file, then KEYGATE_* environment overrides, then validation.
// One schema table in config.cpp drives both sources, so every key a file accepts has exactly
// one environment variable and vice versa. Unknown keys and variables are errors: a typo must
// not silently fall back to a default. Depends on core only (toml++ stays in config.cpp).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/error.h"

namespace keygate::app {

struct Config {
  struct Server {
    std::string address = "127.0.0.1";
    int port = 8080;  // 0 = any free port (tests)
    int threads = 2;
    int max_connections = 1024;
    int max_header_bytes = 16384;
    int max_body_bytes = 65536;
    int read_timeout_ms = 10000;
    int idle_timeout_ms = 60000;
    int shutdown_grace_ms = 10000;
    std::string public_url = "";  // e.g. "https://keygate.example.com"; empty = derived
    bool trust_proxy = false;     // honour X-Forwarded-For / X-Forwarded-Proto
    bool operator==(const Server&) const = default;
  } server;
  struct Storage {
    std::string data_dir = "data";
    std::string database = "";  // "sqlite:PATH" or a bare path; empty = <data_dir>/keygate.db
    bool operator==(const Storage&) const = default;
  } storage;
  struct Secrets {
    std::string master_key_file = "";  // empty = <data_dir>/master.key
    std::vector<std::string> retired_key_files;
    bool operator==(const Secrets&) const = default;
  } secrets;
  struct Mail {
    std::string transport = "outbox";  // outbox | smtp
    std::string from = "Keygate <no-reply@keygate.local>";
    std::string outbox_dir = "";  // empty = <data_dir>/outbox
    struct Smtp {
      std::string url = "";  // smtp://host:port or smtps://host:port
      std::string username = "";
      std::string password = "";
      std::string tls = "starttls";  // off | starttls | starttls_if_available
      int timeout_seconds = 10;
      bool verify_peer = true;
      bool operator==(const Smtp&) const = default;
    } smtp;
    bool operator==(const Mail&) const = default;
  } mail;
  struct Security {
    int session_idle_minutes = 30;
    int session_absolute_hours = 12;
    int token_ttl_seconds = 3600;
    int login_max_failures = 5;
    int login_window_seconds = 900;
    int token_max_failures = 10;
    int token_window_seconds = 300;
    int view_code_ttl_seconds = 600;
    int view_code_max_tries = 5;
    int view_code_resend_seconds = 60;
    int view_code_max_per_hour = 5;
    std::string password_cost = "interactive";  // interactive | minimum (tests only)
    bool cookie_secure = false;
    bool operator==(const Security&) const = default;
  } security;
  struct Log {
    std::string level = "info";   // trace | debug | info | warn | error | critical | off
    std::string format = "json";  // json | text
    bool operator==(const Log&) const = default;
  } log;
  struct Limits {
    double per_ip_rate = 1.0;  // requests per second per client IP on API calls; 0 = off
    int per_ip_burst = 5;
    int daily_quota_core = 500;  // calls per organization and UTC day, by API tier
    int daily_quota_professional = 4000;
    int daily_quota_enterprise = 10000;
    int max_tracked_ips = 100000;
    bool operator==(const Limits&) const = default;
  } limits;
  struct Demo {
    bool enabled = false;
    bool operator==(const Demo&) const = default;
  } demo;
  struct Test {
    bool clock_control = false;  // test configuration only
    bool operator==(const Test&) const = default;
  } test;
  bool operator==(const Config&) const = default;
};

// Loads `path` (may be empty = defaults only), then applies environment overrides, then
// validates. Errors have code core::Errc::kInvalidParameter, `field` set to the key path when
// one key is at fault, and a message an operator can act on, e.g.
//   "unknown configuration key 'server.prot' in /etc/keygate.toml (line 3)"
//   "configuration key 'server.port' must be an integer (/etc/keygate.toml line 2)"
//   "configuration key 'mail.transport' must be one of: outbox, smtp (environment variable
//    KEYGATE_MAIL_TRANSPORT)"
//   "unknown environment variable KEYGATE_SERVER_PROT"
// Messages never contain configured values, which may be secrets.
// Entries of `environment` that do not start with KEYGATE_ are ignored, as is KEYGATE_CONFIG
// (the configuration file path, consumed by the command line).
core::Result<Config> loadConfig(const std::string& path,
                                const std::map<std::string, std::string>& environment);

// The KEYGATE_* variables of this process.
std::map<std::string, std::string> currentEnvironment();

// Every configuration key as a dotted path ("mail.smtp.url"), in schema order.
std::vector<std::string> configKeys();
// The environment variable overriding a key: "mail.smtp.url" -> "KEYGATE_MAIL_SMTP_URL".
std::string environmentVariableFor(const std::string& key);

// Effective paths once defaults are resolved against storage.data_dir. Relative paths stay
// relative to the working directory, like data_dir itself.
std::string databasePath(const Config& config);  // a filesystem path for sqlite
std::string masterKeyPath(const Config& config);
std::string outboxDir(const Config& config);

}  // namespace keygate::app
