// The Errc → HTTP table and the problem+json body.
#include "http/problem.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <map>
#include <set>

namespace keygate::http {
namespace {

using core::Errc;

// The contract, written out independently of the implementation's table.
const std::map<std::string_view, unsigned> kExpectedStatus = {
    {"malformed_json", 400},
    {"malformed_request", 400},
    {"invalid_parameter", 400},
    {"unauthenticated", 401},
    {"invalid_credentials", 401},
    {"totp_required", 401},
    {"forbidden", 403},
    {"insufficient_scope", 403},
    {"csrf_failed", 403},
    {"permission_denied", 403},
    {"totp_enrollment_required", 403},
    {"sso_required", 403},
    {"not_found", 404},
    {"method_not_allowed", 405},
    {"conflict", 409},
    {"expiry_immutable", 409},
    {"inactivation_irreversible", 409},
    {"key_not_active", 409},
    {"view_code_not_required", 409},
    {"view_code_expired", 410},
    {"payload_too_large", 413},
    {"unsupported_media_type", 415},
    {"validation_failed", 422},
    {"invalid_view_code", 422},
    {"rate_limited", 429},
    {"header_too_large", 431},
    {"internal_error", 500},
    {"unavailable", 503},
    {"mail_unavailable", 503},
};

constexpr int kLastErrc = static_cast<int>(Errc::kMailUnavailable);

Request sampleRequest() {
  Request request;
  request.method = "POST";
  request.path = "/api/v1/me/keys/7";
  request.request_id = "0123456789abcdef";
  return request;
}

TEST(Problem, EveryErrcHasTheContractedStatusAndAProblemBody) {
  std::set<std::string_view> seen;
  for (int i = 0; i <= kLastErrc; ++i) {
    const auto code = static_cast<Errc>(i);
    const std::string_view name = core::errcName(code);
    SCOPED_TRACE(std::string(name));
    ASSERT_TRUE(kExpectedStatus.contains(name)) << "code missing from the contract table";
    EXPECT_EQ(statusFor(code), kExpectedStatus.at(name));
    EXPECT_FALSE(titleFor(code).empty());
    seen.insert(name);

    const Response response = problem(core::makeError(code, "some detail"), sampleRequest());
    EXPECT_EQ(response.status, kExpectedStatus.at(name));
    EXPECT_EQ(response.header("Content-Type"), "application/problem+json");
    EXPECT_EQ(response.header("Cache-Control"), "no-store");
    const auto body = boost::json::parse(response.body).as_object();
    EXPECT_EQ(body.at("type").as_string(), "https://keygate.dev/problems/" + std::string(name));
    EXPECT_EQ(body.at("code").as_string(), name);
    EXPECT_EQ(body.at("status").to_number<unsigned>(), kExpectedStatus.at(name));
    EXPECT_EQ(body.at("title").as_string(), titleFor(code));
    EXPECT_EQ(body.at("instance").as_string(), "/api/v1/me/keys/7");
    EXPECT_EQ(body.at("requestId").as_string(), "0123456789abcdef");
    EXPECT_EQ(response.header("WWW-Authenticate").empty(), code != Errc::kUnauthenticated);
  }
  EXPECT_EQ(seen.size(), kExpectedStatus.size()) << "every contracted code is an Errc";
}

TEST(Problem, DetailIsThePublicMessageAndNeverTheLogDetail) {
  core::Error error = core::makeError(Errc::kConflict, "Key name already used.", "row 42 sql");
  const Response response = problem(error, sampleRequest());
  const auto body = boost::json::parse(response.body).as_object();
  EXPECT_EQ(body.at("detail").as_string(), "Key name already used.");
  EXPECT_EQ(response.body.find("row 42"), std::string::npos);
  EXPECT_FALSE(body.contains("field"));
  EXPECT_FALSE(body.contains("triesLeft"));
  EXPECT_TRUE(response.header("Retry-After").empty());
}

TEST(Problem, InternalErrorsHideMessageAndDetail) {
  const Response response =
      problem(core::makeError(Errc::kInternal, "std::bad_alloc in KeyService", "sqlite busy"),
              sampleRequest());
  EXPECT_EQ(response.status, 500u);
  const auto body = boost::json::parse(response.body).as_object();
  EXPECT_EQ(body.at("code").as_string(), "internal_error");
  EXPECT_EQ(response.body.find("bad_alloc"), std::string::npos);
  EXPECT_EQ(response.body.find("sqlite"), std::string::npos);
  EXPECT_FALSE(body.at("detail").as_string().empty());
}

TEST(Problem, OptionalFieldsAndHeaders) {
  core::Error error = core::fieldError(Errc::kInvalidViewCode, "code", "The code is wrong.");
  error.tries_left = 3;
  auto body = boost::json::parse(problem(error, sampleRequest()).body).as_object();
  EXPECT_EQ(body.at("field").as_string(), "code");
  EXPECT_EQ(body.at("triesLeft").to_number<int>(), 3);

  core::Error limited = core::makeError(Errc::kRateLimited, "Slow down.");
  limited.retry_after_seconds = 17;
  const Response response = problem(limited, sampleRequest());
  EXPECT_EQ(response.status, 429u);
  EXPECT_EQ(response.header("Retry-After"), "17");
}

TEST(Problem, JsonEscapesHostileText) {
  Request request = sampleRequest();
  request.path = "/x\"}<script>\n";
  const Response response =
      problem(core::makeError(Errc::kNotFound, "quote \" and backslash \\"), request);
  const auto body = boost::json::parse(response.body).as_object();  // throws if broken
  EXPECT_EQ(body.at("instance").as_string(), "/x\"}<script>\n");
  EXPECT_EQ(body.at("detail").as_string(), "quote \" and backslash \\");
}

}  // namespace
}  // namespace keygate::http
