// The stored form of a candidate insight: InsightResult as compact JSON, so a stored insight
// is returned exactly as it was computed even after the model changes.
#pragma once

#include <string>

#include "core/error.h"
#include "services/insights/scoring.h"

namespace keygate::services::supplier {

std::string encodeInsight(const insights::InsightResult& result);
// kInternal when the text is not an encoded InsightResult (a damaged row).
core::Result<insights::InsightResult> decodeInsight(std::string_view json);

}  // namespace keygate::services::supplier
