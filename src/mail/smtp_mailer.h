// SmtpMailer: delivers through an SMTP relay with libcurl (plain, STARTTLS or implicit TLS,
// optional authentication). One libcurl easy handle per message keeps it thread-safe without
// a connection pool; reminder and code mail volume is low.
#pragma once

#include <mutex>
#include <string>

#include "core/clock.h"
#include "mail/mailer.h"

namespace keygate::mail {

struct SmtpOptions {
  enum class Tls {
    kOff,                  // plain SMTP (local relays and tests only)
    kStartTlsRequired,     // fail unless the server upgrades the connection
    kStartTlsIfAvailable,  // upgrade when offered, else continue in clear text
  };
  std::string url;  // smtp://host:port or smtps://host:port (implicit TLS)
  std::string username;
  std::string password;  // never logged; wiped when the mailer is destroyed
  Tls tls = Tls::kStartTlsRequired;
  long timeout_seconds = 10;  // bounds connecting, and separately the whole exchange
  bool verify_peer = true;    // certificate and host name verification
};

class SmtpMailer final : public Mailer {
 public:
  static constexpr long kRetryAfterSeconds = 30;

  // Throws std::invalid_argument for a URL that is not smtp:// or smtps:// and
  // std::runtime_error when libcurl cannot be initialized (both fatal at start-up).
  SmtpMailer(SmtpOptions options, const core::Clock& clock, core::Random& random);
  ~SmtpMailer() override;
  SmtpMailer(const SmtpMailer&) = delete;
  SmtpMailer& operator=(const SmtpMailer&) = delete;

  // kValidationFailed for a message that cannot be rendered; kMailUnavailable (retry after
  // 30 s, libcurl's error text in the detail) for any transport failure.
  core::Status send(const Message& message) override;

 private:
  SmtpOptions options_;
  const core::Clock& clock_;
  core::Random& random_;
  std::mutex random_mutex_;  // core::Random implementations need not be thread-safe
};

}  // namespace keygate::mail
