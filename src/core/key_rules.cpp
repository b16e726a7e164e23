#include "core/key_rules.h"

#include <charconv>
#include <cstdio>

namespace keygate::core {

// Howard Hinnant's days_from_civil / civil_from_days algorithms.
std::int64_t daysFromCivil(int y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

namespace {

struct Civil {
  int y;
  unsigned m, d;
};

Civil civilFromDays(std::int64_t z) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return {static_cast<int>(y + (m <= 2)), m, d};
}

std::int64_t floorDiv(std::int64_t a, std::int64_t b) {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

bool parseUnsigned(std::string_view s, unsigned& out) {
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && p == s.data() + s.size();
}

}  // namespace

std::optional<Seconds> parseDate(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  for (std::size_t i : {0u, 1u, 2u, 3u, 5u, 6u, 8u, 9u})
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
  unsigned y = 0, m = 0, d = 0;
  if (!parseUnsigned(text.substr(0, 4), y) || !parseUnsigned(text.substr(5, 2), m) ||
      !parseUnsigned(text.substr(8, 2), d))
    return std::nullopt;
  if (y < 1970 || m < 1 || m > 12 || d < 1) return std::nullopt;
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  const unsigned max_day = (m == 2 && leap) ? 29 : kDays[m - 1];
  if (d > max_day) return std::nullopt;
  return daysFromCivil(static_cast<int>(y), m, d) * kSecondsPerDay;
}

Seconds startOfDay(Seconds t) {
  return floorDiv(t, kSecondsPerDay) * kSecondsPerDay;
}

std::string formatDate(Seconds t) {
  const Civil c = civilFromDays(floorDiv(t, kSecondsPerDay));
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", c.y, c.m, c.d);
  return buf;
}

std::string formatDateTime(Seconds t) {
  const Seconds day = floorDiv(t, kSecondsPerDay);
  const Seconds rem = t - day * kSecondsPerDay;
  const Civil c = civilFromDays(day);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02dZ", c.y, c.m, c.d,
                static_cast<int>(rem / 3600), static_cast<int>(rem / 60 % 60),
                static_cast<int>(rem % 60));
  return buf;
}

Seconds latestExpiryDate(Seconds now, int key_lifetime_days) {
  return startOfDay(now) + static_cast<Seconds>(key_lifetime_days) * kSecondsPerDay;
}

Result<Seconds> resolveExpiry(std::optional<Seconds> requested_day, Seconds now,
                              int key_lifetime_days) {
  const Seconds latest = latestExpiryDate(now, key_lifetime_days);
  if (!requested_day) return expiryInstantForDate(latest);
  const Seconds day = startOfDay(*requested_day);
  if (day < startOfDay(now))
    return fieldError(Errc::kValidationFailed, "expiresOn",
                      "The expiration date must not be in the past.");
  if (day > latest)
    return fieldError(Errc::kValidationFailed, "expiresOn",
                      "The expiration date may be at most " + std::to_string(key_lifetime_days) +
                          " days ahead (" + formatDate(latest) + ").");
  return expiryInstantForDate(day);
}

std::optional<Seconds> shortenedExpiry(Seconds older_expires_at, Seconds now) {
  const Seconds limit = now + kRotationOverlap;
  if (older_expires_at > limit) return limit;
  return std::nullopt;
}

}  // namespace keygate::core
