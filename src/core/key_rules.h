// Pure rules of the key lifecycle (DESIGN §2.2): expiration limits and rotation overlap.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/error.h"

namespace keygate::core {

inline constexpr Seconds kRotationOverlap = 7 * kSecondsPerDay;

// Days since 1970-01-01 for a proleptic Gregorian date, and back.
std::int64_t daysFromCivil(int y, unsigned m, unsigned d);
// "YYYY-MM-DD" → Unix time of that day's 00:00 UTC.
std::optional<Seconds> parseDate(std::string_view text);
std::string formatDate(Seconds t);      // "YYYY-MM-DD" (UTC)
std::string formatDateTime(Seconds t);  // "YYYY-MM-DDTHH:MM:SSZ"
Seconds startOfDay(Seconds t);

// A key chosen to expire "on" a date stays valid through the end of that UTC day.
inline Seconds expiryInstantForDate(Seconds day_start) {
  return day_start + kSecondsPerDay;
}

// The latest date a new key may carry: today (UTC) plus the organization's lifetime.
Seconds latestExpiryDate(Seconds now, int key_lifetime_days);

// Validates a requested expiration date (day start, UTC) and returns the expiry instant.
// No date → the latest allowed one. Past dates and dates beyond the lifetime are rejected.
Result<Seconds> resolveExpiry(std::optional<Seconds> requested_day, Seconds now,
                              int key_lifetime_days);

// Rotation overlap: when a new key is created at `now`, an older active key expiring later
// than now + 7 days is shortened to exactly now + 7 days. Never lengthens. nullopt: unchanged.
std::optional<Seconds> shortenedExpiry(Seconds older_expires_at, Seconds now);

}  // namespace keygate::core
