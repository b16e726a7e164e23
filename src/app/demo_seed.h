// Demo organizations and users, created idempotently by `keygate seed-demo` and by
// `keygate serve` when demo.enabled is set.
#pragma once

#include <string>
#include <vector>

#include "core/error.h"
#include "services/accounts.h"

namespace keygate::app {

struct DemoLogin {
  std::string username;
  std::string organization;
  std::string what;  // one line on what this login shows
};

inline constexpr std::string_view kDemoPassword = "keygate-demo";

core::Result<std::vector<DemoLogin>> seedDemo(services::AccountService& accounts);

}  // namespace keygate::app
