// The shared set-up of the microbenchmarks: the real services wired as in app/, over a real
// keyring (a master key generated into a temp dir) and a real SQLite database file in the same
// dir, with one organization, one key holder, one generated key and one issued bearer token.
// Built once, on first use, outside every timed loop; the temp dir is removed at exit.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/model.h"
#include "crypto/crypto.h"
#include "crypto/keyring.h"
#include "mail/mailer.h"
#include "services/accounts.h"
#include "services/credential_status_view.h"
#include "services/event_log.h"
#include "services/keys.h"
#include "services/settings.h"
#include "services/tokens.h"
#include "storage/sqlite/sqlite_store.h"

namespace keygate::bench {

// Prints `what` and aborts when `ok` is false: a broken set-up must never print fast nonsense.
void require(bool ok, std::string_view what);

// Keeps the messages a service sends, so the benchmark can read an emailed view code. Mail
// delivery is not what any benchmark measures.
class CapturingMailer final : public mail::Mailer {
 public:
  core::Status send(const mail::Message& message) override;
  std::vector<mail::Message> sent;
};

class Environment {
 public:
  // The one environment of this process, built on first call.
  static Environment& get();

  ~Environment();
  Environment(const Environment&) = delete;
  Environment& operator=(const Environment&) = delete;

  // A fixed time, so tokens and codes issued in set-up never expire during a run.
  static constexpr core::Seconds kNow = 1790000000;  // 2026-09-21T14:13:20Z

  std::filesystem::path dir;
  core::FakeClock clock{kNow};
  crypto::SodiumRandom random;
  crypto::Keyring keyring;
  services::Settings settings;
  CapturingMailer mailer;
  std::unique_ptr<storage::sqlite::SqliteStore> store;
  std::unique_ptr<services::EventLog> events;
  services::CredentialStatusView status_view;
  std::unique_ptr<services::AccountService> accounts;
  std::unique_ptr<services::KeyService> keys;
  std::unique_ptr<services::TokenService> tokens;

  services::Actor holder;       // a supplier user of a basic-auth organization
  core::Credential credential;  // as stored (with secret_hash) after generation
  std::string client_secret;    // shown once at generation
  std::string access_token;     // issued for `credential` through TokenService::issue
  std::string view_code;        // the 8 digits mailed by KeyService::requestViewCode
  std::string view_code_hash;   // as stored by KeyService in view_codes

 private:
  Environment(std::filesystem::path temp_dir, crypto::Keyring opened_keyring);
};

}  // namespace keygate::bench
