// Response builders. Pure; the server adds framing and common headers.
#include "http/response.h"

#include <algorithm>

namespace keygate::http {

void Response::setHeader(std::string name, std::string value) {
  std::erase_if(headers, [&](const auto& h) { return equalsIgnoreCase(h.first, name); });
  headers.emplace_back(std::move(name), std::move(value));
}

void Response::addHeader(std::string name, std::string value) {
  headers.emplace_back(std::move(name), std::move(value));
}

std::string_view Response::header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (equalsIgnoreCase(key, name)) return value;
  }
  return {};
}

Response Response::json(unsigned status, std::string body) {
  return text(status, std::move(body), "application/json");
}

Response Response::text(unsigned status, std::string body, std::string content_type) {
  Response response;
  response.status = status;
  response.body = std::move(body);
  response.headers.emplace_back("Content-Type", std::move(content_type));
  return response;
}

}  // namespace keygate::http
