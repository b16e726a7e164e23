// Tests of the configuration loader: file and environment sources, the schema's coverage,
// validation and the messages an operator sees.
#include "app/config.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace keygate::app {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using Env = std::map<std::string, std::string>;

class ConfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "keygate-config-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }

  std::string writeFile(const std::string& text, const std::string& name = "keygate.toml") {
    auto path = (dir_ / name).string();
    std::ofstream out(path, std::ios::binary);
    out << text;
    out.close();
    EXPECT_TRUE(out) << path;
    return path;
  }

  core::Error loadError(const std::string& text, const Env& env = {}) {
    auto result = loadConfig(writeFile(text), env);
    EXPECT_FALSE(result) << "expected an error for:\n" << text;
    if (result) return {};
    EXPECT_EQ(result.error().code, core::Errc::kInvalidParameter);
    return result.error();
  }

  std::filesystem::path dir_;
};

// One entry per configuration key: a non-default value as TOML and as an environment value.
struct Sample {
  std::string key;
  std::string toml;
  std::string env;
};

const std::vector<Sample>& samples() {
  static const std::vector<Sample> all = {
      {"server.address", "\"0.0.0.0\"", "0.0.0.0"},
      {"server.port", "9443", "9443"},
      {"server.threads", "8", "8"},
      {"server.max_connections", "50", "50"},
      {"server.max_header_bytes", "4096", "4096"},
      {"server.max_body_bytes", "1048576", "1048576"},
      {"server.read_timeout_ms", "2500", "2500"},
      {"server.idle_timeout_ms", "30000", "30000"},
      {"server.shutdown_grace_ms", "0", "0"},
      {"server.public_url", "\"https://keys.example.com\"", "https://keys.example.com"},
      {"server.trust_proxy", "true", "true"},
      {"storage.data_dir", "\"/var/lib/keygate\"", "/var/lib/keygate"},
      {"storage.database", "\"sqlite:/srv/kg.db\"", "sqlite:/srv/kg.db"},
      {"secrets.master_key_file", "\"/etc/keygate/master.key\"", "/etc/keygate/master.key"},
      {"secrets.retired_key_files", "[\"/etc/keygate/old1.key\", \"/etc/keygate/old2.key\"]",
       "/etc/keygate/old1.key, /etc/keygate/old2.key"},
      {"mail.transport", "\"smtp\"", "smtp"},
      {"mail.from", "\"Keys <keys@example.com>\"", "Keys <keys@example.com>"},
      {"mail.outbox_dir", "\"/tmp/outbox\"", "/tmp/outbox"},
      {"mail.smtp.url", "\"smtps://mail.example.com:465\"", "smtps://mail.example.com:465"},
      {"mail.smtp.username", "\"keygate\"", "keygate"},
      {"mail.smtp.password", "\"hunter2\"", "hunter2"},
      {"mail.smtp.tls", "\"starttls_if_available\"", "starttls_if_available"},
      {"mail.smtp.timeout_seconds", "30", "30"},
      {"mail.smtp.verify_peer", "false", "0"},
      {"security.session_idle_minutes", "15", "15"},
      {"security.session_absolute_hours", "8", "8"},
      {"security.token_ttl_seconds", "600", "600"},
      {"security.login_max_failures", "3", "3"},
      {"security.login_window_seconds", "60", "60"},
      {"security.token_max_failures", "4", "4"},
      {"security.token_window_seconds", "120", "120"},
      {"security.view_code_ttl_seconds", "300", "300"},
      {"security.view_code_max_tries", "2", "2"},
      {"security.view_code_resend_seconds", "30", "30"},
      {"security.view_code_max_per_hour", "9", "9"},
      {"security.password_cost", "\"minimum\"", "minimum"},
      {"security.cookie_secure", "true", "TRUE"},
      {"log.level", "\"debug\"", "debug"},
      {"log.format", "\"text\"", "text"},
      {"limits.per_ip_rate", "2.5", "2.5"},
      {"limits.per_ip_burst", "10", "10"},
      {"limits.daily_quota_core", "100", "100"},
      {"limits.daily_quota_professional", "200", "200"},
      {"limits.daily_quota_enterprise", "300", "300"},
      {"limits.max_tracked_ips", "5000", "5000"},
      {"demo.enabled", "true", "1"},
      {"test.clock_control", "true", "true"},
  };
  return all;
}

// What samples() describes, built by hand so a key wired to the wrong member is caught.
Config sampleConfig() {
  Config c;
  c.server.address = "0.0.0.0";
  c.server.port = 9443;
  c.server.threads = 8;
  c.server.max_connections = 50;
  c.server.max_header_bytes = 4096;
  c.server.max_body_bytes = 1048576;
  c.server.read_timeout_ms = 2500;
  c.server.idle_timeout_ms = 30000;
  c.server.shutdown_grace_ms = 0;
  c.server.public_url = "https://keys.example.com";
  c.server.trust_proxy = true;
  c.storage.data_dir = "/var/lib/keygate";
  c.storage.database = "sqlite:/srv/kg.db";
  c.secrets.master_key_file = "/etc/keygate/master.key";
  c.secrets.retired_key_files = {"/etc/keygate/old1.key", "/etc/keygate/old2.key"};
  c.mail.transport = "smtp";
  c.mail.from = "Keys <keys@example.com>";
  c.mail.outbox_dir = "/tmp/outbox";
  c.mail.smtp.url = "smtps://mail.example.com:465";
  c.mail.smtp.username = "keygate";
  c.mail.smtp.password = "hunter2";
  c.mail.smtp.tls = "starttls_if_available";
  c.mail.smtp.timeout_seconds = 30;
  c.mail.smtp.verify_peer = false;
  c.security.session_idle_minutes = 15;
  c.security.session_absolute_hours = 8;
  c.security.token_ttl_seconds = 600;
  c.security.login_max_failures = 3;
  c.security.login_window_seconds = 60;
  c.security.token_max_failures = 4;
  c.security.token_window_seconds = 120;
  c.security.view_code_ttl_seconds = 300;
  c.security.view_code_max_tries = 2;
  c.security.view_code_resend_seconds = 30;
  c.security.view_code_max_per_hour = 9;
  c.security.password_cost = "minimum";
  c.security.cookie_secure = true;
  c.log.level = "debug";
  c.log.format = "text";
  c.limits.per_ip_rate = 2.5;
  c.limits.per_ip_burst = 10;
  c.limits.daily_quota_core = 100;
  c.limits.daily_quota_professional = 200;
  c.limits.daily_quota_enterprise = 300;
  c.limits.max_tracked_ips = 5000;
  c.demo.enabled = true;
  c.test.clock_control = true;
  return c;
}

// Renders samples() as a TOML document with one [section] per key prefix.
std::string sampleToml() {
  std::map<std::string, std::vector<std::string>> sections;
  for (const auto& s : samples()) {
    auto dot = s.key.rfind('.');
    sections[s.key.substr(0, dot)].push_back(s.key.substr(dot + 1) + " = " + s.toml);
  }
  std::string text;
  for (const auto& [section, lines] : sections) {
    text += "[" + section + "]\n";
    for (const auto& line : lines) text += line + "\n";
    text += "\n";
  }
  return text;
}

TEST_F(ConfigTest, DefaultsWithoutFileOrEnvironment) {
  auto config = loadConfig("", {});
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(*config, Config{});
  EXPECT_EQ(config->server.address, "127.0.0.1");
  EXPECT_EQ(config->server.port, 8080);
  EXPECT_EQ(config->server.threads, 2);
  EXPECT_EQ(config->server.max_body_bytes, 65536);
  EXPECT_EQ(config->storage.data_dir, "data");
  EXPECT_EQ(config->mail.transport, "outbox");
  EXPECT_EQ(config->mail.smtp.tls, "starttls");
  EXPECT_TRUE(config->mail.smtp.verify_peer);
  EXPECT_EQ(config->security.password_cost, "interactive");
  EXPECT_EQ(config->log.format, "json");
  EXPECT_FALSE(config->test.clock_control);
}

TEST_F(ConfigTest, SamplesCoverEverySchemaKey) {
  std::set<std::string> sampled;
  for (const auto& s : samples()) sampled.insert(s.key);
  auto keys = configKeys();
  EXPECT_EQ(sampled, std::set<std::string>(keys.begin(), keys.end()));
  // Every key differs from its default in the sample, so a dropped assignment shows up.
  EXPECT_NE(sampleConfig(), Config{});
}

TEST_F(ConfigTest, FullFileRoundTrip) {
  auto config = loadConfig(writeFile(sampleToml()), {});
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(*config, sampleConfig());
  EXPECT_EQ(config->secrets.retired_key_files,
            (std::vector<std::string>{"/etc/keygate/old1.key", "/etc/keygate/old2.key"}));
}

TEST_F(ConfigTest, EveryKeyCanBeSetFromTheEnvironment) {
  Env env;
  for (const auto& s : samples()) env[environmentVariableFor(s.key)] = s.env;
  auto config = loadConfig("", env);
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(*config, sampleConfig());
}

TEST_F(ConfigTest, EnvironmentNamesFollowTheKeyPath) {
  EXPECT_EQ(environmentVariableFor("mail.smtp.url"), "KEYGATE_MAIL_SMTP_URL");
  EXPECT_EQ(environmentVariableFor("server.max_body_bytes"), "KEYGATE_SERVER_MAX_BODY_BYTES");
  std::set<std::string> names;
  for (const auto& key : configKeys()) {
    EXPECT_TRUE(names.insert(environmentVariableFor(key)).second) << "ambiguous: " << key;
    EXPECT_NE(environmentVariableFor(key), "KEYGATE_CONFIG");
  }
}

TEST_F(ConfigTest, ExampleFileListsEveryKeyWithItsDefault) {
  const std::string path = std::string(KEYGATE_SOURCE_DIR) + "/config/keygate.example.toml";
  auto config = loadConfig(path, {});
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(*config, Config{});

  // Collect the keys the example sets, tracking [section] headers.
  std::ifstream in(path);
  ASSERT_TRUE(in) << path;
  std::set<std::string> listed;
  std::string section, line;
  while (std::getline(in, line)) {
    auto start = line.find_first_not_of(" \t");
    if (start == std::string::npos || line[start] == '#') continue;
    if (line[start] == '[') {
      section = line.substr(start + 1, line.find(']') - start - 1);
    } else if (auto eq = line.find('='); eq != std::string::npos) {
      auto name = line.substr(start, line.find_last_not_of(" \t", eq - 1) - start + 1);
      listed.insert(section + "." + name);
    }
  }
  auto keys = configKeys();
  EXPECT_EQ(listed, std::set<std::string>(keys.begin(), keys.end()));
}

TEST_F(ConfigTest, UnknownKeyNamesKeyAndFile) {
  auto path = writeFile("[server]\nport = 8080\nprot = 9090\n");
  auto config = loadConfig(path, {});
  ASSERT_FALSE(config);
  EXPECT_EQ(config.error().code, core::Errc::kInvalidParameter);
  EXPECT_EQ(config.error().message,
            "unknown configuration key 'server.prot' in " + path + " (line 3)");
  EXPECT_EQ(config.error().field, "server.prot");
}

TEST_F(ConfigTest, UnknownNestedKeyAndSection) {
  EXPECT_THAT(loadError("[mail.smtp]\nhots = \"smtp://x\"\n").message,
              HasSubstr("unknown configuration key 'mail.smtp.hots'"));
  EXPECT_THAT(loadError("[mail.smpt]\nurl = \"smtp://x\"\n").message,
              HasSubstr("unknown configuration key 'mail.smpt'"));
  EXPECT_THAT(loadError("[database]\npath = \"x\"\n").message,
              HasSubstr("unknown configuration key 'database'"));
  EXPECT_THAT(loadError("port = 1\n").message, HasSubstr("unknown configuration key 'port'"));
  // Dotted keys are tables in TOML and resolve like headers.
  auto dotted = loadConfig(writeFile("server.port = 9000\nmail.smtp.timeout_seconds = 3\n"), {});
  ASSERT_TRUE(dotted) << dotted.error().message;
  EXPECT_EQ(dotted->server.port, 9000);
  EXPECT_EQ(dotted->mail.smtp.timeout_seconds, 3);
  // A quoted key containing a dot is a single key, not server.port.
  EXPECT_THAT(loadError("\"server.port\" = 9000\n").message,
              HasSubstr("unknown configuration key 'server.port'"));
}

TEST_F(ConfigTest, WrongTypeInFile) {
  auto error = loadError("[server]\nport = \"8080\"\n");
  EXPECT_THAT(error.message, HasSubstr("configuration key 'server.port' must be an integer"));
  EXPECT_THAT(error.message, HasSubstr("line 2"));
  EXPECT_EQ(error.field, "server.port");
  EXPECT_THAT(loadError("[server]\nport = 80.5\n").message,
              HasSubstr("'server.port' must be an integer"));
  EXPECT_THAT(loadError("[server]\ntrust_proxy = \"yes\"\n").message,
              HasSubstr("'server.trust_proxy' must be a boolean"));
  EXPECT_THAT(loadError("[mail]\nfrom = 5\n").message, HasSubstr("'mail.from' must be a string"));
  EXPECT_THAT(loadError("[secrets]\nretired_key_files = \"a.key\"\n").message,
              HasSubstr("'secrets.retired_key_files' must be an array of strings"));
  EXPECT_THAT(loadError("[secrets]\nretired_key_files = [\"a.key\", 2]\n").message,
              HasSubstr("'secrets.retired_key_files' must be an array of strings"));
}

TEST_F(ConfigTest, TableWhereValueExpectedAndViceVersa) {
  EXPECT_THAT(loadError("[server.port]\nvalue = 1\n").message,
              HasSubstr("configuration key 'server.port' must be an integer"));
  EXPECT_THAT(loadError("mail = \"smtp\"\n").message,
              HasSubstr("configuration key 'mail' must be a table"));
  EXPECT_THAT(loadError("[mail]\nsmtp = \"smtp://x\"\n").message,
              HasSubstr("configuration key 'mail.smtp' must be a table"));
  EXPECT_THAT(loadError("[[server]]\nport = 1\n").message,
              HasSubstr("configuration key 'server' must be a table"));
}

TEST_F(ConfigTest, EnvironmentOverridesEachType) {
  auto config = loadConfig("", {{"KEYGATE_SERVER_MAX_BODY_BYTES", "1024"},
                                {"KEYGATE_SERVER_TRUST_PROXY", "true"},
                                {"KEYGATE_MAIL_SMTP_VERIFY_PEER", "0"},
                                {"KEYGATE_LOG_LEVEL", "warn"},
                                {"KEYGATE_SECRETS_RETIRED_KEY_FILES", "a.key,b.key , c.key"}});
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->server.max_body_bytes, 1024);
  EXPECT_TRUE(config->server.trust_proxy);
  EXPECT_FALSE(config->mail.smtp.verify_peer);
  EXPECT_EQ(config->log.level, "warn");
  EXPECT_EQ(config->secrets.retired_key_files,
            (std::vector<std::string>{"a.key", "b.key", "c.key"}));
}

TEST_F(ConfigTest, EnvironmentOverridesFile) {
  auto path = writeFile(
      "[server]\nport = 9000\nthreads = 4\n[secrets]\nretired_key_files = [\"old.key\"]\n");
  auto config = loadConfig(
      path, {{"KEYGATE_SERVER_PORT", "9100"}, {"KEYGATE_SECRETS_RETIRED_KEY_FILES", ""}});
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->server.port, 9100);
  EXPECT_EQ(config->server.threads, 4);                    // from the file: not overridden
  EXPECT_TRUE(config->secrets.retired_key_files.empty());  // set but empty clears the list
}

TEST_F(ConfigTest, UnknownEnvironmentVariableIsNamed) {
  auto config = loadConfig("", {{"KEYGATE_SERVER_PROT", "9000"}});
  ASSERT_FALSE(config);
  EXPECT_EQ(config.error().code, core::Errc::kInvalidParameter);
  EXPECT_EQ(config.error().message, "unknown environment variable KEYGATE_SERVER_PROT");
  // A section alone is not a key.
  EXPECT_FALSE(loadConfig("", {{"KEYGATE_MAIL_SMTP", "x"}}));
}

TEST_F(ConfigTest, ForeignAndConfigPathVariablesAreIgnored) {
  auto config = loadConfig("", {{"KEYGATE_CONFIG", "/etc/keygate.toml"},
                                {"PATH", "/usr/bin"},
                                {"keygate_server_port", "1"},
                                {"KEYGATEWAY", "x"}});
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(*config, Config{});
}

TEST_F(ConfigTest, MalformedEnvironmentValues) {
  auto bad_int = loadConfig("", {{"KEYGATE_SERVER_PORT", "80x"}});
  ASSERT_FALSE(bad_int);
  EXPECT_EQ(bad_int.error().message,
            "configuration key 'server.port' must be an integer (environment variable "
            "KEYGATE_SERVER_PORT)");
  EXPECT_FALSE(loadConfig("", {{"KEYGATE_SERVER_PORT", ""}}));
  EXPECT_FALSE(loadConfig("", {{"KEYGATE_SERVER_PORT", " 80"}}));
  auto bad_bool = loadConfig("", {{"KEYGATE_DEMO_ENABLED", "yes"}});
  ASSERT_FALSE(bad_bool);
  EXPECT_THAT(bad_bool.error().message, HasSubstr("'demo.enabled' must be true, false, 1 or 0"));
  auto huge = loadConfig("", {{"KEYGATE_SERVER_THREADS", "99999999999999999999999"}});
  ASSERT_FALSE(huge);
  EXPECT_THAT(huge.error().message, HasSubstr("'server.threads' must be between 1 and 64"));
  auto empty_item = loadConfig("", {{"KEYGATE_SECRETS_RETIRED_KEY_FILES", "a.key,,b.key"}});
  ASSERT_FALSE(empty_item);
  EXPECT_THAT(empty_item.error().message, HasSubstr("must not contain empty entries"));
}

TEST_F(ConfigTest, BadEnumValues) {
  auto error = loadError("[mail]\ntransport = \"sendmail\"\n");
  EXPECT_THAT(error.message,
              HasSubstr("configuration key 'mail.transport' must be one of: outbox, smtp"));
  EXPECT_EQ(error.field, "mail.transport");
  EXPECT_THAT(loadError("[mail.smtp]\ntls = \"on\"\n").message,
              HasSubstr("must be one of: off, starttls, starttls_if_available"));
  EXPECT_THAT(loadError("[security]\npassword_cost = \"low\"\n").message,
              HasSubstr("must be one of: interactive, minimum"));
  EXPECT_THAT(loadError("[log]\nformat = \"xml\"\n").message,
              HasSubstr("'log.format' must be one of: json, text"));
  auto from_env = loadConfig("", {{"KEYGATE_LOG_LEVEL", "verbose"}});
  ASSERT_FALSE(from_env);
  EXPECT_THAT(from_env.error().message, HasSubstr("'log.level' must be one of: trace, debug"));
  EXPECT_THAT(from_env.error().message, HasSubstr("environment variable KEYGATE_LOG_LEVEL"));
}

TEST_F(ConfigTest, NumericRanges) {
  EXPECT_THAT(loadError("[server]\nport = 65536\n").message,
              HasSubstr("'server.port' must be between 0 and 65535"));
  EXPECT_THAT(loadError("[server]\nport = -1\n").message,
              HasSubstr("'server.port' must be between 0 and 65535"));
  EXPECT_THAT(loadError("[server]\nthreads = 0\n").message,
              HasSubstr("'server.threads' must be between 1 and 64"));
  EXPECT_THAT(loadError("[server]\nthreads = 65\n").message,
              HasSubstr("'server.threads' must be between 1 and 64"));
  EXPECT_THAT(loadError("[server]\nmax_body_bytes = 0\n").message,
              HasSubstr("'server.max_body_bytes' must be between 1 and 2147483647"));
  EXPECT_THAT(loadError("[server]\nread_timeout_ms = -5\n").message,
              HasSubstr("'server.read_timeout_ms' must be between 1 and"));
  EXPECT_THAT(loadError("[server]\nmax_header_bytes = 3000000000\n").message,
              HasSubstr("'server.max_header_bytes' must be between 1 and 2147483647"));
  EXPECT_THAT(loadError("[security]\nview_code_max_tries = 0\n").message,
              HasSubstr("'security.view_code_max_tries' must be between 1 and"));
  auto edge = loadConfig(writeFile("[server]\nport = 0\nthreads = 64\n"), {});
  ASSERT_TRUE(edge) << edge.error().message;
  EXPECT_EQ(edge->server.port, 0);
  EXPECT_EQ(edge->server.threads, 64);
}

TEST_F(ConfigTest, NumberKeysAcceptFractionsAndIntegers) {
  auto fractional = loadConfig(writeFile("[limits]\nper_ip_rate = 0.25\n"), {});
  ASSERT_TRUE(fractional) << fractional.error().message;
  EXPECT_EQ(fractional->limits.per_ip_rate, 0.25);
  auto whole = loadConfig(writeFile("[limits]\nper_ip_rate = 0\n"), {});
  ASSERT_TRUE(whole) << whole.error().message;
  EXPECT_EQ(whole->limits.per_ip_rate, 0.0);  // 0 disables the per-IP limit
  auto from_env = loadConfig("", {{"KEYGATE_LIMITS_PER_IP_RATE", "12.5"}});
  ASSERT_TRUE(from_env) << from_env.error().message;
  EXPECT_EQ(from_env->limits.per_ip_rate, 12.5);

  EXPECT_THAT(loadError("[limits]\nper_ip_rate = \"fast\"\n").message,
              HasSubstr("'limits.per_ip_rate' must be a number"));
  EXPECT_THAT(loadError("[limits]\nper_ip_rate = -0.5\n").message,
              HasSubstr("'limits.per_ip_rate' must be between 0 and 1000000"));
  EXPECT_THAT(loadError("[limits]\nper_ip_rate = nan\n").message,
              HasSubstr("'limits.per_ip_rate' must be between 0 and 1000000"));
  EXPECT_THAT(loadError("[limits]\nper_ip_rate = inf\n").message,
              HasSubstr("'limits.per_ip_rate' must be between 0 and 1000000"));
  for (const char* bad : {"", "1e3", "nan", "inf", "1.5x", " 1", "0x10"}) {
    auto result = loadConfig("", {{"KEYGATE_LIMITS_PER_IP_RATE", bad}});
    ASSERT_FALSE(result) << "'" << bad << "'";
    EXPECT_THAT(result.error().message, HasSubstr("'limits.per_ip_rate' must be a number"));
  }
  EXPECT_THAT(loadError("[limits]\nper_ip_burst = 0\n").message,
              HasSubstr("'limits.per_ip_burst' must be between 1 and"));
  EXPECT_THAT(loadError("[limits]\ndaily_quota_core = 0\n").message,
              HasSubstr("'limits.daily_quota_core' must be between 1 and"));
}

TEST_F(ConfigTest, SmtpTransportNeedsAnSmtpUrl) {
  auto missing = loadError("[mail]\ntransport = \"smtp\"\n");
  EXPECT_THAT(missing.message,
              HasSubstr("configuration key 'mail.smtp.url' is required when mail.transport"));
  EXPECT_EQ(missing.field, "mail.smtp.url");
  EXPECT_THAT(
      loadError("[mail]\ntransport = \"smtp\"\n[mail.smtp]\nurl = \"mail.example.com\"\n").message,
      HasSubstr("'mail.smtp.url' must start with smtp:// or smtps://"));
  EXPECT_THAT(loadError("[mail.smtp]\nurl = \"http://mail.example.com\"\n").message,
              HasSubstr("must start with smtp:// or smtps://"));
  // The URL may come from the environment while the transport comes from the file.
  auto config = loadConfig(writeFile("[mail]\ntransport = \"smtp\"\n"),
                           {{"KEYGATE_MAIL_SMTP_URL", "smtp://127.0.0.1:2525"}});
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->mail.smtp.url, "smtp://127.0.0.1:2525");
}

TEST_F(ConfigTest, OtherValueChecks) {
  EXPECT_THAT(loadError("[server]\npublic_url = \"keys.example.com\"\n").message,
              HasSubstr("'server.public_url' must be an http:// or https:// URL"));
  EXPECT_THAT(loadError("[server]\npublic_url = \"https://keys.example.com/\"\n").message,
              HasSubstr("without a trailing slash"));
  EXPECT_THAT(loadError("[storage]\ndata_dir = \"\"\n").message,
              HasSubstr("'storage.data_dir' must not be empty"));
  EXPECT_THAT(loadError("[storage]\ndatabase = \"postgresql://db/keygate\"\n").message,
              HasSubstr("'storage.database' must be 'sqlite:PATH' or a file path"));
  EXPECT_THAT(loadError("[storage]\ndatabase = \"sqlite:\"\n").message,
              HasSubstr("'storage.database' must name a file"));
  EXPECT_THAT(loadError("[storage]\ndata_dir = \"a\\u0000b\"\n").message,
              HasSubstr("must not contain NUL characters"));
  EXPECT_THAT(loadError("[mail]\nfrom = \"a@b.c\\r\\nBcc: x@y.z\"\n").message,
              HasSubstr("'mail.from' must be a single-line address"));
}

TEST_F(ConfigTest, MessagesNeverContainConfiguredValues) {
  auto bad_url = loadConfig("", {{"KEYGATE_MAIL_SMTP_URL", "mail://user:S3cretPw@host"}});
  ASSERT_FALSE(bad_url);
  EXPECT_THAT(bad_url.error().message, Not(HasSubstr("S3cretPw")));
  EXPECT_THAT(bad_url.error().detail, Not(HasSubstr("S3cretPw")));
  auto bad_type = loadError("[mail.smtp]\npassword = [\"S3cretPw\"]\n");
  EXPECT_THAT(bad_type.message, Not(HasSubstr("S3cretPw")));
  EXPECT_THAT(bad_type.message, HasSubstr("'mail.smtp.password' must be a string"));
}

TEST_F(ConfigTest, SyntaxErrorReportsLine) {
  auto path = writeFile("[server]\nport = 8080\naddress = \"127.0.0.1\n");
  auto config = loadConfig(path, {});
  ASSERT_FALSE(config);
  EXPECT_EQ(config.error().code, core::Errc::kInvalidParameter);
  EXPECT_THAT(config.error().message, HasSubstr("cannot parse configuration file " + path));
  EXPECT_THAT(config.error().message, HasSubstr("(line 3, column"));
  // Duplicate keys are a TOML error too, reported where the second one is.
  EXPECT_THAT(loadError("[server]\nport = 1\nport = 2\n").message, HasSubstr("(line 3, column"));
}

TEST_F(ConfigTest, UnreadableFileIsAnError) {
  auto missing = loadConfig((dir_ / "absent.toml").string(), {});
  ASSERT_FALSE(missing);
  EXPECT_THAT(missing.error().message, HasSubstr("cannot open configuration file"));
  EXPECT_THAT(missing.error().message, HasSubstr("absent.toml"));
  auto directory = loadConfig(dir_.string(), {});
  ASSERT_FALSE(directory);
  EXPECT_THAT(directory.error().message, HasSubstr(dir_.string()));
  EXPECT_FALSE(loadConfig(writeFile(std::string(1024 * 1024 + 1, '#')), {}));
}

TEST_F(ConfigTest, EmptyFileMeansDefaults) {
  auto config = loadConfig(writeFile("# nothing configured\n"), {});
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(*config, Config{});
}

TEST_F(ConfigTest, DerivedPathsFollowDataDir) {
  Config config;
  EXPECT_EQ(databasePath(config), "data/keygate.db");
  EXPECT_EQ(masterKeyPath(config), "data/master.key");
  EXPECT_EQ(outboxDir(config), "data/outbox");

  config.storage.data_dir = "/var/lib/keygate/";
  EXPECT_EQ(databasePath(config), "/var/lib/keygate/keygate.db");
  EXPECT_EQ(masterKeyPath(config), "/var/lib/keygate/master.key");
  EXPECT_EQ(outboxDir(config), "/var/lib/keygate/outbox");

  config.storage.database = "sqlite:/srv/keygate.sqlite";
  config.secrets.master_key_file = "/etc/keygate/master.key";
  config.mail.outbox_dir = "/tmp/mail";
  EXPECT_EQ(databasePath(config), "/srv/keygate.sqlite");
  EXPECT_EQ(masterKeyPath(config), "/etc/keygate/master.key");
  EXPECT_EQ(outboxDir(config), "/tmp/mail");

  config.storage.database = "relative/keygate.db";  // a bare path is used as given
  EXPECT_EQ(databasePath(config), "relative/keygate.db");
}

TEST_F(ConfigTest, DerivedPathsFromLoadedConfig) {
  auto config = loadConfig("", {{"KEYGATE_STORAGE_DATA_DIR", "/srv/kg"}});
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(databasePath(*config), "/srv/kg/keygate.db");
  EXPECT_EQ(masterKeyPath(*config), "/srv/kg/master.key");
  EXPECT_EQ(outboxDir(*config), "/srv/kg/outbox");
}

TEST_F(ConfigTest, CurrentEnvironmentKeepsOnlyKeygateVariables) {
  ASSERT_EQ(setenv("KEYGATE_UNIT_TEST_PROBE", "a=b", 1), 0);
  ASSERT_EQ(setenv("NOT_KEYGATE_UNIT_TEST_PROBE", "x", 1), 0);
  auto env = currentEnvironment();
  ASSERT_EQ(unsetenv("KEYGATE_UNIT_TEST_PROBE"), 0);
  ASSERT_EQ(unsetenv("NOT_KEYGATE_UNIT_TEST_PROBE"), 0);
  ASSERT_TRUE(env.contains("KEYGATE_UNIT_TEST_PROBE"));
  EXPECT_EQ(env["KEYGATE_UNIT_TEST_PROBE"], "a=b");
  for (const auto& [name, value] : env) EXPECT_TRUE(name.starts_with("KEYGATE_")) << name;
}

}  // namespace
}  // namespace keygate::app

namespace keygate::app {
namespace {

TEST(ConfigSmtpCredentials, APasswordIsNeverSentWithoutTls) {
  const std::map<std::string, std::string> plain{
      {"KEYGATE_MAIL_TRANSPORT", "smtp"},
      {"KEYGATE_MAIL_SMTP_URL", "smtp://relay:25"},
      {"KEYGATE_MAIL_SMTP_USERNAME", "keygate"},
      {"KEYGATE_MAIL_SMTP_TLS", "starttls_if_available"}};
  auto refused = loadConfig("", plain);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().field, "mail.smtp.tls");
  auto required = plain;
  required["KEYGATE_MAIL_SMTP_TLS"] = "starttls";
  EXPECT_TRUE(loadConfig("", required));
  auto implicit = plain;
  implicit["KEYGATE_MAIL_SMTP_URL"] = "smtps://relay:465";
  EXPECT_TRUE(loadConfig("", implicit));
  auto anonymous = plain;
  anonymous.erase("KEYGATE_MAIL_SMTP_USERNAME");
  EXPECT_TRUE(loadConfig("", anonymous));  // no credentials, nothing to protect
}

}  // namespace
}  // namespace keygate::app
