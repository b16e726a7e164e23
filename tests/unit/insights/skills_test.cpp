// Skill-name normalization and the synonym table of the candidate-insight model.
#include "services/insights/skills.h"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "services/insights/scoring.h"

namespace keygate::services::insights {
namespace {

TEST(NormalizeSkill, CuratedSynonymsShareOneCanonicalForm) {
  const std::pair<const char*, const char*> pairs[] = {
      {"JS", "JavaScript"},
      {"TS", "TypeScript"},
      {"k8s", "Kubernetes"},
      {"Postgres", "PostgreSQL"},
      {"Node", "Node.js"},
      {"C#", "csharp"},
      {".NET", "dotnet"},
      {".NET Core", "dotnet"},
      {"GCP", "Google Cloud"},
      {"Google Cloud Platform", "GCP"},
      {"AWS", "Amazon Web Services"},
      {"ML", "machine learning"},
      {"React.js", "React"},
      {"ReactJS", "React"},
      {"golang", "Go"},
      {"C++", "cplusplus"},
      {"MS SQL Server", "SQL Server"},
      {"REST API", "RESTful"},
      {"CI/CD", "continuous integration"},
  };
  for (const auto& [a, b] : pairs) {
    EXPECT_EQ(normalizeSkill(a), normalizeSkill(b)) << a << " vs " << b;
    EXPECT_FALSE(normalizeSkill(a).empty()) << a;
  }
}

TEST(NormalizeSkill, DocumentedCanonicalForms) {
  EXPECT_EQ(normalizeSkill("k8s"), "kubernetes");
  EXPECT_EQ(normalizeSkill("Node.JS"), "nodejs");
  EXPECT_EQ(normalizeSkill("C#"), "csharp");
  EXPECT_EQ(normalizeSkill(".NET"), "dotnet");
  EXPECT_EQ(normalizeSkill("C++"), "cpp");
  EXPECT_EQ(normalizeSkill("Amazon Web Services"), "aws");
}

TEST(NormalizeSkill, IgnoresCaseWhitespaceAndPunctuation) {
  EXPECT_EQ(normalizeSkill("  KUBERNETES "), "kubernetes");
  EXPECT_EQ(normalizeSkill("node-js"), "nodejs");
  EXPECT_EQ(normalizeSkill("Node.JS"), normalizeSkill("node js"));
  EXPECT_EQ(normalizeSkill("Spring Boot"), normalizeSkill("spring-boot"));
  EXPECT_EQ(normalizeSkill("scikit-learn"), normalizeSkill("sklearn"));
  EXPECT_EQ(normalizeSkill("PostgreSQL!"), "postgresql");
}

TEST(NormalizeSkill, PunctuationThatCarriesMeaningKeepsSkillsApart) {
  // C, C++ and C# are three languages; .NET is not "net"; Java is not JavaScript.
  std::set<std::string> distinct = {normalizeSkill("C"), normalizeSkill("C++"),
                                    normalizeSkill("C#"), normalizeSkill("F#")};
  EXPECT_EQ(distinct.size(), 4u);
  EXPECT_NE(normalizeSkill(".NET"), normalizeSkill("net"));
  EXPECT_NE(normalizeSkill("Java"), normalizeSkill("JavaScript"));
  EXPECT_NE(normalizeSkill("AngularJS"), normalizeSkill("Angular"));  // different products
  EXPECT_EQ(normalizeSkill(""), "");
  EXPECT_EQ(normalizeSkill(" -- "), "");
}

TEST(SkillAliases, TableIsConsistent) {
  std::map<std::string, std::string> seen;
  for (const auto& entry : skillAliases()) {
    // Aliases are stored in compact form, and each appears once.
    EXPECT_EQ(compactSkill(entry.alias), entry.alias);
    EXPECT_TRUE(seen.emplace(std::string(entry.alias), std::string(entry.canonical)).second)
        << "duplicate alias " << entry.alias;
    // A canonical form is a fixed point: normalizing it again changes nothing.
    EXPECT_EQ(normalizeSkill(entry.canonical), entry.canonical);
    EXPECT_EQ(normalizeSkill(entry.alias), entry.canonical);
  }
  EXPECT_GT(seen.size(), 50u);
}

TEST(SkillsMentioned, FindsMultiWordNamesAliasesAndPunctuatedNames) {
  const std::set<std::string> wanted = {"aws",    "kubernetes",      "nodejs",   "cicd",
                                        "csharp", "machinelearning", "terraform"};
  const auto found = skillsMentioned(
      "Ran services on Amazon Web Services with k8s; wrote APIs in Node.js. Set up CI/CD "
      "pipelines, some C#, and applied machine learning to logs.",
      wanted);
  EXPECT_EQ(found, (std::set<std::string>{"aws", "kubernetes", "nodejs", "cicd", "csharp",
                                          "machinelearning"}));
}

TEST(SkillsMentioned, EverydayWordsCountOnlyWhenCapitalized) {
  const std::set<std::string> wanted = {"go", "restapi", "react"};
  EXPECT_TRUE(skillsMentioned("I go to work and rest; we react fast.", wanted).empty());
  EXPECT_EQ(skillsMentioned("Wrote Go services behind a REST API.", wanted),
            (std::set<std::string>{"go", "restapi"}));
  // An unambiguous alias needs no capital.
  EXPECT_EQ(skillsMentioned("mostly golang and reactjs", wanted),
            (std::set<std::string>{"go", "react"}));
}

TEST(SkillsMentioned, OnlyReportsWantedSkills) {
  EXPECT_TRUE(skillsMentioned("Python and Java", {}).empty());
  EXPECT_EQ(skillsMentioned("Python and Java", {"java"}), (std::set<std::string>{"java"}));
  EXPECT_TRUE(skillsMentioned("JavaScript only", {"java"}).empty());
}

}  // namespace
TEST(SkillsTest, AppendCompactContinuesTheCompactFormOfTheTextBefore) {
  const std::vector<std::string> parts = {"Amazon", " Web",    "Services", ".NET",  "C#", "C++",
                                          "  .net", "Node.JS", "-",        "Ärger", "",   "k8s."};
  for (const auto& a : parts) {
    for (const auto& b : parts) {
      std::string out = compactSkill(a);
      appendCompact(out, b);
      EXPECT_EQ(out, compactSkill(a + b)) << '"' << a << "\" + \"" << b << '"';
    }
  }
  std::string empty;
  appendCompact(empty, ".NET");
  EXPECT_EQ(empty, "dotnet");  // a leading '.' of the whole text
}

}  // namespace keygate::services::insights
