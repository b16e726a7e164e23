// Request/Response helpers: header lookup, query, cookies, form bodies, percent-decoding.
#include "http/request.h"

#include <gtest/gtest.h>

#include "http/response.h"

namespace keygate::http {
namespace {

TEST(PercentDecode, DecodesEscapesAndOptionallyPlus) {
  EXPECT_EQ(percentDecode("a%20b%2Fc", false), "a b/c");
  EXPECT_EQ(percentDecode("a+b", false), "a+b");
  EXPECT_EQ(percentDecode("a+b", true), "a b");
  EXPECT_EQ(percentDecode("%e2%82%AC", false), "\xE2\x82\xAC");
  EXPECT_EQ(percentDecode("", false), "");
}

TEST(PercentDecode, RejectsMalformedEscapes) {
  EXPECT_EQ(percentDecode("%", false), std::nullopt);
  EXPECT_EQ(percentDecode("abc%4", false), std::nullopt);
  EXPECT_EQ(percentDecode("%zz", false), std::nullopt);
  EXPECT_EQ(percentDecode("%4g", true), std::nullopt);
}

TEST(ParseForm, DecodesPairsInOrderAndSkipsBadPieces) {
  const auto form = parseForm("grant_type=client_credentials&scope=a+b%3Ac&&flag&bad=%zz&x=1");
  const HeaderList expected = {
      {"grant_type", "client_credentials"}, {"scope", "a b:c"}, {"flag", ""}, {"x", "1"}};
  EXPECT_EQ(form, expected);
  EXPECT_TRUE(parseForm("").empty());
}

TEST(Request, HeaderLookupIsCaseInsensitiveAndReturnsFirst) {
  Request request;
  request.headers = {{"Content-Type", "application/json"}, {"X-Dup", "one"}, {"x-dup", "two"}};
  EXPECT_EQ(request.header("content-type"), "application/json");
  EXPECT_EQ(request.header("CONTENT-TYPE"), "application/json");
  EXPECT_EQ(request.header("X-DUP"), "one");
  EXPECT_TRUE(request.header("Authorization").empty());
}

TEST(Request, QueryParamDecodesWithFormRules) {
  Request request;
  request.query = "offset=10&name=J%C3%B6rg+Smith&empty=&bad=%zz&bad=ok&limit=5&limit=6";
  EXPECT_EQ(request.queryParam("offset"), "10");
  EXPECT_EQ(request.queryParam("name"), "J\xC3\xB6rg Smith");
  EXPECT_EQ(request.queryParam("empty"), "");
  EXPECT_EQ(request.queryParam("limit"), "5");
  EXPECT_EQ(request.queryParam("bad"), "ok");
  EXPECT_EQ(request.queryParam("missing"), std::nullopt);
  EXPECT_EQ(request.queryParam("Offset"), std::nullopt);  // parameters are case-sensitive
}

TEST(Request, CookieParsesAllCookieHeaders) {
  Request request;
  request.headers = {{"Cookie", "theme=dark; kg_session=abc123 ;quoted=\"v 1\""},
                     {"cookie", "kg_csrf=xyz"}};
  EXPECT_EQ(request.cookie("kg_session"), "abc123");
  EXPECT_EQ(request.cookie("theme"), "dark");
  EXPECT_EQ(request.cookie("quoted"), "v 1");
  EXPECT_EQ(request.cookie("kg_csrf"), "xyz");
  EXPECT_EQ(request.cookie("kg"), std::nullopt);
  EXPECT_EQ(request.cookie("session"), std::nullopt);
}

TEST(Response, SetHeaderReplacesAndAddHeaderAppends) {
  Response response = Response::json(201, "{}");
  EXPECT_EQ(response.status, 201u);
  EXPECT_EQ(response.header("content-type"), "application/json");
  response.addHeader("Set-Cookie", "a=1");
  response.addHeader("Set-Cookie", "b=2");
  response.setHeader("content-type", "text/plain");
  int cookies = 0;
  int content_types = 0;
  for (const auto& [name, value] : response.headers) {
    if (name == "Set-Cookie") ++cookies;
    if (equalsIgnoreCase(name, "Content-Type")) ++content_types;
  }
  EXPECT_EQ(cookies, 2);
  EXPECT_EQ(content_types, 1);
  EXPECT_EQ(response.header("Content-Type"), "text/plain");

  const Response text = Response::text(200, "hi", "text/csv");
  EXPECT_EQ(text.body, "hi");
  EXPECT_EQ(text.header("Content-Type"), "text/csv");
}

}  // namespace
}  // namespace keygate::http
