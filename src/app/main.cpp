// The keygate command line: serve, migrate, seed-demo, admin subcommands and audit verify.
#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

#include "app/application.h"
#include "app/config.h"
#include "app/demo_seed.h"
#include "app/logging.h"
#include "core/key_rules.h"
#include "core/scopes.h"

namespace {

using keygate::app::Application;
using keygate::app::Config;

int fail(const std::string& message) {
  std::cerr << "keygate: " << message << "\n";
  return 1;
}

int failWith(const keygate::core::Error& error) {
  std::string text = error.message;
  if (!error.detail.empty()) text += " (" + error.detail + ")";
  return fail(text);
}

struct Options {
  std::string config_path;
  bool demo = false;
  // admin org
  std::string org_name, org_type = "supplier", login_method, api_tier;
  int key_lifetime = 0;
  // admin user
  std::string username, email, display_name, role = "supplier_user", link_with;
  bool report_admin = false, no_raas = false;
  std::string cost_centers;  // admin user cost-centers --set
  bool set_cost_centers = false;
  // admin keys
  long long credential_key = 0;
  // seed-demo
  long long scale = 0;
  std::string reason;
};

keygate::core::Result<Config> loadConfiguration(const Options& options) {
  std::string path = options.config_path;
  if (path.empty())
    if (const char* env = std::getenv("KEYGATE_CONFIG")) path = env;
  return keygate::app::loadConfig(path, keygate::app::currentEnvironment());
}

keygate::core::Result<std::unique_ptr<Application>> openApplication(const Options& options,
                                                                    bool serving) {
  KG_ASSIGN_OR_RETURN(auto config, loadConfiguration(options));
  if (options.demo) config.demo.enabled = true;
  if (!serving) config.log.level = "warn";
  keygate::app::setupLogging(config.log);
  return Application::create(config);
}

void printDemoLogins(const std::vector<keygate::app::DemoLogin>& logins) {
  std::printf("Demo logins (password \"%s\" for every one):\n",
              std::string(keygate::app::kDemoPassword).c_str());
  for (const auto& l : logins)
    std::printf("  %-16s %-20s %s\n", l.username.c_str(), l.organization.c_str(), l.what.c_str());
}

int serve(const Options& options) {
  auto app = openApplication(options, true);
  if (!app) return failWith(app.error());
  auto& a = **app;
  std::optional<std::vector<keygate::app::DemoLogin>> logins;
  if (a.config().demo.enabled) {
    auto seeded = keygate::app::seedDemo(a.accounts());
    if (!seeded) return failWith(seeded.error());
    logins = *seeded;
    auto supplier_data = keygate::app::seedSupplierDemo(a.store(), a.clock());
    if (!supplier_data) return failWith(supplier_data.error());
  }
  try {
    a.start();
  } catch (const std::exception& e) {
    return fail(e.what());
  }
  a.stopOnSignals();
  std::string url = a.config().server.public_url;
  if (url.empty()) url = "http://" + a.config().server.address + ":" + std::to_string(a.port());
  std::printf("Keygate is running at %s\n", url.c_str());
  if (logins) {
    printDemoLogins(*logins);
    std::printf("Mail is written to %s\n", keygate::app::outboxDir(a.config()).c_str());
  }
  std::fflush(stdout);
  a.wait();
  a.stop();
  keygate::app::logEvent(keygate::app::LogLevel::kInfo, "stopped");
  return 0;
}

int migrate(const Options& options) {
  auto app = openApplication(options, false);  // opening migrates
  if (!app) return failWith(app.error());
  std::printf("database is up to date: %s\n", keygate::app::databasePath((*app)->config()).c_str());
  return 0;
}

int seedDemo(const Options& options) {
  auto app = openApplication(options, false);
  if (!app) return failWith(app.error());
  auto seeded = keygate::app::seedDemo((*app)->accounts());
  if (!seeded) return failWith(seeded.error());
  auto supplier_data = keygate::app::seedSupplierDemo((*app)->store(), (*app)->clock());
  if (!supplier_data) return failWith(supplier_data.error());
  printDemoLogins(*seeded);
  if (supplier_data->created)
    std::printf(
        "Supplier API demo data: %lld engagements, %lld timecards, %lld billing items, "
        "%lld invoices\n",
        static_cast<long long>(supplier_data->engagements),
        static_cast<long long>(supplier_data->timecards),
        static_cast<long long>(supplier_data->billing_items),
        static_cast<long long>(supplier_data->invoices));
  if (options.scale > 0) {
    const auto started = std::chrono::steady_clock::now();
    auto scaled = keygate::app::seedScale(
        (*app)->store(), (*app)->clock(), options.scale, [&](std::int64_t done) {
          if (done % 1000 == 0 || done == options.scale) {
            std::printf("  %lld of %lld engagements written\n", static_cast<long long>(done),
                        options.scale);
            std::fflush(stdout);
          }
        });
    if (!scaled) return failWith(scaled.error());
    const auto seconds =
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - started)
            .count();
    std::printf(
        "Benchmark data for Benchmark Unlimited: %lld engagements, %lld timecards, "
        "%lld billing items, %lld invoices in %lld s\n",
        static_cast<long long>(scaled->engagements), static_cast<long long>(scaled->timecards),
        static_cast<long long>(scaled->billing_items), static_cast<long long>(scaled->invoices),
        static_cast<long long>(seconds));
  }
  return 0;
}

keygate::core::Result<keygate::core::Organization> findOrg(Application& app,
                                                           const std::string& name) {
  KG_ASSIGN_OR_RETURN(auto org, app.accounts().findOrganization(name));
  if (!org)
    return keygate::core::makeError(keygate::core::Errc::kNotFound,
                                    "no organization named '" + name + "'");
  return *org;
}

keygate::core::Result<keygate::core::User> findUser(Application& app, const std::string& name) {
  KG_ASSIGN_OR_RETURN(auto user, app.accounts().findUser(name));
  if (!user)
    return keygate::core::makeError(keygate::core::Errc::kNotFound, "no user named '" + name + "'");
  return *user;
}

int orgCreate(const Options& o) {
  auto app = openApplication(o, false);
  if (!app) return failWith(app.error());
  keygate::services::NewOrganization input;
  input.name = o.org_name;
  auto type = keygate::core::parseOrgType(o.org_type);
  if (!type) return fail("--type must be client, supplier or msp");
  input.type = *type;
  if (!o.login_method.empty()) {
    auto m = keygate::core::parseLoginMethod(o.login_method);
    if (!m) return fail("--login-method must be basic, two_factor or sso");
    input.login_method = *m;
  }
  if (o.key_lifetime) input.key_lifetime_days = o.key_lifetime;
  if (!o.api_tier.empty()) {
    auto t = keygate::core::parseApiTier(o.api_tier);
    if (!t) return fail("--api-tier must be core, professional, enterprise or unlimited");
    input.api_tier = *t;
  }
  auto org = (*app)->accounts().createOrganization(input);
  if (!org) return failWith(org.error());
  std::printf("created organization %lld '%s'\n", static_cast<long long>(org->id),
              org->name.c_str());
  return 0;
}

int orgSet(const Options& o) {
  auto app = openApplication(o, false);
  if (!app) return failWith(app.error());
  auto org = findOrg(**app, o.org_name);
  if (!org) return failWith(org.error());
  keygate::services::OrganizationChanges changes;
  if (!o.login_method.empty()) {
    changes.login_method = keygate::core::parseLoginMethod(o.login_method);
    if (!changes.login_method) return fail("--login-method must be basic, two_factor or sso");
  }
  if (o.key_lifetime) changes.key_lifetime_days = o.key_lifetime;
  if (!o.api_tier.empty()) {
    changes.api_tier = keygate::core::parseApiTier(o.api_tier);
    if (!changes.api_tier)
      return fail("--api-tier must be core, professional, enterprise or unlimited");
  }
  auto updated = (*app)->accounts().updateOrganization(org->id, changes, std::nullopt,
                                                       {"cli", "keygate admin", ""});
  if (!updated) return failWith(updated.error());
  std::printf(
      "organization '%s': login method %s, key lifetime %d days, API tier %s\n",
      updated->name.c_str(), std::string(keygate::core::toString(updated->login_method)).c_str(),
      updated->key_lifetime_days, std::string(keygate::core::toString(updated->api_tier)).c_str());
  return 0;
}

int orgList(const Options& o) {
  auto app = openApplication(o, false);
  if (!app) return failWith(app.error());
  std::vector<keygate::core::Organization> orgs;
  auto read =
      (*app)->store().read([&](keygate::storage::Repositories& repos) -> keygate::core::Status {
        KG_ASSIGN_OR_RETURN(orgs, repos.organizations.list());
        return keygate::core::ok();
      });
  if (!read) return failWith(read.error());
  std::printf("%-6s %-28s %-9s %-11s %-9s %s\n", "ID", "NAME", "TYPE", "LOGIN", "LIFETIME", "TIER");
  for (const auto& org : orgs)
    std::printf("%-6lld %-28s %-9s %-11s %-9d %s\n", static_cast<long long>(org.id),
                org.name.c_str(), std::string(keygate::core::toString(org.type)).c_str(),
                std::string(keygate::core::toString(org.login_method)).c_str(),
                org.key_lifetime_days, std::string(keygate::core::toString(org.api_tier)).c_str());
  return 0;
}

int userCreate(const Options& o) {
  auto app = openApplication(o, false);
  if (!app) return failWith(app.error());
  auto org = findOrg(**app, o.org_name);
  if (!org) return failWith(org.error());
  auto role = keygate::core::parseRole(o.role);
  if (!role) return fail("--role must be client_manager, supplier_user, msp_admin or org_admin");
  // The password comes on standard input so it never shows in the process list.
  std::string password;
  std::getline(std::cin, password);
  if (!password.empty() && password.back() == '\r') password.pop_back();
  keygate::services::NewUser input;
  input.org_id = org->id;
  input.username = o.username;
  input.email = o.email;
  input.display_name = o.display_name;
  input.role = *role;
  input.permissions = (o.no_raas ? 0u : keygate::core::kPermRaas) |
                      (o.report_admin ? keygate::core::kPermReportAdmin : 0u);
  input.password = password;
  auto user = (*app)->accounts().createUser(input);
  if (!user) return failWith(user.error());
  std::printf("created user %lld '%s' in '%s'\n", static_cast<long long>(user->id),
              user->username.c_str(), org->name.c_str());
  return 0;
}

int userLink(const Options& o) {
  auto app = openApplication(o, false);
  if (!app) return failWith(app.error());
  auto first = findUser(**app, o.username);
  if (!first) return failWith(first.error());
  auto second = findUser(**app, o.link_with);
  if (!second) return failWith(second.error());
  auto linked = (*app)->accounts().linkAccounts(first->id, second->id);
  if (!linked) return failWith(linked.error());
  std::printf("linked '%s' and '%s'\n", first->username.c_str(), second->username.c_str());
  return 0;
}

// The cost centers (departments) whose report rows a client user without report_admin sees.
int userCostCenters(const Options& o) {
  auto app = openApplication(o, false);
  if (!app) return failWith(app.error());
  auto user = findUser(**app, o.username);
  if (!user) return failWith(user.error());
  if (o.set_cost_centers) {
    std::vector<std::string> centers;
    std::string_view rest = o.cost_centers;
    while (!rest.empty()) {
      const auto comma = rest.find(',');
      const auto item = rest.substr(0, comma);
      if (!item.empty()) centers.emplace_back(item);
      if (comma == std::string_view::npos) break;
      rest.remove_prefix(comma + 1);
    }
    auto saved = (*app)->raas().setCostCenters(user->id, centers);
    if (!saved) return failWith(saved.error());
  }
  auto centers = (*app)->raas().costCenters(user->id);
  if (!centers) return failWith(centers.error());
  std::printf("cost centers of '%s':", user->username.c_str());
  for (const auto& center : *centers) std::printf(" %s", center.c_str());
  std::printf("%s\n", centers->empty() ? " (none)" : "");
  return 0;
}

int keysList(const Options& o) {
  auto app = openApplication(o, false);
  if (!app) return failWith(app.error());
  std::vector<keygate::services::KeyView> keys;
  if (!o.username.empty()) {
    auto user = findUser(**app, o.username);
    if (!user) return failWith(user.error());
    auto listed = (*app)->keys().listForUser(user->id);
    if (!listed) return failWith(listed.error());
    keys = *listed;
  } else {
    auto org = findOrg(**app, o.org_name);
    if (!org) return failWith(org.error());
    std::vector<keygate::core::User> users;
    auto read =
        (*app)->store().read([&](keygate::storage::Repositories& repos) -> keygate::core::Status {
          KG_ASSIGN_OR_RETURN(users, repos.users.listByOrg(org->id));
          return keygate::core::ok();
        });
    if (!read) return failWith(read.error());
    for (const auto& u : users) {
      auto listed = (*app)->keys().listForUser(u.id);
      if (!listed) return failWith(listed.error());
      for (auto& k : *listed) keys.push_back(std::move(k));
    }
  }
  std::printf("%-14s %-8s %-24s %-9s %-21s %s\n", "CREDENTIAL KEY", "USER ID", "NAME", "STATUS",
              "EXPIRES", "SCOPES");
  for (const auto& k : keys)
    std::printf("%-14lld %-8lld %-24s %-9s %-21s %s\n", static_cast<long long>(k.credential.id),
                static_cast<long long>(k.credential.user_id), k.credential.name.c_str(),
                std::string(keygate::services::toString(k.status)).c_str(),
                keygate::core::formatDateTime(k.credential.expires_at).c_str(),
                keygate::core::scopeString(k.credential.scopes).c_str());
  return 0;
}

int keysInactivate(const Options& o) {
  auto app = openApplication(o, false);
  if (!app) return failWith(app.error());
  auto view = (*app)->keys().adminInactivate(o.credential_key, o.reason);
  if (!view) return failWith(view.error());
  std::printf("inactivated key %lld\n", o.credential_key);
  return 0;
}

int auditVerify(const Options& o) {
  auto app = openApplication(o, false);
  if (!app) return failWith(app.error());
  auto result = (*app)->events().verify((*app)->store());
  if (!result) return failWith(result.error());
  if (result->first_broken_seq) {
    std::printf("event log BROKEN at row %lld: %s (%lld rows read)\n",
                static_cast<long long>(*result->first_broken_seq), result->problem.c_str(),
                static_cast<long long>(result->rows));
    return 3;
  }
  std::printf("event log intact: %lld rows, hash chain verified\n",
              static_cast<long long>(result->rows));
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App cli{"Keygate: user API keys, tokens, RaaS and the Supplier API for a VMS"};
  cli.require_subcommand(1);
  Options o;
  cli.add_option("-c,--config", o.config_path,
                 "TOML configuration file (also KEYGATE_CONFIG); KEYGATE_* variables override it");

  int exit_code = 0;
  auto* serve_cmd = cli.add_subcommand("serve", "Run the HTTP server (UI and APIs)");
  serve_cmd->add_flag("--demo", o.demo, "Seed demo organizations and users, and list the logins");
  serve_cmd->callback([&] { exit_code = serve(o); });

  cli.add_subcommand("migrate", "Create or upgrade the database schema")->callback([&] {
    exit_code = migrate(o);
  });
  auto* seed_cmd = cli.add_subcommand(
      "seed-demo", "Create the demo organizations, users and Supplier API data (idempotent)");
  seed_cmd
      ->add_option("--scale", o.scale,
                   "Also add N benchmark engagements to Benchmark Unlimited, each with a year of "
                   "weekly timecards, billing items and invoices")
      ->check(CLI::Range(0LL, 1000000LL));
  seed_cmd->callback([&] { exit_code = seedDemo(o); });

  auto* admin = cli.add_subcommand("admin", "Administer organizations, users and keys");
  admin->require_subcommand(1);
  auto* org = admin->add_subcommand("org", "Organizations");
  org->require_subcommand(1);
  auto* org_create = org->add_subcommand("create", "Create an organization");
  org_create->add_option("--name", o.org_name, "Organization name")->required();
  org_create->add_option("--type", o.org_type, "client, supplier or msp")->required();
  org_create->add_option("--login-method", o.login_method, "basic (default), two_factor or sso");
  org_create->add_option("--key-lifetime", o.key_lifetime,
                         "Maximum key lifetime in days: 30, 60, 90 or 180");
  org_create->add_option("--api-tier", o.api_tier, "core, professional, enterprise or unlimited");
  org_create->callback([&] { exit_code = orgCreate(o); });
  auto* org_set = org->add_subcommand("set", "Change an organization's settings");
  org_set->add_option("--name", o.org_name, "Organization name")->required();
  org_set->add_option("--login-method", o.login_method, "basic, two_factor or sso");
  org_set->add_option("--key-lifetime", o.key_lifetime, "30, 60, 90 or 180 days");
  org_set->add_option("--api-tier", o.api_tier, "core, professional, enterprise or unlimited");
  org_set->callback([&] { exit_code = orgSet(o); });
  org->add_subcommand("list", "List organizations")->callback([&] { exit_code = orgList(o); });

  auto* user = admin->add_subcommand("user", "User accounts");
  user->require_subcommand(1);
  auto* user_create = user->add_subcommand(
      "create", "Create a user account; the password is read from standard input");
  user_create->add_option("--org", o.org_name, "Organization name")->required();
  user_create->add_option("--username", o.username, "Sign-in name (unique)")->required();
  user_create->add_option("--email", o.email, "Email address (view codes go here)")->required();
  user_create->add_option("--display-name", o.display_name, "Name shown in the UI");
  user_create->add_option("--role", o.role,
                          "client_manager, supplier_user (default), msp_admin or org_admin");
  user_create->add_flag("--report-admin", o.report_admin, "Sees all records of the organization");
  user_create->add_flag("--no-raas", o.no_raas, "May not hold API keys");
  user_create->callback([&] { exit_code = userCreate(o); });
  auto* user_link = user->add_subcommand("link", "Link two accounts of one person");
  user_link->add_option("--username", o.username, "First account")->required();
  user_link->add_option("--with", o.link_with, "Second account (another organization)")->required();
  user_link->callback([&] { exit_code = userLink(o); });
  auto* user_centers = user->add_subcommand(
      "cost-centers", "Show or set the cost centers whose report rows a client user sees");
  user_centers->add_option("--username", o.username, "The account")->required();
  auto* set_centers = user_centers->add_option(
      "--set", o.cost_centers,
      "Comma-separated cost centers replacing the current ones (\"\" for none)");
  user_centers->callback([&o, &exit_code, set_centers] {
    o.set_cost_centers = set_centers->count() > 0;
    exit_code = userCostCenters(o);
  });

  auto* keys = admin->add_subcommand("keys", "User API keys");
  keys->require_subcommand(1);
  auto* keys_list = keys->add_subcommand("list", "List keys of a user or an organization");
  auto* by_user = keys_list->add_option("--username", o.username, "Owner's sign-in name");
  auto* by_org = keys_list->add_option("--org", o.org_name, "Organization name");
  by_user->excludes(by_org);
  keys_list->callback([&] {
    if (o.username.empty() && o.org_name.empty()) {
      exit_code = fail("give --username or --org");
      return;
    }
    exit_code = keysList(o);
  });
  auto* keys_inactivate = keys->add_subcommand("inactivate", "Inactivate a key (irreversible)");
  keys_inactivate->add_option("--credential-key", o.credential_key, "The key's Credential Key")
      ->required();
  keys_inactivate->add_option("--reason", o.reason, "Recorded in the event log");
  keys_inactivate->callback([&] { exit_code = keysInactivate(o); });

  auto* audit = cli.add_subcommand("audit", "The event log");
  audit->require_subcommand(1);
  audit->add_subcommand("verify", "Check the event log's hash chain; names the first broken row")
      ->callback([&] { exit_code = auditVerify(o); });

  CLI11_PARSE(cli, argc, argv);
  return exit_code;
}
