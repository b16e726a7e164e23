// BM25 relevance of a resume to a staffing request. The background frequencies below are a
// curated estimate of how many of 1,000 job postings and resumes contain each common term; a
// term not listed counts as rare. They are part of the model: changing them changes the
// model version (docs/candidate-insights.md).
#include "services/insights/text_similarity.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <map>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "services/insights/skills.h"

namespace keygate::services::insights {
namespace {

constexpr std::string_view kStopWords[] = {
    "a",      "about",  "above", "after",  "again",    "against",    "all",  "am",
    "an",     "and",    "any",   "are",    "as",       "at",         "be",   "because",
    "been",   "before", "being", "below",  "between",  "both",       "but",  "by",
    "can",    "could",  "did",   "do",     "does",     "doing",      "down", "during",
    "each",   "few",    "for",   "from",   "further",  "had",        "has",  "have",
    "having", "he",     "her",   "here",   "hers",     "herself",    "him",  "himself",
    "his",    "how",    "i",     "if",     "in",       "into",       "is",   "it",
    "its",    "itself", "just",  "me",     "more",     "most",       "my",   "myself",
    "no",     "nor",    "not",   "now",    "of",       "off",        "on",   "once",
    "only",   "or",     "other", "our",    "ours",     "ourselves",  "out",  "over",
    "own",    "same",   "she",   "should", "so",       "some",       "such", "than",
    "that",   "the",    "their", "theirs", "them",     "themselves", "then", "there",
    "these",  "they",   "this",  "those",  "through",  "to",         "too",  "under",
    "until",  "up",     "very",  "was",    "we",       "were",       "what", "when",
    "where",  "which",  "while", "who",    "whom",     "why",        "will", "with",
    "would",  "you",    "your",  "yours",  "yourself", "yourselves", "also", "may",
    "must",   "us",     "via",   "etc",    "e",        "g",          "ie",   "eg",
};

struct BackgroundTerm {
  std::string_view term;  // analyzed form (plural folded)
  int documents;          // of kBm25.background_documents
};

constexpr BackgroundTerm kBackground[] = {
    {"experience", 900},
    {"work", 800},
    {"team", 750},
    {"year", 700},
    {"skill", 700},
    {"strong", 600},
    {"knowledge", 550},
    {"ability", 550},
    {"communication", 500},
    {"development", 500},
    {"new", 500},
    {"develop", 450},
    {"software", 450},
    {"project", 450},
    {"support", 450},
    {"business", 450},
    {"environment", 450},
    {"role", 450},
    {"system", 450},
    {"using", 450},
    {"including", 450},
    {"management", 400},
    {"client", 400},
    {"customer", 400},
    {"requirement", 400},
    {"responsible", 400},
    {"position", 400},
    {"company", 400},
    {"design", 400},
    {"data", 400},
    {"technical", 400},
    {"technology", 400},
    {"process", 400},
    {"service", 400},
    {"required", 400},
    {"use", 400},
    {"developer", 350},
    {"engineer", 350},
    {"engineering", 350},
    {"manage", 350},
    {"responsibility", 350},
    {"candidate", 350},
    {"job", 350},
    {"application", 350},
    {"build", 350},
    {"solution", 350},
    {"tool", 350},
    {"product", 350},
    {"preferred", 350},
    {"qualification", 350},
    {"related", 350},
    {"excellent", 350},
    {"good", 350},
    {"within", 350},
    {"provide", 350},
    {"opportunity", 300},
    {"written", 300},
    {"verbal", 300},
    {"quality", 300},
    {"test", 300},
    {"testing", 300},
    {"high", 300},
    {"level", 300},
    {"degree", 300},
    {"computer", 300},
    {"problem", 300},
    {"collaborate", 300},
    {"across", 300},
    {"ensure", 300},
    {"help", 300},
    {"time", 300},
    {"understanding", 300},
    {"professional", 300},
    {"well", 300},
    {"plus", 250},
    {"bachelor", 250},
    {"science", 250},
    {"equivalent", 250},
    {"senior", 250},
    {"lead", 250},
    {"solving", 250},
    {"analytical", 250},
    {"detail", 250},
    {"collaboration", 250},
    {"full", 250},
    {"contract", 250},
    {"day", 250},
    {"best", 250},
    {"practice", 250},
    {"deliver", 250},
    {"implement", 250},
    {"implementation", 250},
    {"maintain", 250},
    {"performance", 250},
    {"create", 250},
    {"attention", 200},
    {"fast", 200},
    {"cross", 200},
    {"functional", 200},
    {"stakeholder", 200},
    {"remote", 200},
    {"location", 200},
    {"office", 200},
    {"hour", 200},
    {"week", 200},
    {"per", 200},
    {"benefit", 200},
    {"familiarity", 200},
    {"proficiency", 200},
    {"proficient", 200},
    {"hand", 200},
    {"expertise", 200},
    {"delivery", 200},
    {"improve", 200},
    {"junior", 150},
    {"paced", 150},
    {"onsite", 150},
    {"hybrid", 150},
    {"month", 150},
    {"rate", 150},
    {"pay", 150},
    {"employer", 150},
    {"equal", 150},
    {"expert", 150},
    {"drive", 150},
    {"salary", 100},
};

// A term not in the background: assumed to occur in a handful of documents.
constexpr int kRareTermDocuments = 5;

bool isStopWord(std::string_view word) {
  static const std::unordered_set<std::string_view> words(std::begin(kStopWords),
                                                          std::end(kStopWords));
  return words.contains(word);
}

bool isTokenChar(char c) {
  const auto byte = static_cast<unsigned char>(c);
  return byte >= 0x80 || std::isalnum(byte);
}

bool isAsciiAlnum(char c) {
  const auto byte = static_cast<unsigned char>(c);
  return byte < 0x80 && std::isalnum(byte);
}

bool allDigits(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// "engineers" -> "engineer", "abilities" -> "ability"; words ending in ss/us/is keep their s.
std::string foldPlural(std::string word) {
  if (word.size() > 4 && word.ends_with("ies")) {
    word.resize(word.size() - 3);
    word += 'y';
  } else if (word.size() > 3 && word.back() == 's' && !word.ends_with("ss") &&
             !word.ends_with("us") && !word.ends_with("is")) {
    word.pop_back();
  }
  return word;
}

// Raw tokens: runs of letters and digits, keeping '#'/'+' at the end (C#, C++), '.' between
// letters (Node.js) and a leading '.' before a letter (.NET).
std::vector<std::string_view> rawTokens(std::string_view text) {
  std::vector<std::string_view> tokens;
  std::size_t i = 0;
  while (i < text.size() && tokens.size() < kMaxAnalyzedTokens) {
    const bool dotted_start = text[i] == '.' && i + 1 < text.size() && isAsciiAlnum(text[i + 1]) &&
                              (i == 0 || !isTokenChar(text[i - 1]));
    if (!isTokenChar(text[i]) && !dotted_start) {
      ++i;
      continue;
    }
    const std::size_t start = i++;
    while (i < text.size()) {
      if (isTokenChar(text[i])) {
        ++i;
      } else if (text[i] == '.' && i + 1 < text.size() && isAsciiAlnum(text[i + 1])) {
        ++i;
      } else {
        break;
      }
    }
    while (i < text.size() && (text[i] == '#' || text[i] == '+')) ++i;
    tokens.push_back(text.substr(start, i - start));
  }
  return tokens;
}

double idfFor(double documents) {
  const double n = kBm25.background_documents;
  return std::log(1.0 + (n - documents + 0.5) / (documents + 0.5));
}

}  // namespace

std::vector<std::string> analyzeText(std::string_view text) {
  constexpr std::size_t kMaxSkillWords = 4;
  const auto raw = rawTokens(text);
  std::vector<std::string> terms;
  // prefix[n - 1]: the compact form of the n raw tokens from i on, each token compacted once.
  std::array<std::string, kMaxSkillWords> prefix;
  for (std::size_t i = 0; i < raw.size();) {
    const std::size_t window = std::min(kMaxSkillWords, raw.size() - i);
    for (std::size_t n = 0; n < window; ++n) {
      if (n == 0) {
        prefix[0].clear();
      } else {
        prefix[n] = prefix[n - 1];
      }
      appendCompact(prefix[n], raw[i + n]);
    }
    // Longest multi-word skill name first: "Amazon Web Services" is one term, "aws".
    std::size_t taken = 0;
    for (std::size_t n = window; n >= 2 && taken == 0; --n) {
      if (auto skill = knownSkill(prefix[n - 1]); !skill.empty()) {
        terms.emplace_back(skill);
        taken = n;
      }
    }
    if (taken > 0) {
      i += taken;
      continue;
    }
    ++i;
    std::string compact = std::move(prefix[0]);
    if (compact.empty() || isStopWord(compact)) continue;
    if (auto skill = knownSkill(compact); !skill.empty()) {
      terms.emplace_back(skill);
      continue;
    }
    if (compact.size() < 2 || allDigits(compact)) continue;
    terms.push_back(foldPlural(std::move(compact)));
  }
  return terms;
}

double inverseDocumentFrequency(std::string_view term) {
  static const std::unordered_map<std::string_view, int> background = [] {
    std::unordered_map<std::string_view, int> m;
    for (const auto& entry : kBackground) m.emplace(entry.term, entry.documents);
    return m;
  }();
  auto it = background.find(term);
  return idfFor(it == background.end() ? kRareTermDocuments : it->second);
}

double bm25Relevance(std::string_view query, std::string_view document) {
  const auto query_terms = analyzeText(query);
  const auto document_terms = analyzeText(document);
  if (query_terms.empty() || document_terms.empty()) return 0;

  // Ordered containers: the sum below adds in a fixed order, so the result is bit-identical
  // from run to run.
  std::map<std::string, int> frequency;
  for (const auto& term : document_terms) ++frequency[term];
  const std::set<std::string> distinct(query_terms.begin(), query_terms.end());

  const double length_norm =
      1.0 - kBm25.b + kBm25.b * static_cast<double>(document_terms.size()) / kBm25.average_length;
  double score = 0;
  double reference = 0;  // each query term once in a document of average length
  for (const auto& term : distinct) {
    const double idf = inverseDocumentFrequency(term);
    reference += idf;
    auto it = frequency.find(term);
    if (it == frequency.end()) continue;
    const double tf = it->second;
    score += idf * tf * (kBm25.k1 + 1.0) / (tf + kBm25.k1 * length_norm);
  }
  if (reference <= 0) return 0;
  return std::clamp(score / reference, 0.0, 1.0);
}

}  // namespace keygate::services::insights
