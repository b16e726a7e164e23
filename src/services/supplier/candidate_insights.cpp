// Candidate insights (see candidate_insights.h).
#include "services/supplier/candidate_insights.h"

#include "services/supplier/insight_codec.h"
#include "services/supplier/supplier_reads.h"

namespace keygate::services::supplier {
namespace {

insights::RemoteType remoteOf(core::RemoteType type) {
  switch (type) {
    case core::RemoteType::kOnsite:
      return insights::RemoteType::kOnsite;
    case core::RemoteType::kHybrid:
      return insights::RemoteType::kHybrid;
    case core::RemoteType::kRemote:
      return insights::RemoteType::kRemote;
  }
  return insights::RemoteType::kOnsite;
}

insights::RateUnit unitOf(core::RateUnit unit) {
  return unit == core::RateUnit::kDay ? insights::RateUnit::kDay : insights::RateUnit::kHour;
}

core::Error notFoundField(std::string_view what, std::string field) {
  auto e = notFound(what);
  e.field = std::move(field);
  return e;
}

}  // namespace

insights::RequestProfile requestProfile(const core::StaffingRequest& r) {
  insights::RequestProfile p;
  p.title = r.title;
  p.description = r.description;
  for (const auto& s : r.skills) p.skills.push_back({s.name, s.min_years, s.required});
  p.location = r.location;
  p.remote = remoteOf(r.remote);
  p.bill_rate_min_minor = r.bill_rate_min;
  p.bill_rate_max_minor = r.bill_rate_max;
  p.currency = r.currency;
  p.rate_unit = unitOf(r.rate_unit);
  p.start_date = r.start_date;
  return p;
}

insights::CandidateProfile candidateProfile(const core::Candidate& c) {
  insights::CandidateProfile p;
  // Years are a measure of experience, not money: the model works in fractional years.
  for (const auto& s : c.skills) p.skills.push_back({s.name, static_cast<double>(s.years) / 100.0});
  p.location = c.location;
  p.open_to_remote = c.open_to_remote;
  p.willing_to_relocate = c.willing_to_relocate;
  p.desired_rate_minor = c.desired_rate;
  p.currency = c.currency;
  p.available_from = c.available_from;
  p.resume_text = c.resume_text;
  return p;
}

core::Result<StoredInsight> CandidateInsightService::create(core::Id org_id,
                                                            const InsightRequest& input) {
  if (input.candidate_id.has_value() == input.candidate.has_value())
    return core::fieldError(core::Errc::kValidationFailed, "candidateId",
                            "Give either candidateId or an inline candidate, not both.");
  StoredInsight out;
  KG_TRY(store_.write([&](storage::Repositories& repos) -> core::Status {
    KG_ASSIGN_OR_RETURN(auto request,
                        repos.supplier.staffing_requests.find(org_id, input.staffing_request_id));
    if (!request) return notFoundField("staffing request", "staffingRequestId");
    core::Candidate candidate;
    if (input.candidate_id) {
      KG_ASSIGN_OR_RETURN(auto found, repos.supplier.candidates.find(org_id, *input.candidate_id));
      if (!found) return notFoundField("candidate", "candidateId");
      candidate = std::move(*found);
    } else {
      candidate = *input.candidate;
      if (candidate.currency.empty()) candidate.currency = request->currency;
      if (input.desired_rate_text) {
        candidate.desired_rate = core::parseMoney(*input.desired_rate_text, candidate.currency);
        if (!candidate.desired_rate || *candidate.desired_rate < 0)
          return core::fieldError(core::Errc::kValidationFailed, "candidate.desiredRate",
                                  "desiredRate must be a non-negative decimal amount in " +
                                      candidate.currency + ", e.g. \"85.00\".");
      }
    }
    out.result = insights::score(requestProfile(*request), candidateProfile(candidate));
    auto& r = out.record;
    r.supplier_org_id = org_id;
    r.staffing_request_id = request->id;
    r.candidate_id = input.candidate_id;
    r.overall = out.result.overall;
    r.band = out.result.band;
    r.recommendation = out.result.recommendation;
    r.model_version = out.result.model_version;
    r.result_json = encodeInsight(out.result);
    r.created_at = clock_.now();
    KG_ASSIGN_OR_RETURN(r.id, repos.supplier.candidate_insights.create(r));
    return core::ok();
  }));
  return out;
}

core::Result<StoredInsight> CandidateInsightService::get(core::Id org_id, core::Id id) {
  std::optional<core::CandidateInsightRecord> found;
  KG_TRY(store_.read([&](storage::Repositories& repos) -> core::Status {
    KG_ASSIGN_OR_RETURN(found, repos.supplier.candidate_insights.find(org_id, id));
    return core::ok();
  }));
  if (!found) return notFound("candidate insight");
  KG_ASSIGN_OR_RETURN(auto result, decodeInsight(found->result_json));
  return StoredInsight{std::move(*found), std::move(result)};
}

}  // namespace keygate::services::supplier
