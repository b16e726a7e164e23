// Pure rules of the Supplier API domain (see supplier_model.h).
#include "core/supplier_model.h"

#include <map>

#include "core/key_rules.h"

namespace keygate::core {
namespace {

Error conflict(std::string message) {
  return makeError(Errc::kConflict, std::move(message));
}

Error entryError(std::size_t index, std::string_view member, std::string message) {
  return fieldError(Errc::kValidationFailed,
                    "entries[" + std::to_string(index) + "]" +
                        (member.empty() ? std::string() : "." + std::string(member)),
                    std::move(message));
}

std::int64_t floorDiv(std::int64_t a, std::int64_t b) {
  std::int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

Error overflow() {
  return makeError(Errc::kValidationFailed, "The amounts of this timecard are too large.");
}

}  // namespace

std::optional<MinorUnits> Rates::forType(RateType type) const {
  switch (type) {
    case RateType::kStraight:
      return straight;
    case RateType::kOvertime:
      return overtime;
    case RateType::kDoubleTime:
      return double_time;
  }
  return std::nullopt;
}

Result<TimecardStatus> nextTimecardStatus(TimecardStatus from, TimecardAction action, Party by) {
  using S = TimecardStatus;
  using A = TimecardAction;
  const std::string status_name(enumName(from));
  switch (action) {
    case A::kSubmit:
    case A::kRecall:
    case A::kRevise:
      if (by != Party::kSupplier)
        return conflict("Only the supplier submits, recalls or revises a timecard.");
      break;
    case A::kApprove:
    case A::kReject:
      if (by != Party::kClient)
        return conflict(
            "Timecards are approved or rejected by the client in the VMS; the Supplier API can "
            "never approve or reject a timecard.");
      break;
    case A::kInvoice:
      if (by != Party::kSystem) return conflict("Timecards are invoiced by the VMS.");
      break;
  }
  switch (action) {
    case A::kSubmit:
      if (from == S::kDraft) return S::kSubmitted;
      return conflict("Only a draft timecard can be submitted; this one is " + status_name + ".");
    case A::kRecall:
      if (from == S::kSubmitted) return S::kDraft;
      return conflict("Only a submitted timecard can be recalled; this one is " + status_name +
                      ".");
    case A::kRevise:
      if (from == S::kRejected) return S::kDraft;
      return conflict("Only a rejected timecard can be revised; this one is " + status_name + ".");
    case A::kApprove:
      if (from == S::kSubmitted) return S::kApproved;
      return conflict("Only a submitted timecard can be approved; this one is " + status_name +
                      ".");
    case A::kReject:
      if (from == S::kSubmitted) return S::kRejected;
      return conflict("Only a submitted timecard can be rejected; this one is " + status_name +
                      ".");
    case A::kInvoice:
      if (from == S::kApproved) return S::kInvoiced;
      return conflict("Only an approved timecard can be invoiced; this one is " + status_name +
                      ".");
  }
  return conflict("Unknown timecard action.");
}

bool isWeekEnding(Seconds t) {
  if (t % kSecondsPerDay != 0) return false;
  // 1970-01-01 was a Thursday, so day 3 was the first Sunday.
  return floorDiv(t / kSecondsPerDay - 3, 7) * 7 == t / kSecondsPerDay - 3;
}

Seconds weekEndingFor(Seconds t) {
  const std::int64_t day = floorDiv(t, kSecondsPerDay);
  const std::int64_t since_sunday = day - 3 - floorDiv(day - 3, 7) * 7;  // 0 on Sunday
  const std::int64_t sunday = since_sunday == 0 ? day : day + (7 - since_sunday);
  return sunday * kSecondsPerDay;
}

Status validateTimecardEntries(const std::vector<TimecardEntry>& entries, Seconds week_ending,
                               const Engagement& engagement) {
  if (entries.size() > kMaxTimecardEntries)
    return fieldError(
        Errc::kValidationFailed, "entries",
        "A timecard holds at most " + std::to_string(kMaxTimecardEntries) + " entries.");
  const Seconds first_day = week_ending - 6 * kSecondsPerDay;
  std::map<Seconds, Hundredths> per_day;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const auto& e = entries[i];
    if (e.work_date < first_day || e.work_date > week_ending)
      return entryError(i, "workDate",
                        "The work date " + formatDate(e.work_date) + " is outside the week " +
                            formatDate(first_day) + " to " + formatDate(week_ending) + ".");
    if (e.work_date < engagement.start_date ||
        (engagement.end_date && e.work_date > *engagement.end_date))
      return entryError(
          i, "workDate",
          "The work date " + formatDate(e.work_date) + " is outside the engagement's dates.");
    if (e.hours < 0 || e.hours > kMaxHoursPerDay)
      return entryError(i, "hours", "Hours must be between 0 and 24.");
    if (!engagement.rates.forType(e.rate_type))
      return entryError(i, "rateType",
                        "The engagement has no " + std::string(enumName(e.rate_type)) + " rate.");
    if (e.time_in.has_value() != e.time_out.has_value())
      return entryError(i, e.time_in ? "timeOut" : "timeIn",
                        "Give both timeIn and timeOut, or neither.");
    if (e.time_in) {
      if (*e.time_in < 0 || *e.time_in >= 24 * 60 || *e.time_out < 0 || *e.time_out >= 24 * 60)
        return entryError(i, "timeIn", "Times are HH:MM from 00:00 to 23:59.");
      int span = *e.time_out - *e.time_in;
      if (span <= 0) span += 24 * 60;  // a shift past midnight
      // hours are hundredths: span minutes = span * 100 / 60 hundredths.
      if (e.hours * 60 > static_cast<Hundredths>(span) * 100)
        return entryError(i, "hours", "The hours exceed the time between timeIn and timeOut.");
    }
    Hundredths& day_total = per_day[e.work_date];
    day_total += e.hours;
    if (day_total > kMaxHoursPerDay)
      return entryError(i, "hours",
                        "More than 24 hours on " + formatDate(e.work_date) + " in total.");
  }
  return ok();
}

Result<std::vector<TimecardLine>> timecardLines(const std::vector<TimecardEntry>& entries,
                                                const Rates& rates, RateUnit unit) {
  std::vector<TimecardLine> lines;
  for (RateType type : {RateType::kStraight, RateType::kOvertime, RateType::kDoubleTime}) {
    Hundredths quantity = 0;
    std::map<Seconds, bool> days;
    for (const auto& e : entries) {
      if (e.rate_type != type || e.hours <= 0) continue;
      quantity += e.hours;
      days[e.work_date] = true;
    }
    if (quantity == 0) continue;
    if (unit == RateUnit::kDay) quantity = static_cast<Hundredths>(days.size()) * 100;
    const auto rate = rates.forType(type);
    if (!rate)
      return fieldError(Errc::kValidationFailed, "entries",
                        "The engagement has no " + std::string(enumName(type)) + " rate.");
    const auto amount = extendAmount(*rate, quantity);
    if (!amount) return overflow();
    lines.push_back(TimecardLine{type, quantity, *rate, *amount});
  }
  return lines;
}

Status computeTimecardTotals(Timecard& timecard) {
  KG_ASSIGN_OR_RETURN(const auto lines,
                      timecardLines(timecard.entries, timecard.rates, timecard.rate_unit));
  Hundredths hours = 0;
  for (const auto& e : timecard.entries) hours += e.hours;
  MinorUnits amount = 0;
  for (const auto& line : lines) {
    const auto sum = addAmounts(amount, line.amount);
    if (!sum) return overflow();
    amount = *sum;
  }
  timecard.total_hours = hours;
  timecard.total_amount = amount;
  return ok();
}

}  // namespace keygate::core
