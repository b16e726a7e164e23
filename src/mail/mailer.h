// Outgoing mail. Implementations: OutboxMailer (one RFC 5322 file per message; the embedded
// default) and SmtpMailer (libcurl, STARTTLS, authentication).
#pragma once

#include <string>

#include "core/error.h"

namespace keygate::mail {

struct Message {
  std::string from;
  std::string to;
  std::string subject;
  std::string text_body;  // plain text, UTF-8
};

class Mailer {
 public:
  virtual ~Mailer() = default;
  // Delivers the message or fails with Errc::kMailUnavailable (retry_after_seconds set) when
  // the transport is down. Never logs the body (it may hold a code).
  virtual core::Status send(const Message& message) = 0;
};

}  // namespace keygate::mail
