// Skill names for the candidate-insight model: the curated synonym table behind
// normalizeSkill() (declared in scoring.h) and the detection of skills named in free text
// (a resume). Pure functions; the table is part of the model, so changing it changes the
// model version (docs/candidate-insights.md).
#pragma once

#include <set>
#include <span>
#include <string>
#include <string_view>

namespace keygate::services::insights {

struct SkillAlias {
  std::string_view alias;      // compact form: lowercase, punctuation folded (see compactSkill)
  std::string_view canonical;  // the canonical form every alias maps to
};

// Every entry of the curated synonym table.
std::span<const SkillAlias> skillAliases();

// Lowercase ASCII letters and digits only, with the punctuation that carries meaning in
// skill names folded into letters: '#' -> "sharp" (C#), '+' -> "p" (C++ -> cpp), a leading
// '.' -> "dot" (.NET); every other punctuation mark and all whitespace dropped
// ("Node.JS" -> "nodejs"). Bytes outside ASCII are kept as they are.
std::string compactSkill(std::string_view name);
// Appends the compact form of `part` to `out`, as if `part` continued the text whose compact
// form `out` holds: compactSkill(a + b) == compactSkill(a) followed by appendCompact(·, b).
// Lets callers that try growing word windows compact each word once.
void appendCompact(std::string& out, std::string_view part);

// The canonical form when `compact` is in the synonym table (as an alias or as a canonical
// form itself); empty otherwise.
std::string_view knownSkill(std::string_view compact);

// True when the compact form `compact` is also an everyday English word ("go", "rest",
// "react"), so free text only counts as naming that skill when it is written with a capital
// letter ("Go", "REST"); an unambiguous alias ("golang") always counts.
bool isAmbiguousInProse(std::string_view compact);

// Which of the canonical skill names in `wanted` are named in `text`: every run of one to
// four words is normalized as a skill name (so "Amazon Web Services" and "k8s" are found).
// Only the first kMaxMentionWords words are read, which bounds the cost of a long text.
inline constexpr std::size_t kMaxMentionWords = 20000;
std::set<std::string> skillsMentioned(std::string_view text, const std::set<std::string>& wanted);

}  // namespace keygate::services::insights
