// Demo organizations and users, created idempotently by `keygate seed-demo` and by
// `keygate serve` when demo.enabled is set.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/error.h"
#include "services/accounts.h"
#include "storage/repositories.h"

namespace keygate::app {

struct DemoLogin {
  std::string username;
  std::string organization;
  std::string what;  // one line on what this login shows
};

inline constexpr std::string_view kDemoPassword = "keygate-demo";

core::Result<std::vector<DemoLogin>> seedDemo(services::AccountService& accounts);

// Supplier API demo data (DESIGN §4.2) for the demo organizations seeded by seedDemo: agreements
// of Acme Staffing and Northwind Talent (and Benchmark Unlimited) with Globex and Initech,
// staffing requests released to some suppliers, candidates and submittals, workers, engagements
// with ST/OT/DT rates, weekly timecards in every state up to three weeks before `clock.now()`,
// the billing items they created, monthly invoices, and one candidate insight per supplier.
// Idempotent: does nothing when the demo agreements exist. Needs seedDemo to have run.
struct SupplierDemoSummary {
  bool created = false;
  std::int64_t engagements = 0;
  std::int64_t timecards = 0;
  std::int64_t billing_items = 0;
  std::int64_t invoices = 0;
};
core::Result<SupplierDemoSummary> seedSupplierDemo(storage::Store& store, const core::Clock& clock);

// Benchmark data: `engagements` more engagements of Benchmark Unlimited (the unlimited-tier
// supplier) with Globex, each with its own worker, a year of weekly timecards (52), their
// billing items and monthly (four-weekly) invoices. Additive: every run adds a new batch.
// Written in large transactions through the cached prepared statements; `progress` is called
// after each transaction with the number of engagements written so far.
struct ScaleSummary {
  std::int64_t engagements = 0;
  std::int64_t timecards = 0;
  std::int64_t billing_items = 0;
  std::int64_t invoices = 0;
};
core::Result<ScaleSummary> seedScale(storage::Store& store, const core::Clock& clock,
                                     std::int64_t engagements,
                                     const std::function<void(std::int64_t)>& progress = {});

}  // namespace keygate::app
