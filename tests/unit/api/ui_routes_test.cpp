// The web UI surface without a socket: the real route table over real services (SQLite in
// memory), checking security headers, ETags, the sign-in redirect, the demo mailbox's presence
// and privacy, the QR endpoint, and that the embedded pages obey the CSP.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <boost/json/parse.hpp>
#include <filesystem>
#include <string_view>
#include <vector>

#include "api/api.h"
#include "api/common.h"
#include "api/ui_internal.h"
#include "mail/outbox_mailer.h"
#include "unit/services/fixture.h"
#include "web/web_assets.h"

namespace keygate::api {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

class UiRoutesTest : public services::testing::ServicesTest {
 protected:
  void build(std::string demo_outbox_dir = {}) {
    ApiOptions options;
    options.demo_outbox_dir = std::move(demo_outbox_dir);
    ApiServices api{*store, *accounts, *keys, *tokens, metrics, clock};
    registerRoutes(router, api, options);
  }

  static http::Request request(std::string method, std::string path, http::HeaderList headers = {},
                               std::string body = {}) {
    http::Request r;
    r.method = std::move(method);
    r.target = path;
    r.path = std::move(path);
    r.headers = std::move(headers);
    r.body = std::move(body);
    r.remote_ip = "127.0.0.1";
    r.request_id = "ui-test";
    return r;
  }

  http::Response call(http::Request r) { return router.dispatch(r); }

  // Signs in through the account service; returns {cookie header, CSRF token}.
  std::pair<std::string, std::string> signIn(const std::string& username) {
    auto signed_in = accounts->login({username, "correct horse battery", std::nullopt}, context);
    EXPECT_TRUE(signed_in);
    return {std::string(kSessionCookie) + "=" + signed_in->cookie_token,
            signed_in->actor.session.csrf_token};
  }

  http::Metrics metrics;
  http::Router router;
};

bool isQuotedHex(std::string_view text, std::size_t digits) {
  if (text.size() != digits + 2 || text.front() != '"' || text.back() != '"') return false;
  return std::all_of(text.begin() + 1, text.end() - 1,
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

// Every piece of `text` between an occurrence of `open` and the next `close`.
std::vector<std::string> between(std::string_view text, std::string_view open,
                                 std::string_view close) {
  std::vector<std::string> out;
  for (auto pos = text.find(open); pos != std::string_view::npos; pos = text.find(open, pos)) {
    pos += open.size();
    const auto end = text.find(close, pos);
    if (end == std::string_view::npos) break;
    out.emplace_back(text.substr(pos, end - pos));
    pos = end;
  }
  return out;
}

// " onclick=", " onload=" …: attributes the CSP would refuse to run.
bool hasEventHandlerAttribute(std::string_view html) {
  for (auto pos = html.find(" on"); pos != std::string_view::npos;
       pos = html.find(" on", pos + 1)) {
    auto end = pos + 3;
    while (end < html.size() && html[end] >= 'a' && html[end] <= 'z') ++end;
    if (end > pos + 3 && end < html.size() && html[end] == '=') return true;
  }
  return false;
}

void expectSecurityHeaders(const http::Response& r) {
  EXPECT_EQ(r.header("Content-Security-Policy"),
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'");
  EXPECT_EQ(r.header("X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(r.header("Referrer-Policy"), "no-referrer");
  EXPECT_EQ(r.header("X-Frame-Options"), "DENY");
}

TEST_F(UiRoutesTest, SignInPageCarriesTheSecurityHeaders) {
  build();
  auto r = call(request("GET", "/login"));
  EXPECT_EQ(r.status, 200u);
  EXPECT_EQ(r.header("Content-Type"), "text/html; charset=utf-8");
  EXPECT_THAT(r.body, HasSubstr("<form id=\"login-form\""));
  expectSecurityHeaders(r);
}

TEST_F(UiRoutesTest, AssetsHaveStrongETagsAndAnswer304WhenUnchanged) {
  build();
  auto r = call(request("GET", "/assets/js/keys.js"));
  ASSERT_EQ(r.status, 200u);
  EXPECT_EQ(r.header("Content-Type"), "text/javascript; charset=utf-8");
  const std::string etag(r.header("ETag"));
  EXPECT_TRUE(isQuotedHex(etag, 32)) << etag;
  expectSecurityHeaders(r);

  auto again = call(request("GET", "/assets/js/keys.js", {{"If-None-Match", etag}}));
  EXPECT_EQ(again.status, 304u);
  EXPECT_TRUE(again.body.empty());
  EXPECT_EQ(again.header("ETag"), etag);
  // A list of validators, one of them weak, still matches.
  auto listed = call(request("GET", "/assets/js/keys.js", {{"If-None-Match", "\"x\", W/" + etag}}));
  EXPECT_EQ(listed.status, 304u);
  auto other = call(request("GET", "/assets/js/keys.js", {{"If-None-Match", "\"other\""}}));
  EXPECT_EQ(other.status, 200u);
  // Another asset has another ETag.
  EXPECT_NE(call(request("GET", "/assets/app.css")).header("ETag"), etag);
  EXPECT_EQ(call(request("GET", "/assets/nope.js")).status, 404u);
}

TEST_F(UiRoutesTest, SignedInPagesRedirectToSignInWithoutASession) {
  build();
  for (const char* page : {"/", "/profile", "/profile/security", "/profile/keys", "/admin"}) {
    auto r = call(request("GET", page));
    EXPECT_EQ(r.status, 303u) << page;
    EXPECT_EQ(r.header("Location"), std::string("/login?next=") + page);
    expectSecurityHeaders(r);
  }
  auto org = makeOrg("Acme", core::OrgType::kSupplier);
  makeUser(org, "sam");
  auto [cookie, csrf] = signIn("sam");
  auto r = call(request("GET", "/profile/keys", {{"Cookie", cookie}}));
  EXPECT_EQ(r.status, 200u);
  EXPECT_THAT(r.body, HasSubstr("RaaS API Keys"));
}

TEST_F(UiRoutesTest, DemoMailboxIsAbsentWithoutDemoOutbox) {
  build();
  EXPECT_EQ(call(request("GET", "/mailbox")).status, 404u);
  EXPECT_EQ(call(request("GET", "/ui/mailbox/messages")).status, 404u);
  EXPECT_EQ(call(request("GET", "/ui/features")).body, R"({"demoMailbox":false})");
}

TEST_F(UiRoutesTest, DemoMailboxListsOnlyTheSignedInAccountsMessagesNewestFirst) {
  const auto dir =
      std::filesystem::temp_directory_path() / ("keygate-ui-mailbox-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  mail::OutboxMailer outbox(dir, clock, random);
  ASSERT_TRUE(outbox.send(
      {"Keygate <no-reply@keygate.local>", "sam@example.com", "First for sam", "code 11112222\n"}));
  clock.advance(5);
  ASSERT_TRUE(outbox.send(
      {"Keygate <no-reply@keygate.local>", "alex@example.com", "For alex", "code 33334444\n"}));
  clock.advance(5);
  ASSERT_TRUE(outbox.send({"Keygate <no-reply@keygate.local>", "Sam <SAM@example.com>",
                           "Zweiter Code für Sam", "code 55556666\r\nline two\n"}));
  build(dir.string());
  EXPECT_EQ(call(request("GET", "/ui/features")).body, R"({"demoMailbox":true})");
  EXPECT_EQ(call(request("GET", "/mailbox")).status, 303u);
  EXPECT_EQ(call(request("GET", "/ui/mailbox/messages")).status, 401u);

  auto org = makeOrg("Acme", core::OrgType::kSupplier);
  makeUser(org, "sam");
  auto [cookie, csrf] = signIn("sam");
  EXPECT_EQ(call(request("GET", "/mailbox", {{"Cookie", cookie}})).status, 200u);
  auto r = call(request("GET", "/ui/mailbox/messages", {{"Cookie", cookie}}));
  ASSERT_EQ(r.status, 200u);
  EXPECT_EQ(r.header("Cache-Control"), "no-store");
  expectSecurityHeaders(r);
  auto body = boost::json::parse(r.body).as_object();
  EXPECT_EQ(body.at("address").as_string(), "sam@example.com");
  auto& messages = body.at("messages").as_array();
  ASSERT_EQ(messages.size(), 2u);
  // Newest first; the UTF-8 subject was RFC 2047-encoded on the way out and decoded here.
  EXPECT_EQ(messages[0].at("subject").as_string(), "Zweiter Code für Sam");
  EXPECT_EQ(messages[0].at("body").as_string(), "code 55556666\nline two\n");
  EXPECT_EQ(messages[1].at("subject").as_string(), "First for sam");
  EXPECT_THAT(r.body, Not(HasSubstr("33334444")));
  std::filesystem::remove_all(dir);
}

TEST_F(UiRoutesTest, TotpQrNeedsSessionAndCsrfAndOnlyDrawsOtpauthUris) {
  build();
  auto org = makeOrg("Acme", core::OrgType::kSupplier);
  makeUser(org, "sam");
  auto [cookie, csrf] = signIn("sam");
  const std::string uri =
      R"({"otpauthUri":"otpauth://totp/Keygate:sam?secret=JBSWY3DPEHPK3PXP&issuer=Keygate"})";
  http::HeaderList json{{"Content-Type", "application/json"}};

  EXPECT_EQ(call(request("POST", "/ui/totp-qr", json, uri)).status, 401u);
  auto no_csrf = json;
  no_csrf.emplace_back("Cookie", cookie);
  EXPECT_EQ(call(request("POST", "/ui/totp-qr", no_csrf, uri)).status, 403u);

  auto ok = no_csrf;
  ok.emplace_back("X-CSRF-Token", csrf);
  auto r = call(request("POST", "/ui/totp-qr", ok, uri));
  ASSERT_EQ(r.status, 200u);
  EXPECT_EQ(r.header("Content-Type"), "image/svg+xml");
  EXPECT_EQ(r.header("Cache-Control"), "no-store");
  EXPECT_THAT(r.body, StartsWith("<svg xmlns=\"http://www.w3.org/2000/svg\""));
  EXPECT_THAT(r.body, Not(HasSubstr("JBSWY3DPEHPK3PXP")));

  auto bad = call(request("POST", "/ui/totp-qr", ok, R"({"otpauthUri":"https://example.com/"})"));
  EXPECT_EQ(bad.status, 422u);
}

// The three finder patterns of a QR code: 7×7 dark rings at three corners, inside a 4-module
// quiet zone; the fourth corner has none.
TEST(UiQrTest, SvgHasFinderPatternsAtThreeCorners) {
  auto svg = ui::renderQrSvg("otpauth://totp/Keygate:sam?secret=JBSWY3DPEHPK3PXP&issuer=Keygate");
  ASSERT_TRUE(svg);
  const auto view_box = svg->find("viewBox=\"0 0 ");
  ASSERT_NE(view_box, std::string::npos);
  const int size = std::stoi(svg->substr(view_box + 13));
  const int width = size - 8;
  EXPECT_EQ((width - 17) % 4, 0) << "QR widths are 17 + 4 × version";
  auto dark = [&](int x, int y) {
    return svg->find("M" + std::to_string(x + 4) + "," + std::to_string(y + 4) + "h1v1h-1z") !=
           std::string::npos;
  };
  auto finderAt = [&](int x0, int y0) {
    for (int i = 0; i < 7; ++i) {
      if (!dark(x0 + i, y0) || !dark(x0 + i, y0 + 6) || !dark(x0, y0 + i) || !dark(x0 + 6, y0 + i))
        return false;
    }
    return !dark(x0 + 1, y0 + 1) && dark(x0 + 3, y0 + 3);  // white ring, dark centre
  };
  EXPECT_TRUE(finderAt(0, 0));
  EXPECT_TRUE(finderAt(width - 7, 0));
  EXPECT_TRUE(finderAt(0, width - 7));
  EXPECT_FALSE(finderAt(width - 7, width - 7));
  EXPECT_THAT(*svg, Not(HasSubstr("style")));
  EXPECT_EQ(ui::renderQrSvg("otpauth://totp/x"), ui::renderQrSvg("otpauth://totp/x"));
}

TEST(UiMailTest, ParsesHeadersAndDecodesEncodedWords) {
  auto m = ui::parseMailMessage(
      "Date: Thu, 26 Nov 2026 19:04:00 +0000\r\nFrom: Keygate <no-reply@k.example>\r\n"
      "To: sam@example.com\r\nSubject: =?UTF-8?B?Q29kZSBmw7xy?=\r\n =?UTF-8?B?IFNhbQ==?=\r\n\r\n"
      "Hello\r\n\r\n    12345678\r\n");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->subject, "Code für Sam");
  EXPECT_EQ(m->to, "sam@example.com");
  EXPECT_EQ(m->date, "Thu, 26 Nov 2026 19:04:00 +0000");
  EXPECT_EQ(m->body, "Hello\n\n    12345678\n");
  EXPECT_FALSE(ui::parseMailMessage("no separator"));
  EXPECT_EQ(ui::decodeHeaderWords("plain =?UTF-8?Q?a=C3=A9_b?= end"), "plain aé b end");
  EXPECT_EQ(ui::decodeHeaderWords("=?UTF-8?B?***?="), "=?UTF-8?B?***?=");
  EXPECT_EQ(ui::decodeHeaderWords("=?UTF-8?Q?bad=Z?="), "=?UTF-8?Q?bad=Z?=");
}

// What the strict CSP would block must not be in the pages: inline scripts, style attributes or
// elements, event-handler attributes; and every referenced asset or module must exist.
TEST(UiAssetsTest, PagesObeyTheCspAndReferenceOnlyEmbeddedAssets) {
  int pages = 0;
  for (const auto& asset : web::embeddedAssets()) {
    const std::string text(asset.body);
    if (asset.path.starts_with("pages/")) {
      ++pages;
      for (const auto& tag : between(text, "<script", ">"))
        EXPECT_THAT(tag, HasSubstr(" src=\"/assets/")) << asset.path << " has an inline script";
      EXPECT_THAT(text, Not(HasSubstr("<style"))) << asset.path;
      EXPECT_THAT(text, Not(HasSubstr(" style="))) << asset.path;
      EXPECT_FALSE(hasEventHandlerAttribute(text)) << asset.path;
      for (const char* attribute : {"src=\"/", "href=\"/"}) {
        for (const auto& ref : between(text, attribute, "\"")) {
          if (ref.starts_with("assets/")) {
            EXPECT_NE(web::findAsset(ref), nullptr) << asset.path << " → " << ref;
          }
        }
      }
    }
    if (asset.path.starts_with("assets/js/")) {
      for (const auto& module : between(text, "from './", "'"))
        EXPECT_NE(web::findAsset("assets/js/" + module), nullptr)
            << asset.path << " imports " << module;
      EXPECT_THAT(text, Not(HasSubstr("innerHTML"))) << asset.path;
    }
  }
  EXPECT_GE(pages, 7);  // the pages above plus any added by other surfaces
}

}  // namespace
}  // namespace keygate::api
