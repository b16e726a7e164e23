// Fixed-point money and quantities. Amounts are integer minor units of a currency (cents) and
// quantities (hours, days) integer hundredths, so no binary floating point ever touches an
// amount. Products of a rate and a quantity are rounded once, half to even ("banker's
// rounding"), which keeps sums of many rounded lines unbiased. Pure functions, no I/O.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace keygate::core {

using MinorUnits = std::int64_t;  // 1/100 USD, 1 JPY: see currencyExponent
using Hundredths = std::int64_t;  // quantities: 7.25 hours = 725

inline constexpr int kQuantityScale = 2;  // fraction digits of a quantity

// The number of fraction digits of an ISO 4217 currency Keygate accepts (USD 2, JPY 0);
// nullopt for a currency it does not know. Codes are upper-case.
std::optional<int> currencyExponent(std::string_view code);

// Parses a plain decimal ("123.45", "-0.5", "7") with at most `scale` fraction digits into an
// integer of that scale ("1.5" at scale 2 = 150). Refuses everything else: signs other than a
// leading '-', exponents, spaces, empty parts ("1.", ".5"), more fraction digits than `scale`
// (never silently rounds what a caller sent), more than 15 integer digits.
std::optional<std::int64_t> parseFixed(std::string_view text, int scale);

// Formats an integer of the given scale as a decimal with exactly `scale` fraction digits:
// (12345, 2) → "123.45", (-5, 2) → "-0.05", (7, 0) → "7".
std::string formatFixed(std::int64_t value, int scale);

// An amount in the currency's own number of fraction digits ("1234.50" USD, "1235" JPY).
std::string formatMoney(MinorUnits amount, std::string_view currency);
std::optional<MinorUnits> parseMoney(std::string_view text, std::string_view currency);

// numerator / denominator rounded half to even; denominator > 0. nullopt on overflow.
std::optional<std::int64_t> divideHalfEven(std::int64_t numerator, std::int64_t denominator);

// rate (minor units per hour or day) × quantity (hundredths) → minor units, rounded once, half
// to even. nullopt on overflow.
std::optional<MinorUnits> extendAmount(MinorUnits rate, Hundredths quantity);

// a + b; nullopt on overflow.
std::optional<MinorUnits> addAmounts(MinorUnits a, MinorUnits b);

// amount × basis points / 10,000 (a tax rate of 8.25% is 825 bp), rounded half to even.
std::optional<MinorUnits> applyBasisPoints(MinorUnits amount, std::int64_t basis_points);

}  // namespace keygate::core
