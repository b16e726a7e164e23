// Rendering a Message as an RFC 5322 / MIME text message (UTF-8 plain text, CRLF line
// endings), shared by the outbox and SMTP transports. Pure: no I/O.
#pragma once

#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/error.h"
#include "mail/mailer.h"

namespace keygate::mail {

// The whole message: Date, From, To, Subject, Message-ID and MIME headers, a blank line, and
// the body with every line ending normalized to CRLF. `message_id` is the bare id
// ("left@right"); it is rendered in angle brackets. Fails with kValidationFailed (field set)
// when from/to/subject/message_id would break out of their header (CR, LF or NUL) or when
// from/to is empty.
core::Result<std::string> renderMessage(const Message& message, core::Seconds date,
                                        std::string_view message_id);

// "Thu, 26 Nov 2025 19:04:00 +0000" (always UTC).
std::string formatRfc5322Date(core::Seconds t);

// Header text as is when it is ASCII, else RFC 2047 "=?UTF-8?B?…?=" encoded-words (each at
// most 75 characters, never splitting a UTF-8 sequence), folded with CRLF SP.
std::string encodeHeaderText(std::string_view text);

// The addr-spec of a mailbox: "Keygate <no-reply@example.com>" → "no-reply@example.com";
// a bare address is returned trimmed. Used for the SMTP envelope.
std::string envelopeAddress(std::string_view mailbox);

// A fresh message id "<YYYYMMDDTHHMMSSZ>.<16 hex>@<domain of from>" (bare, no brackets).
std::string newMessageId(core::Seconds date, core::Random& random, std::string_view from);

// "YYYYMMDDTHHMMSSZ" (UTC), sortable: outbox file names and message ids.
std::string formatCompactUtc(core::Seconds t);

// `bytes` random bytes as lowercase hex.
std::string randomHex(core::Random& random, std::size_t bytes);

}  // namespace keygate::mail
