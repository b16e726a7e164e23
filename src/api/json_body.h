// Reading JSON request bodies strictly: the right media type, well-formed JSON, an object at
// the top, and typed fields with errors that name the field. Unknown attributes are ignored
// (DESIGN §4).
#pragma once

#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/error.h"
#include "http/request.h"

namespace keygate::api {

// 415 unless Content-Type is application/json (or +json); 400 malformed_json; 400 when the
// top level is not an object. An empty body reads as an empty object when allow_empty.
core::Result<boost::json::object> parseJsonObject(const http::Request& request,
                                                  bool allow_empty = false);

// Field lookup; with case_insensitive the first key matching ignoring ASCII case wins.
const boost::json::value* findField(const boost::json::object& object, std::string_view name,
                                    bool case_insensitive = false);

core::Result<std::string> requiredString(const boost::json::object& object, std::string_view name,
                                         bool case_insensitive = false);
core::Result<std::optional<std::string>> optionalString(const boost::json::object& object,
                                                        std::string_view name,
                                                        bool case_insensitive = false);
// Accepts a JSON integer, or a string of decimal digits (clients send ids either way).
core::Result<std::int64_t> requiredId(const boost::json::object& object, std::string_view name,
                                      bool case_insensitive = false);
core::Result<std::optional<std::int64_t>> optionalInt(const boost::json::object& object,
                                                      std::string_view name);
core::Result<std::vector<std::string>> optionalStringArray(const boost::json::object& object,
                                                           std::string_view name);

// Parses a path parameter as a positive id; 404 when it is not one (no such resource).
core::Result<std::int64_t> pathId(const http::Request& request, std::string_view name);

}  // namespace keygate::api
