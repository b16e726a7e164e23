// The source catalogue against the SQL behind it: every column of every source can be
// selected, filtered and sorted on a migrated database, the two lists name the same columns,
// unknown names are refused, and values never become SQL text.
#include <gmock/gmock.h>

#include "raas_fixture.h"
#include "storage/sqlite/sqlite_raas_repositories.h"
#include "storage/sqlite/sqlite_raas_sources.h"

namespace keygate::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// A value of the column's type, as a user would type it.
std::string sampleValue(raas::ColumnType type) {
  switch (type) {
    case raas::ColumnType::kText:
      return "x";
    case raas::ColumnType::kInteger:
      return "1";
    case raas::ColumnType::kDecimal:
    case raas::ColumnType::kMoney:
      return "1.50";
    case raas::ColumnType::kDate:
      return "2026-01-05";
    case raas::ColumnType::kDateTime:
      return "2026-01-05T10:00:00Z";
    case raas::ColumnType::kTimeOfDay:
      return "09:00";
  }
  return "x";
}

class CountingSink final : public storage::RowSink {
 public:
  bool row(std::span<const storage::Cell> cells) override {
    width = cells.size();
    ++rows;
    return true;
  }
  std::size_t width = 0;
  std::int64_t rows = 0;
};

class CatalogueTest : public RaasFixture {};

TEST_F(CatalogueTest, CatalogueAndSqlNameTheSameSourcesAndColumns) {
  ASSERT_EQ(raas::sources().size(), storage::sqlite::raasSources().size());
  for (const auto& source : raas::sources()) {
    const auto* sql = storage::sqlite::findRaasSource(source.name);
    ASSERT_NE(sql, nullptr) << source.name;
    EXPECT_EQ(source.columns.size(), sql->columns.size()) << source.name;
    for (const auto& column : source.columns)
      EXPECT_NE(storage::sqlite::findRaasColumn(*sql, column.name), nullptr)
          << source.name << "." << column.name;
    // Money needs the currency of its row.
    for (const auto& column : source.columns) {
      if (column.type == raas::ColumnType::kMoney) {
        EXPECT_NE(raas::findColumn(source, raas::kCurrencyColumn), nullptr) << source.name;
      }
    }
  }
}

TEST_F(CatalogueTest, EveryColumnSelectsFiltersAndSortsOnTheRealSchema) {
  const auto issue = [](const std::string& what, const core::Error& e) {
    return what + ": " + e.message + " " + e.detail;
  };
  for (const auto& source : raas::sources()) {
    for (const auto org_type : {core::OrgType::kSupplier, core::OrgType::kClient}) {
      for (const bool restricted : {false, true}) {
        storage::RowQuery query;
        query.source = std::string(source.name);
        query.scope = {kAlpha, org_type,
                       restricted ? std::optional<core::Id>(kCarol) : std::nullopt};
        for (const auto& column : source.columns) query.columns.emplace_back(column.name);
        auto status = store_->read([&](storage::Repositories& repos) -> core::Status {
          CountingSink sink;
          KG_TRY(repos.raas.data.stream(query, sink));
          KG_TRY(repos.raas.data.count(query));
          for (const auto& column : source.columns) {
            storage::RowQuery one = query;
            auto value = raas::parseValue(column, sampleValue(column.type));
            if (!value) return value.error();
            const auto op = raas::supportsRange(column.type) ? storage::FilterOp::kBetween
                                                             : storage::FilterOp::kIn;
            one.filters.push_back({std::string(column.name), op, {*value, *value}});
            one.sort.push_back({std::string(column.name), true});
            CountingSink filtered;
            auto streamed = repos.raas.data.stream(one, filtered);
            if (!streamed)
              return core::makeError(core::Errc::kInternal, issue(std::string(source.name) + "." +
                                                                      std::string(column.name),
                                                                  streamed.error()));
          }
          EXPECT_TRUE(sink.rows == 0 || sink.width == source.columns.size()) << source.name;
          return core::ok();
        });
        EXPECT_TRUE(status) << source.name << ": " << status.error().message;
      }
    }
  }
}

TEST_F(CatalogueTest, UnknownSourceOrColumnIsRefused) {
  storage::RowQuery query;
  query.source = "invoices; DROP TABLE users";
  query.columns = {"id"};
  query.scope = {kAlpha, core::OrgType::kSupplier, std::nullopt};
  auto built = storage::sqlite::buildRowQuery(query, false);
  ASSERT_FALSE(built);
  EXPECT_EQ(built.error().code, core::Errc::kInvalidParameter);

  query.source = "invoices";
  query.columns = {"id", "(SELECT password_hash FROM users)"};
  built = storage::sqlite::buildRowQuery(query, false);
  ASSERT_FALSE(built);
  EXPECT_EQ(built.error().field, "columns");

  query.columns = {"id"};
  query.sort = {{"password_hash", false}};
  EXPECT_FALSE(storage::sqlite::buildRowQuery(query, false));
}

TEST_F(CatalogueTest, ValuesAreBoundNeverWrittenIntoTheSql) {
  storage::RowQuery query;
  query.source = "workers";
  query.columns = {"id", "last_name"};
  query.scope = {kAlpha, core::OrgType::kSupplier, std::nullopt};
  const std::string hostile = "x' OR 1=1 --";
  query.filters = {{"last_name", storage::FilterOp::kIn, {hostile, std::string("Pha")}}};
  auto built = storage::sqlite::buildRowQuery(query, false);
  ASSERT_TRUE(built);
  EXPECT_THAT(built->sql, Not(HasSubstr("OR 1=1")));
  EXPECT_THAT(built->sql, Not(HasSubstr("Pha")));
  // The organization is bound too, first, ahead of the filter values.
  ASSERT_EQ(built->binds.size(), 3u);
  EXPECT_EQ(std::get<std::int64_t>(built->binds[0]), kAlpha);
  EXPECT_EQ(std::get<std::string>(built->binds[1]), hostile);

  auto found = runReport(kAlice, [] {
    auto d = definition("workers", {"id", "last_name"});
    d.filters.push_back({"last_name", raas::FilterOp::kIn, {"x' OR 1=1 --", "Pha"}});
    return d;
  }());
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(text(found[0], "Last Name"), "Pha");
}

}  // namespace
}  // namespace keygate::testing
