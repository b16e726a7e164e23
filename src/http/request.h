// The transport-neutral HTTP request handed to handlers, plus the small decoding helpers
// (percent-decoding, query strings, form bodies, cookies) that handlers need. Knows nothing
// of Beast/Asio so that api/ and app/ compile without the transport headers.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace keygate::http {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

struct Request {
  std::string method;  // "GET", upper-case as received
  std::string target;  // raw request-target
  std::string path;    // percent-decoded path, no query
  std::string query;   // raw query string (after '?'), may be empty
  HeaderList headers;  // as received, in order
  std::string body;
  std::string remote_ip;
  std::string request_id;  // set by the server before the handler runs
  std::string route;       // matched route pattern, e.g. "/api/v1/me/keys/{id}"
  std::unordered_map<std::string, std::string> params;  // path parameters from the router

  // Case-insensitive header lookup; the first occurrence, or empty when absent.
  std::string_view header(std::string_view name) const;
  // Decoded query parameter (form rules: '+' is a space); the first occurrence, or nullopt
  // when absent or when its encoding is malformed.
  std::optional<std::string> queryParam(std::string_view name) const;
  // Value of a cookie from the Cookie header(s), surrounding quotes removed; nullopt when absent.
  std::optional<std::string> cookie(std::string_view name) const;
};

// Decodes %XX escapes (and '+' as space when plus_as_space); nullopt when a '%' is not followed
// by two hex digits.
std::optional<std::string> percentDecode(std::string_view text, bool plus_as_space);

// Parses an application/x-www-form-urlencoded string into decoded name/value pairs, in order.
// Empty pieces are skipped, a piece without '=' has an empty value, and pieces whose encoding
// is malformed are dropped (callers then see the field as missing and report it).
HeaderList parseForm(std::string_view text);

// ASCII case-insensitive equality, as header names and tokens require.
bool equalsIgnoreCase(std::string_view a, std::string_view b);

}  // namespace keygate::http
