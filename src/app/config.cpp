// Configuration loading. `schema()` is the single list of keys: TOML parsing, environment
// overrides, per-key checks and configKeys() all read it, so the file format and the
// environment variables cannot drift apart.
#include "app/config.h"

#include <toml++/toml.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <memory>
#include <optional>
#include <string_view>
#include <system_error>
#include <utility>
#include <variant>

namespace keygate::app {
namespace {

using core::Errc;
using core::Error;
using core::Result;
using core::Status;

constexpr std::string_view kEnvPrefix = "KEYGATE_";
constexpr std::string_view kConfigFileVariable = "KEYGATE_CONFIG";
// Configuration files are a few kilobytes; the bound only stops a wrong path (a log, a device)
// from being read into memory whole.
constexpr std::size_t kMaxConfigFileBytes = 1024 * 1024;
constexpr int kIntMax = std::numeric_limits<int>::max();

using StringField = std::string& (*)(Config&);
using IntField = int& (*)(Config&);
using BoolField = bool& (*)(Config&);
using ListField = std::vector<std::string>& (*)(Config&);
using DoubleField = double& (*)(Config&);
using Field = std::variant<StringField, IntField, BoolField, ListField, DoubleField>;
// A value read from a file or the environment; alternative i matches Field alternative i.
using Value = std::variant<std::string, std::int64_t, bool, std::vector<std::string>, double>;

// An extra check on a string key: returns the requirement the value failed ("must ..."), or
// nullptr when it is acceptable.
using StringRule = const char* (*)(std::string_view value);

struct Setting {
  std::string path;      // "mail.smtp.url"
  std::string env_name;  // "KEYGATE_MAIL_SMTP_URL"
  Field field;
  int min = 0;  // integer and number keys only
  int max = 0;
  std::vector<std::string_view> choices;  // string keys with a fixed set of values
  StringRule rule = nullptr;
};

std::string envNameFor(std::string_view path) {
  std::string name(kEnvPrefix);
  for (char c : path)
    name += c == '.' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return name;
}

Setting stringKey(std::string_view path, StringField field,
                  std::vector<std::string_view> choices = {}, StringRule rule = nullptr) {
  return Setting{std::string(path), envNameFor(path), field, 0, 0, std::move(choices), rule};
}
Setting intKey(std::string_view path, IntField field, int min, int max) {
  return Setting{std::string(path), envNameFor(path), field, min, max, {}, nullptr};
}
Setting boolKey(std::string_view path, BoolField field) {
  return Setting{std::string(path), envNameFor(path), field, 0, 0, {}, nullptr};
}
Setting listKey(std::string_view path, ListField field) {
  return Setting{std::string(path), envNameFor(path), field, 0, 0, {}, nullptr};
}
// A number that may have a fraction (a rate); written as 1.0 or 1 in TOML.
Setting numberKey(std::string_view path, DoubleField field, int min, int max) {
  return Setting{std::string(path), envNameFor(path), field, min, max, {}, nullptr};
}

const char* requireNonEmpty(std::string_view value) {
  return value.empty() ? "must not be empty" : nullptr;
}

const char* checkMailFrom(std::string_view value) {
  // The value becomes a mail header: a line break would let it inject further headers.
  for (char c : value)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
      return "must be a single-line address such as \"Keygate <no-reply@example.com>\"";
  return value.empty() ? "must not be empty" : nullptr;
}

bool hasSchemeAndRest(std::string_view value, std::string_view scheme) {
  return value.starts_with(scheme) && value.size() > scheme.size();
}

const char* checkPublicUrl(std::string_view value) {
  if (value.empty()) return nullptr;
  if ((!hasSchemeAndRest(value, "http://") && !hasSchemeAndRest(value, "https://")) ||
      value.ends_with('/'))
    return "must be an http:// or https:// URL without a trailing slash";
  return nullptr;
}

const char* checkSmtpUrl(std::string_view value) {
  if (value.empty()) return nullptr;  // required only with transport = smtp: checked later
  if (!hasSchemeAndRest(value, "smtp://") && !hasSchemeAndRest(value, "smtps://"))
    return "must start with smtp:// or smtps://";
  return nullptr;
}

const char* checkDatabase(std::string_view value) {
  if (value.empty()) return nullptr;
  if (value.starts_with("sqlite:"))
    return value.size() > 7 ? nullptr : "must name a file after 'sqlite:'";
  // A URL of another backend would otherwise be taken for a relative file name.
  if (value.find("://") != std::string_view::npos)
    return "must be 'sqlite:PATH' or a file path (no other database backend is supported)";
  return nullptr;
}

// Stringizing the member expression makes the key path and the member it sets one token.
#define KG_CONFIG_FIELD(member)      \
#member, [](Config & c) -> auto& { \
    return c.member;                 \
  }

const std::vector<Setting>& schema() {
  static const std::vector<Setting> settings = {
      stringKey(KG_CONFIG_FIELD(server.address), {}, requireNonEmpty),
      intKey(KG_CONFIG_FIELD(server.port), 0, 65535),
      intKey(KG_CONFIG_FIELD(server.threads), 1, 64),
      intKey(KG_CONFIG_FIELD(server.max_connections), 1, kIntMax),
      intKey(KG_CONFIG_FIELD(server.max_header_bytes), 1, kIntMax),
      intKey(KG_CONFIG_FIELD(server.max_body_bytes), 1, kIntMax),
      intKey(KG_CONFIG_FIELD(server.read_timeout_ms), 1, kIntMax),
      intKey(KG_CONFIG_FIELD(server.idle_timeout_ms), 1, kIntMax),
      intKey(KG_CONFIG_FIELD(server.shutdown_grace_ms), 0, kIntMax),
      stringKey(KG_CONFIG_FIELD(server.public_url), {}, checkPublicUrl),
      boolKey(KG_CONFIG_FIELD(server.trust_proxy)),

      stringKey(KG_CONFIG_FIELD(storage.data_dir), {}, requireNonEmpty),
      stringKey(KG_CONFIG_FIELD(storage.database), {}, checkDatabase),

      stringKey(KG_CONFIG_FIELD(secrets.master_key_file)),
      listKey(KG_CONFIG_FIELD(secrets.retired_key_files)),

      stringKey(KG_CONFIG_FIELD(mail.transport), {"outbox", "smtp"}),
      stringKey(KG_CONFIG_FIELD(mail.from), {}, checkMailFrom),
      stringKey(KG_CONFIG_FIELD(mail.outbox_dir)),
      stringKey(KG_CONFIG_FIELD(mail.smtp.url), {}, checkSmtpUrl),
      stringKey(KG_CONFIG_FIELD(mail.smtp.username)),
      stringKey(KG_CONFIG_FIELD(mail.smtp.password)),
      stringKey(KG_CONFIG_FIELD(mail.smtp.tls), {"off", "starttls", "starttls_if_available"}),
      intKey(KG_CONFIG_FIELD(mail.smtp.timeout_seconds), 1, 3600),
      boolKey(KG_CONFIG_FIELD(mail.smtp.verify_peer)),

      // Upper bounds keep minutes/hours converted to seconds far from overflow.
      intKey(KG_CONFIG_FIELD(security.session_idle_minutes), 1, 525600),
      intKey(KG_CONFIG_FIELD(security.session_absolute_hours), 1, 8760),
      intKey(KG_CONFIG_FIELD(security.token_ttl_seconds), 1, kIntMax),
      intKey(KG_CONFIG_FIELD(security.login_max_failures), 1, kIntMax),
      intKey(KG_CONFIG_FIELD(security.login_window_seconds), 1, kIntMax),
      intKey(KG_CONFIG_FIELD(security.token_max_failures), 1, kIntMax),
      intKey(KG_CONFIG_FIELD(security.token_window_seconds), 1, kIntMax),
      intKey(KG_CONFIG_FIELD(security.view_code_ttl_seconds), 1, kIntMax),
      intKey(KG_CONFIG_FIELD(security.view_code_max_tries), 1, kIntMax),
      intKey(KG_CONFIG_FIELD(security.view_code_resend_seconds), 1, kIntMax),
      intKey(KG_CONFIG_FIELD(security.view_code_max_per_hour), 1, kIntMax),
      stringKey(KG_CONFIG_FIELD(security.password_cost), {"interactive", "minimum"}),
      boolKey(KG_CONFIG_FIELD(security.cookie_secure)),

      stringKey(KG_CONFIG_FIELD(log.level),
                {"trace", "debug", "info", "warn", "error", "critical", "off"}),
      stringKey(KG_CONFIG_FIELD(log.format), {"json", "text"}),

      numberKey(KG_CONFIG_FIELD(limits.per_ip_rate), 0, 1000000),
      intKey(KG_CONFIG_FIELD(limits.per_ip_burst), 1, 1000000),
      intKey(KG_CONFIG_FIELD(limits.daily_quota_core), 1, kIntMax),
      intKey(KG_CONFIG_FIELD(limits.daily_quota_professional), 1, kIntMax),
      intKey(KG_CONFIG_FIELD(limits.daily_quota_enterprise), 1, kIntMax),
      intKey(KG_CONFIG_FIELD(limits.max_tracked_ips), 100, kIntMax),

      boolKey(KG_CONFIG_FIELD(demo.enabled)),

      boolKey(KG_CONFIG_FIELD(test.clock_control)),
  };
  return settings;
}

#undef KG_CONFIG_FIELD

const Setting* findByPath(std::string_view path) {
  for (const auto& setting : schema())
    if (setting.path == path) return &setting;
  return nullptr;
}

const Setting* findByEnvName(std::string_view name) {
  for (const auto& setting : schema())
    if (setting.env_name == name) return &setting;
  return nullptr;
}

// "mail" and "mail.smtp" are sections because some key lies below them.
bool isSection(std::string_view path) {
  for (const auto& setting : schema()) {
    std::string_view key = setting.path;
    if (key.size() > path.size() && key.starts_with(path) && key[path.size()] == '.') return true;
  }
  return false;
}

Error configError(std::string field, std::string message) {
  return core::fieldError(Errc::kInvalidParameter, std::move(field), std::move(message));
}

// `where` says where the value came from, so the operator knows which source to fix.
Error keyError(const Setting& setting, std::string_view requirement, std::string_view where) {
  std::string message = "configuration key '" + setting.path + "' ";
  message += requirement;
  if (!where.empty()) {
    message += " (";
    message += where;
    message += ")";
  }
  return configError(setting.path, std::move(message));
}

std::string fileLocation(const std::string& file, const toml::source_region& region) {
  return file + " line " + std::to_string(region.begin.line);
}

std::string envLocation(const Setting& setting) {
  return "environment variable " + setting.env_name;
}

const char* typeRequirement(const Field& field, bool from_environment) {
  switch (field.index()) {
    case 0:
      return "must be a string";
    case 1:
      return "must be an integer";
    case 2:
      return from_environment ? "must be true, false, 1 or 0" : "must be a boolean";
    case 4:
      return "must be a number";
    default:
      return "must be an array of strings";
  }
}

std::string rangeRequirement(const Setting& setting) {
  return "must be between " + std::to_string(setting.min) + " and " + std::to_string(setting.max);
}

std::string choicesRequirement(const Setting& setting) {
  std::string text = "must be one of: ";
  for (std::size_t i = 0; i < setting.choices.size(); ++i) {
    if (i > 0) text += ", ";
    text += setting.choices[i];
  }
  return text;
}

// Checks a value against its key's rules and stores it. Messages never echo the value: it may
// be a password.
Status store(const Setting& setting, Value value, Config& config, std::string_view where) {
  switch (setting.field.index()) {
    case 0: {
      auto& text = std::get<std::string>(value);
      // An embedded NUL (legal in TOML strings) would silently truncate a path at c_str().
      if (text.find('\0') != std::string::npos)
        return keyError(setting, "must not contain NUL characters", where);
      if (!setting.choices.empty()) {
        bool known = false;
        for (auto choice : setting.choices) known = known || choice == text;
        if (!known) return keyError(setting, choicesRequirement(setting), where);
      }
      if (setting.rule != nullptr)
        if (const char* failed = setting.rule(text)) return keyError(setting, failed, where);
      std::get<StringField>(setting.field)(config) = std::move(text);
      return core::ok();
    }
    case 1: {
      auto number = std::get<std::int64_t>(value);
      if (number < setting.min || number > setting.max)
        return keyError(setting, rangeRequirement(setting), where);
      std::get<IntField>(setting.field)(config) = static_cast<int>(number);
      return core::ok();
    }
    case 2:
      std::get<BoolField>(setting.field)(config) = std::get<bool>(value);
      return core::ok();
    case 4: {
      const double number = std::get<double>(value);
      if (!(number >= setting.min && number <= setting.max))  // also rejects NaN
        return keyError(setting, rangeRequirement(setting), where);
      std::get<DoubleField>(setting.field)(config) = number;
      return core::ok();
    }
    default: {
      auto& items = std::get<std::vector<std::string>>(value);
      for (const auto& item : items)
        if (item.empty() || item.find('\0') != std::string::npos)
          return keyError(setting, "must not contain empty entries", where);
      std::get<ListField>(setting.field)(config) = std::move(items);
      return core::ok();
    }
  }
}

std::optional<Value> fromToml(const Setting& setting, const toml::node& node) {
  switch (setting.field.index()) {
    case 0:
      if (const auto* text = node.as_string()) return Value(text->get());
      return std::nullopt;
    case 1:
      if (const auto* number = node.as_integer()) return Value(number->get());
      return std::nullopt;
    case 2:
      if (const auto* flag = node.as_boolean()) return Value(flag->get());
      return std::nullopt;
    case 4:
      if (const auto* number = node.as_floating_point()) return Value(number->get());
      if (const auto* number = node.as_integer()) return Value(static_cast<double>(number->get()));
      return std::nullopt;
    default: {
      const auto* array = node.as_array();
      if (array == nullptr) return std::nullopt;
      std::vector<std::string> items;
      for (const auto& element : *array) {
        const auto* text = element.as_string();
        if (text == nullptr) return std::nullopt;
        items.push_back(text->get());
      }
      return Value(std::move(items));
    }
  }
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())))
    text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())))
    text.remove_suffix(1);
  return text;
}

std::string lowered(std::string_view text) {
  std::string out;
  for (char c : text) out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::optional<Value> fromEnvironment(const Setting& setting, std::string_view text) {
  switch (setting.field.index()) {
    case 0:
      return Value(std::string(text));
    case 1: {
      std::int64_t number = 0;
      const char* end = text.data() + text.size();
      auto [ptr, ec] = std::from_chars(text.data(), end, number);
      if (ptr != end || text.empty()) return std::nullopt;
      // Too large for int64 is still an integer: let the range check explain the limits.
      if (ec == std::errc::result_out_of_range)
        number = text.starts_with('-') ? std::numeric_limits<std::int64_t>::min()
                                       : std::numeric_limits<std::int64_t>::max();
      else if (ec != std::errc())
        return std::nullopt;
      return Value(number);
    }
    case 2: {
      auto word = lowered(text);
      if (word == "true" || word == "1") return Value(true);
      if (word == "false" || word == "0") return Value(false);
      return std::nullopt;
    }
    case 4: {
      double number = 0;
      const char* end = text.data() + text.size();
      auto [ptr, ec] = std::from_chars(text.data(), end, number, std::chars_format::fixed);
      if (text.empty() || ptr != end || ec != std::errc() || !std::isfinite(number))
        return std::nullopt;
      return Value(number);
    }
    default: {
      std::vector<std::string> items;
      if (trim(text).empty()) return Value(std::move(items));  // set but empty: clears the list
      std::size_t start = 0;
      while (true) {
        auto comma = text.find(',', start);
        items.emplace_back(trim(text.substr(start, comma - start)));
        if (comma == std::string_view::npos) break;
        start = comma + 1;
      }
      return Value(std::move(items));
    }
  }
}

Status applyTable(const toml::table& table, const std::string& prefix, const std::string& file,
                  Config& config) {
  for (const auto& [key, node] : table) {
    std::string name(key.str());
    std::string path = prefix.empty() ? name : prefix + "." + name;
    // A quoted key such as "server.port" = 1 is one key containing a dot, not a section.
    if (name.find('.') == std::string::npos) {
      if (const Setting* setting = findByPath(path)) {
        auto where = fileLocation(file, node.source());
        auto value = fromToml(*setting, node);
        if (!value) return keyError(*setting, typeRequirement(setting->field, false), where);
        KG_TRY(store(*setting, std::move(*value), config, where));
        continue;
      }
      if (isSection(path)) {
        const auto* section = node.as_table();
        if (section == nullptr)
          return configError(path, "configuration key '" + path + "' must be a table (" +
                                       fileLocation(file, node.source()) + ")");
        KG_TRY(applyTable(*section, path, file, config));
        continue;
      }
    }
    return configError(path, "unknown configuration key '" + path + "' in " + file + " (line " +
                                 std::to_string(key.source().begin.line) + ")");
  }
  return core::ok();
}

struct FileCloser {
  // Read-only stream: a failing fclose cannot lose data, and there is no caller to tell.
  void operator()(std::FILE* file) const { static_cast<void>(std::fclose(file)); }
};

std::string errnoText(int error) {
  return std::generic_category().message(error);
}

Result<std::string> readConfigFile(const std::string& path) {
  std::unique_ptr<std::FILE, FileCloser> file(std::fopen(path.c_str(), "rb"));
  if (!file)
    return configError({}, "cannot open configuration file " + path + ": " + errnoText(errno));
  std::string text;
  char buffer[8192];
  while (true) {
    std::size_t n = std::fread(buffer, 1, sizeof buffer, file.get());
    text.append(buffer, n);
    if (text.size() > kMaxConfigFileBytes)
      return configError({}, "configuration file " + path + " is larger than 1 MiB");
    if (n < sizeof buffer) break;
  }
  if (std::ferror(file.get()))
    return configError({}, "cannot read configuration file " + path + ": " + errnoText(errno));
  return text;
}

Status applyFile(const std::string& path, Config& config) {
  KG_ASSIGN_OR_RETURN(auto text, readConfigFile(path));
  toml::table root;
  // toml++ reports syntax errors only by exception (the shared library is built with them);
  // they become a value here so callers see one error style.
  try {
    root = toml::parse(text, path);
  } catch (const toml::parse_error& e) {
    return configError({}, "cannot parse configuration file " + path + ": " +
                               std::string(e.description()) + " (line " +
                               std::to_string(e.source().begin.line) + ", column " +
                               std::to_string(e.source().begin.column) + ")");
  }
  return applyTable(root, "", path, config);
}

Status applyEnvironment(const std::map<std::string, std::string>& environment, Config& config) {
  for (const auto& [name, text] : environment) {
    if (!std::string_view(name).starts_with(kEnvPrefix) || name == kConfigFileVariable) continue;
    const Setting* setting = findByEnvName(name);
    if (setting == nullptr) return configError({}, "unknown environment variable " + name);
    auto where = envLocation(*setting);
    auto value = fromEnvironment(*setting, text);
    if (!value) return keyError(*setting, typeRequirement(setting->field, true), where);
    KG_TRY(store(*setting, std::move(*value), config, where));
  }
  return core::ok();
}

// Rules that involve more than one key; per-key rules ran when each value was stored.
Status validate(const Config& config) {
  if (config.mail.transport == "smtp" && config.mail.smtp.url.empty())
    return configError("mail.smtp.url",
                       "configuration key 'mail.smtp.url' is required when mail.transport is "
                       "'smtp' (set url in [mail.smtp] or KEYGATE_MAIL_SMTP_URL)");
  // A password must never cross the network in clear text: with credentials, the relay must
  // be reached over implicit TLS (smtps://) or with STARTTLS required.
  const auto& smtp = config.mail.smtp;
  if (!smtp.username.empty() && smtp.url.rfind("smtps://", 0) != 0 && smtp.tls != "starttls")
    return configError("mail.smtp.tls",
                       "configuration key 'mail.smtp.tls' must be 'starttls' (or mail.smtp.url "
                       "must start with smtps://) when mail.smtp.username is set, so the "
                       "password is never sent in clear text");
  return core::ok();
}

std::string underDataDir(const Config& config, const char* name) {
  return (std::filesystem::path(config.storage.data_dir) / name).string();
}

}  // namespace

Result<Config> loadConfig(const std::string& path,
                          const std::map<std::string, std::string>& environment) {
  Config config;
  if (!path.empty()) KG_TRY(applyFile(path, config));
  KG_TRY(applyEnvironment(environment, config));
  KG_TRY(validate(config));
  return config;
}

std::map<std::string, std::string> currentEnvironment() {
  std::map<std::string, std::string> variables;
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    std::string_view text(*entry);
    auto equals = text.find('=');
    if (!text.starts_with(kEnvPrefix) || equals == std::string_view::npos) continue;
    variables.emplace(text.substr(0, equals), text.substr(equals + 1));
  }
  return variables;
}

std::vector<std::string> configKeys() {
  std::vector<std::string> keys;
  for (const auto& setting : schema()) keys.push_back(setting.path);
  return keys;
}

std::string environmentVariableFor(const std::string& key) {
  return envNameFor(key);
}

std::string databasePath(const Config& config) {
  const std::string& database = config.storage.database;
  if (database.empty()) return underDataDir(config, "keygate.db");
  if (std::string_view(database).starts_with("sqlite:")) return database.substr(7);
  return database;
}

std::string masterKeyPath(const Config& config) {
  if (!config.secrets.master_key_file.empty()) return config.secrets.master_key_file;
  return underDataDir(config, "master.key");
}

std::string outboxDir(const Config& config) {
  if (!config.mail.outbox_dir.empty()) return config.mail.outbox_dir;
  return underDataDir(config, "outbox");
}

}  // namespace keygate::app
