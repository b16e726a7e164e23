// The transport-neutral HTTP response returned by handlers. The server adds the common
// headers (X-Request-Id, Server, Date, default Cache-Control) and the framing.
#pragma once

#include <string>

#include "http/request.h"

namespace keygate::http {

struct Response {
  unsigned status = 200;
  HeaderList headers;
  std::string body;

  // Replaces every header of that name (case-insensitive) with one new value.
  void setHeader(std::string name, std::string value);
  // Appends a header even if one of that name exists (Set-Cookie).
  void addHeader(std::string name, std::string value);
  // First value of a header (case-insensitive); empty when absent.
  std::string_view header(std::string_view name) const;

  static Response json(unsigned status, std::string body);  // application/json
  static Response text(unsigned status, std::string body, std::string content_type);
};

}  // namespace keygate::http
