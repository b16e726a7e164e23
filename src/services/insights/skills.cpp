// The curated synonym table and skill-name normalization of the candidate-insight model.
// Policy for the table (docs/candidate-insights.md): an alias is added only when it means the
// same skill in staffing requests without context ("k8s", "Postgres"); versions that name a
// different product stay apart ("AngularJS" is not "Angular"); every change bumps the model
// version because it can change scores.
#include "services/insights/skills.h"

#include <algorithm>
#include <cctype>
#include <iterator>
#include <unordered_map>
#include <vector>

#include "services/insights/scoring.h"

namespace keygate::services::insights {
namespace {

// alias (compact form) -> canonical. Canonical forms map to themselves so the table reads as
// one group per skill; normalizeSkill() of a canonical form is that form.
constexpr SkillAlias kAliases[] = {
    {"javascript", "javascript"},
    {"js", "javascript"},
    {"ecmascript", "javascript"},
    {"es6", "javascript"},
    {"es2015", "javascript"},
    {"vanillajs", "javascript"},
    {"typescript", "typescript"},
    {"ts", "typescript"},
    {"kubernetes", "kubernetes"},
    {"k8s", "kubernetes"},
    {"kube", "kubernetes"},
    {"postgresql", "postgresql"},
    {"postgres", "postgresql"},
    {"psql", "postgresql"},
    {"pgsql", "postgresql"},
    {"nodejs", "nodejs"},
    {"node", "nodejs"},
    {"csharp", "csharp"},
    {"visualcsharp", "csharp"},
    {"dotnet", "dotnet"},
    {"dotnetcore", "dotnet"},
    {"netcore", "dotnet"},
    {"dotnetframework", "dotnet"},
    {"netframework", "dotnet"},
    {"gcp", "gcp"},
    {"googlecloud", "gcp"},
    {"googlecloudplatform", "gcp"},
    {"aws", "aws"},
    {"amazonwebservices", "aws"},
    {"machinelearning", "machinelearning"},
    {"ml", "machinelearning"},
    {"artificialintelligence", "artificialintelligence"},
    {"ai", "artificialintelligence"},
    {"nlp", "nlp"},
    {"naturallanguageprocessing", "nlp"},
    {"react", "react"},
    {"reactjs", "react"},
    {"go", "go"},
    {"golang", "go"},
    {"cpp", "cpp"},
    {"cplusplus", "cpp"},
    {"python", "python"},
    {"python3", "python"},
    {"py", "python"},
    {"vue", "vue"},
    {"vuejs", "vue"},
    {"angular", "angular"},
    {"angular2", "angular"},
    {"azure", "azure"},
    {"microsoftazure", "azure"},
    {"msazure", "azure"},
    {"sqlserver", "sqlserver"},
    {"mssql", "sqlserver"},
    {"mssqlserver", "sqlserver"},
    {"microsoftsqlserver", "sqlserver"},
    {"mongodb", "mongodb"},
    {"mongo", "mongodb"},
    {"objectivec", "objectivec"},
    {"objc", "objectivec"},
    {"springboot", "springboot"},
    {"graphql", "graphql"},
    {"gql", "graphql"},
    {"html", "html"},
    {"html5", "html"},
    {"css", "css"},
    {"css3", "css"},
    {"rails", "rails"},
    {"rubyonrails", "rails"},
    {"ror", "rails"},
    {"scikitlearn", "scikitlearn"},
    {"sklearn", "scikitlearn"},
    {"excel", "excel"},
    {"msexcel", "excel"},
    {"microsoftexcel", "excel"},
    {"restapi", "restapi"},
    {"rest", "restapi"},
    {"restful", "restapi"},
    {"restapis", "restapi"},
    {"restfulapi", "restapi"},
    {"restfulapis", "restapi"},
    {"cicd", "cicd"},
    {"continuousintegration", "cicd"},
    {"salesforce", "salesforce"},
    {"sfdc", "salesforce"},
    {"powerbi", "powerbi"},
    {"microsoftpowerbi", "powerbi"},
    {"spark", "spark"},
    {"apachespark", "spark"},
    {"kafka", "kafka"},
    {"apachekafka", "kafka"},
    {"hadoop", "hadoop"},
    {"apachehadoop", "hadoop"},
    {"oracle", "oracle"},
    {"oracledb", "oracle"},
    {"oracledatabase", "oracle"},
    {"dynamodb", "dynamodb"},
    {"dynamo", "dynamodb"},
    {"uiux", "uiux"},
    {"uxui", "uiux"},
    {"pmp", "pmp"},
    {"projectmanagementprofessional", "pmp"},
    {"qa", "qa"},
    {"qualityassurance", "qa"},
    {"terraform", "terraform"},
    {"hashicorpterraform", "terraform"},
    {"docker", "docker"},
    {"dockercontainers", "docker"},
    {"linux", "linux"},
    {"gnulinux", "linux"},
    {"elasticsearch", "elasticsearch"},
    {"elasticstack", "elasticsearch"},
    {"tensorflow", "tensorflow"},
    {"tensorflow2", "tensorflow"},
    {"pytorch", "pytorch"},
    {"torch", "pytorch"},
    {"swift", "swift"},
    {"swiftui", "swift"},
    {"fsharp", "fsharp"},
    {"visualfsharp", "fsharp"},
};

// Compact forms that are everyday words (or single letters) in English prose.
constexpr std::string_view kAmbiguousInProse[] = {
    "go",   "rest",   "react", "swift", "spring", "express", "rust",  "dart",
    "chef", "puppet", "c",     "r",     "d",      "node",    "excel", "spark"};

const std::unordered_map<std::string_view, std::string_view>& aliasMap() {
  static const std::unordered_map<std::string_view, std::string_view> map = [] {
    std::unordered_map<std::string_view, std::string_view> m;
    for (const auto& entry : kAliases) m.emplace(entry.alias, entry.canonical);
    return m;
  }();
  return map;
}

std::string canonicalOf(std::string compact) {
  auto known = knownSkill(compact);
  return known.empty() ? compact : std::string(known);
}

bool isSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

// Characters that end a word in free text. '.', '#', '+' and '-' stay inside words so that
// "Node.js", "C#", "C++" and "scikit-learn" survive; '/' splits "CI/CD" into two words, which
// the two-word window joins again.
bool isWordBreak(char c) {
  if (isSpace(c)) return true;
  constexpr std::string_view kBreaks = ",;:()[]{}<>|!?\"'`*=&/\\~^%$@";
  return kBreaks.find(c) != std::string_view::npos;
}

bool hasUpper(std::string_view text) {
  return std::any_of(text.begin(), text.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

}  // namespace

std::span<const SkillAlias> skillAliases() {
  return kAliases;
}

std::string_view knownSkill(std::string_view compact) {
  const auto& map = aliasMap();
  auto it = map.find(compact);
  return it == map.end() ? std::string_view() : it->second;
}

void appendCompact(std::string& out, std::string_view part) {
  for (char c : part) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x80) {
      out += c;
    } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      out += c;
    } else if (c >= 'A' && c <= 'Z') {
      out += static_cast<char>(c - 'A' + 'a');
    } else if (c == '#') {
      out += "sharp";
    } else if (c == '+') {
      out += 'p';
    } else if (c == '.' && out.empty()) {
      out += "dot";  // a leading '.' (whitespace before it is dropped like all whitespace)
    }
  }
}

std::string compactSkill(std::string_view name) {
  std::string out;
  out.reserve(name.size() + 4);
  appendCompact(out, name);
  return out;
}

std::string normalizeSkill(std::string_view name) {
  return canonicalOf(compactSkill(name));
}

bool isAmbiguousInProse(std::string_view compact) {
  return std::find(std::begin(kAmbiguousInProse), std::end(kAmbiguousInProse), compact) !=
         std::end(kAmbiguousInProse);
}

std::set<std::string> skillsMentioned(std::string_view text, const std::set<std::string>& wanted) {
  std::set<std::string> found;
  if (wanted.empty()) return found;
  std::vector<std::string_view> words;
  std::size_t i = 0;
  while (i < text.size() && words.size() < kMaxMentionWords) {
    while (i < text.size() && isWordBreak(text[i])) ++i;
    const std::size_t start = i;
    while (i < text.size() && !isWordBreak(text[i])) ++i;
    std::string_view word = text.substr(start, i - start);
    // A full stop or dash at the end of a word belongs to the sentence, not the skill.
    while (!word.empty() && (word.back() == '.' || word.back() == '-')) word.remove_suffix(1);
    while (!word.empty() && word.front() == '-') word.remove_prefix(1);
    if (!word.empty()) words.push_back(word);
  }
  constexpr std::size_t kMaxWindow = 4;
  std::string raw;
  std::string compact;  // compactSkill(raw), grown a word at a time
  for (std::size_t first = 0; first < words.size(); ++first) {
    raw.clear();
    compact.clear();
    for (std::size_t n = 0; n < kMaxWindow && first + n < words.size(); ++n) {
      if (n > 0) raw += ' ';
      raw += words[first + n];
      appendCompact(compact, words[first + n]);
      if (compact.empty()) continue;
      if (isAmbiguousInProse(compact) && !hasUpper(raw)) continue;
      std::string canonical = canonicalOf(compact);
      if (wanted.contains(canonical)) found.insert(std::move(canonical));
    }
  }
  return found;
}

}  // namespace keygate::services::insights
