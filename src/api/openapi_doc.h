// docs/openapi.yaml, compiled into the binary at build time (src/api/CMakeLists.txt generates
// the definition), so GET /openapi.yaml serves exactly the description the tests lint.
#pragma once

#include <string_view>

namespace keygate::api {

std::string_view openApiYaml();

}  // namespace keygate::api
