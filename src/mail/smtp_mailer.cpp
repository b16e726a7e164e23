// SmtpMailer (see smtp_mailer.h): one libcurl easy transfer per message.
#include "mail/smtp_mailer.h"

#include <curl/curl.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <stdexcept>

#include "mail/rfc5322.h"

namespace keygate::mail {
namespace {

struct EasyDeleter {
  void operator()(CURL* handle) const { curl_easy_cleanup(handle); }
};
using EasyHandle = std::unique_ptr<CURL, EasyDeleter>;

struct SlistDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};
using Slist = std::unique_ptr<curl_slist, SlistDeleter>;

void initializeCurl() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
      throw std::runtime_error("libcurl could not be initialized (curl_global_init failed)");
  });
}

core::Error unavailable(std::string detail) {
  auto error = core::makeError(core::Errc::kMailUnavailable, "mail could not be delivered",
                               std::move(detail));
  error.retry_after_seconds = SmtpMailer::kRetryAfterSeconds;
  return error;
}

// libcurl pulls the message through this callback; it also performs SMTP dot-stuffing.
struct UploadSource {
  std::string_view data;
  std::size_t offset = 0;
};

std::size_t readMessage(char* buffer, std::size_t size, std::size_t count, void* user) {
  auto* source = static_cast<UploadSource*>(user);
  std::size_t n = std::min(size * count, source->data.size() - source->offset);
  std::memcpy(buffer, source->data.data() + source->offset, n);
  source->offset += n;
  return n;
}

long curlTlsMode(SmtpOptions::Tls tls) {
  switch (tls) {
    case SmtpOptions::Tls::kOff:
      return CURLUSESSL_NONE;
    case SmtpOptions::Tls::kStartTlsRequired:
      return CURLUSESSL_ALL;
    case SmtpOptions::Tls::kStartTlsIfAvailable:
      return CURLUSESSL_TRY;
  }
  return CURLUSESSL_ALL;
}

}  // namespace

SmtpMailer::SmtpMailer(SmtpOptions options, const core::Clock& clock, core::Random& random)
    : options_(std::move(options)), clock_(clock), random_(random) {
  if (!options_.url.starts_with("smtp://") && !options_.url.starts_with("smtps://"))
    throw std::invalid_argument("SMTP URL must start with smtp:// or smtps://");
  initializeCurl();
}

SmtpMailer::~SmtpMailer() {
  explicit_bzero(options_.password.data(), options_.password.size());
}

core::Status SmtpMailer::send(const Message& message) {
  const auto now = clock_.now();
  std::string message_id;
  {
    std::lock_guard lock(random_mutex_);
    message_id = newMessageId(now, random_, message.from);
  }
  KG_ASSIGN_OR_RETURN(std::string text, renderMessage(message, now, message_id));

  EasyHandle easy(curl_easy_init());
  if (!easy) return unavailable("curl_easy_init failed");
  CURL* h = easy.get();

  // The envelope takes bare addresses; libcurl adds the angle brackets when missing.
  const std::string mail_from = "<" + envelopeAddress(message.from) + ">";
  Slist recipients(curl_slist_append(nullptr, ("<" + envelopeAddress(message.to) + ">").c_str()));
  if (!recipients) return unavailable("curl_slist_append failed");

  UploadSource source{text};
  char error_buffer[CURL_ERROR_SIZE] = {};
  CURLcode rc = CURLE_OK;
  auto set = [&](CURLoption option, auto value) {
    if (rc == CURLE_OK) rc = curl_easy_setopt(h, option, value);
  };
  set(CURLOPT_ERRORBUFFER, error_buffer);
  set(CURLOPT_URL, options_.url.c_str());
  // Only mail protocols: a mistyped URL must not turn into an HTTP or file transfer.
  set(CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  set(CURLOPT_NOSIGNAL, 1L);
  set(CURLOPT_CONNECTTIMEOUT, options_.timeout_seconds);
  set(CURLOPT_TIMEOUT, options_.timeout_seconds);
  set(CURLOPT_USE_SSL, curlTlsMode(options_.tls));
  set(CURLOPT_SSL_VERIFYPEER, options_.verify_peer ? 1L : 0L);
  set(CURLOPT_SSL_VERIFYHOST, options_.verify_peer ? 2L : 0L);
  if (!options_.username.empty()) {
    set(CURLOPT_USERNAME, options_.username.c_str());
    set(CURLOPT_PASSWORD, options_.password.c_str());
  }
  set(CURLOPT_MAIL_FROM, mail_from.c_str());
  set(CURLOPT_MAIL_RCPT, recipients.get());
  set(CURLOPT_READFUNCTION, &readMessage);
  set(CURLOPT_READDATA, &source);
  set(CURLOPT_UPLOAD, 1L);
  if (rc != CURLE_OK)
    return unavailable(std::string("cannot configure libcurl: ") + curl_easy_strerror(rc));

  rc = curl_easy_perform(h);
  if (rc != CURLE_OK) {
    // curl's text names the failing step (connect, STARTTLS, AUTH, RCPT, DATA), never the body.
    std::string detail = std::string("SMTP delivery failed: ") + curl_easy_strerror(rc);
    if (error_buffer[0] != '\0') detail += std::string(" (") + error_buffer + ")";
    return unavailable(std::move(detail));
  }
  spdlog::info("smtp: message {} for {} accepted by the relay", message_id,
               envelopeAddress(message.to));
  return core::ok();
}

}  // namespace keygate::mail
