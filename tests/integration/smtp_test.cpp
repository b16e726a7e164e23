// View codes through a real SMTP server (aiosmtpd): the code is read from the received
// message and reveals the secret; with the relay down the request answers 503 and writes
// nothing.
#include "server_fixture.h"
#include "support/smtp_server.h"

namespace keygate::testing {
namespace {

class SmtpFlowTest : public ServerTest {
 protected:
  void SetUp() override {
    ASSERT_TRUE(smtp_.start());
    ServerTest::SetUp();
  }
  void adjustConfig(app::Config& config) override {
    config.mail.transport = "smtp";
    config.mail.smtp.url = smtp_.url();
    config.mail.smtp.tls = "off";
    config.mail.smtp.timeout_seconds = 5;
  }
  SmtpServer smtp_;
};

TEST_F(SmtpFlowTest, CodeFromTheReceivedMessageRevealsTheSecret) {
  login(*client_, "sam.supplier");
  auto key = generate(*client_, R"({"name":"mailed"})");
  const auto id = std::to_string(key.at("credentialKey").as_int64());
  auto sent = client_->request("POST", "/api/v1/me/keys/" + id + "/view-code");
  ASSERT_EQ(sent.status, 202) << sent.body;
  auto received = smtp_.received();
  ASSERT_EQ(received.size(), 1u);
  ASSERT_EQ(received[0].rcpt_to.size(), 1u);
  EXPECT_EQ(received[0].rcpt_to[0], "sam.supplier@acme.example");
  EXPECT_NE(received[0].raw.find("Subject: Your Keygate verification code"), std::string::npos);
  const auto code = firstEightDigits(received[0].raw.substr(received[0].raw.find("\r\n\r\n")));
  ASSERT_EQ(code.size(), 8u);
  auto revealed =
      client_->postJson("/api/v1/me/keys/" + id + "/reveal", R"({"code":")" + code + "\"}");
  ASSERT_EQ(revealed.status, 200) << revealed.body;
  EXPECT_EQ(str(parseObject(revealed.body), "clientSecret"), str(key, "clientSecret"));
}

TEST_F(SmtpFlowTest, RelayDownAnswers503WithRetryAfterAndWritesNothing) {
  login(*client_, "sam.supplier");
  auto key = generate(*client_, R"({"name":"mailed"})");
  const auto id = std::to_string(key.at("credentialKey").as_int64());
  smtp_.stop();
  const auto events = countRows("events");
  auto r = client_->request("POST", "/api/v1/me/keys/" + id + "/view-code");
  EXPECT_EQ(r.status, 503) << r.body;
  EXPECT_EQ(str(parseObject(r.body), "code"), "mail_unavailable");
  EXPECT_EQ(r.header("Retry-After"), "30");
  EXPECT_EQ(countRows("view_codes"), 0);
  EXPECT_EQ(countRows("events"), events);
}

}  // namespace
}  // namespace keygate::testing
