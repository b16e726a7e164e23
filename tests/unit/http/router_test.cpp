// Router: literal and {param} segments, precedence, 404 and 405 problems.
#include "http/router.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <stdexcept>

namespace keygate::http {
namespace {

Handler replyWith(std::string text) {
  return [text = std::move(text)](Request&) { return Response::text(200, text, "text/plain"); };
}

Request makeRequest(std::string method, std::string path) {
  Request request;
  request.method = std::move(method);
  request.path = std::move(path);
  request.request_id = "feedfacefeedface";
  return request;
}

std::string problemCode(const Response& response) {
  return std::string(boost::json::parse(response.body).as_object().at("code").as_string());
}

class RouterTest : public ::testing::Test {
 protected:
  RouterTest() {
    router_.add("GET", "/", replyWith("root"));
    router_.add("GET", "/api/v1/me/keys", replyWith("list"));
    router_.add("POST", "/api/v1/me/keys", replyWith("create"));
    router_.add("GET", "/api/v1/me/keys/{id}", [](Request& request) {
      return Response::text(200, "key " + request.params.at("id"), "text/plain");
    });
    router_.add("DELETE", "/api/v1/me/keys/{id}", replyWith("delete"));
    router_.add("GET", "/raas/v1/reports/{reportId}/requests/{runid}", [](Request& request) {
      return Response::text(200, request.params.at("reportId") + "/" + request.params.at("runid"),
                            "text/plain");
    });
    // Registered after the parameter route on purpose: the literal must still win.
    router_.add("GET", "/api/v1/me/keys/export", replyWith("export"));
  }
  Router router_;
};

TEST_F(RouterTest, MatchesLiteralRoutesAndSetsRoute) {
  Request request = makeRequest("GET", "/api/v1/me/keys");
  const Response response = router_.dispatch(request);
  EXPECT_EQ(response.status, 200u);
  EXPECT_EQ(response.body, "list");
  EXPECT_EQ(request.route, "/api/v1/me/keys");
  EXPECT_TRUE(request.params.empty());

  Request root = makeRequest("GET", "/");
  EXPECT_EQ(router_.dispatch(root).body, "root");
}

TEST_F(RouterTest, ExtractsParameters) {
  Request request = makeRequest("GET", "/raas/v1/reports/12/requests/run-9");
  const Response response = router_.dispatch(request);
  EXPECT_EQ(response.body, "12/run-9");
  EXPECT_EQ(request.route, "/raas/v1/reports/{reportId}/requests/{runid}");
  EXPECT_EQ(request.params.at("reportId"), "12");
  EXPECT_EQ(request.params.at("runid"), "run-9");
}

TEST_F(RouterTest, MethodSelectsHandler) {
  Request post = makeRequest("POST", "/api/v1/me/keys");
  EXPECT_EQ(router_.dispatch(post).body, "create");
  Request del = makeRequest("DELETE", "/api/v1/me/keys/5");
  EXPECT_EQ(router_.dispatch(del).body, "delete");
}

TEST_F(RouterTest, LiteralSegmentBeatsParameter) {
  Request request = makeRequest("GET", "/api/v1/me/keys/export");
  EXPECT_EQ(router_.dispatch(request).body, "export");
  EXPECT_EQ(request.route, "/api/v1/me/keys/export");
  Request other = makeRequest("GET", "/api/v1/me/keys/exports");
  EXPECT_EQ(router_.dispatch(other).body, "key exports");
}

TEST_F(RouterTest, UnknownPathIs404Problem) {
  for (const char* path : {"/nope", "/api/v1/me", "/api/v1/me/keys/1/extra", "", "api/v1/me/keys",
                           "/raas/v1/reports/1/requests"}) {
    SCOPED_TRACE(path);
    Request request = makeRequest("GET", path);
    const Response response = router_.dispatch(request);
    EXPECT_EQ(response.status, 404u);
    EXPECT_EQ(response.header("Content-Type"), "application/problem+json");
    EXPECT_EQ(problemCode(response), "not_found");
    EXPECT_TRUE(request.route.empty());
  }
}

TEST_F(RouterTest, TrailingSlashAndEmptyParameterAreNotEquivalent) {
  Request slash = makeRequest("GET", "/api/v1/me/keys/");
  EXPECT_EQ(router_.dispatch(slash).status, 404u);
  Request empty_param = makeRequest("GET", "/raas/v1/reports//requests/1");
  EXPECT_EQ(router_.dispatch(empty_param).status, 404u);
}

TEST_F(RouterTest, KnownPathWrongMethodIs405WithAllow) {
  Request request = makeRequest("PUT", "/api/v1/me/keys/3");
  const Response response = router_.dispatch(request);
  EXPECT_EQ(response.status, 405u);
  EXPECT_EQ(problemCode(response), "method_not_allowed");
  EXPECT_EQ(response.header("Allow"), "DELETE, GET");

  Request patch = makeRequest("PATCH", "/api/v1/me/keys");
  const Response list_response = router_.dispatch(patch);
  EXPECT_EQ(list_response.status, 405u);
  EXPECT_EQ(list_response.header("Allow"), "GET, POST");
}

TEST_F(RouterTest, MethodIsCaseSensitive) {
  Request request = makeRequest("get", "/api/v1/me/keys");
  EXPECT_EQ(router_.dispatch(request).status, 405u);
}

TEST(Router, RejectsMalformedAndDuplicatePatterns) {
  Router router;
  EXPECT_THROW(router.add("GET", "no-slash", replyWith("x")), std::invalid_argument);
  EXPECT_THROW(router.add("GET", "/a/{b", replyWith("x")), std::invalid_argument);
  EXPECT_THROW(router.add("GET", "/a/x{b}", replyWith("x")), std::invalid_argument);
  router.add("GET", "/a/{b}", replyWith("x"));
  EXPECT_THROW(router.add("GET", "/a/{b}", replyWith("y")), std::invalid_argument);
  EXPECT_NO_THROW(router.add("POST", "/a/{b}", replyWith("y")));
}

TEST(Router, MatchReportsKindWithoutCallingHandler) {
  Router router;
  int calls = 0;
  router.add("GET", "/x/{id}", [&](Request&) {
    ++calls;
    return Response{};
  });
  std::unordered_map<std::string, std::string> params;
  const auto found = router.match("GET", "/x/1", params);
  EXPECT_EQ(found.kind, Router::Match::Kind::kFound);
  EXPECT_EQ(found.route, "/x/{id}");
  EXPECT_EQ(params.at("id"), "1");
  EXPECT_EQ(router.match("POST", "/x/1", params).kind, Router::Match::Kind::kMethodNotAllowed);
  EXPECT_EQ(router.match("GET", "/y", params).kind, Router::Match::Kind::kNotFound);
  EXPECT_EQ(calls, 0);
}

}  // namespace
}  // namespace keygate::http
