#include "app/logging.h"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <chrono>
#include <iostream>

#include "core/key_rules.h"

namespace keygate::app {
namespace {

std::shared_ptr<spdlog::logger> appLogger() {
  auto logger = spdlog::get("keygate");
  return logger ? logger : spdlog::default_logger();
}

// %* : the message as a JSON string body (quotes, backslashes and control characters escaped),
// so libraries logging plain text through the default logger still emit valid JSON lines.
class JsonMessageFlag final : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& msg, const std::tm&,
              spdlog::memory_buf_t& dest) override {
    static constexpr char kHex[] = "0123456789abcdef";
    for (char ch : std::string_view(msg.payload.data(), msg.payload.size())) {
      const auto c = static_cast<unsigned char>(ch);
      if (c == '"' || c == '\\') {
        dest.push_back('\\');
        dest.push_back(ch);
      } else if (c < 0x20) {
        const char esc[] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 15]};
        dest.append(esc, esc + sizeof esc);
      } else {
        dest.push_back(ch);
      }
    }
  }
  std::unique_ptr<custom_flag_formatter> clone() const override {
    return std::make_unique<JsonMessageFlag>();
  }
};

}  // namespace

void setupLogging(const Config::Log& config) {
  // Every logger writes JSON lines to stdout. The application and access loggers receive
  // pre-built JSON lines; the default logger (used by storage and mail) wraps plain messages.
  // Formatters belong to sinks, so each logger gets its own stdout sink (they share spdlog's
  // console mutex, so lines never interleave).
  const auto level = spdlog::level::from_str(config.level);
  for (const char* name : {"keygate", "access"}) {
    spdlog::drop(name);
    const bool access = std::string_view(name) == "access";
    // spdlog's stdout sink flushes after every line; the access log writes through std::cout
    // (synchronised with stdio, so lines share stdout's buffer and order) and is flushed as
    // described below.
    spdlog::sink_ptr sink;
    if (access) {
      sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(std::cout, /*force_flush=*/false);
    } else {
      sink = std::make_shared<spdlog::sinks::stdout_sink_mt>();
    }
    auto logger = std::make_shared<spdlog::logger>(name, std::move(sink));
    logger->set_pattern("%v");
    logger->set_level(level);
    // Application events reach the pipe at once. Access lines (one per request) are flushed
    // with the next application event, when the stdio buffer fills, or by the flusher below
    // within a second: a write(2) per request would cost more than the request itself
    // (docs/performance.md).
    logger->flush_on(access ? spdlog::level::warn : spdlog::level::trace);
    spdlog::register_logger(logger);
  }
  spdlog::flush_every(std::chrono::seconds(1));
  auto library = std::make_shared<spdlog::logger>(
      "keygate.lib", std::make_shared<spdlog::sinks::stdout_sink_mt>());
  auto formatter = std::make_unique<spdlog::pattern_formatter>(spdlog::pattern_time_type::utc);
  formatter->add_flag<JsonMessageFlag>('*').set_pattern(
      R"({"ts":"%Y-%m-%dT%H:%M:%S.%eZ","level":"%l","logger":"%n","msg":"%*"})");
  library->set_formatter(std::move(formatter));
  library->set_level(level);
  library->flush_on(spdlog::level::trace);
  spdlog::set_default_logger(library);
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
