// The SQL behind the RaaS data sources: for each source the tables it reads, the predicates
// that limit it to one organization (and, for a client user without report_admin, to the
// assigned cost centers), its stable row order, and one whitelisted SQL expression per
// column. Report queries are assembled only from these constants plus "?" placeholders.
// Internal to storage/sqlite.
#pragma once

#include <span>
#include <string_view>

namespace keygate::storage::sqlite {

struct RaasColumnSql {
  std::string_view name;  // the catalogue name (services/raas/catalogue.cpp)
  std::string_view expr;  // a SQL expression over the source's FROM clause
};

// Scope predicates may use two named markers, replaced by "?" with the value bound:
// :org (the requesting organization) and :user (the requesting user, for its cost centers).
// A source that a kind of organization may not read at all has "0" as its predicate.
struct RaasSourceSql {
  std::string_view name;
  std::string_view from;                     // FROM … JOIN … (without the keyword)
  std::string_view supplier_scope;           // for supplier organizations
  std::string_view client_scope;             // for client users with report_admin
  std::string_view client_restricted_scope;  // for client users without it
  std::string_view order;                    // unique stable order, appended to every sort
  std::span<const RaasColumnSql> columns;
};

std::span<const RaasSourceSql> raasSources();
const RaasSourceSql* findRaasSource(std::string_view name);
const RaasColumnSql* findRaasColumn(const RaasSourceSql& source, std::string_view name);

}  // namespace keygate::storage::sqlite
