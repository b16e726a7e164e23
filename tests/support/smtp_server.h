// A real SMTP server for tests: aiosmtpd with the smtp_sink.MaildirSink handler, run as a child
// process on a free loopback port. Messages land in a private temporary directory and are read
// back raw. Used by the mail unit tests and by integration tests that need a relay.
#pragma once

#include <gtest/gtest.h>
#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace keygate::testing {

class SmtpServer {
 public:
  struct Received {
    std::string mail_from;
    std::vector<std::string> rcpt_to;
    std::string raw;  // the message as received (CRLF line endings, dot-unstuffed)
  };

  SmtpServer();
  ~SmtpServer();  // stops the server and removes its directory
  SmtpServer(const SmtpServer&) = delete;
  SmtpServer& operator=(const SmtpServer&) = delete;

  // Starts aiosmtpd and returns once it accepts connections (or fails, with the reason and
  // the server's output). Use as ASSERT_TRUE(server.start()).
  ::testing::AssertionResult start();
  // Kills the server and reaps it. Idempotent. Received messages stay readable.
  void stop();

  std::uint16_t port() const { return port_; }
  bool running() const { return pid_ > 0; }
  std::string url() const;  // "smtp://127.0.0.1:<port>"

  std::vector<std::string> messages() const;  // raw messages, in arrival order
  std::vector<Received> received() const;     // with their envelopes
  const std::filesystem::path& directory() const { return dir_; }

 private:
  std::filesystem::path dir_;  // private temp directory: mail/ and server.log
  std::uint16_t port_ = 0;
  pid_t pid_ = -1;
};

}  // namespace keygate::testing
