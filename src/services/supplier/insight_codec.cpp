// InsightResult ⇄ JSON (see insight_codec.h).
#include "services/supplier/insight_codec.h"

#include <boost/json.hpp>

namespace keygate::services::supplier {
namespace {

boost::json::array strings(const std::vector<std::string>& values) {
  boost::json::array out;
  for (const auto& v : values) out.emplace_back(v);
  return out;
}

std::vector<std::string> readStrings(const boost::json::value* v) {
  std::vector<std::string> out;
  if (v == nullptr || !v->is_array()) return out;
  for (const auto& item : v->as_array())
    if (item.is_string()) out.emplace_back(item.as_string());
  return out;
}

std::string readString(const boost::json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

int readInt(const boost::json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && v->is_int64() ? static_cast<int>(v->as_int64()) : 0;
}

core::Error damaged(std::string detail) {
  return core::makeError(core::Errc::kInternal, "A stored insight could not be read.",
                         "candidate insight JSON: " + std::move(detail));
}

}  // namespace

std::string encodeInsight(const insights::InsightResult& r) {
  boost::json::array criteria;
  for (const auto& c : r.criteria)
    criteria.push_back(boost::json::object{{"name", c.name},
                                           {"score", c.score},
                                           {"weight", c.weight},
                                           {"verdict", c.verdict},
                                           {"explanation", c.explanation},
                                           {"evidence", strings(c.evidence)}});
  return boost::json::serialize(boost::json::object{{"overall", r.overall},
                                                    {"band", r.band},
                                                    {"recommendation", r.recommendation},
                                                    {"criteria", std::move(criteria)},
                                                    {"matchedSkills", strings(r.matched_skills)},
                                                    {"missingSkills", strings(r.missing_skills)},
                                                    {"summary", r.summary},
                                                    {"modelVersion", r.model_version}});
}

core::Result<insights::InsightResult> decodeInsight(std::string_view json) {
  boost::system::error_code ec;
  const auto value = boost::json::parse(json, ec);
  if (ec) return damaged(ec.message());
  if (!value.is_object()) return damaged("not an object");
  const auto& o = value.as_object();
  insights::InsightResult r;
  r.overall = readInt(o, "overall");
  r.band = readString(o, "band");
  r.recommendation = readString(o, "recommendation");
  if (const auto* criteria = o.if_contains("criteria"); criteria && criteria->is_array()) {
    for (const auto& item : criteria->as_array()) {
      if (!item.is_object()) return damaged("criterion is not an object");
      const auto& c = item.as_object();
      insights::CriterionResult cr;
      cr.name = readString(c, "name");
      cr.score = readInt(c, "score");
      cr.weight = readInt(c, "weight");
      cr.verdict = readString(c, "verdict");
      cr.explanation = readString(c, "explanation");
      cr.evidence = readStrings(c.if_contains("evidence"));
      r.criteria.push_back(std::move(cr));
    }
  }
  r.matched_skills = readStrings(o.if_contains("matchedSkills"));
  r.missing_skills = readStrings(o.if_contains("missingSkills"));
  r.summary = readString(o, "summary");
  r.model_version = readString(o, "modelVersion");
  return r;
}

}  // namespace keygate::services::supplier
