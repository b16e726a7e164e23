#include "core/key_rules.h"

#include <gtest/gtest.h>

namespace keygate::core {
namespace {

constexpr Seconds kNoon = 1764115200 + 12 * 3600;  // 2025-11-26T12:00:00Z

TEST(KeyRules, FormatsAndParsesDates) {
  EXPECT_EQ(formatDate(kNoon), "2025-11-26");
  EXPECT_EQ(formatDateTime(kNoon), "2025-11-26T12:00:00Z");
  ASSERT_TRUE(parseDate("2025-11-26"));
  EXPECT_EQ(*parseDate("2025-11-26"), startOfDay(kNoon));
  EXPECT_EQ(*parseDate("2024-02-29") + kSecondsPerDay, *parseDate("2024-03-01"));
  for (auto bad : {"2025-02-29", "2025-13-01", "2025-00-10", "25-11-26", "2025/11/26", "2025-11-2x",
                   "", "2025-11-26T00:00:00Z", "1969-12-31"})
    EXPECT_FALSE(parseDate(bad)) << bad;
}

TEST(KeyRules, DefaultExpiryIsTheLatestAllowedDay) {
  auto r = resolveExpiry(std::nullopt, kNoon, 90);
  ASSERT_TRUE(r);
  EXPECT_EQ(formatDateTime(*r), "2026-02-25T00:00:00Z");  // valid through 2026-02-24
  EXPECT_EQ(*r, latestExpiryDate(kNoon, 90) + kSecondsPerDay);
}

TEST(KeyRules, RejectsDatesBeyondTheLifetimeOrInThePast) {
  auto latest = latestExpiryDate(kNoon, 30);
  EXPECT_TRUE(resolveExpiry(latest, kNoon, 30));
  auto too_late = resolveExpiry(latest + kSecondsPerDay, kNoon, 30);
  ASSERT_FALSE(too_late);
  EXPECT_EQ(too_late.error().code, Errc::kValidationFailed);
  EXPECT_EQ(too_late.error().field, "expiresOn");
  auto past = resolveExpiry(startOfDay(kNoon) - kSecondsPerDay, kNoon, 30);
  ASSERT_FALSE(past);
  EXPECT_EQ(past.error().field, "expiresOn");
  // Today is allowed: the key is valid to the end of today.
  auto today = resolveExpiry(startOfDay(kNoon), kNoon, 30);
  ASSERT_TRUE(today);
  EXPECT_EQ(*today, startOfDay(kNoon) + kSecondsPerDay);
}

TEST(KeyRules, RotationShortensButNeverLengthens) {
  const Seconds now = kNoon;
  auto shortened = shortenedExpiry(now + 30 * kSecondsPerDay, now);
  ASSERT_TRUE(shortened);
  EXPECT_EQ(*shortened, now + 7 * kSecondsPerDay);
  EXPECT_FALSE(shortenedExpiry(now + 7 * kSecondsPerDay, now));
  EXPECT_FALSE(shortenedExpiry(now + 3 * kSecondsPerDay, now));
}

}  // namespace
}  // namespace keygate::core
