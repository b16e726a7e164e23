// Decoding helpers for Request. Pure functions over strings; no I/O.
#include "http/request.h"

#include <algorithm>

namespace keygate::http {
namespace {

char lowerAscii(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string_view trimSpaces(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Calls visit(name, value) with the raw (still encoded) pieces of a form string; stops when
// visit returns false.
template <class Visit>
void forEachFormPiece(std::string_view text, Visit&& visit) {
  while (!text.empty()) {
    const auto amp = text.find('&');
    const std::string_view piece = text.substr(0, amp);
    text = amp == std::string_view::npos ? std::string_view{} : text.substr(amp + 1);
    if (piece.empty()) continue;
    const auto eq = piece.find('=');
    const std::string_view name = piece.substr(0, eq);
    const std::string_view value =
        eq == std::string_view::npos ? std::string_view{} : piece.substr(eq + 1);
    if (!visit(name, value)) return;
  }
}

}  // namespace

bool equalsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return lowerAscii(x) == lowerAscii(y);
         });
}

std::optional<std::string> percentDecode(std::string_view text, bool plus_as_space) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '%') {
      if (i + 2 >= text.size()) return std::nullopt;
      const int hi = hexValue(text[i + 1]);
      const int lo = hexValue(text[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else if (c == '+' && plus_as_space) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  return out;
}

HeaderList parseForm(std::string_view text) {
  HeaderList out;
  forEachFormPiece(text, [&](std::string_view name, std::string_view value) {
    auto decoded_name = percentDecode(name, true);
    auto decoded_value = percentDecode(value, true);
    if (decoded_name && decoded_value) {
      out.emplace_back(std::move(*decoded_name), std::move(*decoded_value));
    }
    return true;
  });
  return out;
}

std::string_view Request::header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (equalsIgnoreCase(key, name)) return value;
  }
  return {};
}

std::optional<std::string> Request::queryParam(std::string_view name) const {
  std::optional<std::string> found;
  forEachFormPiece(query, [&](std::string_view raw_name, std::string_view raw_value) {
    auto decoded_name = percentDecode(raw_name, true);
    if (!decoded_name || *decoded_name != name) return true;
    auto decoded_value = percentDecode(raw_value, true);
    if (!decoded_value) return true;  // a malformed duplicate must not hide a later good one
    found = std::move(*decoded_value);
    return false;
  });
  return found;
}

std::optional<std::string> Request::cookie(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (!equalsIgnoreCase(key, "cookie")) continue;
    std::string_view rest = value;
    while (!rest.empty()) {
      const auto semi = rest.find(';');
      const std::string_view pair = trimSpaces(rest.substr(0, semi));
      rest = semi == std::string_view::npos ? std::string_view{} : rest.substr(semi + 1);
      const auto eq = pair.find('=');
      if (eq == std::string_view::npos) continue;
      if (trimSpaces(pair.substr(0, eq)) != name) continue;
      std::string_view cookie_value = trimSpaces(pair.substr(eq + 1));
      if (cookie_value.size() >= 2 && cookie_value.front() == '"' && cookie_value.back() == '"') {
        cookie_value = cookie_value.substr(1, cookie_value.size() - 2);
      }
      return std::string(cookie_value);
    }
  }
  return std::nullopt;
}

}  // namespace keygate::http
