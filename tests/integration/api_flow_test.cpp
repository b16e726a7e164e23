// The key lifecycle over HTTP, as a user and an API client meet it.
#include "crypto/crypto.h"
#include "server_fixture.h"

namespace keygate::testing {
namespace {

class ApiFlowTest : public ServerTest {};

TEST_F(ApiFlowTest, GenerateTokenBothWaysWhoamiInactivate) {
  login(*client_, "sam.supplier");
  auto keys = parseObject(client_->get("/api/v1/me/keys").body);
  EXPECT_TRUE(keys.at("credentials").as_array().empty());  // the first time, empty
  EXPECT_TRUE(keys.at("auditLog").as_array().empty());

  auto key = generate(*client_,
                      R"({"name":"nightly export","scopes":["engagements:read","billing:read"]})");
  EXPECT_GE(key.at("credentialKey").as_int64(), 100001);
  EXPECT_EQ(str(key, "clientKey").rfind("kgck_", 0), 0u);
  EXPECT_EQ(str(key, "clientSecret").rfind("kgcs_", 0), 0u);
  EXPECT_EQ(key.at("scopes").as_array().size(), 3u);  // raas always included

  // Magnit-style token call, field names in any case.
  HttpClient api(base_url_);
  auto magnit =
      api.postJson("/api/v1/get-api-token",
                   R"({"CREDENTIALKEY":")" + std::to_string(key.at("credentialKey").as_int64()) +
                       R"(","clientkey":")" + str(key, "clientKey") + R"(","ClientSecret":")" +
                       str(key, "clientSecret") + R"("})");
  ASSERT_EQ(magnit.status, 200) << magnit.body;
  auto magnit_body = parseObject(magnit.body);
  EXPECT_EQ(str(magnit_body, "tokenType"), "Bearer");
  EXPECT_EQ(magnit_body.at("expiresIn").as_int64(), 3600);
  EXPECT_EQ(magnit.header("Cache-Control"), "no-store");

  // RFC 6749 §4.4 with HTTP Basic…
  auto basic = api.request(
      "POST", "/oauth/token", "grant_type=client_credentials",
      {{"Content-Type", "application/x-www-form-urlencoded"},
       {"Authorization",
        "Basic " + crypto::base64Encode(str(key, "clientKey") + ":" + str(key, "clientSecret"))}});
  ASSERT_EQ(basic.status, 200) << basic.body;
  auto oauth = parseObject(basic.body);
  EXPECT_EQ(str(oauth, "token_type"), "Bearer");
  EXPECT_EQ(str(oauth, "scope"), "raas engagements:read billing:read");
  // …and with form fields.
  auto form = api.request("POST", "/oauth/token",
                          "grant_type=client_credentials&client_id=" + str(key, "clientKey") +
                              "&client_secret=" + str(key, "clientSecret"),
                          {{"Content-Type", "application/x-www-form-urlencoded"}});
  ASSERT_EQ(form.status, 200) << form.body;

  for (const auto& token : {str(magnit_body, "accessToken"), str(oauth, "access_token"),
                            str(parseObject(form.body), "access_token")}) {
    auto who = api.get("/api/v1/whoami", {{"Authorization", "Bearer " + token}});
    ASSERT_EQ(who.status, 200) << who.body;
    auto body = parseObject(who.body);
    EXPECT_EQ(str(body.at("account").as_object(), "username"), "sam.supplier");
    EXPECT_EQ(str(body.at("organization").as_object(), "name"), "Acme Staffing");
    EXPECT_EQ(body.at("credentialKey").as_int64(), key.at("credentialKey").as_int64());
    EXPECT_EQ(str(body, "keyExpiresAt"), str(key, "expiresAt"));
  }

  const auto id = std::to_string(key.at("credentialKey").as_int64());
  auto inactivated = client_->request("POST", "/api/v1/me/keys/" + id + "/inactivate");
  ASSERT_EQ(inactivated.status, 200) << inactivated.body;
  auto who =
      api.get("/api/v1/whoami", {{"Authorization", "Bearer " + str(magnit_body, "accessToken")}});
  EXPECT_EQ(who.status, 401);
  EXPECT_EQ(who.header("Content-Type"), "application/problem+json");
  auto again = api.postJson("/api/v1/get-api-token", tokenBody(key));
  EXPECT_EQ(again.status, 401);

  auto lists = parseObject(client_->get("/api/v1/me/keys").body);
  EXPECT_TRUE(lists.at("credentials").as_array().empty());
  ASSERT_EQ(lists.at("auditLog").as_array().size(), 1u);
  auto row = lists.at("auditLog").as_array()[0].as_object();
  EXPECT_EQ(str(row, "status"), "inactive");
  EXPECT_EQ(str(row, "inactivatedBy"), "Sam Supplier");
  EXPECT_NE(str(row, "clientKey"), str(key, "clientKey"));  // masked in lists
}

TEST_F(ApiFlowTest, ViewWithTheEmailedCodeAndNoStore) {
  login(*client_, "sam.supplier");
  auto key = generate(*client_, R"({"name":"k"})");
  const auto id = std::to_string(key.at("credentialKey").as_int64());
  auto sent = client_->request("POST", "/api/v1/me/keys/" + id + "/view-code");
  ASSERT_EQ(sent.status, 202) << sent.body;
  EXPECT_EQ(parseObject(sent.body).at("triesLeft").as_int64(), 5);
  const auto code = latestOutboxCode();
  ASSERT_EQ(code.size(), 8u);
  auto wrong = client_->postJson(
      "/api/v1/me/keys/" + id + "/reveal",
      std::string(R"({"code":")") + (code == "12345678" ? "87654321" : "12345678") + "\"}");
  ASSERT_EQ(wrong.status, 422);
  EXPECT_EQ(parseObject(wrong.body).at("triesLeft").as_int64(), 4);
  auto revealed =
      client_->postJson("/api/v1/me/keys/" + id + "/reveal", R"({"code":")" + code + "\"}");
  ASSERT_EQ(revealed.status, 200) << revealed.body;
  EXPECT_EQ(revealed.header("Cache-Control"), "no-store");
  EXPECT_EQ(str(parseObject(revealed.body), "clientSecret"), str(key, "clientSecret"));
  auto resend = client_->request("POST", "/api/v1/me/keys/" + id + "/view-code");
  EXPECT_EQ(resend.status, 429);
  EXPECT_FALSE(resend.header("Retry-After").empty());
}

TEST_F(ApiFlowTest, TwoFactorUserMustEnrollThenSeesValuesDirectly) {
  auto session = login(*client_, "tara.twofactor");
  EXPECT_TRUE(session.at("totpEnrollmentRequired").as_bool());
  auto refused = client_->postJson("/api/v1/me/keys", R"({"name":"k"})");
  EXPECT_EQ(refused.status, 403);
  EXPECT_EQ(str(parseObject(refused.body), "code"), "totp_enrollment_required");
}

TEST_F(ApiFlowTest, ClientOrganizationsAreNotOfferedSupplierScopes) {
  login(*client_, "carla.client");
  auto keys = parseObject(client_->get("/api/v1/me/keys").body);
  auto scopes = keys.at("policy").as_object().at("availableScopes").as_array();
  ASSERT_EQ(scopes.size(), 1u);
  EXPECT_EQ(str(scopes[0].as_object(), "name"), "raas");
  auto refused = client_->postJson("/api/v1/me/keys", R"({"name":"k","scopes":["workers:write"]})");
  EXPECT_EQ(refused.status, 422);
  EXPECT_EQ(str(parseObject(refused.body), "field"), "scopes");
}

TEST_F(ApiFlowTest, LinkedAccountsKeepTheirOwnKeys) {
  auto session = login(*client_, "pat.acme");
  ASSERT_EQ(session.at("linkedAccounts").as_array().size(), 2u);
  auto key = generate(*client_, R"({"name":"acme key"})");
  std::int64_t globex_id = 0;
  for (const auto& a : session.at("linkedAccounts").as_array())
    if (!a.as_object().at("current").as_bool())
      globex_id = a.as_object().at("accountId").as_int64();
  auto switched = client_->postJson("/api/v1/session/switch",
                                    R"({"accountId":)" + std::to_string(globex_id) + "}");
  ASSERT_EQ(switched.status, 200) << switched.body;
  EXPECT_EQ(str(parseObject(switched.body).at("organization").as_object(), "name"),
            "Globex Corporation");
  auto keys = parseObject(client_->get("/api/v1/me/keys").body);
  EXPECT_TRUE(keys.at("credentials").as_array().empty());
  const auto id = std::to_string(key.at("credentialKey").as_int64());
  EXPECT_EQ(client_->get("/api/v1/me/keys/" + id).status, 404);
  auto who = client_->get("/api/v1/whoami", {{"Authorization", "Bearer " + token(key)}});
  EXPECT_EQ(str(parseObject(who.body).at("organization").as_object(), "name"), "Acme Staffing");
}

TEST_F(ApiFlowTest, ExpiryAfterTheClockMovesPastTheDate) {
  login(*client_, "sam.supplier");
  auto key = generate(*client_, R"({"name":"short"})");
  const auto tok = token(key);
  auto moved =
      client_->postJson("/api/v1/test/clock", R"({"advanceSeconds":15638400})");  // 181 days
  ASSERT_EQ(moved.status, 200) << moved.body;
  login(*client_, "sam.supplier");  // the session went idle meanwhile
  auto lists = parseObject(client_->get("/api/v1/me/keys").body);
  EXPECT_TRUE(lists.at("credentials").as_array().empty());
  ASSERT_EQ(lists.at("auditLog").as_array().size(), 1u);
  EXPECT_EQ(str(lists.at("auditLog").as_array()[0].as_object(), "status"), "expired");
  EXPECT_EQ(client_->get("/api/v1/whoami", {{"Authorization", "Bearer " + tok}}).status, 401);
}

TEST_F(ApiFlowTest, OrgAdminSeesAndInactivatesEveryKeyOfTheOrganization) {
  login(*client_, "sam.supplier");
  auto key = generate(*client_, R"({"name":"sam's"})");
  HttpClient admin(base_url_);
  login(admin, "alex.admin");
  auto listed = parseObject(admin.get("/api/v1/org/keys").body);
  ASSERT_EQ(listed.at("keys").as_array().size(), 1u);
  EXPECT_EQ(str(listed.at("keys").as_array()[0].as_object(), "owner"), "sam.supplier");
  const auto id = std::to_string(key.at("credentialKey").as_int64());
  ASSERT_EQ(admin.request("POST", "/api/v1/org/keys/" + id + "/inactivate").status, 200);
  EXPECT_EQ(client_->get("/api/v1/org/keys").status, 403);  // not an admin
  auto patched = admin.request("PATCH", "/api/v1/org", R"({"keyLifetimeDays":30})",
                               {{"Content-Type", "application/json"}});
  ASSERT_EQ(patched.status, 200) << patched.body;
  auto fresh = generate(*client_, R"({"name":"after policy"})");
  auto days = (parseObject(client_->get("/api/v1/me/keys").body)
                   .at("credentials")
                   .as_array()[0]
                   .as_object()
                   .at("daysLeft")
                   .as_int64());
  EXPECT_LE(days, 31);
  (void)fresh;
}

TEST_F(ApiFlowTest, EverythingPersistsAcrossARestart) {
  login(*client_, "sam.supplier");
  auto key = generate(*client_, R"({"name":"durable"})");
  restartApp();
  HttpClient api(base_url_);
  auto t = api.postJson("/api/v1/get-api-token", tokenBody(key));
  ASSERT_EQ(t.status, 200) << t.body;
  login(*client_, "sam.supplier");
  auto lists = parseObject(client_->get("/api/v1/me/keys").body);
  ASSERT_EQ(lists.at("credentials").as_array().size(), 1u);
  auto verified = app_->events().verify(app_->store());
  ASSERT_TRUE(verified);
  EXPECT_FALSE(verified->first_broken_seq);
}

}  // namespace
}  // namespace keygate::testing
