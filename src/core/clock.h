// Time and randomness are injected everywhere so tests advance a clock instead of sleeping.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <span>

namespace keygate::core {

using Seconds = std::int64_t;  // Unix time in whole seconds (UTC); the unit of every stored time

class Clock {
 public:
  virtual ~Clock() = default;
  virtual Seconds now() const = 0;
};

class SystemClock final : public Clock {
 public:
  Seconds now() const override {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }
};

// A clock that only moves when told to. Used by unit tests and, in test configuration only,
// by the server's clock-control endpoint.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(Seconds start) : now_(start) {}
  Seconds now() const override { return now_.load(); }
  void advance(Seconds delta) { now_ += delta; }
  void set(Seconds t) { now_ = t; }

 private:
  std::atomic<Seconds> now_;
};

// A clock that adds a settable offset to another clock (test configuration only: lets an
// end-to-end test move a running server past an expiry date).
class OffsetClock final : public Clock {
 public:
  explicit OffsetClock(const Clock& base) : base_(base) {}
  Seconds now() const override { return base_.now() + offset_.load(); }
  void advance(Seconds delta) { offset_ += delta; }
  Seconds offset() const { return offset_.load(); }

 private:
  const Clock& base_;
  std::atomic<Seconds> offset_{0};
};

class Random {
 public:
  virtual ~Random() = default;
  virtual void fill(std::span<std::byte> out) = 0;
  // Uniform in [0, upper_bound).
  virtual std::uint32_t uniform(std::uint32_t upper_bound) = 0;
};

inline constexpr Seconds kSecondsPerDay = 86400;

}  // namespace keygate::core
