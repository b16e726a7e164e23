// The pure rules of timecards (core/supplier_model): the state machine of DESIGN §4.2 with
// who may make each move, entry validation, and what a timecard is worth.
#include <gtest/gtest.h>

#include "core/key_rules.h"
#include "core/supplier_model.h"

namespace keygate::core {
namespace {

using A = TimecardAction;
using S = TimecardStatus;

const Seconds kSunday = *parseDate("2025-06-15");  // a Sunday

TEST(TimecardStateMachine, HasExactlyTheMovesOfTheDesign) {
  struct Move {
    S from;
    A action;
    Party by;
    std::optional<S> to;  // nullopt: refused with kConflict
  };
  const std::vector<Move> moves = {
      {S::kDraft, A::kSubmit, Party::kSupplier, S::kSubmitted},
      {S::kSubmitted, A::kRecall, Party::kSupplier, S::kDraft},
      {S::kSubmitted, A::kApprove, Party::kClient, S::kApproved},
      {S::kSubmitted, A::kReject, Party::kClient, S::kRejected},
      {S::kRejected, A::kRevise, Party::kSupplier, S::kDraft},
      {S::kApproved, A::kInvoice, Party::kSystem, S::kInvoiced},
      // The Supplier API can never approve, reject or invoice, from any state.
      {S::kSubmitted, A::kApprove, Party::kSupplier, std::nullopt},
      {S::kDraft, A::kApprove, Party::kSupplier, std::nullopt},
      {S::kSubmitted, A::kReject, Party::kSupplier, std::nullopt},
      {S::kApproved, A::kInvoice, Party::kSupplier, std::nullopt},
      // Moves from the wrong state.
      {S::kSubmitted, A::kSubmit, Party::kSupplier, std::nullopt},
      {S::kApproved, A::kSubmit, Party::kSupplier, std::nullopt},
      {S::kInvoiced, A::kSubmit, Party::kSupplier, std::nullopt},
      {S::kDraft, A::kRecall, Party::kSupplier, std::nullopt},
      {S::kApproved, A::kRecall, Party::kSupplier, std::nullopt},
      {S::kInvoiced, A::kRecall, Party::kSupplier, std::nullopt},
      {S::kRejected, A::kSubmit, Party::kSupplier, std::nullopt},
      {S::kDraft, A::kRevise, Party::kSupplier, std::nullopt},
      {S::kDraft, A::kApprove, Party::kClient, std::nullopt},
      {S::kRejected, A::kApprove, Party::kClient, std::nullopt},
      {S::kSubmitted, A::kInvoice, Party::kSystem, std::nullopt},
      // The client does not submit for the supplier.
      {S::kDraft, A::kSubmit, Party::kClient, std::nullopt},
  };
  for (const auto& m : moves) {
    SCOPED_TRACE(std::string(enumName(m.from)) + " " + std::string(enumName(m.action)));
    auto next = nextTimecardStatus(m.from, m.action, m.by);
    if (m.to) {
      ASSERT_TRUE(next);
      EXPECT_EQ(*next, *m.to);
    } else {
      ASSERT_FALSE(next);
      EXPECT_EQ(next.error().code, Errc::kConflict);
      EXPECT_FALSE(next.error().message.empty());
    }
  }
  auto approve = nextTimecardStatus(S::kSubmitted, A::kApprove, Party::kSupplier);
  ASSERT_FALSE(approve);
  EXPECT_NE(approve.error().message.find("never approve"), std::string::npos);
}

TEST(TimecardStateMachine, OnlyDraftsAreEditable) {
  EXPECT_TRUE(timecardEditable(S::kDraft));
  for (S s : {S::kSubmitted, S::kApproved, S::kRejected, S::kInvoiced})
    EXPECT_FALSE(timecardEditable(s)) << enumName(s);
}

TEST(TimecardWeeks, WeeksEndOnSundayAtMidnightUtc) {
  EXPECT_TRUE(isWeekEnding(kSunday));
  EXPECT_FALSE(isWeekEnding(kSunday + kSecondsPerDay));
  EXPECT_FALSE(isWeekEnding(kSunday + 3600));
  EXPECT_TRUE(isWeekEnding(*parseDate("1970-01-04")));
  EXPECT_EQ(weekEndingFor(*parseDate("2025-06-09")), kSunday);  // Monday
  EXPECT_EQ(weekEndingFor(kSunday + 3600), kSunday);
  EXPECT_EQ(weekEndingFor(*parseDate("2025-06-16")), kSunday + 7 * kSecondsPerDay);
}

Engagement engagement() {
  Engagement e;
  e.start_date = *parseDate("2025-06-10");  // a Tuesday
  e.end_date = *parseDate("2025-12-31");
  e.rates.straight = 6850;
  e.rates.overtime = 10275;
  return e;
}

TimecardEntry at(const char* day, RateType type, Hundredths hours) {
  return TimecardEntry{*parseDate(day), type, hours, std::nullopt, std::nullopt};
}

TEST(TimecardEntries, AreValidatedAgainstWeekEngagementAndClock) {
  const auto e = engagement();
  const auto check = [&](std::vector<TimecardEntry> entries) {
    return validateTimecardEntries(entries, kSunday, e);
  };
  EXPECT_TRUE(check({}));
  EXPECT_TRUE(check(
      {at("2025-06-10", RateType::kStraight, 800), at("2025-06-10", RateType::kOvertime, 1600)}));
  struct Bad {
    std::vector<TimecardEntry> entries;
    const char* field;
  };
  const std::vector<Bad> bad = {
      {{at("2025-06-16", RateType::kStraight, 800)}, "entries[0].workDate"},  // after the week
      {{at("2025-06-08", RateType::kStraight, 800)}, "entries[0].workDate"},  // before it
      {{at("2025-06-09", RateType::kStraight, 800)}, "entries[0].workDate"},  // before the start
      {{at("2025-06-11", RateType::kStraight, -100)}, "entries[0].hours"},
      {{at("2025-06-11", RateType::kStraight, 2401)}, "entries[0].hours"},
      {{at("2025-06-11", RateType::kStraight, 1600), at("2025-06-11", RateType::kOvertime, 900)},
       "entries[1].hours"},  // 25 hours on one day
      {{at("2025-06-11", RateType::kDoubleTime, 100)}, "entries[0].rateType"},
  };
  for (const auto& b : bad) {
    auto status = check(b.entries);
    ASSERT_FALSE(status) << b.field;
    EXPECT_EQ(status.error().code, Errc::kValidationFailed);
    EXPECT_EQ(status.error().field, b.field);
  }
  auto shift = at("2025-06-11", RateType::kStraight, 800);
  shift.time_in = 9 * 60;
  EXPECT_EQ(check({shift}).error().field, "entries[0].timeOut");
  shift.time_out = 17 * 60;  // 8 hours between
  EXPECT_TRUE(check({shift}));
  shift.time_out = 16 * 60;
  EXPECT_EQ(check({shift}).error().field, "entries[0].hours");
  shift.time_in = 22 * 60;  // overnight, 22:00 to 06:00
  shift.time_out = 6 * 60;
  EXPECT_TRUE(check({shift}));
  std::vector<TimecardEntry> many(kMaxTimecardEntries + 1,
                                  at("2025-06-11", RateType::kStraight, 0));
  EXPECT_EQ(check(many).error().field, "entries");
}

TEST(TimecardAmounts, AreRateTimesSummedQuantityRoundedOncePerRateType) {
  const auto e = engagement();
  const std::vector<TimecardEntry> entries = {
      at("2025-06-10", RateType::kStraight, 800), at("2025-06-11", RateType::kStraight, 750),
      at("2025-06-11", RateType::kOvertime, 125), at("2025-06-12", RateType::kStraight, 0)};
  auto lines = timecardLines(entries, e.rates, RateUnit::kHour);
  ASSERT_TRUE(lines);
  ASSERT_EQ(lines->size(), 2u);
  EXPECT_EQ((*lines)[0].rate_type, RateType::kStraight);
  EXPECT_EQ((*lines)[0].quantity, 1550);
  EXPECT_EQ((*lines)[0].amount, 106175);  // 68.50 × 15.5 = 1061.75
  EXPECT_EQ((*lines)[1].quantity, 125);
  EXPECT_EQ((*lines)[1].amount, 12844);  // 102.75 × 1.25 = 128.4375 → 128.44

  Timecard t;
  t.rates = e.rates;
  t.entries = entries;
  ASSERT_TRUE(computeTimecardTotals(t));
  EXPECT_EQ(t.total_hours, 1675);
  EXPECT_EQ(t.total_amount, 106175 + 12844);

  // Day rates bill one day per date with time, whatever the hours.
  Rates day_rate;
  day_rate.straight = 65000;
  auto days = timecardLines(
      {at("2025-06-10", RateType::kStraight, 800), at("2025-06-11", RateType::kStraight, 400),
       at("2025-06-11", RateType::kStraight, 400), at("2025-06-12", RateType::kStraight, 0)},
      day_rate, RateUnit::kDay);
  ASSERT_TRUE(days);
  ASSERT_EQ(days->size(), 1u);
  EXPECT_EQ((*days)[0].quantity, 200);
  EXPECT_EQ((*days)[0].amount, 130000);
}

TEST(SupplierEnums, RoundTripTheirWireNames) {
  EXPECT_EQ(enumName(RateType::kDoubleTime), "DT");
  EXPECT_EQ(parseEnum<RateType>("OT"), RateType::kOvertime);
  EXPECT_FALSE(parseEnum<RateType>("ot"));
  EXPECT_EQ(parseEnum<TimecardStatus>("invoiced"), TimecardStatus::kInvoiced);
  EXPECT_FALSE(parseEnum<TimecardStatus>("' OR 1=1 --"));
  EXPECT_EQ(enumChoices<WorkerStatus>(), "active or inactive");
  EXPECT_EQ(enumChoices<BillingItemType>(), "time, expense or adjustment");
}

}  // namespace
}  // namespace keygate::core
