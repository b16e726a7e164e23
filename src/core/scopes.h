// API key scopes (DESIGN §2.4). RaaS is always granted; Supplier API scopes only to keys of
// supplier organizations.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/model.h"

namespace keygate::core {

enum Scope : std::uint32_t {
  kScopeRaas = 1u << 0,
  kScopeEngagementsRead = 1u << 1,
  kScopeBillingRead = 1u << 2,
  kScopeWorkersWrite = 1u << 3,
  kScopeTimecardsWrite = 1u << 4,
  kScopeCandidateInsightsRead = 1u << 5,
};

struct ScopeInfo {
  Scope scope;
  std::string_view name;
  std::string_view description;
  bool supplier_only;
};

const std::vector<ScopeInfo>& allScopes();
std::optional<Scope> parseScope(std::string_view name);
std::string_view scopeName(Scope scope);
bool scopeAllowedFor(OrgType type, Scope scope);
// Names of the set bits, in catalogue order.
std::vector<std::string> scopeNames(std::uint32_t bits);
// Space-separated, as in an OAuth "scope" parameter.
std::string scopeString(std::uint32_t bits);

}  // namespace keygate::core
