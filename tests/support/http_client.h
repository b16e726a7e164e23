// A small blocking HTTP client for tests (libcurl): one request at a time, cookies kept per
// client, raw header access. Tests talk to a real server over loopback with it.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace keygate::testing {

struct HttpResponse {
  long status = 0;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::string header(const std::string& name) const;  // case-insensitive, first value
};

class HttpClient {
 public:
  explicit HttpClient(std::string base_url);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  HttpResponse request(const std::string& method, const std::string& path,
                       const std::string& body = {},
                       const std::vector<std::pair<std::string, std::string>>& headers = {});
  HttpResponse get(const std::string& path,
                   const std::vector<std::pair<std::string, std::string>>& headers = {}) {
    return request("GET", path, {}, headers);
  }
  // POST with Content-Type: application/json (plus the CSRF header when one is set).
  HttpResponse postJson(const std::string& path, const std::string& json,
                        std::vector<std::pair<std::string, std::string>> headers = {});

  // Sent as X-CSRF-Token on every state-changing request once set.
  void setCsrfToken(std::string token) { csrf_token_ = std::move(token); }
  void clearCookies();

 private:
  std::string base_url_;
  std::string csrf_token_;
  void* curl_ = nullptr;  // CURL*, kept for its cookie engine and connection reuse
};

// A fresh free TCP port on 127.0.0.1 (bound then released).
int freePort();

}  // namespace keygate::testing
