// Candidate pre-submittal insights (DESIGN §4.2, scope candidate-insights:read): scores a
// candidate — one of the supplier's stored candidates, or one described inline — against a
// staffing request released to the supplier, with services/insights, and stores the result so
// it can be read again by id. Only the mapping from stored records to the scoring model's
// profiles lives here; the model itself is services/insights.
#pragma once

#include <optional>

#include "core/clock.h"
#include "core/error.h"
#include "core/supplier_model.h"
#include "services/insights/scoring.h"
#include "storage/repositories.h"
#include "storage/supplier_repositories.h"

namespace keygate::services::supplier {

struct InsightRequest {
  core::Id staffing_request_id = 0;
  std::optional<core::Id> candidate_id;      // a stored candidate of the organization, or
  std::optional<core::Candidate> candidate;  // one described inline (id 0)
  // The inline candidate's desired rate as sent ("85.00"), read in its currency — the
  // request's currency when the candidate names none (candidate->currency empty).
  std::optional<std::string> desired_rate_text;
};

struct StoredInsight {
  core::CandidateInsightRecord record;
  insights::InsightResult result;
};

// The scoring model's view of the records.
insights::RequestProfile requestProfile(const core::StaffingRequest& request);
insights::CandidateProfile candidateProfile(const core::Candidate& candidate);

class CandidateInsightService {
 public:
  CandidateInsightService(storage::Store& store, const core::Clock& clock)
      : store_(store), clock_(clock) {}

  // kNotFound (field staffingRequestId / candidateId) for a request not released to the
  // organization or a candidate not its own; kValidationFailed when neither or both of
  // candidate_id and candidate are given.
  core::Result<StoredInsight> create(core::Id org_id, const InsightRequest& input);
  core::Result<StoredInsight> get(core::Id org_id, core::Id id);

 private:
  storage::Store& store_;
  const core::Clock& clock_;
};

}  // namespace keygate::services::supplier
