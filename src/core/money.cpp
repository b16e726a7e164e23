// Fixed-point money (see money.h).
#include "core/money.h"

#include <array>
#include <utility>

namespace keygate::core {
namespace {

constexpr std::array<std::pair<std::string_view, int>, 12> kCurrencies{{
    {"USD", 2},
    {"EUR", 2},
    {"GBP", 2},
    {"CAD", 2},
    {"AUD", 2},
    {"CHF", 2},
    {"SEK", 2},
    {"NOK", 2},
    {"DKK", 2},
    {"INR", 2},
    {"MXN", 2},
    {"JPY", 0},
}};

constexpr int kMaxIntegerDigits = 15;

bool isDigit(char c) {
  return c >= '0' && c <= '9';
}

std::int64_t pow10(int n) {
  std::int64_t p = 1;
  for (int i = 0; i < n; ++i) p *= 10;
  return p;
}

}  // namespace

std::optional<int> currencyExponent(std::string_view code) {
  for (const auto& [name, exponent] : kCurrencies)
    if (name == code) return exponent;
  return std::nullopt;
}

std::optional<std::int64_t> parseFixed(std::string_view text, int scale) {
  if (scale < 0 || scale > 6) return std::nullopt;
  bool negative = false;
  if (!text.empty() && text.front() == '-') {
    negative = true;
    text.remove_prefix(1);
  }
  const auto dot = text.find('.');
  const std::string_view whole = text.substr(0, dot);
  const std::string_view fraction =
      dot == std::string_view::npos ? std::string_view() : text.substr(dot + 1);
  if (whole.empty() || static_cast<int>(whole.size()) > kMaxIntegerDigits) return std::nullopt;
  if (dot != std::string_view::npos && fraction.empty()) return std::nullopt;
  if (static_cast<int>(fraction.size()) > scale) return std::nullopt;
  std::int64_t value = 0;
  for (char c : whole) {
    if (!isDigit(c)) return std::nullopt;
    value = value * 10 + (c - '0');
  }
  std::int64_t fraction_value = 0;
  for (char c : fraction) {
    if (!isDigit(c)) return std::nullopt;
    fraction_value = fraction_value * 10 + (c - '0');
  }
  // 15 integer digits and at most 6 fraction digits stay far below 2^63.
  value = value * pow10(scale) + fraction_value * pow10(scale - static_cast<int>(fraction.size()));
  return negative ? -value : value;
}

std::string formatFixed(std::int64_t value, int scale) {
  const bool negative = value < 0;
  // Via unsigned so that INT64_MIN does not overflow on negation.
  std::uint64_t magnitude =
      negative ? ~static_cast<std::uint64_t>(value) + 1 : static_cast<std::uint64_t>(value);
  std::string digits = std::to_string(magnitude);
  if (scale > 0) {
    if (digits.size() <= static_cast<std::size_t>(scale))
      digits.insert(0, static_cast<std::size_t>(scale) + 1 - digits.size(), '0');
    digits.insert(digits.size() - static_cast<std::size_t>(scale), 1, '.');
  }
  if (negative) digits.insert(0, 1, '-');
  return digits;
}

std::string formatMoney(MinorUnits amount, std::string_view currency) {
  return formatFixed(amount, currencyExponent(currency).value_or(2));
}

std::optional<MinorUnits> parseMoney(std::string_view text, std::string_view currency) {
  const auto exponent = currencyExponent(currency);
  if (!exponent) return std::nullopt;
  return parseFixed(text, *exponent);
}

std::optional<std::int64_t> divideHalfEven(std::int64_t numerator, std::int64_t denominator) {
  if (denominator <= 0) return std::nullopt;
  if (numerator == INT64_MIN) return std::nullopt;
  const bool negative = numerator < 0;
  const std::int64_t magnitude = negative ? -numerator : numerator;
  std::int64_t quotient = magnitude / denominator;
  const std::int64_t remainder = magnitude % denominator;
  // Compare 2·remainder with the denominator without overflowing: remainder < denominator.
  const std::int64_t other = denominator - remainder;
  if (remainder > other || (remainder == other && quotient % 2 == 1)) ++quotient;
  return negative ? -quotient : quotient;
}

std::optional<MinorUnits> extendAmount(MinorUnits rate, Hundredths quantity) {
  std::int64_t product = 0;
  if (__builtin_mul_overflow(rate, quantity, &product)) return std::nullopt;
  return divideHalfEven(product, pow10(kQuantityScale));
}

std::optional<MinorUnits> addAmounts(MinorUnits a, MinorUnits b) {
  std::int64_t sum = 0;
  if (__builtin_add_overflow(a, b, &sum)) return std::nullopt;
  return sum;
}

std::optional<MinorUnits> applyBasisPoints(MinorUnits amount, std::int64_t basis_points) {
  std::int64_t product = 0;
  if (__builtin_mul_overflow(amount, basis_points, &product)) return std::nullopt;
  return divideHalfEven(product, 10000);
}

}  // namespace keygate::core
