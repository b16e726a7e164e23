#include "core/scopes.h"

namespace keygate::core {

const std::vector<ScopeInfo>& allScopes() {
  static const std::vector<ScopeInfo> kScopes = {
      {kScopeRaas, "raas", "Run reports and read their results (always included)", false},
      {kScopeEngagementsRead, "engagements:read", "Read engagement data", true},
      {kScopeBillingRead, "billing:read", "Read billing items and invoice details", true},
      {kScopeWorkersWrite, "workers:write", "Create and update worker profiles (and read them)",
       true},
      {kScopeTimecardsWrite, "timecards:write", "Create and update timecards (and read them)",
       true},
      {kScopeCandidateInsightsRead, "candidate-insights:read",
       "Read pre-submittal match scoring and analysis (and staffing requests)", true},
  };
  return kScopes;
}

std::optional<Scope> parseScope(std::string_view name) {
  for (const auto& info : allScopes())
    if (info.name == name) return info.scope;
  return std::nullopt;
}

std::string_view scopeName(Scope scope) {
  for (const auto& info : allScopes())
    if (info.scope == scope) return info.name;
  return "";
}

bool scopeAllowedFor(OrgType type, Scope scope) {
  for (const auto& info : allScopes())
    if (info.scope == scope) return !info.supplier_only || type == OrgType::kSupplier;
  return false;
}

std::vector<std::string> scopeNames(std::uint32_t bits) {
  std::vector<std::string> out;
  for (const auto& info : allScopes())
    if (bits & info.scope) out.emplace_back(info.name);
  return out;
}

std::string scopeString(std::uint32_t bits) {
  std::string out;
  for (const auto& name : scopeNames(bits)) {
    if (!out.empty()) out += ' ';
    out += name;
  }
  return out;
}

}  // namespace keygate::core
