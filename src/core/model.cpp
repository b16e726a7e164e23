#include "core/model.h"

namespace keygate::core {

std::string_view toString(OrgType v) {
  switch (v) {
    case OrgType::kClient:
      return "client";
    case OrgType::kSupplier:
      return "supplier";
    case OrgType::kMsp:
      return "msp";
  }
  return "client";
}
std::string_view toString(LoginMethod v) {
  switch (v) {
    case LoginMethod::kBasic:
      return "basic";
    case LoginMethod::kTwoFactor:
      return "two_factor";
    case LoginMethod::kSso:
      return "sso";
  }
  return "basic";
}
std::string_view toString(ApiTier v) {
  switch (v) {
    case ApiTier::kCore:
      return "core";
    case ApiTier::kProfessional:
      return "professional";
    case ApiTier::kEnterprise:
      return "enterprise";
    case ApiTier::kUnlimited:
      return "unlimited";
  }
  return "core";
}
std::string_view toString(Role v) {
  switch (v) {
    case Role::kClientManager:
      return "client_manager";
    case Role::kSupplierUser:
      return "supplier_user";
    case Role::kMspAdmin:
      return "msp_admin";
    case Role::kOrgAdmin:
      return "org_admin";
  }
  return "supplier_user";
}

std::optional<OrgType> parseOrgType(std::string_view s) {
  for (auto v : {OrgType::kClient, OrgType::kSupplier, OrgType::kMsp})
    if (toString(v) == s) return v;
  return std::nullopt;
}
std::optional<LoginMethod> parseLoginMethod(std::string_view s) {
  for (auto v : {LoginMethod::kBasic, LoginMethod::kTwoFactor, LoginMethod::kSso})
    if (toString(v) == s) return v;
  return std::nullopt;
}
std::optional<ApiTier> parseApiTier(std::string_view s) {
  for (auto v : {ApiTier::kCore, ApiTier::kProfessional, ApiTier::kEnterprise, ApiTier::kUnlimited})
    if (toString(v) == s) return v;
  return std::nullopt;
}
std::optional<Role> parseRole(std::string_view s) {
  for (auto v : {Role::kClientManager, Role::kSupplierUser, Role::kMspAdmin, Role::kOrgAdmin})
    if (toString(v) == s) return v;
  return std::nullopt;
}

std::optional<std::int64_t> dailyQuota(ApiTier tier) {
  switch (tier) {
    case ApiTier::kCore:
      return 500;
    case ApiTier::kProfessional:
      return 4000;
    case ApiTier::kEnterprise:
      return 10000;
    case ApiTier::kUnlimited:
      return std::nullopt;
  }
  return 500;
}

bool isAllowedKeyLifetime(int days) {
  return days == 30 || days == 60 || days == 90 || days == 180;
}

int defaultKeyLifetime(OrgType type) {
  return type == OrgType::kClient ? 90 : 180;
}

}  // namespace keygate::core
