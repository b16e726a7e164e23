// Text relevance of a resume to a staffing request for the candidate-insight model: a text
// analyzer (tokens, lowercase, stop words, skill synonyms, plural folding) and Okapi BM25
// with fixed parameters and a fixed, built-in background of document frequencies, so the
// same two texts always give the same number (docs/candidate-insights.md).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace keygate::services::insights {

struct Bm25Parameters {
  double k1 = 1.2;                     // term-frequency saturation
  double b = 0.75;                     // document-length normalization
  double average_length = 250;         // analyzed tokens in a typical resume
  double background_documents = 1000;  // size of the background the frequencies refer to
};

inline constexpr Bm25Parameters kBm25{};
// Only this many tokens of a text are analyzed: bounds the cost of a very long resume.
inline constexpr std::size_t kMaxAnalyzedTokens = 20000;

// Lowercased terms of `text` with stop words, numbers and one-letter words removed, skill
// names of up to four words replaced by their canonical form ("k8s" -> "kubernetes",
// "Amazon Web Services" -> "aws") and plurals folded ("engineers" -> "engineer").
std::vector<std::string> analyzeText(std::string_view text);

// Inverse document frequency of an analyzed term against the built-in background: common
// words of job postings and resumes ("experience", "team") weigh little, others a lot.
double inverseDocumentFrequency(std::string_view term);

// How well `document` covers the distinct terms of `query`, in [0, 1]: the BM25 score of the
// document divided by the score of a document of average length containing each query term
// once. 0 when either text has no terms.
double bm25Relevance(std::string_view query, std::string_view document);

}  // namespace keygate::services::insights
