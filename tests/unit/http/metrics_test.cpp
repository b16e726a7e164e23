// Metrics: Prometheus text format, cumulative buckets, label hygiene, collectors.
#include "http/metrics.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace keygate::http {
namespace {

bool contains(const std::string& text, std::string_view needle) {
  return text.find(needle) != std::string::npos;
}

TEST(Metrics, CountsRequestsPerMethodRouteAndStatus) {
  Metrics metrics;
  metrics.observe("GET", "/api/v1/me/keys", 200, 0.002);
  metrics.observe("GET", "/api/v1/me/keys", 200, 0.004);
  metrics.observe("POST", "/api/v1/me/keys", 201, 0.02);
  const std::string text = metrics.render();
  EXPECT_TRUE(contains(text, "# TYPE keygate_http_requests_total counter\n"));
  EXPECT_TRUE(contains(
      text,
      "keygate_http_requests_total{method=\"GET\",route=\"/api/v1/me/keys\",status=\"200\"} 2\n"));
  EXPECT_TRUE(contains(
      text,
      "keygate_http_requests_total{method=\"POST\",route=\"/api/v1/me/keys\",status=\"201\"} 1\n"));
}

TEST(Metrics, HistogramBucketsAreCumulative) {
  Metrics metrics;
  // Binary fractions, so that the sum is exact.
  metrics.observe("GET", "/x", 200, 0.00390625);    // 2^-8: first bucket holding it is 0.005
  metrics.observe("GET", "/x", 200, 0.0009765625);  // 2^-10: first bucket holding it is 0.001
  metrics.observe("GET", "/x", 200, 8.0);           // only +Inf
  const std::string text = metrics.render();
  const std::string prefix =
      "keygate_http_request_duration_seconds_bucket{method=\"GET\",route=\"/x\",status=\"200\",le=";
  EXPECT_TRUE(contains(text, "# TYPE keygate_http_request_duration_seconds histogram\n"));
  EXPECT_TRUE(contains(text, prefix + "\"0.0005\"} 0\n"));
  EXPECT_TRUE(contains(text, prefix + "\"0.001\"} 1\n"));
  EXPECT_TRUE(contains(text, prefix + "\"0.0025\"} 1\n"));
  EXPECT_TRUE(contains(text, prefix + "\"0.005\"} 2\n"));
  EXPECT_TRUE(contains(text, prefix + "\"5\"} 2\n"));
  EXPECT_TRUE(contains(text, prefix + "\"+Inf\"} 3\n"));
  EXPECT_TRUE(contains(text,
                       "keygate_http_request_duration_seconds_count{method=\"GET\",route=\"/"
                       "x\",status=\"200\"} 3\n"));
  EXPECT_TRUE(contains(text,
                       "keygate_http_request_duration_seconds_sum{method=\"GET\",route=\"/x\","
                       "status=\"200\"} 8.0048828125\n"));
  for (const char* le : {"0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5"}) {
    EXPECT_TRUE(contains(text, prefix + "\"" + le + "\"} 2\n")) << le;
  }
}

TEST(Metrics, BucketUpperBoundIsInclusive) {
  Metrics metrics;
  metrics.observe("GET", "/x", 200, Metrics::kBuckets[0]);
  EXPECT_TRUE(contains(metrics.render(),
                       "keygate_http_request_duration_seconds_bucket{method=\"GET\",route=\"/x\","
                       "status=\"200\",le=\"0.0005\"} 1\n"));
}

TEST(Metrics, BoundsCardinalityAndEscapesLabels) {
  Metrics metrics;
  metrics.observe("GET", "", 404, 0.001);
  metrics.observe("BREW", "", 405, 0.001);
  metrics.observe("GET", "/odd\"route\\with\nnewline", 200, 0.001);
  const std::string text = metrics.render();
  EXPECT_TRUE(contains(
      text, "keygate_http_requests_total{method=\"GET\",route=\"unmatched\",status=\"404\"} 1\n"));
  EXPECT_TRUE(contains(
      text,
      "keygate_http_requests_total{method=\"other\",route=\"unmatched\",status=\"405\"} 1\n"));
  EXPECT_FALSE(contains(text, "BREW"));
  EXPECT_TRUE(contains(text, "route=\"/odd\\\"route\\\\with\\nnewline\""));
}

TEST(Metrics, ConnectionGaugesAndCollectors) {
  Metrics metrics;
  metrics.connectionOpened();
  metrics.connectionOpened();
  metrics.connectionClosed();
  metrics.connectionRejected();
  metrics.addCollector([](std::string& out) {
    out += "# TYPE keygate_tokens_issued_total counter\nkeygate_tokens_issued_total 5\n";
  });
  const std::string text = metrics.render();
  EXPECT_TRUE(contains(text, "# TYPE keygate_http_connections_open gauge\n"));
  EXPECT_TRUE(contains(text, "\nkeygate_http_connections_open 1\n"));
  EXPECT_TRUE(contains(text, "\nkeygate_http_connections_rejected_total 1\n"));
  EXPECT_TRUE(contains(text, "\nkeygate_tokens_issued_total 5\n"));
  EXPECT_EQ(text.back(), '\n');
}

TEST(Metrics, ConcurrentObservationsAreAllCounted) {
  Metrics metrics;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 1000; ++i) metrics.observe("GET", "/x", 200, 0.001);
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_TRUE(
      contains(metrics.render(),
               "keygate_http_requests_total{method=\"GET\",route=\"/x\",status=\"200\"} 4000\n"));
}

}  // namespace
}  // namespace keygate::http
