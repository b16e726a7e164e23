// Operations surface and start-up safety: health, readiness, metrics, request ids, the
// master key file's permissions.
#include <sys/stat.h>

#include "server_fixture.h"

namespace keygate::testing {
namespace {

class OpsTest : public ServerTest {};

TEST_F(OpsTest, HealthReadinessAndRequestIds) {
  auto health = client_->get("/healthz");
  EXPECT_EQ(health.status, 200);
  EXPECT_EQ(client_->get("/readyz").status, 200);
  auto id1 = health.header("X-Request-Id");
  auto id2 = client_->get("/healthz").header("X-Request-Id");
  EXPECT_EQ(id1.size(), 16u);
  EXPECT_NE(id1, id2);
}

TEST_F(OpsTest, MetricsCountRequestsPerRouteAndStatus) {
  client_->get("/healthz");
  client_->get("/api/v1/whoami");
  auto metrics = client_->get("/metrics");
  ASSERT_EQ(metrics.status, 200);
  EXPECT_NE(metrics.header("Content-Type").find("text/plain"), std::string::npos);
  EXPECT_NE(metrics.body.find(
                R"(keygate_http_requests_total{method="GET",route="/healthz",status="200"})"),
            std::string::npos)
      << metrics.body;
  EXPECT_NE(metrics.body.find(R"(route="/api/v1/whoami",status="401")"), std::string::npos);
  EXPECT_NE(metrics.body.find("keygate_http_request_duration_seconds_bucket"), std::string::npos);
  EXPECT_NE(metrics.body.find("keygate_credentials_loaded"), std::string::npos);
}

TEST_F(OpsTest, MasterKeyFileIsPrivateAndAReadableOneIsRefused) {
  const auto key_file = dir_ / "master.key";
  struct stat st {};
  ASSERT_EQ(::stat(key_file.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);

  client_.reset();
  app_->stop();
  app_.reset();
  ASSERT_EQ(::chmod(key_file.c_str(), 0644), 0);
  auto refused = app::Application::create(config_);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find(key_file.string()), std::string::npos)
      << refused.error().message;
  ASSERT_EQ(::chmod(key_file.c_str(), 0600), 0);
  startApp();
  EXPECT_EQ(client_->get("/readyz").status, 200);
}

}  // namespace
}  // namespace keygate::testing
