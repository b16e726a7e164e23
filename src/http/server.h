// The HTTP/1.1 server: accepts connections, enforces the edge limits (connections, header and
// body size, timeouts, requests per connection), hands each request to the Router, and writes
// the access log and metrics. Beast/Asio stay behind the pimpl so that including this header
// is cheap.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

#include "http/metrics.h"
#include "http/router.h"

namespace keygate::http {

struct ServerOptions {
  std::string address = "127.0.0.1";
  unsigned short port = 8080;  // 0 = pick a free port
  int threads = 2;
  int max_connections = 1024;
  std::size_t max_header_bytes = 16 * 1024;
  std::size_t max_body_bytes = 64 * 1024;
  std::chrono::milliseconds read_timeout{10000};    // to receive one whole request
  std::chrono::milliseconds idle_timeout{60000};    // keep-alive idle between requests
  std::chrono::milliseconds shutdown_grace{10000};  // wait for in-flight requests
  int max_requests_per_connection = 0;              // 0 = unlimited
};

// The access log goes to the spdlog logger of this name; start() creates a plain stdout one
// when none is registered. Replace it before start(): the server holds the one it found.
inline constexpr char kAccessLoggerName[] = "access";

class Server {
 public:
  // router and metrics must outlive the server. Handlers run on the server's threads, so a
  // handler that blocks occupies one of options.threads.
  Server(ServerOptions options, const Router& router, Metrics& metrics);
  ~Server();  // stops the server if it is running
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and starts the threads. Throws std::runtime_error naming address:port when the
  // address is invalid or cannot be bound. A server is started at most once.
  void start();
  // The bound port (after start()).
  unsigned short port() const;
  // Graceful: stops accepting, closes idle keep-alive connections, lets in-flight requests
  // finish (their responses carry Connection: close) for up to shutdown_grace, then closes
  // everything and joins the threads. Idempotent; concurrent callers all return once stopped.
  // Must not be called from a handler (it joins the thread the handler runs on).
  void stop();
  // Blocks until the server has stopped. When stopOnSignals() is in effect, a signal makes
  // this call perform the stop, so `keygate serve` is start(); stopOnSignals(); wait();.
  void wait();
  // Installs SIGTERM/SIGINT handling that requests a stop (carried out by wait()).
  void stopOnSignals();

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace keygate::http
