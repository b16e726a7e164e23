// Hostile and malformed input: every case gets a precise problem+json answer, nothing is
// written, and the server keeps serving.
#include "server_fixture.h"

namespace keygate::testing {
namespace {

struct BadCase {
  const char* what;
  const char* method;
  std::string path;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  long status;
  const char* code;
  const char* field = nullptr;
};

class BadInputTest : public ServerTest {
 protected:
  std::int64_t writes() {
    return countRows("credentials") + countRows("events") + countRows("view_codes") +
           countRows("sessions");
  }
};

TEST_F(BadInputTest, EachBadRequestGetsAPreciseProblemAndWritesNothing) {
  login(*client_, "sam.supplier");
  auto key = generate(*client_, R"({"name":"k"})");
  const std::string id = std::to_string(key.at("credentialKey").as_int64());
  const std::vector<std::pair<std::string, std::string>> json{{"Content-Type", "application/json"}};
  const std::vector<std::pair<std::string, std::string>> form{
      {"Content-Type", "application/x-www-form-urlencoded"}};
  const std::vector<BadCase> cases = {
      {"malformed JSON", "POST", "/api/v1/me/keys", R"({"name": )", json, 400, "malformed_json"},
      {"not an object", "POST", "/api/v1/me/keys", R"(["name"])", json, 400, "malformed_json"},
      {"wrong media type",
       "POST",
       "/api/v1/me/keys",
       R"({"name":"x"})",
       {{"Content-Type", "text/plain"}},
       415,
       "unsupported_media_type"},
      {"missing name", "POST", "/api/v1/me/keys", R"({"scopes":[]})", json, 422,
       "validation_failed", "name"},
      {"name of wrong type", "POST", "/api/v1/me/keys", R"({"name":42})", json, 422,
       "validation_failed", "name"},
      {"scopes of wrong type", "POST", "/api/v1/me/keys", R"({"name":"x","scopes":"raas"})", json,
       422, "validation_failed", "scopes"},
      {"unknown scope", "POST", "/api/v1/me/keys", R"({"name":"x","scopes":["root"]})", json, 422,
       "validation_failed", "scopes"},
      {"bad date", "POST", "/api/v1/me/keys", R"({"name":"x","expiresOn":"2026-02-30"})", json, 422,
       "validation_failed", "expiresOn"},
      {"date beyond lifetime", "POST", "/api/v1/me/keys",
       R"({"name":"x","expiresOn":"2099-01-01"})", json, 422, "validation_failed", "expiresOn"},
      {"control characters in name", "POST", "/api/v1/me/keys", "{\"name\":\"a\\u0000b\"}", json,
       422, "validation_failed", "name"},
      {"extend expiry", "PATCH", "/api/v1/me/keys/" + id, R"({"expiresOn":"2099-01-01"})", json,
       409, "expiry_immutable"},
      {"remove expiry", "PATCH", "/api/v1/me/keys/" + id, R"({"neverExpires":true})", json, 409,
       "expiry_immutable"},
      {"reactivate", "PATCH", "/api/v1/me/keys/" + id, R"({"status":"active"})", json, 409,
       "inactivation_irreversible"},
      {"unknown key", "POST", "/api/v1/me/keys/999999/inactivate", "", {}, 404, "not_found"},
      {"non-numeric key id", "GET", "/api/v1/me/keys/abc", "", {}, 404, "not_found"},
      {"SQL in key id", "GET", "/api/v1/me/keys/1%20OR%201=1", "", {}, 404, "not_found"},
      {"reveal without code", "POST", "/api/v1/me/keys/" + id + "/reveal", "{}", json, 422,
       "validation_failed", "code"},
      {"reveal with short code", "POST", "/api/v1/me/keys/" + id + "/reveal", R"({"code":"1234"})",
       json, 422, "validation_failed", "code"},
      {"reveal with no code sent", "POST", "/api/v1/me/keys/" + id + "/reveal",
       R"({"code":"12345678"})", json, 422, "invalid_view_code", "code"},
      {"unknown route", "GET", "/api/v1/nope", "", {}, 404, "not_found"},
      {"wrong method", "PUT", "/api/v1/me/keys", "", {}, 405, "method_not_allowed"},
      {"token: malformed JSON", "POST", "/api/v1/get-api-token", "{", json, 400, "malformed_json"},
      {"token: missing secret", "POST", "/api/v1/get-api-token",
       R"({"credentialKey":1,"clientKey":"kgck_x"})", json, 422, "validation_failed",
       "clientSecret"},
      {"token: credential key of wrong type", "POST", "/api/v1/get-api-token",
       R"({"credentialKey":[1],"clientKey":"a","clientSecret":"b"})", json, 422,
       "validation_failed", "credentialKey"},
      {"token: unknown credential", "POST", "/api/v1/get-api-token",
       R"({"credentialKey":424242,"clientKey":")" + str(key, "clientKey") +
           R"(","clientSecret":")" + str(key, "clientSecret") + R"("})",
       json, 401, "unauthenticated"},
      {"oauth: JSON instead of form", "POST", "/oauth/token", "{}", json, 415,
       "unsupported_media_type"},
      {"oauth: wrong grant", "POST", "/oauth/token", "grant_type=password", form, 400,
       "malformed_request", "grant_type"},
      {"oauth: no client", "POST", "/oauth/token", "grant_type=client_credentials", form, 401,
       "unauthenticated"},
      {"oauth: malformed Basic",
       "POST",
       "/oauth/token",
       "grant_type=client_credentials",
       {{"Content-Type", "application/x-www-form-urlencoded"}, {"Authorization", "Basic !!!"}},
       401,
       "unauthenticated"},
      {"whoami: malformed Authorization",
       "GET",
       "/api/v1/whoami",
       "",
       {{"Authorization", "Bearer"}},
       401,
       "unauthenticated"},
      {"whoami: wrong scheme",
       "GET",
       "/api/v1/whoami",
       "",
       {{"Authorization", "Token abc"}},
       401,
       "unauthenticated"},
      {"whoami: forged token",
       "GET",
       "/api/v1/whoami",
       "",
       {{"Authorization",
         "Bearer kgat_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}},
       401,
       "unauthenticated"},
      {"oversize body", "POST", "/api/v1/me/keys",
       R"({"name":")" + std::string(100000, 'a') + R"("})", json, 413, "payload_too_large"},
  };
  const auto before = writes();
  for (const auto& c : cases) {
    SCOPED_TRACE(c.what);
    auto r = client_->request(c.method, c.path, c.body, c.headers);
    EXPECT_EQ(r.status, c.status) << r.body;
    EXPECT_EQ(r.header("Content-Type"), "application/problem+json");
    auto problem = parseObject(r.body);
    EXPECT_EQ(str(problem, "code"), c.code);
    EXPECT_EQ(problem.at("status").as_int64(), c.status);
    EXPECT_FALSE(str(problem, "title").empty());
    EXPECT_FALSE(str(problem, "detail").empty());
    EXPECT_FALSE(str(problem, "requestId").empty());
    EXPECT_EQ(str(problem, "requestId"), r.header("X-Request-Id"));
    if (c.field) {
      EXPECT_EQ(str(problem, "field"), c.field);
    }
    // Never echo a secret back.
    EXPECT_EQ(r.body.find(str(key, "clientSecret")), std::string::npos);
    if (!client_) break;
    client_->clearCookies();
    login(*client_, "sam.supplier");  // the oversize case closes the connection; stay signed in
  }
  // Logins above each wrote a session and an event; nothing else may have been written.
  const auto logins = static_cast<std::int64_t>(cases.size());
  EXPECT_EQ(writes(), before + 2 * logins);
  EXPECT_EQ(countRows("credentials"), 1);
  EXPECT_EQ(countRows("view_codes"), 0);
  EXPECT_EQ(client_->get("/healthz").status, 200);  // still serving
}

TEST_F(BadInputTest, StateChangesNeedTheCsrfTokenAndASession) {
  login(*client_, "sam.supplier");
  const auto before = countRows("credentials");
  client_->setCsrfToken("");
  auto no_csrf = client_->postJson("/api/v1/me/keys", R"({"name":"x"})");
  EXPECT_EQ(no_csrf.status, 403);
  EXPECT_EQ(str(parseObject(no_csrf.body), "code"), "csrf_failed");
  client_->setCsrfToken("forged-token");
  EXPECT_EQ(client_->postJson("/api/v1/me/keys", R"({"name":"x"})").status, 403);
  HttpClient anonymous(base_url_);
  auto no_session = anonymous.postJson("/api/v1/me/keys", R"({"name":"x"})");
  EXPECT_EQ(no_session.status, 401);
  EXPECT_EQ(countRows("credentials"), before);
}

TEST_F(BadInputTest, HeadersOverTheLimitAreRefused) {
  auto r = client_->get("/healthz", {{"X-Padding", std::string(20000, 'x')}});
  EXPECT_EQ(r.status, 431);
  HttpClient fresh(base_url_);
  EXPECT_EQ(fresh.get("/healthz").status, 200);
}

TEST_F(BadInputTest, FailedTokenCallsAreThrottled) {
  HttpClient api(base_url_);
  const std::string body =
      R"({"credentialKey":100001,"clientKey":"kgck_000000000000000000000000000000","clientSecret":"nope"})";
  long last = 0;
  for (int i = 0; i < 12; ++i) last = api.postJson("/api/v1/get-api-token", body).status;
  EXPECT_EQ(last, 429);
  auto r = api.postJson("/api/v1/get-api-token", body);
  EXPECT_EQ(r.status, 429);
  EXPECT_FALSE(r.header("Retry-After").empty());
}

TEST_F(BadInputTest, FailedLoginsAreThrottled) {
  HttpClient c(base_url_);
  for (int i = 0; i < 5; ++i)
    EXPECT_EQ(
        c.postJson("/api/v1/session", R"({"username":"sam.supplier","password":"wrong!"})").status,
        401);
  auto blocked =
      c.postJson("/api/v1/session", R"({"username":"sam.supplier","password":"keygate-demo"})");
  EXPECT_EQ(blocked.status, 429);
  EXPECT_FALSE(blocked.header("Retry-After").empty());
}

}  // namespace
}  // namespace keygate::testing
