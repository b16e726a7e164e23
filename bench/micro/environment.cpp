// Builds the shared benchmark environment (see environment.h) through the services' public
// entry points, exactly as a user would: create an organization and a key holder, generate a
// key, exchange it for a bearer token, request a view code.
#include "environment.h"

#include <cstdio>
#include <cstdlib>
#include <system_error>
#include <utility>

namespace keygate::bench {
namespace {

std::string describe(const core::Error& e) {
  return e.detail.empty() ? e.message : e.message + " (" + e.detail + ")";
}

template <class T>
T take(core::Result<T> result, std::string_view what) {
  if (!result) require(false, std::string(what) + ": " + describe(result.error()));
  return std::move(*result);
}

void check(const core::Status& status, std::string_view what) {
  if (!status) require(false, std::string(what) + ": " + describe(status.error()));
}

std::filesystem::path makeTempDir() {
  std::string pattern =
      (std::filesystem::temp_directory_path() / "keygate-microbench-XXXXXX").string();
  require(::mkdtemp(pattern.data()) != nullptr,
          "cannot create a temp dir in " + std::filesystem::temp_directory_path().string());
  return pattern;
}

}  // namespace

void require(bool ok, std::string_view what) {
  if (ok) return;
  std::fprintf(stderr, "keygate_microbench: set-up check failed: %.*s\n",
               static_cast<int>(what.size()), what.data());
  std::abort();
}

core::Status CapturingMailer::send(const mail::Message& message) {
  sent.push_back(message);
  return core::ok();
}

Environment& Environment::get() {
  static const std::unique_ptr<Environment> environment = [] {
    crypto::initialize();
    auto dir = makeTempDir();
    crypto::SodiumRandom random;
    auto keyring = take(crypto::Keyring::openOrCreate(dir / "keys" / "master.key", random),
                        "generate the master key");
    return std::unique_ptr<Environment>(new Environment(dir, std::move(keyring)));
  }();
  return *environment;
}

Environment::Environment(std::filesystem::path temp_dir, crypto::Keyring opened_keyring)
    : dir(std::move(temp_dir)), keyring(std::move(opened_keyring)) {
  settings.password_cost = crypto::PasswordCost::kMinimum;  // set-up only: one user is created
  storage::sqlite::SqliteStore::Options options;
  options.migrate = true;
  store = take(storage::sqlite::SqliteStore::open((dir / "keygate.db").string(), options),
               "open the SQLite store");
  events = std::make_unique<services::EventLog>(clock);
  accounts =
      std::make_unique<services::AccountService>(*store, clock, random, keyring, *events, settings);
  keys = std::make_unique<services::KeyService>(*store, clock, random, keyring, mailer, *events,
                                                status_view, settings);
  tokens = std::make_unique<services::TokenService>(*store, clock, random, keyring, *events,
                                                    status_view, settings);
  check(status_view.load(*store), "load the credential status view");

  const core::RequestContext context{"203.0.113.7", "keygate-microbench/1.0", "bench-1"};
  auto org = take(
      accounts->createOrganization({"Bench Staffing", core::OrgType::kSupplier,
                                    core::LoginMethod::kBasic, std::nullopt, core::ApiTier::kCore}),
      "create the organization");
  auto user = take(accounts->createUser({org.id, "bench.holder", "bench.holder@example.com",
                                         "Bench Holder", core::Role::kSupplierUser, core::kPermRaas,
                                         "correct horse battery staple"}),
                   "create the key holder");
  holder.user = user;
  holder.org = org;
  holder.session.user_id = user.id;
  holder.session.login_user_id = user.id;
  holder.session.totp_verified = true;
  holder.second_factor_ok = true;

  auto generated =
      take(keys->generate(holder, {"microbenchmark", std::nullopt, {}}, context), "generate a key");
  client_secret = generated.client_secret;
  std::optional<core::Credential> stored;
  check(store->read([&](storage::Repositories& repos) -> core::Status {
    KG_ASSIGN_OR_RETURN(stored, repos.credentials.findById(generated.credential.id));
    return core::ok();
  }),
        "read the generated key back");
  require(stored.has_value(), "the generated key is not in the database");
  credential = *stored;

  auto issued = take(tokens->issue(credential.id, credential.client_key, client_secret, context),
                     "issue a bearer token");
  access_token = issued.access_token;

  take(keys->requestViewCode(holder, credential.id, context), "request a view code");
  require(!mailer.sent.empty(), "no view-code mail was sent");
  // The code is the one run of exactly eight digits in the mail body.
  const std::string& body = mailer.sent.back().text_body;
  for (std::size_t i = 0; i < body.size() && view_code.empty();) {
    std::size_t j = i;
    while (j < body.size() && body[j] >= '0' && body[j] <= '9') ++j;
    if (j - i == 8) view_code = body.substr(i, 8);
    i = j == i ? i + 1 : j;
  }
  require(view_code.size() == 8, "no 8-digit code in the view-code mail");
  std::optional<core::ViewCode> latest;
  check(store->read([&](storage::Repositories& repos) -> core::Status {
    KG_ASSIGN_OR_RETURN(latest, repos.view_codes.latest(credential.id));
    return core::ok();
  }),
        "read the view code back");
  require(latest && latest->state == core::ViewCodeState::kActive, "no active view code stored");
  view_code_hash = latest->code_hash;
}

Environment::~Environment() {
  // Close the database before removing its directory.
  tokens.reset();
  keys.reset();
  accounts.reset();
  events.reset();
  store.reset();
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
}

}  // namespace keygate::bench
