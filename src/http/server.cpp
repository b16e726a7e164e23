// Boost.Beast/Asio implementation of Server: C++20 coroutines on one io_context run by
// options.threads threads; each connection is a coroutine on its own strand. Any free thread
// serves any ready connection, so a handler that blocks holds one thread, not the connections
// that would be bound to it with one io_context per thread (docs/performance.md). I/O objects
// use the strand's concrete executor type instead of the type-erased any_io_executor.
// Requests are parsed by Beast; responses are serialized here into a per-connection buffer
// and written with one gather write.
// This is the only translation unit of the project that includes Beast (compile time).
#include "http/server.h"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/status.hpp>
#include <boost/beast/http/string_body.hpp>
#include <charconv>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstdio>
#include <ctime>
#include <exception>
#include <limits>
#include <mutex>
#include <optional>
#include <random>
#include <stdexcept>
#include <thread>
#include <tuple>
#include <unordered_set>
#include <vector>

#include "core/error.h"
#include "http/problem.h"

// GCC 12 sees Asio's coroutine frames allocated with aligned_alloc (inside the frame's operator
// new) and released by the matching operator delete (aligned_delete, i.e. free), and reports
// a mismatch that is not there (it shows once the frames use a concrete executor type).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif

namespace keygate::http {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = net::ip::tcp;
using SteadyClock = std::chrono::steady_clock;
using BeastRequest = bhttp::request<bhttp::string_body>;
// Every I/O object lives on a strand of the one io_context.
using Executor = net::strand<net::io_context::executor_type>;
using Socket = net::basic_stream_socket<tcp, Executor>;
using Acceptor = net::basic_socket_acceptor<tcp, Executor>;
using Stream = beast::basic_stream<tcp, Executor, beast::unlimited_rate_policy>;
using Timer = net::basic_waitable_timer<SteadyClock, net::wait_traits<SteadyClock>, Executor>;
template <class T>
using Awaitable = net::awaitable<T, Executor>;

// I/O errors come back as values (no exceptions on the request path).
constexpr auto kAsTuple = net::as_tuple(net::use_awaitable_t<Executor>{});

constexpr std::size_t kFirstReadBytes = 4096;
// After an error response, unread request bytes are drained for a short while before closing,
// so the kernel does not answer them with a reset that would destroy the response in flight.
constexpr std::size_t kMaxLingerBytes = 1024 * 1024;
constexpr std::chrono::milliseconds kMaxLinger{1000};
constexpr std::chrono::milliseconds kAcceptRetryDelay{50};
constexpr std::size_t kMaxLoggedUserAgent = 256;

// Not a secret: only has to be unique enough to correlate a log line with a report.
std::string newRequestId() {
  thread_local std::mt19937_64 engine{[] {
    std::random_device device;
    return (std::uint64_t{device()} << 32) ^ device();
  }()};
  static constexpr char kHex[] = "0123456789abcdef";
  std::uint64_t value = engine();
  std::string id(16, '0');
  for (char& c : id) {
    c = kHex[value & 0xF];
    value >>= 4;
  }
  return id;
}

// IMF-fixdate for the Date header, formatted at most once per second per thread.
std::string_view httpDate() {
  thread_local std::time_t cached_second = -1;
  thread_local std::array<char, 64> cached{};
  thread_local std::size_t cached_size = 0;
  const std::time_t now = std::time(nullptr);
  if (now != cached_second) {
    std::tm tm{};
    gmtime_r(&now, &tm);
    cached_size = std::strftime(cached.data(), cached.size(), "%a, %d %b %Y %H:%M:%S GMT", &tm);
    cached_second = now;
  }
  return {cached.data(), cached_size};
}

void appendNumber(std::string& out, std::uint64_t value) {
  std::array<char, 24> digits{};
  const auto [end, ec] = std::to_chars(digits.data(), digits.data() + digits.size(), value);
  out.append(digits.data(), end);
}

// Appends '.' and `thousandths` (0-999) as exactly three digits.
void appendThousandths(std::string& out, unsigned thousandths) {
  const char fraction[] = {'.', static_cast<char>('0' + thousandths / 100),
                           static_cast<char>('0' + thousandths / 10 % 10),
                           static_cast<char>('0' + thousandths % 10)};
  out.append(fraction, sizeof fraction);
}

// Appends the current UTC time as RFC 3339 with milliseconds (2024-01-02T03:04:05.678Z); the
// part up to the seconds is formatted at most once per second per thread.
void appendRfc3339Now(std::string& out) {
  thread_local std::time_t cached_second = -1;
  thread_local std::array<char, 32> cached{};
  thread_local std::size_t cached_size = 0;
  const auto now = std::chrono::system_clock::now();
  const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  if (seconds != cached_second) {
    std::tm tm{};
    gmtime_r(&seconds, &tm);
    cached_size = std::strftime(cached.data(), cached.size(), "%Y-%m-%dT%H:%M:%S", &tm);
    cached_second = seconds;
  }
  const auto millis = static_cast<unsigned>(
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000);
  out.append(cached.data(), cached_size);
  appendThousandths(out, millis);
  out += 'Z';
}

// Appends a non-negative duration in milliseconds with three decimals (microseconds).
void appendMilliseconds(std::string& out, double seconds) {
  const auto micros = static_cast<std::uint64_t>(std::max(0.0, seconds) * 1e6 + 0.5);
  appendNumber(out, micros / 1000);
  appendThousandths(out, static_cast<unsigned>(micros % 1000));
}

// Length of the valid UTF-8 sequence starting at s[i], or 0 when it is invalid.
std::size_t utf8SequenceLength(std::string_view s, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = byte(i);
  std::size_t len = 0;
  std::uint32_t min = 0;
  if (c < 0x80) return 1;
  if ((c & 0xE0) == 0xC0) {
    len = 2;
    min = 0x80;
  } else if ((c & 0xF0) == 0xE0) {
    len = 3;
    min = 0x800;
  } else if ((c & 0xF8) == 0xF0) {
    len = 4;
    min = 0x10000;
  } else {
    return 0;
  }
  if (i + len > s.size()) return 0;
  std::uint32_t cp = c & (0x7F >> len);
  for (std::size_t k = 1; k < len; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (byte(i + k) & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return len;
}

// Appends a JSON string literal. Invalid UTF-8 (a decoded path may hold any byte) becomes
// U+FFFD so that every access log line stays valid JSON for log shippers.
void appendJsonString(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
      ++i;
    } else if (c < 0x20 || c == 0x7F) {
      out += "\\u00";
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
      ++i;
    } else {
      const std::size_t len = utf8SequenceLength(s, i);
      if (len == 0) {
        out += "\xEF\xBF\xBD";
        ++i;
      } else {
        out.append(s.substr(i, len));
        i += len;
      }
    }
  }
  out += '"';
}

void appendJsonField(std::string& out, std::string_view name, std::string_view value) {
  if (out.size() > 1) out += ',';
  appendJsonString(out, name);
  out += ':';
  appendJsonString(out, value);
}

void appendJsonField(std::string& out, std::string_view name, std::uint64_t value) {
  if (out.size() > 1) out += ',';
  appendJsonString(out, name);
  out += ':';
  appendNumber(out, value);
}

std::shared_ptr<spdlog::logger> accessLogger() {
  static std::mutex creation_mutex;
  std::lock_guard lock(creation_mutex);
  if (auto existing = spdlog::get(kAccessLoggerName)) return existing;
  auto logger = spdlog::stdout_logger_mt(kAccessLoggerName);
  logger->set_pattern("%v");
  // One line per request must reach a pipe promptly, not when a stdio buffer fills.
  logger->flush_on(spdlog::level::info);
  return logger;
}

void logCoroutineFailure(std::string_view what, std::exception_ptr failure) {
  if (!failure) return;
  try {
    std::rethrow_exception(failure);
  } catch (const std::exception& e) {
    spdlog::error("http: {} ended with an exception: {}", what, e.what());
  } catch (...) {
    spdlog::error("http: {} ended with an unknown exception", what);
  }
}

bool isHttpParseError(const beast::error_code& ec) {
  return ec.category() == bhttp::make_error_code(bhttp::error::bad_method).category() &&
         ec != bhttp::error::end_of_stream && ec != bhttp::error::partial_message;
}

// Splits the request-target into path and query; false when it is not origin-form or
// absolute-form, or when the path's percent-encoding is malformed.
bool splitTarget(std::string_view target, std::string& path, std::string& query) {
  std::string_view rest = target;
  if (rest.starts_with("http://") || rest.starts_with("https://")) {
    rest.remove_prefix(rest.find("://") + 3);
    const auto start = rest.find_first_of("/?");
    rest = start == std::string_view::npos ? std::string_view("/") : rest.substr(start);
    if (rest.front() == '?') return false;  // "http://host?x" has no path to route
  }
  if (rest.empty() || rest.front() != '/') return false;
  const auto question = rest.find('?');
  query =
      question == std::string_view::npos ? std::string() : std::string(rest.substr(question + 1));
  auto decoded = percentDecode(rest.substr(0, question), false);
  // A NUL in a path can only confuse code further down (C APIs, file names).
  if (!decoded || decoded->find('\0') != std::string::npos) return false;
  path = std::move(*decoded);
  return true;
}

// Responses with these statuses carry neither a body nor Content-Length (RFC 9110 §8.6).
bool statusForbidsContent(unsigned status) {
  return status < 200 || status == 204 || status == 304;
}

void appendHeader(std::string& out, std::string_view name, std::string_view value) {
  out.append(name);
  out.append(": ");
  out.append(value);
  out.append("\r\n");
}

bool hasUnsafeHeaderBytes(std::string_view s) {
  return std::any_of(s.begin(), s.end(),
                     [](char c) { return c == '\r' || c == '\n' || c == '\0'; });
}

}  // namespace

class Server::Impl {
 public:
  Impl(ServerOptions options, const Router& router, Metrics& metrics)
      : options_(std::move(options)), router_(router), metrics_(metrics) {
    ioc_.emplace(std::max(1, options_.threads));
  }

  ~Impl() {
    stop();
    destroyIo();
  }

  void start();
  unsigned short port() const { return port_; }
  void stop();
  void wait();
  void stopOnSignals();

 private:
  // One client connection. Lives as long as its coroutine; registered so stop() can reach it.
  class Connection : public std::enable_shared_from_this<Connection> {
    Impl& server_;

   public:
    Connection(Impl& server, Socket socket) : server_(server), stream(std::move(socket)) {
      beast::error_code ec;
      const tcp::endpoint peer = stream.socket().remote_endpoint(ec);
      if (!ec) {
        auto address = peer.address();
        if (address.is_v6() && address.to_v6().is_v4_mapped()) {
          address = net::ip::make_address_v4(net::ip::v4_mapped, address.to_v6());
        }
        remote_ip = address.to_string();
      }
      std::lock_guard lock(server_.connections_mutex_);
      server_.connections_.insert(this);
      server_.open_connections_.fetch_add(1, std::memory_order_relaxed);
      server_.metrics_.connectionOpened();
    }
    ~Connection() {
      {
        std::lock_guard lock(server_.connections_mutex_);
        server_.connections_.erase(this);
        server_.open_connections_.fetch_sub(1, std::memory_order_relaxed);
        server_.metrics_.connectionClosed();
      }
      server_.connections_cv_.notify_all();
    }
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    Stream stream;
    beast::flat_buffer buffer;
    std::string head;  // the serialized status line and headers; capacity reused
    std::string remote_ip;
    // True while waiting for the first byte of a request: the connection holds no work, so
    // shutdown may close it at once. Only touched on the connection's strand.
    bool idle = false;
  };

  Awaitable<void> acceptLoop();
  Awaitable<void> serve(std::shared_ptr<Connection> connection);
  Awaitable<void> reject(Socket socket);
  Awaitable<void> lingeringClose(Stream& stream);
  // Writes the head and, unless omitted, the body in one gather write.
  Awaitable<std::tuple<beast::error_code, std::size_t>> write(Stream& stream,
                                                              const std::string& head,
                                                              const Response& response,
                                                              bool with_body);

  Response handle(Request& request) const;
  // Serializes the status line and headers of `response` into `head` (cleared first, its
  // capacity kept), adding the server's common headers and the framing. Replaces a response
  // whose status cannot be written with a 500 problem.
  void serializeHead(Response& response, const std::string& request_id, unsigned version,
                     bool keep_alive, std::string& head) const;
  void logAccess(const Request& request, unsigned status, double seconds,
                 std::size_t bytes_out) const;
  void closeConnections(bool only_idle);
  void destroyIo();

  const ServerOptions options_;
  const Router& router_;
  Metrics& metrics_;
  std::shared_ptr<spdlog::logger> access_log_;

  std::mutex connections_mutex_;
  std::condition_variable connections_cv_;
  std::unordered_set<Connection*> connections_;
  std::atomic<int> open_connections_{0};
  std::atomic<bool> draining_{false};

  enum class State { kIdle, kRunning, kStopping, kStopped };
  std::mutex lifecycle_mutex_;
  std::condition_variable lifecycle_cv_;
  State state_ = State::kIdle;
  bool stop_requested_ = false;

  std::optional<net::io_context> ioc_;
  std::optional<Acceptor> acceptor_;
  std::optional<net::basic_signal_set<Executor>> signals_;
  std::vector<std::thread> threads_;
  unsigned short port_ = 0;
};

void Server::Impl::start() {
  {
    std::lock_guard lock(lifecycle_mutex_);
    if (state_ != State::kIdle) throw std::logic_error("http::Server::start called twice");
  }
  access_log_ = accessLogger();

  const std::string where = options_.address + ":" + std::to_string(options_.port);
  const auto fail = [&](std::string_view step, const beast::error_code& ec) {
    throw std::runtime_error("cannot listen on " + where + ": " + std::string(step) + ": " +
                             ec.message());
  };
  beast::error_code ec;
  const auto address = net::ip::make_address(options_.address, ec);
  if (ec) fail("invalid address", ec);
  const tcp::endpoint endpoint(address, options_.port);
  acceptor_.emplace(net::make_strand(*ioc_));
  acceptor_->open(endpoint.protocol(), ec);
  if (ec) fail("open", ec);
  // Lets a restarted server bind while old connections linger in TIME_WAIT; it does not let
  // two live servers share the port on Linux.
  acceptor_->set_option(net::socket_base::reuse_address(true), ec);
  if (ec) fail("setsockopt", ec);
  acceptor_->bind(endpoint, ec);
  if (ec) fail("bind", ec);
  acceptor_->listen(net::socket_base::max_listen_connections, ec);
  if (ec) fail("listen", ec);
  port_ = acceptor_->local_endpoint(ec).port();
  if (ec) fail("local_endpoint", ec);

  net::co_spawn(acceptor_->get_executor(), acceptLoop(),
                [](std::exception_ptr e) { logCoroutineFailure("accept loop", e); });
  const int thread_count = std::max(1, options_.threads);
  threads_.reserve(static_cast<std::size_t>(thread_count));
  for (int i = 0; i < thread_count; ++i) {
    threads_.emplace_back([this] {
      try {
        ioc_->run();
      } catch (const std::exception& e) {
        spdlog::critical("http: I/O thread stopped by an exception: {}", e.what());
      }
    });
  }
  std::lock_guard lock(lifecycle_mutex_);
  state_ = State::kRunning;
}

void Server::Impl::stop() {
  std::unique_lock lock(lifecycle_mutex_);
  switch (state_) {
    case State::kStopped:
      return;
    case State::kIdle:
      state_ = State::kStopped;
      lifecycle_cv_.notify_all();
      return;
    case State::kStopping:
      lifecycle_cv_.wait(lock, [&] { return state_ == State::kStopped; });
      return;
    case State::kRunning:
      break;
  }
  state_ = State::kStopping;
  lock.unlock();

  draining_.store(true);
  net::post(acceptor_->get_executor(), [this] {
    beast::error_code ec;
    acceptor_->close(ec);
  });
  closeConnections(/*only_idle=*/true);
  bool drained = false;
  {
    std::unique_lock connections_lock(connections_mutex_);
    drained = connections_cv_.wait_for(connections_lock, options_.shutdown_grace,
                                       [&] { return connections_.empty(); });
  }
  if (!drained) {
    spdlog::warn("http: shutdown grace period over, closing {} connection(s)",
                 open_connections_.load());
    closeConnections(/*only_idle=*/false);
  }
  ioc_->stop();
  for (std::thread& thread : threads_) thread.join();
  threads_.clear();
  // Destroying the io_context now (not at destruction) closes every socket that a handler
  // still held when the grace period ended, so clients see the close at stop time.
  destroyIo();

  lock.lock();
  state_ = State::kStopped;
  lifecycle_cv_.notify_all();
}

void Server::Impl::destroyIo() {
  // I/O objects before the io_context they were created on; the io_context destroys the
  // suspended coroutines, whose Connections unregister from this object.
  signals_.reset();
  acceptor_.reset();
  ioc_.reset();
}

void Server::Impl::wait() {
  std::unique_lock lock(lifecycle_mutex_);
  lifecycle_cv_.wait(lock, [&] { return state_ == State::kStopped || stop_requested_; });
  if (state_ == State::kStopped) return;
  lock.unlock();
  stop();
}

void Server::Impl::stopOnSignals() {
  if (!ioc_) return;  // already stopped
  signals_.emplace(net::make_strand(*ioc_), SIGINT, SIGTERM);
  signals_->async_wait([this](const beast::error_code& ec, int signal_number) {
    if (ec) return;
    spdlog::info("http: signal {} received, shutting down", signal_number);
    {
      std::lock_guard lock(lifecycle_mutex_);
      stop_requested_ = true;
    }
    lifecycle_cv_.notify_all();
  });
}

void Server::Impl::closeConnections(bool only_idle) {
  std::vector<std::shared_ptr<Connection>> targets;
  {
    std::lock_guard lock(connections_mutex_);
    targets.reserve(connections_.size());
    for (Connection* connection : connections_) {
      // Null when the connection is already being destroyed.
      if (auto alive = connection->weak_from_this().lock()) targets.push_back(std::move(alive));
    }
  }
  for (auto& connection : targets) {
    auto executor = connection->stream.get_executor();
    net::post(executor, [connection = std::move(connection), only_idle] {
      if (!only_idle || connection->idle) connection->stream.close();
    });
  }
}

Awaitable<void> Server::Impl::acceptLoop() {
  for (;;) {
    auto [ec, socket] = co_await acceptor_->async_accept(net::make_strand(*ioc_), kAsTuple);
    if (!acceptor_->is_open() || ec == net::error::operation_aborted) co_return;
    if (ec == net::error::connection_aborted) continue;  // the client gave up while queued
    if (ec) {
      // E.g. EMFILE: back off briefly instead of spinning on the error.
      spdlog::warn("http: accept failed: {}", ec.message());
      Timer timer(acceptor_->get_executor(), kAcceptRetryDelay);
      co_await timer.async_wait(kAsTuple);
      continue;
    }
    if (draining_.load()) continue;  // the socket closes as it goes out of scope
    if (open_connections_.load(std::memory_order_relaxed) >= options_.max_connections) {
      metrics_.connectionRejected();
      auto executor = socket.get_executor();
      net::co_spawn(executor, reject(std::move(socket)),
                    [](std::exception_ptr e) { logCoroutineFailure("connection reject", e); });
      continue;
    }
    auto connection = std::make_shared<Connection>(*this, std::move(socket));
    auto executor = connection->stream.get_executor();
    net::co_spawn(executor, serve(std::move(connection)),
                  [](std::exception_ptr e) { logCoroutineFailure("connection", e); });
  }
}

Awaitable<void> Server::Impl::reject(Socket socket) {
  Stream stream(std::move(socket));
  Request request;
  request.request_id = newRequestId();
  core::Error error = core::makeError(core::Errc::kUnavailable,
                                      "The server is at its connection limit; retry shortly.");
  error.retry_after_seconds = 1;
  Response response = problem(error, request);
  std::string head;
  serializeHead(response, request.request_id, 11, false, head);
  stream.expires_after(std::min<std::chrono::milliseconds>(options_.read_timeout, kMaxLinger));
  auto [ec, written] = co_await write(stream, head, response, true);
  if (!ec) co_await lingeringClose(stream);
}

Awaitable<std::tuple<beast::error_code, std::size_t>> Server::Impl::write(Stream& stream,
                                                                          const std::string& head,
                                                                          const Response& response,
                                                                          bool with_body) {
  const std::array<net::const_buffer, 2> buffers{
      net::buffer(head), with_body ? net::buffer(response.body) : net::const_buffer()};
  co_return co_await net::async_write(stream, buffers, kAsTuple);
}

Awaitable<void> Server::Impl::lingeringClose(Stream& stream) {
  beast::error_code ec;
  stream.socket().shutdown(tcp::socket::shutdown_send, ec);
  if (ec) co_return;
  stream.expires_after(std::min<std::chrono::milliseconds>(options_.read_timeout, kMaxLinger));
  std::array<char, 4096> scratch{};
  std::size_t drained = 0;
  while (drained < kMaxLingerBytes) {
    auto [read_ec, n] = co_await stream.async_read_some(net::buffer(scratch), kAsTuple);
    if (read_ec) break;
    drained += n;
  }
  stream.close();
}

Awaitable<void> Server::Impl::serve(std::shared_ptr<Connection> connection) {
  Stream& stream = connection->stream;
  beast::flat_buffer& buffer = connection->buffer;
  int served = 0;
  const std::uint32_t header_limit = static_cast<std::uint32_t>(
      std::min<std::size_t>(options_.max_header_bytes, std::numeric_limits<std::uint32_t>::max()));

  for (;;) {
    // Wait for the first byte of a request. Until it arrives the connection is idle, and
    // shutdown may close it; after that the request is in flight and shutdown lets it finish.
    stream.expires_after(served == 0 ? options_.read_timeout : options_.idle_timeout);
    if (buffer.size() == 0) {
      if (draining_.load()) break;
      connection->idle = true;
      auto [ec, n] = co_await stream.async_read_some(buffer.prepare(kFirstReadBytes), kAsTuple);
      connection->idle = false;
      if (ec) break;  // peer closed, idle timeout, or closed by stop()
      buffer.commit(n);
    }
    if (served > 0) stream.expires_after(options_.read_timeout);

    bhttp::request_parser<bhttp::string_body> parser;
    parser.header_limit(header_limit);
    parser.body_limit(options_.max_body_bytes);
    auto [ec, header_bytes] = co_await bhttp::async_read_header(stream, buffer, parser, kAsTuple);
    if (!ec && !parser.is_done()) {
      // Clients such as curl wait for this before sending a larger body.
      const std::string_view expect = parser.get()[bhttp::field::expect];
      if (equalsIgnoreCase(expect, "100-continue") && parser.get().version() >= 11) {
        static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
        auto [write_ec, written] =
            co_await net::async_write(stream, net::buffer(kContinue), kAsTuple);
        ec = write_ec;
      }
      if (!ec) {
        auto [read_ec, body_bytes] = co_await bhttp::async_read(stream, buffer, parser, kAsTuple);
        ec = read_ec;
      }
    }
    const auto started = SteadyClock::now();

    if (ec) {
      // Only malformed or oversized requests get an answer; I/O errors and timeouts just close.
      core::Errc code = core::Errc::kMalformedRequest;
      std::string message = "The request is not valid HTTP/1.1.";
      if (ec == bhttp::error::header_limit) {
        code = core::Errc::kHeaderTooLarge;
        message =
            "The request header exceeds " + std::to_string(options_.max_header_bytes) + " bytes.";
      } else if (ec == bhttp::error::body_limit) {
        code = core::Errc::kPayloadTooLarge;
        message = "The request body exceeds " + std::to_string(options_.max_body_bytes) + " bytes.";
      } else if (!isHttpParseError(ec)) {
        break;
      }
      Request request;
      request.request_id = newRequestId();
      request.remote_ip = connection->remote_ip;
      request.method = std::string(parser.get().method_string());
      std::string ignored_query;
      if (!splitTarget(parser.get().target(), request.path, ignored_query)) request.path.clear();
      Response response = problem(core::makeError(code, std::move(message)), request);
      serializeHead(response, request.request_id, 11, false, connection->head);
      const unsigned status = response.status;
      stream.expires_after(options_.read_timeout);
      auto [write_ec, written] = co_await write(stream, connection->head, response, true);
      const double seconds = std::chrono::duration<double>(SteadyClock::now() - started).count();
      metrics_.observe(request.method, {}, status, seconds);
      logAccess(request, status, seconds, written);
      if (!write_ec) co_await lingeringClose(stream);
      co_return;
    }

    BeastRequest message = parser.release();
    Request request;
    request.request_id = newRequestId();
    request.remote_ip = connection->remote_ip;
    request.method = std::string(message.method_string());
    request.target = std::string(message.target());
    request.headers.reserve(
        static_cast<std::size_t>(std::distance(message.begin(), message.end())));
    for (const auto& field : message) {
      request.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
    }
    request.body = std::move(message.body());

    Response response;
    if (splitTarget(request.target, request.path, request.query)) {
      response = handle(request);
    } else {
      request.path.clear();
      response = problem(
          core::makeError(core::Errc::kMalformedRequest, "The request target is not a valid path."),
          request);
    }

    ++served;
    const bool keep_alive = message.keep_alive() && !draining_.load() &&
                            (options_.max_requests_per_connection <= 0 ||
                             served < options_.max_requests_per_connection) &&
                            !equalsIgnoreCase(response.header("Connection"), "close");
    serializeHead(response, request.request_id, message.version(), keep_alive, connection->head);
    const unsigned status = response.status;
    stream.expires_after(options_.read_timeout);
    // A response to HEAD carries the headers of the GET response but never a body.
    auto [write_ec, written] =
        co_await write(stream, connection->head, response,
                       message.method() != bhttp::verb::head && !statusForbidsContent(status));
    const double seconds = std::chrono::duration<double>(SteadyClock::now() - started).count();
    metrics_.observe(request.method, request.route, status, seconds);
    logAccess(request, status, seconds, written);
    if (write_ec || !keep_alive) break;
  }

  beast::error_code ec;
  stream.socket().shutdown(tcp::socket::shutdown_send, ec);
  stream.close();
}

Response Server::Impl::handle(Request& request) const {
  // The one place where handler exceptions are caught: log with the request id, answer 500.
  try {
    return router_.dispatch(request);
  } catch (const core::ErrorException& e) {
    spdlog::error("http: request {} failed: unhandled {} error: {} ({})", request.request_id,
                  core::errcName(e.error.code), e.error.message, e.error.detail);
  } catch (const std::exception& e) {
    spdlog::error("http: request {} failed: {}", request.request_id, e.what());
  } catch (...) {
    spdlog::error("http: request {} failed with an unknown exception", request.request_id);
  }
  return problem(core::makeError(core::Errc::kInternal, "internal error"), request);
}

void Server::Impl::serializeHead(Response& response, const std::string& request_id,
                                 unsigned version, bool keep_alive, std::string& head) const {
  if (response.status < 100 || response.status > 599) {
    // A handler bug must not produce an unwritable status line or drop the connection.
    spdlog::error("http: request {}: handler returned invalid status {}", request_id,
                  response.status);
    Request request;
    request.request_id = request_id;
    response = problem(core::makeError(core::Errc::kInternal, "invalid status"), request);
  }
  const bool http10 = version == 10;
  head.clear();
  head.append(http10 ? "HTTP/1.0 " : "HTTP/1.1 ");
  appendNumber(head, response.status);
  const std::string_view reason =
      bhttp::obsolete_reason(static_cast<bhttp::status>(response.status));
  head.push_back(' ');
  if (!reason.starts_with('<')) head.append(reason);  // "<unknown-status>": leave it empty
  head.append("\r\n");

  bool has_cache_control = false;
  for (const auto& [name, value] : response.headers) {
    // Framing belongs to the server; CR/LF would let a handler echoing input split headers.
    if (equalsIgnoreCase(name, "Content-Length") || equalsIgnoreCase(name, "Transfer-Encoding") ||
        equalsIgnoreCase(name, "Connection")) {
      continue;
    }
    if (name.empty() || hasUnsafeHeaderBytes(name) || hasUnsafeHeaderBytes(value) ||
        name.find_first_of(" \t:") != std::string::npos) {
      spdlog::warn("http: request {}: dropped a response header with unsafe bytes", request_id);
      continue;
    }
    if (equalsIgnoreCase(name, "Cache-Control")) has_cache_control = true;
    appendHeader(head, name, value);
  }
  if (!has_cache_control) appendHeader(head, "Cache-Control", "no-store");
  appendHeader(head, "Server", "keygate");
  appendHeader(head, "X-Request-Id", request_id);
  appendHeader(head, "Date", httpDate());
  if (http10 && keep_alive) appendHeader(head, "Connection", "keep-alive");
  if (!http10 && !keep_alive) appendHeader(head, "Connection", "close");
  if (!statusForbidsContent(response.status)) {
    head.append("Content-Length: ");
    appendNumber(head, response.body.size());
    head.append("\r\n");
  }
  head.append("\r\n");
}

void Server::Impl::logAccess(const Request& request, unsigned status, double seconds,
                             std::size_t bytes_out) const {
  // Never headers, bodies or the query string: any of them may carry credentials.
  if (!access_log_->should_log(spdlog::level::info)) return;
  std::string line;
  line.reserve(256);
  line += '{';
  line += "\"ts\":\"";
  appendRfc3339Now(line);
  line += '"';
  appendJsonField(line, "requestId", request.request_id);
  appendJsonField(line, "method", request.method);
  appendJsonField(line, "route", request.route.empty() ? "unmatched" : request.route);
  appendJsonField(line, "path", request.path);
  appendJsonField(line, "status", std::uint64_t{status});
  line += ",\"durationMs\":";
  appendMilliseconds(line, seconds);
  appendJsonField(line, "bytesOut", std::uint64_t{bytes_out});  // status line + headers + body
  appendJsonField(line, "ip", request.remote_ip);
  std::string_view user_agent = request.header("User-Agent");
  appendJsonField(line, "userAgent", user_agent.substr(0, kMaxLoggedUserAgent));
  line += '}';
  access_log_->log(spdlog::level::info, std::string_view(line));
}

Server::Server(ServerOptions options, const Router& router, Metrics& metrics)
    : impl_(std::make_unique<Impl>(std::move(options), router, metrics)) {}

Server::~Server() = default;

void Server::start() {
  impl_->start();
}
unsigned short Server::port() const {
  return impl_->port();
}
void Server::stop() {
  impl_->stop();
}
void Server::wait() {
  impl_->wait();
}
void Server::stopOnSignals() {
  impl_->stopOnSignals();
}

}  // namespace keygate::http
