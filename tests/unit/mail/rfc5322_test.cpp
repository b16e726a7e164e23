// Message rendering: exact headers, CRLF everywhere, encoded subjects, injection rejected.
#include "mail/rfc5322.h"

#include <gtest/gtest.h>

namespace keygate::mail {
namespace {

constexpr core::Seconds kDate = 1764183845;  // 2025-11-26T19:04:05Z, a Wednesday

Message sample() {
  return Message{"Keygate <no-reply@keygate.example>", "ann@example.com", "Your view code",
                 "Your code is 12345678.\nIt expires in 10 minutes.\n"};
}

TEST(Rfc5322, RendersHeadersAndBodyWithCrlf) {
  auto text = renderMessage(sample(), kDate, "20251126T190405Z.00ff@keygate.example");
  ASSERT_TRUE(text) << text.error().message;
  EXPECT_EQ(*text,
            "Date: Wed, 26 Nov 2025 19:04:05 +0000\r\n"
            "From: Keygate <no-reply@keygate.example>\r\n"
            "To: ann@example.com\r\n"
            "Subject: Your view code\r\n"
            "Message-ID: <20251126T190405Z.00ff@keygate.example>\r\n"
            "MIME-Version: 1.0\r\n"
            "Content-Type: text/plain; charset=utf-8\r\n"
            "Content-Transfer-Encoding: 8bit\r\n"
            "\r\n"
            "Your code is 12345678.\r\n"
            "It expires in 10 minutes.\r\n");
}

TEST(Rfc5322, NormalizesEveryLineEnding) {
  auto m = sample();
  m.text_body = "a\r\nb\nc\rd\r\n\r\n.e";
  auto text = renderMessage(m, kDate, "id@x");
  ASSERT_TRUE(text);
  auto body = text->substr(text->find("\r\n\r\n") + 4);
  EXPECT_EQ(body, "a\r\nb\r\nc\r\nd\r\n\r\n.e\r\n");
  // No bare CR or LF anywhere in the message.
  for (std::size_t i = 0; i < text->size(); ++i) {
    if ((*text)[i] == '\n') {
      ASSERT_TRUE(i > 0 && (*text)[i - 1] == '\r') << i;
    }
    if ((*text)[i] == '\r') {
      ASSERT_TRUE(i + 1 < text->size() && (*text)[i + 1] == '\n') << i;
    }
  }
}

TEST(Rfc5322, FormatsDatesInUtc) {
  EXPECT_EQ(formatRfc5322Date(0), "Thu, 01 Jan 1970 00:00:00 +0000");
  EXPECT_EQ(formatRfc5322Date(951782400), "Tue, 29 Feb 2000 00:00:00 +0000");
  EXPECT_EQ(formatRfc5322Date(kDate), "Wed, 26 Nov 2025 19:04:05 +0000");
  EXPECT_EQ(formatCompactUtc(kDate), "20251126T190405Z");
}

TEST(Rfc5322, RejectsHeaderInjection) {
  struct Case {
    std::string Message::*member;
    std::string field;
  };
  for (const auto& [member, field] : {Case{&Message::from, "from"}, Case{&Message::to, "to"},
                                      Case{&Message::subject, "subject"}}) {
    for (const std::string& evil :
         std::vector<std::string>{"x\r\nBcc: eve@evil.example", "x\nBcc: eve@evil.example",
                                  "x\rBcc: eve@evil.example", std::string("x\0y", 3)}) {
      auto m = sample();
      m.*member = evil;
      auto r = renderMessage(m, kDate, "id@x");
      ASSERT_FALSE(r) << field;
      EXPECT_EQ(r.error().code, core::Errc::kValidationFailed);
      EXPECT_EQ(r.error().field, field);
    }
  }
  EXPECT_FALSE(renderMessage(sample(), kDate, "id@x\r\nBcc: eve@evil.example"));
  EXPECT_FALSE(renderMessage(sample(), kDate, "<id@x>"));
  // Line breaks in the body are content, not an injection.
  auto m = sample();
  m.text_body = "line\r\nBcc: not-a-header\r\n";
  EXPECT_TRUE(renderMessage(m, kDate, "id@x"));
}

TEST(Rfc5322, RequiresSenderAndRecipient) {
  auto m = sample();
  m.to = " ";
  auto r = renderMessage(m, kDate, "id@x");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().field, "to");
  m = sample();
  m.from.clear();
  EXPECT_FALSE(renderMessage(m, kDate, "id@x"));
}

TEST(Rfc5322, EncodesNonAsciiSubjects) {
  EXPECT_EQ(encodeHeaderText("Plain ASCII"), "Plain ASCII");
  // "Código de acesso" in UTF-8.
  EXPECT_EQ(encodeHeaderText("C\xc3\xb3"
                             "digo de acesso"),
            "=?UTF-8?B?Q8OzZGlnbyBkZSBhY2Vzc28=?=");
  auto m = sample();
  m.subject = "Schl\xc3\xbcssel";
  auto text = renderMessage(m, kDate, "id@x");
  ASSERT_TRUE(text);
  EXPECT_NE(text->find("\r\nSubject: =?UTF-8?B?U2NobMO8c3NlbA==?=\r\n"), std::string::npos)
      << *text;
}

TEST(Rfc5322, LongEncodedSubjectsFoldWithoutSplittingCharacters) {
  std::string subject;
  for (int i = 0; i < 40; ++i) subject += "\xc3\xa9";  // "é" x 40 = 80 bytes
  auto encoded = encodeHeaderText(subject);
  std::size_t words = 0, start = 0;
  while (start <= encoded.size()) {
    auto end = encoded.find("\r\n ", start);
    auto word = encoded.substr(start, end == std::string::npos ? std::string::npos : end - start);
    ++words;
    EXPECT_LE(word.size(), 75u) << word;
    EXPECT_TRUE(word.starts_with("=?UTF-8?B?") && word.ends_with("?=")) << word;
    if (end == std::string::npos) break;
    start = end + 3;
  }
  EXPECT_EQ(words, 2u);
  // 45 bytes would split an "é"; the first word carries 44 bytes (22 characters).
  EXPECT_EQ(encoded.substr(0, encoded.find("?=") + 2),
            "=?UTF-8?B?" +
                std::string("w6nDqcOpw6nDqcOpw6nDqcOpw6nDqcOpw6nDqcOpw6nDqcOpw6nDqcOpw6k=") + "?=");
}

TEST(Rfc5322, EncodesNonAsciiDisplayNames) {
  auto m = sample();
  m.from = "\"J\xc3\xbcrgen\" <j@example.com>";
  auto text = renderMessage(m, kDate, "id@x");
  ASSERT_TRUE(text);
  EXPECT_NE(text->find("\r\nFrom: =?UTF-8?B?SsO8cmdlbg==?= <j@example.com>\r\n"), std::string::npos)
      << *text;
}

TEST(Rfc5322, ExtractsEnvelopeAddresses) {
  EXPECT_EQ(envelopeAddress("Keygate <no-reply@keygate.example>"), "no-reply@keygate.example");
  EXPECT_EQ(envelopeAddress("  ann@example.com "), "ann@example.com");
  EXPECT_EQ(envelopeAddress("\"A <b>\" <c@example.com>"), "c@example.com");
}

class CountingRandom final : public core::Random {
 public:
  void fill(std::span<std::byte> out) override {
    for (auto& b : out) b = static_cast<std::byte>(next_++);
  }
  std::uint32_t uniform(std::uint32_t upper_bound) override { return next_++ % upper_bound; }

 private:
  unsigned char next_ = 0;
};

TEST(Rfc5322, MessageIdsUseTheSenderDomain) {
  CountingRandom random;
  EXPECT_EQ(newMessageId(kDate, random, "Keygate <no-reply@keygate.example>"),
            "20251126T190405Z.0001020304050607@keygate.example");
  EXPECT_EQ(newMessageId(kDate, random, "nobody"),
            "20251126T190405Z.08090a0b0c0d0e0f@keygate.invalid");
}

}  // namespace
}  // namespace keygate::mail
