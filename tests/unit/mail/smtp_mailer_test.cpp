// SmtpMailer against a real SMTP server (aiosmtpd via keygate::testing::SmtpServer).
#include "mail/smtp_mailer.h"

#include <gtest/gtest.h>

#include "support/smtp_server.h"

namespace keygate::mail {
namespace {

class FixedRandom final : public core::Random {
 public:
  void fill(std::span<std::byte> out) override {
    for (auto& b : out) b = std::byte{0x5a};
  }
  std::uint32_t uniform(std::uint32_t) override { return 0; }
};

class SmtpMailerTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(server_.start()); }

  SmtpOptions plainOptions() {
    SmtpOptions options;
    options.url = server_.url();
    options.tls = SmtpOptions::Tls::kOff;
    return options;
  }

  Message message() {
    return Message{"Keygate <no-reply@keygate.example>", "Ann <ann@example.com>",
                   "Your Keygate view code",
                   "Your code is 12345678.\n.\nA line that starts with a dot.\n"};
  }

  testing::SmtpServer server_;
  core::FakeClock clock_{1764183845};  // 2025-11-26T19:04:05Z
  FixedRandom random_;
};

TEST_F(SmtpMailerTest, DeliversWithoutAuthenticationOverPlainSmtp) {
  SmtpMailer mailer(plainOptions(), clock_, random_);
  auto s = mailer.send(message());
  ASSERT_TRUE(s) << s.error().detail;

  auto received = server_.received();
  ASSERT_EQ(received.size(), 1u);
  EXPECT_EQ(received[0].mail_from, "no-reply@keygate.example");
  EXPECT_EQ(received[0].rcpt_to, std::vector<std::string>{"ann@example.com"});
  const auto& raw = received[0].raw;
  EXPECT_NE(raw.find("Subject: Your Keygate view code\r\n"), std::string::npos) << raw;
  EXPECT_NE(raw.find("Date: Wed, 26 Nov 2025 19:04:05 +0000\r\n"), std::string::npos);
  EXPECT_NE(raw.find("To: Ann <ann@example.com>\r\n"), std::string::npos);
  EXPECT_NE(raw.find("Message-ID: <20251126T190405Z.5a5a5a5a5a5a5a5a@keygate.example>\r\n"),
            std::string::npos);
  // The body arrives intact: libcurl dot-stuffed the lone "." and the server unstuffed it.
  EXPECT_NE(raw.find("\r\n\r\nYour code is 12345678.\r\n.\r\nA line that starts with a dot.\r\n"),
            std::string::npos)
      << raw;
  EXPECT_EQ(server_.messages(), std::vector<std::string>{raw});
}

TEST_F(SmtpMailerTest, StartTlsIfAvailableFallsBackToPlainText) {
  auto options = plainOptions();
  options.tls = SmtpOptions::Tls::kStartTlsIfAvailable;
  SmtpMailer mailer(options, clock_, random_);
  ASSERT_TRUE(mailer.send(message()));
  EXPECT_EQ(server_.messages().size(), 1u);
}

TEST_F(SmtpMailerTest, StartTlsRequiredRefusesAServerWithoutIt) {
  auto options = plainOptions();
  options.tls = SmtpOptions::Tls::kStartTlsRequired;
  SmtpMailer mailer(options, clock_, random_);
  auto s = mailer.send(message());
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, core::Errc::kMailUnavailable);
  EXPECT_EQ(s.error().retry_after_seconds, 30);
  EXPECT_TRUE(server_.messages().empty());  // nothing went out in clear text
}

TEST_F(SmtpMailerTest, ServerDownIsMailUnavailableWithRetryAfter) {
  SmtpMailer mailer(plainOptions(), clock_, random_);
  ASSERT_TRUE(mailer.send(message()));
  server_.stop();

  auto s = mailer.send(message());
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, core::Errc::kMailUnavailable);
  ASSERT_TRUE(s.error().retry_after_seconds.has_value());
  EXPECT_EQ(*s.error().retry_after_seconds, 30);
  EXPECT_NE(s.error().detail.find("connect"), std::string::npos) << s.error().detail;
  EXPECT_EQ(s.error().detail.find("12345678"), std::string::npos);  // never the body
  EXPECT_EQ(server_.messages().size(), 1u);
}

TEST_F(SmtpMailerTest, ManyMessagesInOrder) {
  SmtpMailer mailer(plainOptions(), clock_, random_);
  for (int i = 0; i < 3; ++i) {
    auto m = message();
    m.subject = "Reminder " + std::to_string(i);
    ASSERT_TRUE(mailer.send(m));
  }
  auto messages = server_.messages();
  ASSERT_EQ(messages.size(), 3u);
  for (int i = 0; i < 3; ++i)
    EXPECT_NE(messages[i].find("Subject: Reminder " + std::to_string(i) + "\r\n"),
              std::string::npos);
}

TEST_F(SmtpMailerTest, InjectionIsRejectedBeforeConnecting) {
  SmtpMailer mailer(plainOptions(), clock_, random_);
  auto m = message();
  m.to = "ann@example.com\r\nBcc: eve@evil.example";
  auto s = mailer.send(m);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, core::Errc::kValidationFailed);
  EXPECT_TRUE(server_.messages().empty());
}

TEST(SmtpMailerOptions, RejectsNonSmtpUrls) {
  core::FakeClock clock(0);
  FixedRandom random;
  SmtpOptions options;
  options.url = "http://127.0.0.1:25";
  EXPECT_THROW(SmtpMailer(options, clock, random), std::invalid_argument);
}

}  // namespace
}  // namespace keygate::mail
