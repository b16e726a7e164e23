// OutboxMailer: the embedded default transport. Each message becomes one RFC 5322 file
// "<dir>/<YYYYMMDDTHHMMSSZ>-<16 hex>.eml", written atomically (temp file, fsync, rename), so
// an operator, a mail forwarder or an end-to-end test can pick it up and never sees half a
// message. Files are mode 0600: messages may carry view codes.
#pragma once

#include <filesystem>
#include <mutex>
#include <vector>

#include "core/clock.h"
#include "mail/mailer.h"

namespace keygate::mail {

class OutboxMailer final : public Mailer {
 public:
  // Seconds a caller should wait before retrying after a failed write.
  static constexpr long kRetryAfterSeconds = 30;

  // The directory is created on first send when missing.
  OutboxMailer(std::filesystem::path dir, const core::Clock& clock, core::Random& random);

  core::Status send(const Message& message) override;

  // The *.eml files of an outbox, sorted by name (oldest first, newest last). Empty when the
  // directory does not exist. In-progress temp files are not listed.
  static std::vector<std::filesystem::path> listOutbox(const std::filesystem::path& dir);

 private:
  std::filesystem::path dir_;
  const core::Clock& clock_;
  core::Random& random_;
  std::mutex random_mutex_;  // core::Random implementations need not be thread-safe
};

}  // namespace keygate::mail
