// OutboxMailer (see outbox_mailer.h): atomic one-file-per-message delivery.
#include "mail/outbox_mailer.h"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>

#include "mail/rfc5322.h"

namespace keygate::mail {
namespace {

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  int close() { return ::close(std::exchange(fd_, -1)); }

 private:
  int fd_;
};

core::Error unavailable(std::string detail) {
  auto error = core::makeError(core::Errc::kMailUnavailable, "mail could not be delivered",
                               std::move(detail));
  error.retry_after_seconds = OutboxMailer::kRetryAfterSeconds;
  return error;
}

std::string errnoText(int err) {
  return std::strerror(err);
}

// Writes and fsyncs `content` into a new file; returns 0 or the failing errno.
int writeNewFile(const std::filesystem::path& path, std::string_view content) {
  Fd fd(::open(path.c_str(), O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC | O_NOCTTY, 0600));
  if (fd.get() < 0) return errno;
  std::size_t written = 0;
  while (written < content.size()) {
    ssize_t n = ::write(fd.get(), content.data() + written, content.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return errno;
    written += static_cast<std::size_t>(n);
  }
  if (::fsync(fd.get()) != 0) return errno;
  if (fd.close() != 0) return errno;
  return 0;
}

}  // namespace

OutboxMailer::OutboxMailer(std::filesystem::path dir, const core::Clock& clock,
                           core::Random& random)
    : dir_(std::move(dir)), clock_(clock), random_(random) {}

core::Status OutboxMailer::send(const Message& message) {
  const auto now = clock_.now();
  std::string message_id, file_hex;
  {
    std::lock_guard lock(random_mutex_);
    message_id = newMessageId(now, random_, message.from);
    file_hex = randomHex(random_, 8);
  }
  KG_ASSIGN_OR_RETURN(std::string text, renderMessage(message, now, message_id));

  std::error_code ec;
  std::filesystem::create_directories(dir_, ec);
  if (ec)
    return unavailable("cannot create outbox directory " + dir_.string() + ": " + ec.message());

  const std::string name = formatCompactUtc(now) + "-" + file_hex + ".eml";
  const auto final_path = dir_ / name;
  // A dot-name without the .eml suffix: listOutbox and readers ignore it until the rename.
  const auto temp_path = dir_ / ("." + name + ".tmp");
  if (int err = writeNewFile(temp_path, text); err != 0) {
    ::unlink(temp_path.c_str());
    return unavailable("cannot write " + temp_path.string() + ": " + errnoText(err));
  }
  if (::rename(temp_path.c_str(), final_path.c_str()) != 0) {
    int err = errno;
    ::unlink(temp_path.c_str());
    return unavailable("cannot rename " + temp_path.string() + " to " + final_path.string() + ": " +
                       errnoText(err));
  }
  // Persist the rename itself. The message is already visible, so failing here is only logged:
  // reporting it would make the caller send a duplicate.
  Fd dir_fd(::open(dir_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (dir_fd.get() < 0 || ::fsync(dir_fd.get()) != 0)
    spdlog::warn("outbox: cannot fsync directory {}: {}", dir_.string(), errnoText(errno));

  spdlog::info("outbox: message {} for {} written to {}", message_id, envelopeAddress(message.to),
               final_path.string());
  return core::ok();
}

std::vector<std::filesystem::path> OutboxMailer::listOutbox(const std::filesystem::path& dir) {
  std::vector<std::filesystem::path> files;
  std::error_code ec;
  for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const auto& path = it->path();
    std::error_code type_ec;
    if (path.extension() == ".eml" && !path.filename().string().starts_with(".") &&
        it->is_regular_file(type_ec))
      files.push_back(path);
  }
  std::sort(files.begin(), files.end(),
            [](const auto& a, const auto& b) { return a.filename() < b.filename(); });
  return files;
}

}  // namespace keygate::mail
