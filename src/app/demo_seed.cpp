#include "app/demo_seed.h"

namespace keygate::app {
namespace {

struct DemoOrg {
  const char* name;
  core::OrgType type;
  core::LoginMethod login;
  core::ApiTier tier;
};

struct DemoUser {
  const char* username;
  const char* org;
  const char* email;
  const char* display;
  core::Role role;
  std::uint32_t permissions;
  const char* what;
};

}  // namespace

core::Result<std::vector<DemoLogin>> seedDemo(services::AccountService& accounts) {
  static const DemoOrg kOrgs[] = {
      {"Acme Staffing", core::OrgType::kSupplier, core::LoginMethod::kBasic,
       core::ApiTier::kProfessional},
      {"Northwind Talent", core::OrgType::kSupplier, core::LoginMethod::kTwoFactor,
       core::ApiTier::kEnterprise},
      {"Globex Corporation", core::OrgType::kClient, core::LoginMethod::kBasic,
       core::ApiTier::kCore},
      {"Initech Services", core::OrgType::kClient, core::LoginMethod::kSso, core::ApiTier::kCore},
      {"Benchmark Unlimited", core::OrgType::kSupplier, core::LoginMethod::kBasic,
       core::ApiTier::kUnlimited},
  };
  static const DemoUser kUsers[] = {
      {"sam.supplier", "Acme Staffing", "sam.supplier@acme.example", "Sam Supplier",
       core::Role::kSupplierUser, core::kPermRaas,
       "basic-auth supplier: View needs the emailed 8-digit code"},
      {"alex.admin", "Acme Staffing", "alex.admin@acme.example", "Alex Admin",
       core::Role::kOrgAdmin, core::kPermRaas | core::kPermReportAdmin,
       "organization admin of Acme Staffing"},
      {"tara.twofactor", "Northwind Talent", "tara@northwind.example", "Tara Twofactor",
       core::Role::kSupplierUser, core::kPermRaas,
       "two-factor supplier: enrolls TOTP at first sign-in, View shows values directly"},
      {"carla.client", "Globex Corporation", "carla.client@globex.example", "Carla Client",
       core::Role::kClientManager, core::kPermRaas,
       "client manager: RaaS scope only"},
      {"pat.acme", "Acme Staffing", "pat@people.example", "Pat Linked",
       core::Role::kSupplierUser, core::kPermRaas,
       "linked to pat.globex: switch accounts from the user menu"},
      {"pat.globex", "Globex Corporation", "pat@people.example", "Pat Linked",
       core::Role::kClientManager, core::kPermRaas, "linked to pat.acme"},
      {"ivan.sso", "Initech Services", "ivan@initech.example", "Ivan SSO",
       core::Role::kClientManager, core::kPermRaas, "SSO organization: password sign-in refused"},
      {"bench.unlimited", "Benchmark Unlimited", "bench@bench.example", "Bench User",
       core::Role::kSupplierUser, core::kPermRaas, "unlimited API tier, for benchmarks"},
  };

  for (const auto& o : kOrgs) {
    KG_ASSIGN_OR_RETURN(auto existing, accounts.findOrganization(o.name));
    if (existing) continue;
    services::NewOrganization input{o.name, o.type, o.login, std::nullopt, o.tier};
    KG_TRY(accounts.createOrganization(input));
  }
  std::vector<DemoLogin> logins;
  for (const auto& u : kUsers) {
    logins.push_back({u.username, u.org, u.what});
    KG_ASSIGN_OR_RETURN(auto existing, accounts.findUser(u.username));
    if (existing) continue;
    KG_ASSIGN_OR_RETURN(auto org, accounts.findOrganization(u.org));
    if (!org) return core::makeError(core::Errc::kInternal, "demo organization missing");
    services::NewUser input{org->id, u.username, u.email, u.display, u.role, u.permissions,
                            std::string(kDemoPassword)};
    KG_TRY(accounts.createUser(input));
  }
  KG_ASSIGN_OR_RETURN(auto first, accounts.findUser("pat.acme"));
  KG_ASSIGN_OR_RETURN(auto second, accounts.findUser("pat.globex"));
  if (first && second && (!first->link_group || first->link_group != second->link_group))
    KG_TRY(accounts.linkAccounts(first->id, second->id));
  return logins;
}

}  // namespace keygate::app
