// The text analyzer and BM25 relevance behind the resume contribution to candidate insights.
#include "services/insights/text_similarity.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace keygate::services::insights {
namespace {

const char* kRequest =
    "Senior platform engineer. Operate Kubernetes clusters on AWS, write Go services, tune "
    "PostgreSQL databases, automate infrastructure with Terraform.";

TEST(AnalyzeText, LowercasesDropsStopWordsFoldsPluralsAndSynonyms) {
  EXPECT_EQ(analyzeText("The K8s clusters and the Postgres databases, 2019-2024!"),
            (std::vector<std::string>{"kubernetes", "cluster", "postgresql", "database"}));
  EXPECT_EQ(analyzeText("Node.js and C# and .NET abilities"),
            (std::vector<std::string>{"nodejs", "csharp", "dotnet", "ability"}));
  EXPECT_EQ(analyzeText("Amazon Web Services, Ruby on Rails and machine learning"),
            (std::vector<std::string>{"aws", "rails", "machinelearning"}));
  EXPECT_TRUE(analyzeText("").empty());
  EXPECT_TRUE(analyzeText("the and of 42 a").empty());
}

TEST(InverseDocumentFrequency, CommonWordsWeighLessThanSpecificOnes) {
  EXPECT_LT(inverseDocumentFrequency("experience"), inverseDocumentFrequency("team"));
  EXPECT_LT(inverseDocumentFrequency("team"), inverseDocumentFrequency("kubernetes"));
  EXPECT_GT(inverseDocumentFrequency("experience"), 0.0);
}

TEST(Bm25Relevance, RelevantResumeScoresHigherThanIrrelevantOne) {
  const double relevant = bm25Relevance(
      kRequest,
      "Platform engineer for six years: ran k8s clusters on Amazon Web Services, built golang "
      "services, tuned Postgres, wrote Terraform modules.");
  const double unrelated = bm25Relevance(
      kRequest, "Pastry chef with a passion for sourdough, croissants and seasonal menus.");
  const double partial =
      bm25Relevance(kRequest, "Backend developer writing Java services on Oracle databases.");
  EXPECT_GT(relevant, partial);
  EXPECT_GT(partial, unrelated);
  EXPECT_EQ(unrelated, 0.0);
  EXPECT_GT(relevant, 0.5);
  EXPECT_LE(relevant, 1.0);
}

TEST(Bm25Relevance, PaddingALongDocumentLowersItsScore) {
  const std::string core = "Kubernetes Terraform PostgreSQL AWS Go services. ";
  std::string padded = core;
  for (int i = 0; i < 60; ++i) padded += "Enjoys hiking, photography, cooking and travelling. ";
  EXPECT_GT(bm25Relevance(kRequest, core), bm25Relevance(kRequest, padded));
}

TEST(Bm25Relevance, IsDeterministicAndZeroForEmptyTexts) {
  const std::string resume = "Go and Kubernetes on AWS; Terraform; PostgreSQL tuning.";
  const double first = bm25Relevance(kRequest, resume);
  EXPECT_EQ(first, bm25Relevance(kRequest, resume));  // bit-identical
  EXPECT_EQ(bm25Relevance("", resume), 0.0);
  EXPECT_EQ(bm25Relevance(kRequest, ""), 0.0);
}

}  // namespace
}  // namespace keygate::services::insights
