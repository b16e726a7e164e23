// Structured logs: every line is one JSON object on stdout (the access log from http/ and the
// application log from here share the format). Never pass secrets, codes or tokens here.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

#include "app/config.h"

namespace keygate::app {

void setupLogging(const Config::Log& config);

enum class LogLevel { kDebug, kInfo, kWarn, kError };
void logEvent(LogLevel level, std::string_view message,
              std::initializer_list<std::pair<std::string_view, std::string>> fields = {});

}  // namespace keygate::app
