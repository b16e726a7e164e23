#include "services/throttle.h"

#include <gtest/gtest.h>

namespace keygate::services {
namespace {

TEST(FailureThrottle, BlocksAfterMaxFailuresUntilTheWindowPasses) {
  core::FakeClock clock(1000);
  FailureThrottle throttle(clock, 3, 60);
  EXPECT_FALSE(throttle.blockedFor("a"));
  throttle.recordFailure("a");
  clock.advance(10);
  throttle.recordFailure("a");
  EXPECT_FALSE(throttle.blockedFor("a"));
  throttle.recordFailure("a");
  ASSERT_TRUE(throttle.blockedFor("a"));
  EXPECT_EQ(*throttle.blockedFor("a"), 50);  // the first failure leaves the window at 1060
  EXPECT_FALSE(throttle.blockedFor("b"));
  clock.advance(50);
  EXPECT_FALSE(throttle.blockedFor("a"));
}

TEST(FailureThrottle, ResetForgetsAKey) {
  core::FakeClock clock(0);
  FailureThrottle throttle(clock, 1, 60);
  throttle.recordFailure("a");
  EXPECT_TRUE(throttle.blockedFor("a"));
  throttle.reset("a");
  EXPECT_FALSE(throttle.blockedFor("a"));
}

TEST(FailureThrottle, MemoryIsBounded) {
  core::FakeClock clock(0);
  FailureThrottle throttle(clock, 5, 60, 100);
  for (int i = 0; i < 1000; ++i) throttle.recordFailure("key" + std::to_string(i));
  EXPECT_LE(throttle.trackedKeys(), 100u);
}

}  // namespace
}  // namespace keygate::services
