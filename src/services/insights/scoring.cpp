// The candidate-insight model "kg-match-1.0" (docs/candidate-insights.md has the formulas).
// Five criteria, each scored 0–100 and weighted; the overall score is their weighted sum.
// Every number is computed from the inputs alone, in a fixed order, so the same inputs give
// the same result on every call.
#include "services/insights/scoring.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>

#include "core/key_rules.h"
#include "core/money.h"
#include "services/insights/location.h"
#include "services/insights/skills.h"
#include "services/insights/text_similarity.h"

namespace keygate::services::insights {
namespace {

constexpr std::string_view kModelVersion = "kg-match-1.0";

// Weights in percent; they sum to 100 (a unit test checks it).
constexpr int kWeightSkills = 40;
constexpr int kWeightExperience = 20;
constexpr int kWeightRate = 15;
constexpr int kWeightLocation = 15;
constexpr int kWeightAvailability = 10;

// Share of a requirement's weight: required skills count twice as much as preferred ones.
constexpr double kRequiredWeight = 2.0;
constexpr double kPreferredWeight = 1.0;
// Credit for a requested skill the candidate lists, or only names in the resume.
constexpr double kListedCredit = 1.0;
constexpr double kResumeOnlyCredit = 0.5;
// Experience credit for a skill named only in the resume: its years are not stated.
constexpr double kResumeOnlyExperienceCredit = 0.3;
// Points the resume's BM25 relevance can add to the skills score (relevance 1.0 adds all).
constexpr double kResumeRelevanceBonus = 10.0;
// Score of a criterion the inputs say nothing about (no desired rate, no location).
constexpr int kUnknownScore = 50;
// Rate: points lost per percent above the maximum (25 % above scores 0).
constexpr double kRatePointsPerPercentOver = 4.0;
// Availability: points lost per day after the requested start (34 days late scores 0).
constexpr int kAvailabilityPointsPerDay = 3;
// Years beyond this are treated as this many (guards against absurd inputs).
constexpr double kMaxYears = 60.0;

enum class Source { kListed, kResume, kNone };

struct SkillMatch {
  std::string name;       // as the request spells it
  std::string canonical;  // normalizeSkill(name)
  bool required = true;
  int min_years = 0;
  Source source = Source::kNone;
  double years = 0;       // from the candidate's list
  std::string listed_as;  // the candidate's spelling
};

int clampScore(double value) {
  if (!(value > 0)) return 0;  // also NaN
  if (value >= 100) return 100;
  return static_cast<int>(std::floor(value + 0.5));
}

std::string verdictFor(int score) {
  if (score >= 85) return "strong";
  if (score >= 70) return "good";
  if (score >= 40) return "partial";
  if (score >= 1) return "weak";
  return "missing";
}

double sanitizeYears(double years) {
  if (!(years > 0)) return 0;
  return std::min(years, kMaxYears);
}

std::string formatNumber(double value, int decimals) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
  std::string text = buffer;
  if (text.find('.') != std::string::npos) {
    while (text.back() == '0') text.pop_back();
    if (text.back() == '.') text.pop_back();
  }
  return text;
}

std::string formatYears(double years) {
  const std::string number = formatNumber(years, 1);
  return number + (number == "1" ? " year" : " years");
}

std::string formatRate(std::int64_t minor, const std::string& currency, RateUnit unit) {
  return core::formatMoney(minor, currency) + " " + currency +
         (unit == RateUnit::kHour ? "/hour" : "/day");
}

// A date for evidence text; out-of-range inputs are shown as such rather than formatted.
std::string dateText(core::Seconds t) {
  constexpr core::Seconds kYear1 = -62135596800;     // 0001-01-01
  constexpr core::Seconds kYear9999 = 253402300799;  // 9999-12-31T23:59:59Z
  if (t < kYear1 || t > kYear9999) return "(date out of range)";
  return core::formatDate(t);
}

std::string joinNames(const std::vector<std::string>& names) {
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += i + 1 == names.size() ? " and " : ", ";
    out += names[i];
  }
  return out;
}

double requirementWeight(const SkillMatch& m) {
  return m.required ? kRequiredWeight : kPreferredWeight;
}

// The request's skills, deduplicated by canonical form (a skill both required and preferred
// counts as required), required ones first, each in request order; matched against the
// candidate's list first and the resume second.
std::vector<SkillMatch> matchSkills(const RequestProfile& request,
                                    const CandidateProfile& candidate) {
  std::vector<SkillMatch> matches;
  for (bool required : {true, false}) {
    for (const auto& requirement : request.skills) {
      if (requirement.required != required) continue;
      std::string canonical = normalizeSkill(requirement.name);
      if (canonical.empty()) continue;
      auto same = std::find_if(matches.begin(), matches.end(),
                               [&](const SkillMatch& m) { return m.canonical == canonical; });
      if (same != matches.end()) {
        same->min_years = std::max(same->min_years, std::max(0, requirement.min_years));
        continue;
      }
      SkillMatch match;
      match.name = requirement.name;
      match.canonical = std::move(canonical);
      match.required = required;
      match.min_years = std::max(0, requirement.min_years);
      matches.push_back(std::move(match));
    }
  }
  for (auto& match : matches) {
    for (const auto& skill : candidate.skills) {
      if (normalizeSkill(skill.name) != match.canonical) continue;
      const double years = sanitizeYears(skill.years);
      if (match.source != Source::kListed || years > match.years) {
        match.source = Source::kListed;
        match.years = years;
        match.listed_as = skill.name;
      }
    }
  }
  std::set<std::string> wanted;
  for (const auto& match : matches)
    if (match.source == Source::kNone) wanted.insert(match.canonical);
  const auto mentioned = skillsMentioned(candidate.resume_text, wanted);
  for (auto& match : matches)
    if (match.source == Source::kNone && mentioned.contains(match.canonical))
      match.source = Source::kResume;
  return matches;
}

struct Relevance {
  bool computed = false;
  double value = 0;  // [0, 1]
};

Relevance resumeRelevance(const RequestProfile& request, const CandidateProfile& candidate) {
  std::string query = request.title + "\n" + request.description;
  for (const auto& skill : request.skills) query += "\n" + skill.name;
  if (analyzeText(candidate.resume_text).empty() || analyzeText(query).empty()) return {};
  return {true, bm25Relevance(query, candidate.resume_text)};
}

std::string relevanceEvidence(const Relevance& relevance, const CandidateProfile& candidate) {
  if (relevance.computed)
    return "Resume relevance to the request (BM25): " + formatNumber(relevance.value * 100, 0) +
           "%";
  if (analyzeText(candidate.resume_text).empty()) return "No resume text to compare.";
  return "The request has no description to compare the resume with.";
}

CriterionResult scoreSkills(const std::vector<SkillMatch>& matches, const Relevance& relevance,
                            const CandidateProfile& candidate) {
  CriterionResult c;
  c.name = "skills";
  c.weight = kWeightSkills;
  if (matches.empty()) {
    c.score = relevance.computed ? clampScore(100 * relevance.value) : kUnknownScore;
    c.explanation = relevance.computed
                        ? "The request lists no skills, so the resume's relevance to the "
                          "request decides this criterion."
                        : "The request lists no skills and there is no resume to compare.";
    c.evidence.push_back(relevanceEvidence(relevance, candidate));
    c.verdict = verdictFor(c.score);
    return c;
  }
  double earned = 0;
  double possible = 0;
  int required = 0, required_matched = 0, preferred = 0, preferred_matched = 0, resume_only = 0;
  for (const auto& m : matches) {
    const double weight = requirementWeight(m);
    possible += weight;
    const char* kind = m.required ? "required" : "preferred";
    (m.required ? required : preferred) += 1;
    switch (m.source) {
      case Source::kListed:
        earned += weight * kListedCredit;
        (m.required ? required_matched : preferred_matched) += 1;
        c.evidence.push_back(m.name + " (" + kind + "): listed" +
                             (m.listed_as != m.name ? " as \"" + m.listed_as + "\"" : ""));
        break;
      case Source::kResume:
        earned += weight * kResumeOnlyCredit;
        (m.required ? required_matched : preferred_matched) += 1;
        ++resume_only;
        c.evidence.push_back(m.name + " (" + kind + "): named in the resume only");
        break;
      case Source::kNone:
        c.evidence.push_back(m.name + " (" + kind + "): not found");
        break;
    }
  }
  const double bonus = relevance.computed ? kResumeRelevanceBonus * relevance.value : 0;
  c.score = clampScore(100 * earned / possible + bonus);
  c.evidence.push_back(relevanceEvidence(relevance, candidate));

  std::string sentence = "Matches " + std::to_string(required_matched) + " of " +
                         std::to_string(required) + " required";
  if (preferred > 0)
    sentence += " and " + std::to_string(preferred_matched) + " of " + std::to_string(preferred) +
                " preferred";
  sentence += " skills";
  if (resume_only > 0)
    sentence += " (" + std::to_string(resume_only) + " named only in the resume)";
  c.explanation = sentence + ".";
  c.verdict = verdictFor(c.score);
  return c;
}

CriterionResult scoreExperience(const std::vector<SkillMatch>& matches) {
  CriterionResult c;
  c.name = "experience";
  c.weight = kWeightExperience;
  double earned = 0;
  double possible = 0;
  int with_minimum = 0, met = 0;
  for (const auto& m : matches) {
    if (m.min_years <= 0) continue;
    ++with_minimum;
    const double weight = requirementWeight(m);
    possible += weight;
    const std::string minimum = "minimum " + formatYears(m.min_years);
    switch (m.source) {
      case Source::kListed: {
        const double ratio = std::min(1.0, m.years / m.min_years);
        earned += weight * ratio;
        if (ratio >= 1.0) ++met;
        c.evidence.push_back(m.name + ": " + formatYears(m.years) + " (" + minimum + ")");
        break;
      }
      case Source::kResume:
        earned += weight * kResumeOnlyExperienceCredit;
        c.evidence.push_back(m.name + ": named in the resume, years not stated (" + minimum + ")");
        break;
      case Source::kNone:
        c.evidence.push_back(m.name + ": no experience stated (" + minimum + ")");
        break;
    }
  }
  if (with_minimum == 0) {
    c.score = 100;
    c.explanation = "The request sets no minimum years of experience.";
    c.verdict = verdictFor(c.score);
    return c;
  }
  c.score = clampScore(100 * earned / possible);
  c.explanation = "Meets the minimum years for " + std::to_string(met) + " of " +
                  std::to_string(with_minimum) +
                  (with_minimum == 1 ? " skill that sets one." : " skills that set one.");
  c.verdict = verdictFor(c.score);
  return c;
}

CriterionResult scoreRate(const RequestProfile& request, const CandidateProfile& candidate,
                          bool& above_maximum) {
  CriterionResult c;
  c.name = "rate";
  c.weight = kWeightRate;
  above_maximum = false;
  const std::int64_t low = std::max<std::int64_t>(0, request.bill_rate_min_minor);
  const std::int64_t high = std::max<std::int64_t>(0, request.bill_rate_max_minor);
  const bool has_range = low > 0 || high > 0;
  auto money = [&](std::int64_t v) { return formatRate(v, request.currency, request.rate_unit); };
  std::string range = high > 0 ? money(low) + " – " + money(high) : "at least " + money(low);
  if (has_range) c.evidence.push_back("Requested bill rate: " + range);

  if (!candidate.desired_rate_minor) {
    c.score = kUnknownScore;
    c.explanation = "The candidate has not stated a desired rate.";
  } else if (candidate.currency != request.currency) {
    c.score = kUnknownScore;
    c.explanation = "The desired rate is in " + candidate.currency + " and the request in " +
                    request.currency + ", so they cannot be compared.";
    c.evidence.push_back("Desired rate currency: " + candidate.currency);
  } else {
    const std::int64_t desired = std::max<std::int64_t>(0, *candidate.desired_rate_minor);
    c.evidence.push_back("Desired rate: " + money(desired));
    if (!has_range) {
      c.score = 100;
      c.explanation = "The request sets no bill-rate range.";
    } else if (high > 0 && desired > high) {
      above_maximum = true;
      const double percent_over =
          100.0 * static_cast<double>(desired - high) / static_cast<double>(high);
      c.score = clampScore(100 - kRatePointsPerPercentOver * percent_over);
      c.explanation = "The desired rate is " + formatNumber(percent_over, 1) +
                      "% above the maximum of " + money(high) + ".";
    } else if (desired < low) {
      c.score = 100;
      c.explanation = "The desired rate is below the requested range.";
    } else {
      c.score = 100;
      c.explanation = "The desired rate is within the requested range.";
    }
  }
  c.verdict = verdictFor(c.score);
  return c;
}

std::string_view remoteName(RemoteType type) {
  switch (type) {
    case RemoteType::kRemote:
      return "remote";
    case RemoteType::kHybrid:
      return "hybrid";
    case RemoteType::kOnsite:
      break;
  }
  return "onsite";
}

CriterionResult scoreLocation(const RequestProfile& request, const CandidateProfile& candidate) {
  CriterionResult c;
  c.name = "location";
  c.weight = kWeightLocation;
  const Place wanted = parsePlace(request.location);
  const Place offered = parsePlace(candidate.location);
  const Proximity near = proximity(wanted, offered);
  c.evidence.push_back("Work arrangement: " + std::string(remoteName(request.remote)) +
                       (request.location.empty() ? "" : " (" + request.location + ")"));
  c.evidence.push_back("Candidate location: " + (candidate.location.empty()
                                                     ? std::string("not stated")
                                                     : candidate.location));
  c.evidence.push_back(std::string("Open to remote work: ") +
                       (candidate.open_to_remote ? "yes" : "no") +
                       "; willing to relocate: " + (candidate.willing_to_relocate ? "yes" : "no"));

  if (request.remote == RemoteType::kRemote) {
    if (candidate.open_to_remote || near == Proximity::kSameCity) {
      c.score = 100;
      c.explanation = "The role is remote and the candidate can work remotely.";
    } else {
      c.score = 60;
      c.explanation = "The role is remote but the candidate prefers on-site work.";
    }
    c.verdict = verdictFor(c.score);
    return c;
  }

  // Onsite and hybrid roles need the candidate near the work location; hybrid is a little
  // more forgiving of a regional commute.
  const bool hybrid = request.remote == RemoteType::kHybrid;
  int score = 0;
  std::string why;
  switch (near) {
    case Proximity::kSameCity:
      score = 100;
      why = "The candidate is in the work location's city.";
      break;
    case Proximity::kSameRegion:
      score = hybrid ? 70 : 60;
      why = "The candidate is in the same state or region but another city.";
      break;
    case Proximity::kSameCountry:
      score = hybrid ? 30 : 20;
      why = "The candidate is in the same country but another region.";
      break;
    case Proximity::kDifferent:
      score = 0;
      why = "The candidate is elsewhere than the " + std::string(remoteName(request.remote)) +
            " work location.";
      break;
    case Proximity::kUnknown:
      score = kUnknownScore;
      why = "The locations given are not enough to compare.";
      break;
  }
  constexpr int kRelocationScore = 70;
  if (candidate.willing_to_relocate && score < kRelocationScore && near != Proximity::kUnknown) {
    score = kRelocationScore;
    why = "The candidate is elsewhere but willing to relocate.";
  }
  c.score = score;
  c.explanation = why;
  c.verdict = verdictFor(c.score);
  return c;
}

CriterionResult scoreAvailability(const RequestProfile& request, const CandidateProfile& candidate,
                                  bool& late) {
  CriterionResult c;
  c.name = "availability";
  c.weight = kWeightAvailability;
  late = false;
  if (!candidate.available_from) {
    c.score = kUnknownScore;
    c.explanation = "The candidate's availability date is not stated.";
  } else if (request.start_date <= 0) {
    c.score = 100;
    c.explanation = "The request has no start date.";
  } else if (*candidate.available_from <= request.start_date) {
    c.score = 100;
    c.explanation = "Available on or before the requested start date.";
  } else {
    late = true;
    const core::Seconds delay = *candidate.available_from - request.start_date;
    const core::Seconds days = delay / core::kSecondsPerDay + (delay % core::kSecondsPerDay != 0);
    // Capped before multiplying: a date centuries ahead must not overflow.
    const core::Seconds penalty = std::min<core::Seconds>(days, 1000) * kAvailabilityPointsPerDay;
    c.score = clampScore(100.0 - static_cast<double>(penalty));
    c.explanation = "Available " + std::to_string(days) + (days == 1 ? " day" : " days") +
                    " after the requested start date.";
  }
  if (candidate.available_from)
    c.evidence.push_back("Available from: " + dateText(*candidate.available_from));
  if (request.start_date > 0)
    c.evidence.push_back("Requested start: " + dateText(request.start_date));
  c.verdict = verdictFor(c.score);
  return c;
}

std::string bandFor(int overall) {
  if (overall >= 85) return "excellent";
  if (overall >= 70) return "good";
  if (overall >= 50) return "fair";
  return "poor";
}

std::string capitalized(std::string text) {
  if (!text.empty() && text[0] >= 'a' && text[0] <= 'z') text[0] = static_cast<char>(text[0] - 32);
  return text;
}

}  // namespace

InsightResult score(const RequestProfile& request, const CandidateProfile& candidate) {
  InsightResult result;
  result.model_version = std::string(kModelVersion);

  const auto matches = matchSkills(request, candidate);
  const auto relevance = resumeRelevance(request, candidate);
  bool rate_above_maximum = false;
  bool available_late = false;
  result.criteria.push_back(scoreSkills(matches, relevance, candidate));
  result.criteria.push_back(scoreExperience(matches));
  result.criteria.push_back(scoreRate(request, candidate, rate_above_maximum));
  result.criteria.push_back(scoreLocation(request, candidate));
  result.criteria.push_back(scoreAvailability(request, candidate, available_late));

  int weighted = 0;
  for (const auto& c : result.criteria) weighted += c.score * c.weight;
  result.overall = std::clamp((weighted + 50) / 100, 0, 100);
  result.band = bandFor(result.overall);

  int required = 0;
  std::vector<std::string> missing_required;
  for (const auto& m : matches) {
    if (m.required) ++required;
    if (m.source == Source::kNone) {
      result.missing_skills.push_back(m.name);
      if (m.required) missing_required.push_back(m.name);
    } else {
      result.matched_skills.push_back(m.name);
    }
  }

  // Recommendation rules (documented in docs/candidate-insights.md), first match wins.
  std::string reason;
  const auto& location = result.criteria[3];
  const auto& rate = result.criteria[2];
  const auto& availability = result.criteria[4];
  if (result.overall < 50) {
    result.recommendation = "do_not_submit";
    reason = "the overall score is below 50";
  } else if (required > 0 && 2 * static_cast<int>(missing_required.size()) > required) {
    result.recommendation = "do_not_submit";
    reason = "most required skills are missing (" + joinNames(missing_required) + ")";
  } else if (location.score == 0) {
    result.recommendation = "do_not_submit";
    reason =
        "the candidate cannot work at the " + std::string(remoteName(request.remote)) + " location";
  } else if (rate.score == 0) {
    result.recommendation = "do_not_submit";
    reason = "the desired rate is far above the maximum";
  } else if (availability.score == 0) {
    result.recommendation = "do_not_submit";
    reason = "the candidate is available more than a month after the start date";
  } else if (!missing_required.empty()) {
    result.recommendation = "review";
    reason = "the required skill" + std::string(missing_required.size() == 1 ? " " : "s ") +
             joinNames(missing_required) + (missing_required.size() == 1 ? " is" : " are") +
             " missing";
  } else if (rate_above_maximum) {
    result.recommendation = "review";
    reason = "the desired rate is above the maximum";
  } else if (available_late) {
    result.recommendation = "review";
    reason = "the candidate is available after the requested start date";
  } else if (auto weak = std::find_if(result.criteria.begin(), result.criteria.end(),
                                      [](const CriterionResult& c) { return c.score < 40; });
             weak != result.criteria.end()) {
    result.recommendation = "review";
    reason = "the " + weak->name + " criterion is weak";
  } else if (result.overall < 70) {
    result.recommendation = "review";
    reason = "the overall score is below 70";
  } else {
    result.recommendation = "proceed";
  }

  // Strongest and weakest: by score, ties broken by weight (heavier first), then by the
  // fixed criterion order, so the summary is deterministic.
  auto stronger = [](const CriterionResult& a, const CriterionResult& b) {
    if (a.score != b.score) return a.score > b.score;
    return a.weight > b.weight;
  };
  const auto strongest = std::min_element(result.criteria.begin(), result.criteria.end(), stronger);
  const auto weakest = std::min_element(result.criteria.begin(), result.criteria.end(),
                                        [](const CriterionResult& a, const CriterionResult& b) {
                                          if (a.score != b.score) return a.score < b.score;
                                          return a.weight > b.weight;
                                        });
  std::string summary =
      capitalized(result.band) + " match at " + std::to_string(result.overall) + "/100";
  if (strongest->score == weakest->score) {
    summary += ": every criterion scores " + std::to_string(strongest->score) + ".";
  } else {
    summary += ", strongest on " + strongest->name + " (" + std::to_string(strongest->score) +
               ") and weakest on " + weakest->name + " (" + std::to_string(weakest->score) + ").";
  }
  if (result.recommendation == "proceed") {
    summary += " Submit: no blocking gaps were found.";
  } else if (result.recommendation == "review") {
    summary += " Review before submitting: " + reason + ".";
  } else {
    summary += " Do not submit: " + reason + ".";
  }
  result.summary = std::move(summary);
  return result;
}

}  // namespace keygate::services::insights
