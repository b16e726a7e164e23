// The web UI surface (DESIGN §5): the HTML pages and their embedded assets with strict
// security headers, the TOTP QR code rendered server-side, the UI's feature flags, and the
// demo mailbox. The pages are static; they talk to the JSON API under /api/v1 like any client.
#include <qrencode.h>

#include <algorithm>
#include <boost/json/serialize.hpp>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

#include "api/common.h"
#include "api/json_body.h"
#include "api/ui_internal.h"
#include "mail/outbox_mailer.h"
#include "mail/rfc5322.h"
#include "web/web_assets.h"

namespace keygate::api {
namespace ui {

void addSecurityHeaders(http::Response& response) {
  response.setHeader("Content-Security-Policy", std::string(kContentSecurityPolicy));
  response.setHeader("X-Content-Type-Options", "nosniff");
  response.setHeader("Referrer-Policy", "no-referrer");
  response.setHeader("X-Frame-Options", "DENY");
}

namespace {

// True when an If-None-Match value lists `etag` (or is "*"). Weak validators compare weakly,
// as RFC 9110 §13.1.2 asks for If-None-Match.
bool etagListed(std::string_view header, std::string_view etag) {
  while (!header.empty()) {
    const auto comma = header.find(',');
    auto item = header.substr(0, comma);
    while (!item.empty() && (item.front() == ' ' || item.front() == '\t')) item.remove_prefix(1);
    while (!item.empty() && (item.back() == ' ' || item.back() == '\t')) item.remove_suffix(1);
    if (item.starts_with("W/")) item.remove_prefix(2);
    if (item == "*" || item == etag) return true;
    if (comma == std::string_view::npos) break;
    header.remove_prefix(comma + 1);
  }
  return false;
}

}  // namespace

std::optional<http::Response> assetResponse(std::string_view asset_path,
                                            const http::Request& request) {
  const web::Asset* asset = web::findAsset(asset_path);
  if (!asset) return std::nullopt;
  http::Response response;
  // Asset URLs carry no version, so browsers revalidate every time; the ETag makes that a
  // cheap 304. Nothing static holds a secret, so caching is allowed at all.
  response.setHeader("Cache-Control", "no-cache");
  response.setHeader("ETag", std::string(asset->etag));
  addSecurityHeaders(response);
  auto if_none_match = request.header("If-None-Match");
  if (!if_none_match.empty() && etagListed(if_none_match, asset->etag)) {
    response.status = 304;
    return response;
  }
  response.status = 200;
  response.setHeader("Content-Type", std::string(asset->content_type));
  response.body = std::string(asset->body);
  return response;
}

std::optional<std::string> renderQrSvg(std::string_view text) {
  const std::string input(text);
  std::unique_ptr<QRcode, decltype(&QRcode_free)> code(
      QRcode_encodeString(input.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1), &QRcode_free);
  if (!code || code->width <= 0) return std::nullopt;
  constexpr int kQuietZone = 4;  // modules of white border required by ISO/IEC 18004
  constexpr int kPixelsPerModule = 6;
  const int width = code->width;
  const int size = width + 2 * kQuietZone;
  std::string svg;
  svg.reserve(static_cast<std::size_t>(width * width) * 8 + 256);
  const std::string px = std::to_string(size * kPixelsPerModule);
  svg += "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + std::to_string(size) + " " +
         std::to_string(size) + "\" width=\"" + px + "\" height=\"" + px +
         "\" shape-rendering=\"crispEdges\">";
  svg += "<rect width=\"" + std::to_string(size) + "\" height=\"" + std::to_string(size) +
         "\" fill=\"#ffffff\"/><path fill=\"#000000\" d=\"";
  for (int y = 0; y < width; ++y) {
    for (int x = 0; x < width; ++x) {
      // Bit 0 of each module byte is "dark"; the other bits describe the module's role.
      if (code->data[y * width + x] & 1) {
        svg += 'M';
        svg += std::to_string(x + kQuietZone);
        svg += ',';
        svg += std::to_string(y + kQuietZone);
        svg += "h1v1h-1z";
      }
    }
  }
  svg += "\"/></svg>";
  return svg;
}

namespace {

int base64Value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

std::optional<std::string> decodeBase64(std::string_view text) {
  std::string out;
  int bits = 0, buffer = 0;
  for (char c : text) {
    if (c == '=') break;
    const int v = base64Value(c);
    if (v < 0) return std::nullopt;
    buffer = (buffer << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buffer >> bits) & 0xff);
    }
  }
  return out;
}

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

std::optional<std::string> decodeQ(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '_') {
      out += ' ';
    } else if (text[i] == '=') {
      if (i + 2 >= text.size()) return std::nullopt;
      const int hi = hexValue(text[i + 1]), lo = hexValue(text[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

}  // namespace

std::string decodeHeaderWords(std::string_view text) {
  std::string out;
  bool previous_was_word = false;
  std::string pending_space;
  while (!text.empty()) {
    const auto start = text.find("=?");
    if (start == std::string_view::npos) break;
    // An encoded word is =?charset?encoding?text?= with no spaces inside.
    const auto q1 = text.find('?', start + 2);
    const auto q2 = q1 == std::string_view::npos ? q1 : text.find('?', q1 + 1);
    const auto end = q2 == std::string_view::npos ? q2 : text.find("?=", q2 + 1);
    if (end == std::string_view::npos) break;
    const auto charset = text.substr(start + 2, q1 - start - 2);
    const auto encoding = text.substr(q1 + 1, q2 - q1 - 1);
    const auto payload = text.substr(q2 + 1, end - q2 - 1);
    std::optional<std::string> decoded;
    if (payload.find(' ') == std::string_view::npos &&
        (http::equalsIgnoreCase(charset, "utf-8") || http::equalsIgnoreCase(charset, "us-ascii"))) {
      if (http::equalsIgnoreCase(encoding, "B")) decoded = decodeBase64(payload);
      if (http::equalsIgnoreCase(encoding, "Q")) decoded = decodeQ(payload);
    }
    const auto before = text.substr(0, start);
    const bool only_space =
        std::all_of(before.begin(), before.end(), [](char c) { return c == ' ' || c == '\t'; });
    // Whitespace between two adjacent encoded words is not part of the text (RFC 2047 §6.2).
    if (!(previous_was_word && only_space && decoded)) out += before;
    if (decoded) {
      out += *decoded;
    } else {
      out += text.substr(start, end + 2 - start);
    }
    previous_was_word = decoded.has_value();
    text.remove_prefix(end + 2);
  }
  out += text;
  return out;
}

std::optional<MailboxMessage> parseMailMessage(std::string_view raw) {
  auto separator = raw.find("\r\n\r\n");
  std::size_t separator_size = 4;
  if (separator == std::string_view::npos) {
    separator = raw.find("\n\n");
    separator_size = 2;
  }
  if (separator == std::string_view::npos) return std::nullopt;
  const auto head = raw.substr(0, separator);
  const auto body = raw.substr(separator + separator_size);

  // Unfold: a line starting with whitespace continues the previous header.
  std::vector<std::string> fields;
  std::size_t pos = 0;
  while (pos <= head.size()) {
    auto eol = head.find('\n', pos);
    auto line =
        head.substr(pos, eol == std::string_view::npos ? std::string_view::npos : eol - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!line.empty() && (line.front() == ' ' || line.front() == '\t') && !fields.empty()) {
      fields.back() += std::string(line);
    } else if (!line.empty()) {
      fields.emplace_back(line);
    }
    if (eol == std::string_view::npos) break;
    pos = eol + 1;
  }
  MailboxMessage message;
  for (const auto& field : fields) {
    const auto colon = field.find(':');
    if (colon == std::string::npos) continue;
    const std::string_view name(field.data(), colon);
    std::string_view value(field);
    value.remove_prefix(colon + 1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t'))
      value.remove_prefix(1);
    if (http::equalsIgnoreCase(name, "Date")) message.date = std::string(value);
    if (http::equalsIgnoreCase(name, "From")) message.from = decodeHeaderWords(value);
    if (http::equalsIgnoreCase(name, "To")) message.to = decodeHeaderWords(value);
    if (http::equalsIgnoreCase(name, "Subject")) message.subject = decodeHeaderWords(value);
  }
  message.body.reserve(body.size());
  for (char c : body)
    if (c != '\r') message.body += c;
  return message;
}

}  // namespace ui

namespace {

// Pages served at a path; all but sign-in need a session and otherwise redirect to it.
struct Page {
  std::string_view path;
  std::string_view asset;
  bool needs_session;
};

constexpr Page kPages[] = {
    {"/login", "pages/login.html", false},      {"/", "pages/home.html", true},
    {"/profile", "pages/profile.html", true},   {"/profile/security", "pages/security.html", true},
    {"/profile/keys", "pages/keys.html", true}, {"/admin", "pages/admin.html", true},
};
constexpr Page kMailboxPage{"/mailbox", "pages/mailbox.html", true};

constexpr std::size_t kMaxQrText = 512;
constexpr std::size_t kMailboxLimit = 50;
constexpr std::uintmax_t kMaxMessageBytes = 256 * 1024;

http::Response uiJson(unsigned status, const boost::json::value& body) {
  auto response = Handlers::json(status, body);  // no-store: mailbox bodies hold codes
  ui::addSecurityHeaders(response);
  return response;
}

http::Response uiError(Handlers& h, const core::Error& error, const http::Request& request) {
  auto response = h.error(error, request);
  ui::addSecurityHeaders(response);
  return response;
}

http::Response servePage(Handlers& h, const Page& page, http::Request& request) {
  if (page.needs_session) {
    auto actor = h.sessionActor(request);
    if (!actor) {
      http::Response redirect;
      redirect.status = 303;
      // Page paths are fixed ASCII, so they need no encoding inside the query.
      redirect.setHeader("Location", "/login?next=" + std::string(page.path));
      ui::addSecurityHeaders(redirect);
      return redirect;
    }
  }
  auto response = ui::assetResponse(page.asset, request);
  if (!response)
    return uiError(h,
                   core::makeError(core::Errc::kInternal, "missing page", std::string(page.asset)),
                   request);
  return std::move(*response);
}

// POST {"otpauthUri": "otpauth://totp/…"} → image/svg+xml. The URI holds the TOTP secret, so it
// travels in a POST body, never in a URL, and the picture is not stored by caches.
http::Response totpQr(Handlers& h, http::Request& request) {
  auto actor = h.sessionActor(request);
  if (!actor) return uiError(h, actor.error(), request);
  auto body = parseJsonObject(request);
  if (!body) return uiError(h, body.error(), request);
  auto uri = requiredString(*body, "otpauthUri");
  if (!uri) return uiError(h, uri.error(), request);
  if (!uri->starts_with("otpauth://totp/") || uri->size() > kMaxQrText)
    return uiError(h,
                   core::fieldError(core::Errc::kValidationFailed, "otpauthUri",
                                    "otpauthUri must be an otpauth://totp/ URI of at most 512 "
                                    "characters."),
                   request);
  auto svg = ui::renderQrSvg(*uri);
  if (!svg)
    return uiError(h, core::makeError(core::Errc::kInternal, "QR encoding failed"), request);
  auto response = http::Response::text(200, std::move(*svg), "image/svg+xml");
  response.setHeader("Cache-Control", "no-store");
  ui::addSecurityHeaders(response);
  return response;
}

http::Response features(Handlers& h, http::Request&) {
  return uiJson(200, boost::json::object{{"demoMailbox", !h.options.demo_outbox_dir.empty()}});
}

std::optional<std::string> readSmallFile(const std::filesystem::path& path) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec || size > kMaxMessageBytes) return std::nullopt;
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  if (!in && !in.eof()) return std::nullopt;
  return text.str();
}

// The signed-in account's messages in the demo outbox, newest first. Only messages addressed
// to the account's own email are listed, so one demo user cannot read another's codes.
http::Response mailboxMessages(Handlers& h, http::Request& request) {
  auto actor = h.sessionActor(request);
  if (!actor) return uiError(h, actor.error(), request);
  const auto files = mail::OutboxMailer::listOutbox(h.options.demo_outbox_dir);
  boost::json::array messages;
  for (auto it = files.rbegin(); it != files.rend() && messages.size() < kMailboxLimit; ++it) {
    auto raw = readSmallFile(*it);
    if (!raw) continue;
    auto message = ui::parseMailMessage(*raw);
    if (!message) continue;
    if (!http::equalsIgnoreCase(mail::envelopeAddress(message->to), actor->user.email)) continue;
    messages.push_back(boost::json::object{{"id", it->filename().string()},
                                           {"date", message->date},
                                           {"from", message->from},
                                           {"to", message->to},
                                           {"subject", message->subject},
                                           {"body", message->body}});
  }
  return uiJson(
      200, boost::json::object{{"address", actor->user.email}, {"messages", std::move(messages)}});
}

void addPage(http::Router& router, const HandlersPtr& h, const Page& page) {
  router.add("GET", std::string(page.path),
             [h, &page](http::Request& request) { return servePage(*h, page, request); });
}

}  // namespace

void registerUiRoutes(http::Router& router, const HandlersPtr& h) {
  for (const auto& page : kPages) addPage(router, h, page);
  for (const auto& asset : web::embeddedAssets()) {
    if (!asset.path.starts_with("assets/")) continue;
    const std::string asset_path(asset.path);
    router.add("GET", "/" + asset_path, [h, asset_path](http::Request& request) {
      auto response = ui::assetResponse(asset_path, request);
      if (!response)
        return uiError(*h, core::makeError(core::Errc::kNotFound, "No such asset."), request);
      return std::move(*response);
    });
  }
  route(router, "POST", "/ui/totp-qr", h, totpQr);
  route(router, "GET", "/ui/features", h, features);
  // The demo mailbox exists only on a demo server that writes mail to the outbox.
  if (!h->options.demo_outbox_dir.empty()) {
    addPage(router, h, kMailboxPage);
    route(router, "GET", "/ui/mailbox/messages", h, mailboxMessages);
  }
}

}  // namespace keygate::api
