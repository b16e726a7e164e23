// HTTP metrics in Prometheus text exposition format 0.0.4: request counter and latency
// histogram labelled by method, route pattern and status, connection gauges, and a hook for
// other layers to append their own series. Thread-safe.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace keygate::http {

class Metrics {
 public:
  // Upper bounds of the latency histogram buckets, in seconds (+Inf is implicit).
  static constexpr std::array<double, 13> kBuckets = {
      0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5};

  // Records one finished request. An empty route is labelled "unmatched" and methods outside
  // the standard set are labelled "other", so clients cannot inflate label cardinality.
  void observe(std::string_view method, std::string_view route, unsigned status, double seconds);

  void connectionOpened() { connections_open_.fetch_add(1, std::memory_order_relaxed); }
  void connectionClosed() { connections_open_.fetch_sub(1, std::memory_order_relaxed); }
  void connectionRejected() { connections_rejected_.fetch_add(1, std::memory_order_relaxed); }

  // A collector appends complete metric families (with # TYPE lines) to the output.
  void addCollector(std::function<void(std::string&)> collector);

  // The whole exposition, for GET /metrics (Content-Type kContentType).
  std::string render() const;

  static constexpr std::string_view kContentType = "text/plain; version=0.0.4; charset=utf-8";

 private:
  struct Key {
    std::string method;
    std::string route;
    unsigned status = 0;
  };
  struct KeyLess {
    using is_transparent = void;
    template <class A, class B>
    bool operator()(const A& a, const B& b) const {
      if (a.method != b.method) return a.method < b.method;
      if (a.route != b.route) return a.route < b.route;
      return a.status < b.status;
    }
  };
  struct KeyView {
    std::string_view method;
    std::string_view route;
    unsigned status = 0;
  };
  struct Series {
    std::uint64_t count = 0;
    double sum = 0;
    std::array<std::uint64_t, kBuckets.size()> buckets{};  // per bucket, not cumulative
  };

  mutable std::mutex mutex_;
  std::map<Key, Series, KeyLess> series_;
  std::atomic<std::int64_t> connections_open_{0};
  std::atomic<std::uint64_t> connections_rejected_{0};

  mutable std::mutex collectors_mutex_;
  std::vector<std::function<void(std::string&)>> collectors_;
};

}  // namespace keygate::http
