// The real server over loopback (port 0) with a plain-socket client: framing, limits,
// timeouts, connection cap, errors, graceful stop, access log and metrics.
#include "http/server.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <boost/json/parse.hpp>
#include <cerrno>
#include <csignal>
#include <future>
#include <memory>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "http/problem.h"

namespace keygate::http {
namespace {

struct HttpResponse {
  unsigned status = 0;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  std::string header(std::string_view name) const {
    for (const auto& [key, value] : headers) {
      if (equalsIgnoreCase(key, name)) return value;
    }
    return {};
  }
  boost::json::object json() const { return boost::json::parse(body).as_object(); }
};

// A deliberately dumb blocking HTTP/1.1 client, so the tests exercise the server's parser
// with exactly the bytes they choose. Every read gives up after 10 s so a broken server fails
// a test instead of hanging it; no assertion depends on that time.
class TestClient {
 public:
  explicit TestClient(unsigned short port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd_ < 0) throw std::runtime_error("socket() failed");
    timeval timeout{10, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    ::setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    ::inet_pton(AF_INET, "127.0.0.1", &address.sin_addr);
    connected_ = ::connect(fd_, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0;
    connect_errno_ = connected_ ? 0 : errno;
  }
  ~TestClient() {
    if (fd_ >= 0) ::close(fd_);
  }
  TestClient(const TestClient&) = delete;
  TestClient& operator=(const TestClient&) = delete;

  bool connected() const { return connected_; }
  int connectErrno() const { return connect_errno_; }

  bool send(std::string_view data) {
    while (!data.empty()) {
      const ssize_t n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
      if (n <= 0) return false;
      data.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
  }

  // The next complete response (Content-Length framing), or nullopt when the connection
  // ends first. A response to HEAD has no body whatever its Content-Length: pass false.
  std::optional<HttpResponse> read(bool has_body = true) {
    std::size_t end = 0;
    while ((end = buffer_.find("\r\n\r\n")) == std::string::npos) {
      if (!fill()) return std::nullopt;
    }
    HttpResponse response;
    std::istringstream head(buffer_.substr(0, end));
    std::string line;
    std::getline(head, line);
    if (line.size() < 12 || !line.starts_with("HTTP/1.")) return std::nullopt;
    response.status = static_cast<unsigned>(std::stoul(line.substr(9, 3)));
    std::size_t content_length = 0;
    while (std::getline(head, line)) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      const auto colon = line.find(':');
      if (colon == std::string::npos) continue;
      std::string value = line.substr(colon + 1);
      while (!value.empty() && value.front() == ' ') value.erase(0, 1);
      response.headers.emplace_back(line.substr(0, colon), value);
      if (equalsIgnoreCase(line.substr(0, colon), "Content-Length")) {
        content_length = std::stoul(value);
      }
    }
    if (!has_body) content_length = 0;
    const std::size_t total = end + 4 + content_length;
    while (buffer_.size() < total) {
      if (!fill()) return std::nullopt;
    }
    response.body = buffer_.substr(end + 4, content_length);
    buffer_.erase(0, total);
    return response;
  }

  // True when the server closed the connection (FIN or reset) without sending anything more.
  bool closedByPeer() {
    if (!buffer_.empty()) return false;
    char c = 0;
    const ssize_t n = ::recv(fd_, &c, 1, 0);
    return n == 0 || (n < 0 && errno == ECONNRESET);
  }

  std::optional<HttpResponse> roundTrip(std::string_view request) {
    if (!send(request)) return std::nullopt;
    return read();
  }

 private:
  bool fill() {
    char chunk[4096];
    const ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n <= 0) return false;
    buffer_.append(chunk, static_cast<std::size_t>(n));
    return true;
  }

  int fd_ = -1;
  bool connected_ = false;
  int connect_errno_ = 0;
  std::string buffer_;
};

std::string get(std::string_view target, std::string_view extra_headers = "") {
  return "GET " + std::string(target) + " HTTP/1.1\r\nHost: test\r\n" + std::string(extra_headers) +
         "\r\n";
}

std::string post(std::string_view target, std::string_view body) {
  return "POST " + std::string(target) +
         " HTTP/1.1\r\nHost: test\r\nContent-Type: text/plain\r\nContent-Length: " +
         std::to_string(body.size()) + "\r\n\r\n" + std::string(body);
}

bool isLowerHex16(const std::string& id) {
  return id.size() == 16 && id.find_first_not_of("0123456789abcdef") == std::string::npos;
}

// A route whose handler blocks until release(). The destructor releases it too, so that an
// assertion returning early cannot leave a handler blocked and the server unable to stop.
class HandlerGate {
 public:
  void install(Router& router, std::string path) {
    router.add("GET", std::move(path), [this](Request&) {
      entered_.set_value();
      released_.wait();
      return Response::text(200, "finished", "text/plain");
    });
  }
  void waitUntilEntered() { entered_.get_future().wait(); }
  void release() {
    if (!std::exchange(done_, true)) release_.set_value();
  }
  ~HandlerGate() { release(); }

 private:
  std::promise<void> entered_;
  std::promise<void> release_;
  std::shared_future<void> released_ = release_.get_future().share();
  bool done_ = false;
};

class ServerTest : public ::testing::Test {
 protected:
  ServerTest() {
    // Capture the access log (and keep it off the test output); the server picks up the
    // logger registered under kAccessLoggerName at start().
    spdlog::drop(kAccessLoggerName);
    auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(access_log_);
    auto logger = std::make_shared<spdlog::logger>(kAccessLoggerName, sink);
    logger->set_pattern("%v");
    spdlog::register_logger(logger);

    router_.add("GET", "/hello/{name}", [](Request& request) {
      return Response::text(200,
                            "hello " + request.params.at("name") + " from " + request.remote_ip +
                                " q=" + request.query + " path=" + request.path,
                            "text/plain");
    });
    router_.add("POST", "/echo",
                [](Request& request) { return Response::text(200, request.body, "text/plain"); });
    router_.add("GET", "/cached", [](Request&) {
      Response response = Response::text(200, "static", "text/plain");
      response.setHeader("Cache-Control", "public, max-age=60");
      return response;
    });
    router_.add("GET", "/boom",
                [](Request&) -> Response { throw std::runtime_error("kaboom: handler exploded"); });
    router_.add("GET", "/bad-status", [](Request&) { return Response::text(1200, "", "x/y"); });
    router_.add("HEAD", "/hello/{name}", [](Request&) {
      return Response::text(200, "a body that must not be sent", "text/plain");
    });
    router_.add("GET", "/metrics", [this](Request&) {
      return Response::text(200, metrics_.render(), std::string(Metrics::kContentType));
    });
  }

  ~ServerTest() override {
    if (server_) server_->stop();
    server_.reset();
    spdlog::drop(kAccessLoggerName);
  }

  ServerOptions smallOptions() const {
    ServerOptions options;
    options.port = 0;
    options.threads = 2;
    return options;
  }

  void startServer(ServerOptions options) {
    server_ = std::make_unique<Server>(std::move(options), router_, metrics_);
    server_->start();
    port_ = server_->port();
    ASSERT_NE(port_, 0);
  }

  // Safe to read once the server has stopped (its threads are joined).
  std::vector<boost::json::object> accessLogLines() const {
    std::vector<boost::json::object> lines;
    std::istringstream in(access_log_.str());
    std::string line;
    while (std::getline(in, line)) {
      if (!line.empty()) lines.push_back(boost::json::parse(line).as_object());
    }
    return lines;
  }

  std::ostringstream access_log_;
  Router router_;
  Metrics metrics_;
  std::unique_ptr<Server> server_;
  unsigned short port_ = 0;
};

TEST_F(ServerTest, GetRoundTripWithCommonHeadersAndUniqueRequestIds) {
  startServer(smallOptions());
  TestClient client(port_);
  ASSERT_TRUE(client.connected());
  const auto first = client.roundTrip(get("/hello/w%C3%B6rld?x=1&y=2"));
  ASSERT_TRUE(first);
  EXPECT_EQ(first->status, 200u);
  EXPECT_EQ(first->body, "hello w\xC3\xB6rld from 127.0.0.1 q=x=1&y=2 path=/hello/w\xC3\xB6rld");
  EXPECT_EQ(first->header("Content-Type"), "text/plain");
  EXPECT_EQ(first->header("Server"), "keygate");
  EXPECT_EQ(first->header("Cache-Control"), "no-store");
  EXPECT_FALSE(first->header("Date").empty());
  EXPECT_TRUE(isLowerHex16(first->header("X-Request-Id"))) << first->header("X-Request-Id");

  TestClient other(port_);
  const auto second = other.roundTrip(get("/hello/again"));
  ASSERT_TRUE(second);
  EXPECT_EQ(second->status, 200u);
  EXPECT_TRUE(isLowerHex16(second->header("X-Request-Id")));
  EXPECT_NE(first->header("X-Request-Id"), second->header("X-Request-Id"));
}

TEST_F(ServerTest, HandlerCacheControlIsKept) {
  startServer(smallOptions());
  TestClient client(port_);
  const auto response = client.roundTrip(get("/cached"));
  ASSERT_TRUE(response);
  EXPECT_EQ(response->header("Cache-Control"), "public, max-age=60");
}

TEST_F(ServerTest, KeepAliveServesSeveralRequestsOnOneConnection) {
  startServer(smallOptions());
  TestClient client(port_);
  const auto first = client.roundTrip(get("/hello/one"));
  ASSERT_TRUE(first);
  EXPECT_EQ(first->body.substr(0, 9), "hello one");
  EXPECT_NE(first->header("Connection"), "close");
  const auto second = client.roundTrip(post("/echo", "payload"));
  ASSERT_TRUE(second);
  EXPECT_EQ(second->status, 200u);
  EXPECT_EQ(second->body, "payload");
  EXPECT_NE(first->header("X-Request-Id"), second->header("X-Request-Id"));
}

TEST_F(ServerTest, PipelinedRequestsAreAnsweredInOrder) {
  startServer(smallOptions());
  TestClient client(port_);
  ASSERT_TRUE(client.send(get("/hello/a") + post("/echo", "b") + get("/hello/c")));
  const auto a = client.read();
  const auto b = client.read();
  const auto c = client.read();
  ASSERT_TRUE(a && b && c);
  EXPECT_EQ(a->body.substr(0, 7), "hello a");
  EXPECT_EQ(b->body, "b");
  EXPECT_EQ(c->body.substr(0, 7), "hello c");
}

TEST_F(ServerTest, ConnectionCloseRequestIsHonoured) {
  startServer(smallOptions());
  TestClient client(port_);
  const auto response = client.roundTrip(get("/hello/x", "Connection: close\r\n"));
  ASSERT_TRUE(response);
  EXPECT_EQ(response->header("Connection"), "close");
  EXPECT_TRUE(client.closedByPeer());
}

TEST_F(ServerTest, UnknownRouteAnd405AreProblems) {
  startServer(smallOptions());
  TestClient client(port_);
  const auto missing = client.roundTrip(get("/nope"));
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404u);
  EXPECT_EQ(missing->header("Content-Type"), "application/problem+json");
  EXPECT_EQ(missing->json().at("requestId").as_string(), missing->header("X-Request-Id"));
  const auto wrong_method = client.roundTrip(post("/hello/x", ""));
  ASSERT_TRUE(wrong_method);
  EXPECT_EQ(wrong_method->status, 405u);
  EXPECT_EQ(wrong_method->header("Allow"), "GET, HEAD");
}

TEST_F(ServerTest, BodyOverLimitIs413AndCloses) {
  ServerOptions options = smallOptions();
  options.max_body_bytes = 1024;
  startServer(options);

  TestClient within(port_);
  const auto ok = within.roundTrip(post("/echo", std::string(1024, 'a')));
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 200u);
  EXPECT_EQ(ok->body.size(), 1024u);

  TestClient client(port_);
  const auto response = client.roundTrip(post("/echo", std::string(1025, 'a')));
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 413u);
  EXPECT_EQ(response->header("Content-Type"), "application/problem+json");
  EXPECT_EQ(response->json().at("code").as_string(), "payload_too_large");
  EXPECT_EQ(response->header("Connection"), "close");
  EXPECT_TRUE(client.closedByPeer());
}

TEST_F(ServerTest, ChunkedBodyOverLimitIs413) {
  ServerOptions options = smallOptions();
  options.max_body_bytes = 1024;
  startServer(options);
  TestClient client(port_);
  const std::string chunk(800, 'z');
  const std::string request =
      "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n320\r\n" + chunk +
      "\r\n320\r\n" + chunk + "\r\n0\r\n\r\n";
  const auto response = client.roundTrip(request);
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 413u);
  EXPECT_EQ(response->json().at("code").as_string(), "payload_too_large");
}

TEST_F(ServerTest, HeaderOverLimitIs431AndCloses) {
  ServerOptions options = smallOptions();
  options.max_header_bytes = 1024;
  startServer(options);
  TestClient client(port_);
  const auto response =
      client.roundTrip(get("/hello/x", "X-Big: " + std::string(2000, 'h') + "\r\n"));
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 431u);
  EXPECT_EQ(response->header("Content-Type"), "application/problem+json");
  EXPECT_EQ(response->json().at("code").as_string(), "header_too_large");
  EXPECT_TRUE(client.closedByPeer());
}

TEST_F(ServerTest, MalformedRequestLineIs400AndCloses) {
  startServer(smallOptions());
  TestClient client(port_);
  const auto response = client.roundTrip("THIS IS NOT HTTP\r\n\r\n");
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 400u);
  EXPECT_EQ(response->header("Content-Type"), "application/problem+json");
  EXPECT_EQ(response->json().at("code").as_string(), "malformed_request");
  EXPECT_TRUE(client.closedByPeer());
}

TEST_F(ServerTest, BadPercentEncodingInPathIs400) {
  startServer(smallOptions());
  TestClient client(port_);
  const auto response = client.roundTrip(get("/hello/%zz"));
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 400u);
  EXPECT_EQ(response->json().at("code").as_string(), "malformed_request");
  const auto nul = client.roundTrip(get("/hello/a%00b"));
  ASSERT_TRUE(nul);
  EXPECT_EQ(nul->status, 400u);
}

TEST_F(ServerTest, ThrowingHandlerGives500WithRequestIdAndServerKeepsServing) {
  std::ostringstream error_log;
  auto previous_default = spdlog::default_logger();
  spdlog::set_default_logger(std::make_shared<spdlog::logger>(
      "test-default", std::make_shared<spdlog::sinks::ostream_sink_mt>(error_log)));

  startServer(smallOptions());
  TestClient client(port_);
  const auto response = client.roundTrip(get("/boom"));
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 500u);
  EXPECT_EQ(response->header("Content-Type"), "application/problem+json");
  const auto body = response->json();
  EXPECT_EQ(body.at("code").as_string(), "internal_error");
  const std::string request_id = response->header("X-Request-Id");
  EXPECT_TRUE(isLowerHex16(request_id));
  EXPECT_EQ(body.at("requestId").as_string(), request_id);
  EXPECT_EQ(response->body.find("kaboom"), std::string::npos) << "exception text leaked";

  const auto after = client.roundTrip(get("/hello/still"));
  ASSERT_TRUE(after);
  EXPECT_EQ(after->status, 200u);

  server_->stop();
  spdlog::set_default_logger(previous_default);
  spdlog::drop("test-default");
  const std::string logged = error_log.str();
  EXPECT_NE(logged.find(request_id), std::string::npos) << logged;
  EXPECT_NE(logged.find("kaboom: handler exploded"), std::string::npos) << logged;
}

TEST_F(ServerTest, ConnectionCapAnswers503ToTheExtraConnection) {
  ServerOptions options = smallOptions();
  options.max_connections = 2;
  startServer(options);
  // Round trips make sure both connections are accepted and counted before the third.
  TestClient first(port_);
  TestClient second(port_);
  ASSERT_TRUE(first.roundTrip(get("/hello/1")));
  ASSERT_TRUE(second.roundTrip(get("/hello/2")));

  TestClient third(port_);
  ASSERT_TRUE(third.connected());
  const auto rejected = third.roundTrip(get("/hello/3"));
  ASSERT_TRUE(rejected);
  EXPECT_EQ(rejected->status, 503u);
  EXPECT_EQ(rejected->header("Content-Type"), "application/problem+json");
  EXPECT_EQ(rejected->header("Retry-After"), "1");
  EXPECT_EQ(rejected->json().at("code").as_string(), "unavailable");
  EXPECT_TRUE(third.closedByPeer());

  // The admitted connections are unaffected.
  const auto still = first.roundTrip(get("/hello/1b"));
  ASSERT_TRUE(still);
  EXPECT_EQ(still->status, 200u);

  server_->stop();
  const std::string metrics = metrics_.render();
  EXPECT_NE(metrics.find("\nkeygate_http_connections_rejected_total 1\n"), std::string::npos);
  EXPECT_NE(metrics.find("\nkeygate_http_connections_open 0\n"), std::string::npos);
}

TEST_F(ServerTest, ReadTimeoutClosesAConnectionWithAHalfRequest) {
  ServerOptions options = smallOptions();
  options.read_timeout = std::chrono::milliseconds(200);
  startServer(options);
  TestClient client(port_);
  ASSERT_TRUE(client.send("GET /hello/x HTTP/1.1\r\nHost: test\r\n"));  // no blank line
  EXPECT_TRUE(client.closedByPeer());
}

TEST_F(ServerTest, IdleTimeoutClosesAKeepAliveConnection) {
  ServerOptions options = smallOptions();
  options.idle_timeout = std::chrono::milliseconds(200);
  startServer(options);
  TestClient client(port_);
  ASSERT_TRUE(client.roundTrip(get("/hello/x")));
  EXPECT_TRUE(client.closedByPeer());
}

TEST_F(ServerTest, MaxRequestsPerConnectionClosesAfterTheLast) {
  ServerOptions options = smallOptions();
  options.max_requests_per_connection = 2;
  startServer(options);
  TestClient client(port_);
  const auto first = client.roundTrip(get("/hello/1"));
  ASSERT_TRUE(first);
  EXPECT_NE(first->header("Connection"), "close");
  const auto second = client.roundTrip(get("/hello/2"));
  ASSERT_TRUE(second);
  EXPECT_EQ(second->status, 200u);
  EXPECT_EQ(second->header("Connection"), "close");
  EXPECT_TRUE(client.closedByPeer());
}

TEST_F(ServerTest, HeadResponseHasNoBodyAndKeepsFraming) {
  startServer(smallOptions());
  TestClient client(port_);
  ASSERT_TRUE(client.send("HEAD /hello/x HTTP/1.1\r\nHost: t\r\n\r\n" + get("/hello/next")));
  // The HEAD response advertises the length of the body it does not send; if the body were
  // sent anyway, it would be read as the start of the next response and fail below.
  const auto head = client.read(/*has_body=*/false);
  ASSERT_TRUE(head);
  EXPECT_EQ(head->status, 200u);
  EXPECT_EQ(head->header("Content-Length"), "28");
  const auto next = client.read();
  ASSERT_TRUE(next);
  EXPECT_EQ(next->status, 200u);
  EXPECT_EQ(next->body.substr(0, 10), "hello next");
}

TEST_F(ServerTest, InvalidHandlerStatusBecomes500) {
  startServer(smallOptions());
  TestClient client(port_);
  const auto response = client.roundTrip(get("/bad-status"));
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 500u);
  EXPECT_EQ(response->json().at("code").as_string(), "internal_error");
  EXPECT_TRUE(client.roundTrip(get("/hello/after")));
}

TEST_F(ServerTest, SigtermMakesWaitStopTheServer) {
  startServer(smallOptions());
  server_->stopOnSignals();
  std::thread waiter([&] { server_->wait(); });
  ASSERT_EQ(std::raise(SIGTERM), 0);
  waiter.join();  // returns only once the signal has stopped the server
  TestClient after(port_);
  EXPECT_FALSE(after.connected());
}

TEST_F(ServerTest, ExpectContinueIsAnswered) {
  startServer(smallOptions());
  TestClient client(port_);
  ASSERT_TRUE(client.send(
      "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n"));
  const auto interim = client.read();
  ASSERT_TRUE(interim);
  EXPECT_EQ(interim->status, 100u);
  ASSERT_TRUE(client.send("hello"));
  const auto response = client.read();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200u);
  EXPECT_EQ(response->body, "hello");
}

// A handler that blocks holds one thread; every other connection, new or kept alive, is still
// served by the remaining thread (connections are not bound to a thread).
TEST_F(ServerTest, ABlockedHandlerDoesNotStallOtherConnections) {
  HandlerGate gate;
  gate.install(router_, "/slow");
  startServer(smallOptions());  // two threads

  TestClient kept(port_);
  ASSERT_TRUE(kept.roundTrip(get("/hello/before")));
  TestClient slow(port_);
  ASSERT_TRUE(slow.send(get("/slow")));
  gate.waitUntilEntered();

  for (int i = 0; i < 8; ++i) {
    TestClient fresh(port_);
    const auto response = fresh.roundTrip(get("/hello/fresh"));
    ASSERT_TRUE(response) << "new connection " << i << " was not served";
    EXPECT_EQ(response->status, 200u);
    const auto again = kept.roundTrip(get("/hello/again"));
    ASSERT_TRUE(again) << "kept-alive connection was not served";
    EXPECT_EQ(again->status, 200u);
  }

  gate.release();
  const auto finished = slow.read();
  ASSERT_TRUE(finished);
  EXPECT_EQ(finished->body, "finished");
}

TEST_F(ServerTest, GracefulStopFinishesInFlightRequestAndRefusesNewConnections) {
  HandlerGate gate;
  gate.install(router_, "/slow");
  ServerOptions options = smallOptions();
  options.shutdown_grace = std::chrono::milliseconds(30000);  // the test, not the grace, ends it
  startServer(options);

  TestClient idle(port_);
  ASSERT_TRUE(idle.roundTrip(get("/hello/idle")));
  TestClient slow(port_);
  ASSERT_TRUE(slow.send(get("/slow")));
  gate.waitUntilEntered();

  std::thread stopper([&] { server_->stop(); });

  // The idle keep-alive connection is closed at once, while the slow request still runs.
  EXPECT_TRUE(idle.closedByPeer());

  // Stopping closes the listening socket asynchronously; until then a connection may still be
  // accepted, but it is closed without being served. Eventually connecting is refused.
  bool refused = false;
  for (int attempt = 0; attempt < 100000 && !refused; ++attempt) {
    TestClient late(port_);
    if (!late.connected()) {
      EXPECT_EQ(late.connectErrno(), ECONNREFUSED);
      refused = true;
      break;
    }
    EXPECT_FALSE(late.roundTrip(get("/hello/late"))) << "served after stop()";
    std::this_thread::yield();
  }
  EXPECT_TRUE(refused);

  gate.release();
  const auto response = slow.read();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200u);
  EXPECT_EQ(response->body, "finished");
  EXPECT_EQ(response->header("Connection"), "close");
  EXPECT_TRUE(slow.closedByPeer());
  stopper.join();

  TestClient after(port_);
  EXPECT_FALSE(after.connected());
}

TEST_F(ServerTest, WaitReturnsAfterStop) {
  startServer(smallOptions());
  std::thread waiter([&] { server_->wait(); });
  server_->stop();
  waiter.join();    // would hang if wait() missed the stop
  server_->stop();  // idempotent
  SUCCEED();
}

TEST_F(ServerTest, MetricsRenderRoutesAndHistogramAfterRequests) {
  startServer(smallOptions());
  TestClient client(port_);
  ASSERT_TRUE(client.roundTrip(get("/hello/metrics")));
  ASSERT_TRUE(client.roundTrip(get("/missing")));
  // Observations are recorded after each response is written and before the next request on
  // the same connection is read, so the /metrics handler sees both.
  const auto response = client.roundTrip(get("/metrics"));
  ASSERT_TRUE(response);
  EXPECT_EQ(response->header("Content-Type"), Metrics::kContentType);
  const std::string& text = response->body;
  EXPECT_NE(text.find("keygate_http_requests_total{method=\"GET\",route=\"/hello/{name}\","
                      "status=\"200\"} 1\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("keygate_http_request_duration_seconds_bucket{method=\"GET\","
                      "route=\"/hello/{name}\",status=\"200\",le=\"+Inf\"} 1\n"),
            std::string::npos);
  EXPECT_NE(text.find("keygate_http_requests_total{method=\"GET\",route=\"unmatched\","
                      "status=\"404\"} 1\n"),
            std::string::npos);
  EXPECT_NE(text.find("\nkeygate_http_connections_open 1\n"), std::string::npos);
}

TEST_F(ServerTest, AccessLogHasOneJsonLinePerRequestWithoutSecrets) {
  startServer(smallOptions());
  TestClient client(port_);
  ASSERT_TRUE(client.roundTrip(get("/hello/log?client_secret=kgcs_SECRETVALUE",
                                   "Authorization: Bearer TOKENVALUE\r\n"
                                   "User-Agent: unit-test/1.0 \"quoted\"\r\n")));
  ASSERT_TRUE(client.roundTrip(post("/echo", "password=BODYSECRET")));
  const auto missing = client.roundTrip(get("/missing"));
  ASSERT_TRUE(missing);
  server_->stop();

  const std::string raw = access_log_.str();
  for (const char* secret : {"SECRETVALUE", "TOKENVALUE", "BODYSECRET"}) {
    EXPECT_EQ(raw.find(secret), std::string::npos) << secret << " leaked into " << raw;
  }
  const auto lines = accessLogLines();
  ASSERT_EQ(lines.size(), 3u) << raw;
  const auto& first = lines[0];
  EXPECT_EQ(first.at("method").as_string(), "GET");
  EXPECT_EQ(first.at("route").as_string(), "/hello/{name}");
  EXPECT_EQ(first.at("path").as_string(), "/hello/log");
  EXPECT_EQ(first.at("status").to_number<int>(), 200);
  EXPECT_EQ(first.at("ip").as_string(), "127.0.0.1");
  EXPECT_EQ(first.at("userAgent").as_string(), "unit-test/1.0 \"quoted\"");
  EXPECT_TRUE(isLowerHex16(std::string(first.at("requestId").as_string())));
  EXPECT_GE(first.at("durationMs").to_number<double>(), 0.0);
  EXPECT_GT(first.at("bytesOut").to_number<int>(), 0);
  const std::string ts(first.at("ts").as_string());
  EXPECT_EQ(ts.size(), 24u) << ts;  // 2024-01-02T03:04:05.678Z
  EXPECT_EQ(ts.back(), 'Z');
  EXPECT_EQ(lines[1].at("route").as_string(), "/echo");
  EXPECT_EQ(lines[2].at("route").as_string(), "unmatched");
  EXPECT_EQ(lines[2].at("status").to_number<int>(), 404);
  EXPECT_EQ(lines[2].at("requestId").as_string(), missing->header("X-Request-Id"));
}

TEST_F(ServerTest, StartFailsNamingTheAddressWhenThePortIsTaken) {
  startServer(smallOptions());
  ServerOptions clash = smallOptions();
  clash.port = port_;
  Server second(clash, router_, metrics_);
  try {
    second.start();
    FAIL() << "start() succeeded on a port in use";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("127.0.0.1:" + std::to_string(port_)), std::string::npos)
        << e.what();
  }
}

TEST_F(ServerTest, StartFailsOnAnInvalidAddress) {
  ServerOptions options = smallOptions();
  options.address = "not-an-address";
  Server server(options, router_, metrics_);
  EXPECT_THROW(server.start(), std::runtime_error);
}

}  // namespace
}  // namespace keygate::http
