// Fixed-point money: parsing and formatting without binary floating point, half-to-even
// rounding of rate × quantity, overflow detection.
#include "core/money.h"

#include <gtest/gtest.h>

namespace keygate::core {
namespace {

TEST(Money, ParsesDecimalsExactlyIntoTheScale) {
  EXPECT_EQ(parseFixed("123.45", 2), 12345);
  EXPECT_EQ(parseFixed("7", 2), 700);
  EXPECT_EQ(parseFixed("7.5", 2), 750);
  EXPECT_EQ(parseFixed("-0.05", 2), -5);
  EXPECT_EQ(parseFixed("0.1", 2), 10);  // exactly ten cents, unlike the double 0.1
  EXPECT_EQ(parseFixed("1234", 0), 1234);
  EXPECT_EQ(parseFixed("999999999999999.99", 2), 99999999999999999);
}

TEST(Money, RefusesAnythingButAPlainDecimal) {
  for (const char* bad : {"", "-", ".5", "1.", "1.234", "1e3", "+1", " 1", "1 ", "1,5", "0x10",
                          "1.2.3", "--1", "1234567890123456", "NaN", "inf"})
    EXPECT_FALSE(parseFixed(bad, 2)) << bad;
  EXPECT_FALSE(parseFixed("1.5", 0));  // JPY has no fraction digits
}

TEST(Money, FormatsWithExactlyTheScaleDigits) {
  EXPECT_EQ(formatFixed(12345, 2), "123.45");
  EXPECT_EQ(formatFixed(5, 2), "0.05");
  EXPECT_EQ(formatFixed(-5, 2), "-0.05");
  EXPECT_EQ(formatFixed(0, 2), "0.00");
  EXPECT_EQ(formatFixed(-123456, 2), "-1234.56");
  EXPECT_EQ(formatFixed(7, 0), "7");
  EXPECT_EQ(formatFixed(INT64_MIN, 2), "-92233720368547758.08");
  EXPECT_EQ(formatMoney(123450, "USD"), "1234.50");
  EXPECT_EQ(formatMoney(1235, "JPY"), "1235");
  EXPECT_EQ(parseMoney("12.34", "USD"), 1234);
  EXPECT_FALSE(parseMoney("12.34", "JPY"));
  EXPECT_FALSE(parseMoney("12.34", "XXX"));
}

TEST(Money, RoundTripsEveryCentValue) {
  for (std::int64_t v = -20000; v <= 20000; v += 7)
    EXPECT_EQ(parseFixed(formatFixed(v, 2), 2), v) << v;
}

TEST(Money, DividesRoundingHalfToEven) {
  EXPECT_EQ(divideHalfEven(5, 10), 0);   // 0.5 → 0 (even)
  EXPECT_EQ(divideHalfEven(15, 10), 2);  // 1.5 → 2 (even)
  EXPECT_EQ(divideHalfEven(25, 10), 2);  // 2.5 → 2
  EXPECT_EQ(divideHalfEven(26, 10), 3);
  EXPECT_EQ(divideHalfEven(24, 10), 2);
  EXPECT_EQ(divideHalfEven(-25, 10), -2);
  EXPECT_EQ(divideHalfEven(-35, 10), -4);
  EXPECT_EQ(divideHalfEven(-26, 10), -3);
  EXPECT_FALSE(divideHalfEven(1, 0));
}

TEST(Money, ExtendsRateByHoursWithOneRounding) {
  EXPECT_EQ(extendAmount(11000, 4000), 440000);  // 110.00 × 40 h = 4400.00
  EXPECT_EQ(extendAmount(6850, 750), 51375);     // 68.50 × 7.5 h = 513.75
  EXPECT_EQ(extendAmount(10275, 200), 20550);    // 102.75 × 2 h
  // 33.33 × 0.25 h = 8.3325 → 8.33; 33.35 × 0.5 h = 16.675 → 16.68 (half to even: 8 is even,
  // so 16.675 rounds up to the even cent 16.68).
  EXPECT_EQ(extendAmount(3333, 25), 833);
  EXPECT_EQ(extendAmount(3335, 50), 1668);
  // 0.25 × 0.5 = 0.125 → 0.12 (2 is even); 0.35 × 0.5 = 0.175 → 0.18 (8 is even).
  EXPECT_EQ(extendAmount(25, 50), 12);
  EXPECT_EQ(extendAmount(35, 50), 18);
  EXPECT_EQ(extendAmount(-3335, 50), -1668);
  EXPECT_FALSE(extendAmount(INT64_MAX / 10, 1000));
}

TEST(Money, AddsAndAppliesBasisPointsWithoutOverflowSurprises) {
  EXPECT_EQ(addAmounts(1, 2), 3);
  EXPECT_FALSE(addAmounts(INT64_MAX, 1));
  EXPECT_EQ(applyBasisPoints(100000, 825), 8250);  // 8.25 % of 1000.00
  EXPECT_EQ(applyBasisPoints(150, 1000), 15);
  EXPECT_EQ(applyBasisPoints(125, 1000), 12);  // 12.5 → 12
  EXPECT_EQ(applyBasisPoints(135, 1000), 14);  // 13.5 → 14
  EXPECT_FALSE(applyBasisPoints(INT64_MAX, 2));
}

TEST(Money, SummingManyRoundedLinesStaysUnbiased) {
  // 1,000 lines each worth exactly half a cent more than a whole cent: half-to-even rounds
  // half of them up and half down, so the total is exact; rounding half up would add 5.00.
  std::int64_t total = 0;
  for (int i = 0; i < 1000; ++i) total += *divideHalfEven(2 * (100 + i) + 1, 2);
  std::int64_t exact_doubled = 0;
  for (int i = 0; i < 1000; ++i) exact_doubled += 2 * (100 + i) + 1;
  EXPECT_EQ(total * 2, exact_doubled);
  EXPECT_EQ(currencyExponent("USD"), 2);
  EXPECT_EQ(currencyExponent("JPY"), 0);
  EXPECT_FALSE(currencyExponent("usd"));
}

}  // namespace
}  // namespace keygate::core
