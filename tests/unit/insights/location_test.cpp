// Free-text location parsing and comparison of the candidate-insight model.
#include "services/insights/location.h"

#include <gtest/gtest.h>

namespace keygate::services::insights {
namespace {

Proximity between(const char* a, const char* b) {
  return proximity(parsePlace(a), parsePlace(b));
}

TEST(ParsePlace, FoldsStateAndCountryNames) {
  const Place p = parsePlace(" Austin , Texas, United States ");
  EXPECT_EQ(p.city, "austin");
  EXPECT_EQ(p.region, "tx");
  EXPECT_EQ(p.country, "us");
  EXPECT_EQ(parsePlace("St. Louis, MO").city, "st louis");
  EXPECT_EQ(parsePlace("London, UK").country, "gb");
  EXPECT_TRUE(parsePlace("Remote").empty());
  EXPECT_TRUE(parsePlace("").empty());
}

TEST(Proximity, ComparesAtTheFinestLevelBothSidesGive) {
  EXPECT_EQ(between("Austin, TX, US", "Austin, Texas"), Proximity::kSameCity);
  EXPECT_EQ(between("Austin, TX", "austin"), Proximity::kSameCity);
  EXPECT_EQ(between("Austin, TX", "Dallas, TX"), Proximity::kSameRegion);
  EXPECT_EQ(between("Seattle, WA", "Portland, Oregon"), Proximity::kSameCountry);
  EXPECT_EQ(between("Austin, TX", "London, UK"), Proximity::kDifferent);
  EXPECT_EQ(between("Austin, TX", "Austin, MN"), Proximity::kSameCountry);
  EXPECT_EQ(between("Austin", "Boston"), Proximity::kDifferent);
  EXPECT_EQ(between("Austin, TX", "Remote"), Proximity::kUnknown);
  EXPECT_EQ(between("", "Austin, TX"), Proximity::kUnknown);
}

}  // namespace
}  // namespace keygate::services::insights
