// Candidate pre-submittal insights (DESIGN §4.2): a deterministic, explainable score of a
// candidate against a staffing request. Pure functions of their inputs — no I/O, no clock, no
// randomness — so the same inputs always give the same result, tagged with a model version.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"

namespace keygate::services::insights {

enum class RemoteType { kOnsite, kHybrid, kRemote };
enum class RateUnit { kHour, kDay };

struct SkillRequirement {
  std::string name;
  int min_years = 0;
  bool required = true;  // false: preferred
};

// What the client asks for.
struct RequestProfile {
  std::string title;
  std::string description;
  std::vector<SkillRequirement> skills;
  std::string location;  // free text, e.g. "Austin, TX, US"
  RemoteType remote = RemoteType::kOnsite;
  std::int64_t bill_rate_min_minor = 0;  // money in minor units (cents)
  std::int64_t bill_rate_max_minor = 0;
  std::string currency = "USD";
  RateUnit rate_unit = RateUnit::kHour;
  core::Seconds start_date = 0;  // 00:00 UTC of the day
};

struct CandidateSkill {
  std::string name;
  double years = 0;
};

// What the supplier offers.
struct CandidateProfile {
  std::vector<CandidateSkill> skills;
  std::string location;
  bool open_to_remote = true;
  bool willing_to_relocate = false;
  std::optional<std::int64_t> desired_rate_minor;  // same currency and unit as the request
  std::string currency = "USD";
  std::optional<core::Seconds> available_from;
  std::string resume_text;
};

struct CriterionResult {
  std::string name;         // skills | experience | rate | location | availability
  int score = 0;            // 0–100
  int weight = 0;           // percent; the weights of all criteria sum to 100
  std::string verdict;      // strong | good | partial | weak | missing
  std::string explanation;  // one sentence a recruiter can read
  std::vector<std::string> evidence;
};

struct InsightResult {
  int overall = 0;             // 0–100
  std::string band;            // excellent | good | fair | poor
  std::string recommendation;  // proceed | review | do_not_submit
  std::vector<CriterionResult> criteria;
  std::vector<std::string> matched_skills;
  std::vector<std::string> missing_skills;
  std::string summary;
  std::string model_version;
};

InsightResult score(const RequestProfile& request, const CandidateProfile& candidate);

// The canonical form of a skill name ("k8s" → "kubernetes", "Node.JS" → "nodejs").
std::string normalizeSkill(std::string_view name);

}  // namespace keygate::services::insights
