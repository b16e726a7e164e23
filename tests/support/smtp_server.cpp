// SmtpServer (see smtp_server.h): fork/exec of aiosmtpd, readiness by connecting, SIGKILL stop.
#include "support/smtp_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace keygate::testing {
namespace {

namespace fs = std::filesystem;

constexpr const char* kPython = "/usr/bin/python3";
// Start-up of the Python interpreter and aiosmtpd takes well under a second; the generous bound
// only keeps a broken environment from hanging the suite.
constexpr auto kStartDeadline = std::chrono::seconds(20);

class Socket {
 public:
  Socket() : fd_(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) {}
  ~Socket() {
    if (fd_ >= 0) ::close(fd_);
  }
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

sockaddr_in loopback(std::uint16_t port) {
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return addr;
}

// The kernel picks a free port for a socket bound to port 0; the socket is closed again and the
// server binds the same port moments later.
std::uint16_t pickFreePort() {
  Socket s;
  if (s.get() < 0) return 0;
  auto addr = loopback(0);
  if (::bind(s.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) return 0;
  socklen_t len = sizeof addr;
  if (::getsockname(s.get(), reinterpret_cast<sockaddr*>(&addr), &len) != 0) return 0;
  return ntohs(addr.sin_port);
}

bool accepts(std::uint16_t port) {
  Socket s;
  if (s.get() < 0) return false;
  auto addr = loopback(port);
  return ::connect(s.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
}

std::string readFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

fs::path makeTempDir() {
  std::string tmpl = (fs::path(::testing::TempDir()) / "smtp-sink-XXXXXX").string();
  if (::mkdtemp(tmpl.data()) == nullptr)
    throw std::runtime_error("mkdtemp failed: " + std::string(std::strerror(errno)));
  return tmpl;
}

std::vector<fs::path> sortedMessages(const fs::path& dir) {
  std::vector<fs::path> files;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
    if (it->path().extension() == ".eml" && !it->path().filename().string().starts_with("."))
      files.push_back(it->path());
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace

SmtpServer::SmtpServer() : dir_(makeTempDir()) {}

SmtpServer::~SmtpServer() {
  stop();
  std::error_code ec;
  fs::remove_all(dir_, ec);
}

std::string SmtpServer::url() const {
  return "smtp://127.0.0.1:" + std::to_string(port_);
}

::testing::AssertionResult SmtpServer::start() {
  if (running()) return ::testing::AssertionFailure() << "SMTP server already running";
  port_ = pickFreePort();
  if (port_ == 0) return ::testing::AssertionFailure() << "no free port: " << std::strerror(errno);

  const auto mail_dir = (dir_ / "mail").string();
  const auto log_path = (dir_ / "server.log").string();
  const std::string listen = "127.0.0.1:" + std::to_string(port_);
  std::vector<std::string> args = {
      kPython, "-m", "aiosmtpd", "-n", "-l", listen, "-c", "smtp_sink.MaildirSink", mail_dir};
  // Everything the child needs is prepared before fork: only async-signal-safe calls follow.
  std::vector<std::string> env_strings;
  for (char** e = environ; *e != nullptr; ++e)
    if (std::strncmp(*e, "PYTHONPATH=", 11) != 0) env_strings.emplace_back(*e);
  env_strings.push_back(std::string("PYTHONPATH=") + KEYGATE_TEST_SUPPORT_DIR);
  std::vector<char*> argv, envp;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  for (auto& e : env_strings) envp.push_back(e.data());
  envp.push_back(nullptr);

  int log_fd = ::open(log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (log_fd < 0) return ::testing::AssertionFailure() << "cannot open " << log_path;
  const pid_t parent = ::getpid();
  pid_t pid = ::fork();
  if (pid < 0) {
    ::close(log_fd);
    return ::testing::AssertionFailure() << "fork failed: " << std::strerror(errno);
  }
  if (pid == 0) {
    // A crashed test must not leave a server behind.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(127);
    ::dup2(log_fd, STDOUT_FILENO);
    ::dup2(log_fd, STDERR_FILENO);
    ::execve(kPython, argv.data(), envp.data());
    ::_exit(127);
  }
  ::close(log_fd);
  pid_ = pid;

  const auto deadline = std::chrono::steady_clock::now() + kStartDeadline;
  while (!accepts(port_)) {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return ::testing::AssertionFailure()
             << "aiosmtpd exited during start-up (status " << status << "):\n"
             << readFile(log_path);
    }
    if (std::chrono::steady_clock::now() > deadline) {
      stop();
      return ::testing::AssertionFailure()
             << "aiosmtpd did not accept connections on " << listen << ":\n"
             << readFile(log_path);
    }
    // Polling for readiness of another process; no test assertion depends on this timing.
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return ::testing::AssertionSuccess();
}

void SmtpServer::stop() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGKILL);
  int status = 0;
  while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
  pid_ = -1;
}

std::vector<std::string> SmtpServer::messages() const {
  std::vector<std::string> out;
  for (const auto& path : sortedMessages(dir_ / "mail")) out.push_back(readFile(path));
  return out;
}

std::vector<SmtpServer::Received> SmtpServer::received() const {
  std::vector<Received> out;
  for (const auto& path : sortedMessages(dir_ / "mail")) {
    Received r;
    r.raw = readFile(path);
    auto env_path = path;
    std::istringstream envelope(readFile(env_path.replace_extension(".env")));
    std::getline(envelope, r.mail_from);
    for (std::string line; std::getline(envelope, line);)
      if (!line.empty()) r.rcpt_to.push_back(line);
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace keygate::testing
