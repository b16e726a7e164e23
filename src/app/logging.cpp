#include "app/logging.h"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <chrono>

#include "core/key_rules.h"

namespace keygate::app {
namespace {

std::shared_ptr<spdlog::logger> appLogger() {
  auto logger = spdlog::get("keygate");
  return logger ? logger : spdlog::default_logger();
}

}  // namespace

void setupLogging(const Config::Log& config) {
  // One stdout sink shared by the application and access loggers; lines are pre-formatted JSON.
  auto sink = std::make_shared<spdlog::sinks::stdout_sink_mt>();
  for (const char* name : {"keygate", "access"}) {
    spdlog::drop(name);
    auto logger = std::make_shared<spdlog::logger>(name, sink);
    logger->set_pattern("%v");
    logger->set_level(spdlog::level::from_str(config.level));
    logger->flush_on(spdlog::level::trace);
    spdlog::register_logger(logger);
  }
  spdlog::set_default_logger(spdlog::get("keygate"));
}

void logEvent(LogLevel level, std::string_view message,
              std::initializer_list<std::pair<std::string_view, std::string>> fields) {
  auto logger = appLogger();
  const auto spd_level = level == LogLevel::kDebug  ? spdlog::level::debug
                         : level == LogLevel::kInfo ? spdlog::level::info
                         : level == LogLevel::kWarn ? spdlog::level::warn
                                                    : spdlog::level::err;
  if (!logger->should_log(spd_level)) return;
  const auto now = std::chrono::system_clock::now();
  const auto secs = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch());
  boost::json::object line;
  line["ts"] = core::formatDateTime(secs.count());
  line["level"] = spdlog::level::to_string_view(spd_level).data();
  line["msg"] = message;
  for (const auto& [key, value] : fields) line[key] = value;
  logger->log(spd_level, "{}", boost::json::serialize(line));
}

}  // namespace keygate::app
