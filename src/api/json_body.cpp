#include "api/json_body.h"

#include <boost/json/parse.hpp>
#include <charconv>

namespace keygate::api {
namespace {

core::Error typeError(std::string_view name, std::string_view expected) {
  return core::fieldError(
      core::Errc::kValidationFailed, std::string(name),
      "The field '" + std::string(name) + "' must be " + std::string(expected) + ".");
}

core::Error missing(std::string_view name) {
  return core::fieldError(core::Errc::kValidationFailed, std::string(name),
                          "The field '" + std::string(name) + "' is required.");
}

bool isJsonMediaType(std::string_view content_type) {
  auto semi = content_type.find(';');
  auto type = content_type.substr(0, semi);
  while (!type.empty() && type.back() == ' ') type.remove_suffix(1);
  if (http::equalsIgnoreCase(type, "application/json")) return true;
  return type.size() > 5 && http::equalsIgnoreCase(type.substr(type.size() - 5), "+json");
}

std::optional<std::int64_t> parseDigits(std::string_view s) {
  std::int64_t v = 0;
  if (s.empty() || s.size() > 18) return std::nullopt;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || v <= 0) return std::nullopt;
  return v;
}

}  // namespace

core::Result<boost::json::object> parseJsonObject(const http::Request& request, bool allow_empty) {
  if (request.body.empty() && allow_empty) return boost::json::object();
  if (!isJsonMediaType(request.header("Content-Type")))
    return core::makeError(core::Errc::kUnsupportedMediaType,
                           "Send the request body as application/json.");
  boost::system::error_code ec;
  boost::json::parse_options options;
  options.max_depth = 32;
  boost::json::value value = boost::json::parse(request.body, ec, {}, options);
  if (ec)
    return core::makeError(core::Errc::kMalformedJson,
                           "The request body is not valid JSON: " + ec.message() + ".");
  if (!value.is_object())
    return core::makeError(core::Errc::kMalformedJson, "The request body must be a JSON object.");
  return std::move(value.as_object());
}

const boost::json::value* findField(const boost::json::object& object, std::string_view name,
                                    bool case_insensitive) {
  if (!case_insensitive) return object.if_contains(name);
  for (const auto& entry : object)
    if (http::equalsIgnoreCase(entry.key(), name)) return &entry.value();
  return nullptr;
}

core::Result<std::string> requiredString(const boost::json::object& object, std::string_view name,
                                         bool case_insensitive) {
  const auto* v = findField(object, name, case_insensitive);
  if (!v || v->is_null()) return missing(name);
  if (!v->is_string()) return typeError(name, "a string");
  return std::string(v->as_string());
}

core::Result<std::optional<std::string>> optionalString(const boost::json::object& object,
                                                        std::string_view name,
                                                        bool case_insensitive) {
  const auto* v = findField(object, name, case_insensitive);
  if (!v || v->is_null()) return std::optional<std::string>();
  if (!v->is_string()) return typeError(name, "a string");
  return std::optional<std::string>(std::string(v->as_string()));
}

core::Result<std::int64_t> requiredId(const boost::json::object& object, std::string_view name,
                                      bool case_insensitive) {
  const auto* v = findField(object, name, case_insensitive);
  if (!v || v->is_null()) return missing(name);
  if (v->is_int64() && v->as_int64() > 0) return v->as_int64();
  if (v->is_uint64() && v->as_uint64() <= static_cast<std::uint64_t>(INT64_MAX) &&
      v->as_uint64() > 0)
    return static_cast<std::int64_t>(v->as_uint64());
  if (v->is_string())
    if (auto parsed = parseDigits(v->as_string())) return *parsed;
  return typeError(name, "a positive integer");
}

core::Result<std::optional<std::int64_t>> optionalInt(const boost::json::object& object,
                                                      std::string_view name) {
  const auto* v = object.if_contains(name);
  if (!v || v->is_null()) return std::optional<std::int64_t>();
  if (v->is_int64()) return std::optional<std::int64_t>(v->as_int64());
  if (v->is_uint64() && v->as_uint64() <= static_cast<std::uint64_t>(INT64_MAX))
    return std::optional<std::int64_t>(static_cast<std::int64_t>(v->as_uint64()));
  return typeError(name, "an integer");
}

core::Result<std::vector<std::string>> optionalStringArray(const boost::json::object& object,
                                                           std::string_view name) {
  std::vector<std::string> out;
  const auto* v = object.if_contains(name);
  if (!v || v->is_null()) return out;
  if (!v->is_array()) return typeError(name, "an array of strings");
  if (v->as_array().size() > 64) return typeError(name, "an array of at most 64 strings");
  for (const auto& item : v->as_array()) {
    if (!item.is_string()) return typeError(name, "an array of strings");
    out.emplace_back(item.as_string());
  }
  return out;
}

core::Result<std::int64_t> pathId(const http::Request& request, std::string_view name) {
  auto it = request.params.find(std::string(name));
  if (it != request.params.end())
    if (auto parsed = parseDigits(it->second)) return *parsed;
  return core::makeError(core::Errc::kNotFound, "No resource with that id.");
}

}  // namespace keygate::api
