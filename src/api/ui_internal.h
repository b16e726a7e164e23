// Pieces of the web UI surface (ui_routes.cpp) that are pure functions, declared here so unit
// tests reach them without a socket. Internal to api/.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "http/request.h"
#include "http/response.h"

namespace keygate::api::ui {

// Sent on every UI response: no inline script or style may run, nothing may frame the pages.
inline constexpr std::string_view kContentSecurityPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

// Content-Security-Policy, X-Content-Type-Options, Referrer-Policy, X-Frame-Options.
void addSecurityHeaders(http::Response& response);

// The embedded asset at `asset_path` ("pages/keys.html") as a response: 200 with the bytes,
// or 304 when the request's If-None-Match names its ETag. nullopt when no such asset exists.
std::optional<http::Response> assetResponse(std::string_view asset_path,
                                            const http::Request& request);

// A QR code of `text` (byte mode, error correction M) as a standalone SVG document: one path
// of unit squares plus a 4-module quiet zone, no style attributes (the CSP forbids them).
// nullopt when libqrencode cannot encode the text.
std::optional<std::string> renderQrSvg(std::string_view text);

// One message of the mail outbox, decoded enough to show on the demo mailbox page.
struct MailboxMessage {
  std::string date;
  std::string from;
  std::string to;
  std::string subject;  // RFC 2047 encoded-words decoded
  std::string body;     // line endings normalized to \n
};

// Parses an RFC 5322 message as written by mail::renderMessage (8bit UTF-8 text body).
// nullopt when there is no header/body separator.
std::optional<MailboxMessage> parseMailMessage(std::string_view raw);

// Decodes RFC 2047 "=?UTF-8?B?…?=" / "=?UTF-8?Q?…?=" words; other text is kept as it is.
std::string decodeHeaderWords(std::string_view text);

}  // namespace keygate::api::ui
