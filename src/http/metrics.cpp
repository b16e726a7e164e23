// Prometheus text rendering for the HTTP metrics.
#include "http/metrics.h"

#include <charconv>

namespace keygate::http {
namespace {

constexpr std::array<std::string_view, 13> kBucketLabels = {
    "0.0005", "0.001", "0.0025", "0.005", "0.01", "0.025", "0.05",
    "0.1",    "0.25",  "0.5",    "1",     "2.5",  "5"};

std::string_view normalizeMethod(std::string_view method) {
  static constexpr std::string_view kKnown[] = {"GET",    "HEAD",    "POST",  "PUT",    "PATCH",
                                                "DELETE", "OPTIONS", "TRACE", "CONNECT"};
  for (std::string_view known : kKnown) {
    if (method == known) return known;
  }
  return "other";
}

// Label values escape backslash, double quote and newline (exposition format 0.0.4).
void appendEscaped(std::string& out, std::string_view value) {
  for (char c : value) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '"':
        out += "\\\"";
        break;
      case '\n':
        out += "\\n";
        break;
      default:
        out += c;
    }
  }
}

void appendNumber(std::string& out, double value) {
  char buf[64];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
  if (ec == std::errc{}) out.append(buf, end);
}

void appendNumber(std::string& out, std::uint64_t value) {
  char buf[32];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
  if (ec == std::errc{}) out.append(buf, end);
}

}  // namespace

void Metrics::observe(std::string_view method, std::string_view route, unsigned status,
                      double seconds) {
  const KeyView key{normalizeMethod(method), route.empty() ? "unmatched" : route, status};
  std::size_t bucket = 0;
  while (bucket < kBuckets.size() && seconds > kBuckets[bucket]) ++bucket;

  std::lock_guard lock(mutex_);
  auto it = series_.find(key);
  if (it == series_.end()) {
    it = series_.emplace(Key{std::string(key.method), std::string(key.route), status}, Series{})
             .first;
  }
  Series& s = it->second;
  ++s.count;
  s.sum += seconds;
  if (bucket < kBuckets.size()) ++s.buckets[bucket];
}

void Metrics::addCollector(std::function<void(std::string&)> collector) {
  std::lock_guard lock(collectors_mutex_);
  collectors_.push_back(std::move(collector));
}

std::string Metrics::render() const {
  std::string out;
  out.reserve(4096);
  const auto labels = [&out](const Key& key) {
    out += "method=\"";
    appendEscaped(out, key.method);
    out += "\",route=\"";
    appendEscaped(out, key.route);
    out += "\",status=\"";
    appendNumber(out, std::uint64_t{key.status});
    out += '"';
  };
  {
    std::lock_guard lock(mutex_);
    out += "# HELP keygate_http_requests_total HTTP requests answered.\n";
    out += "# TYPE keygate_http_requests_total counter\n";
    for (const auto& [key, s] : series_) {
      out += "keygate_http_requests_total{";
      labels(key);
      out += "} ";
      appendNumber(out, s.count);
      out += '\n';
    }
    out +=
        "# HELP keygate_http_request_duration_seconds Time from request read to response "
        "written.\n";
    out += "# TYPE keygate_http_request_duration_seconds histogram\n";
    for (const auto& [key, s] : series_) {
      std::uint64_t cumulative = 0;
      for (std::size_t i = 0; i <= kBuckets.size(); ++i) {
        if (i < kBuckets.size()) cumulative += s.buckets[i];
        out += "keygate_http_request_duration_seconds_bucket{";
        labels(key);
        out += ",le=\"";
        out += i < kBuckets.size() ? kBucketLabels[i] : std::string_view("+Inf");
        out += "\"} ";
        appendNumber(out, i < kBuckets.size() ? cumulative : s.count);
        out += '\n';
      }
      out += "keygate_http_request_duration_seconds_sum{";
      labels(key);
      out += "} ";
      appendNumber(out, s.sum);
      out += '\n';
      out += "keygate_http_request_duration_seconds_count{";
      labels(key);
      out += "} ";
      appendNumber(out, s.count);
      out += '\n';
    }
  }
  out += "# HELP keygate_http_connections_open Client connections currently open.\n";
  out += "# TYPE keygate_http_connections_open gauge\n";
  out += "keygate_http_connections_open ";
  out += std::to_string(connections_open_.load(std::memory_order_relaxed));
  out += '\n';
  out +=
      "# HELP keygate_http_connections_rejected_total Connections refused at the "
      "connection limit.\n";
  out += "# TYPE keygate_http_connections_rejected_total counter\n";
  out += "keygate_http_connections_rejected_total ";
  appendNumber(out, connections_rejected_.load(std::memory_order_relaxed));
  out += '\n';

  // Copied so a collector may itself register collectors or take its own locks freely.
  std::vector<std::function<void(std::string&)>> collectors;
  {
    std::lock_guard lock(collectors_mutex_);
    collectors = collectors_;
  }
  for (const auto& collect : collectors) collect(out);
  return out;
}

}  // namespace keygate::http
