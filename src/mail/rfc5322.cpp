// RFC 5322 message rendering (see rfc5322.h).
#include "mail/rfc5322.h"

#include <fmt/format.h>

#include <array>
#include <chrono>
#include <vector>

namespace keygate::mail {
namespace {

constexpr std::string_view kCrlf = "\r\n";
// 45 raw bytes become 60 base64 characters; with "=?UTF-8?B?" and "?=" a word stays under the
// 75-character limit of RFC 2047.
constexpr std::size_t kEncodedWordRawBytes = 45;

bool isAscii(std::string_view text) {
  for (unsigned char c : text)
    if (c >= 0x80) return false;
  return true;
}

bool breaksHeader(std::string_view text) {
  return text.find_first_of(std::string_view("\r\n\0", 3)) != std::string_view::npos;
}

std::string base64(std::string_view raw) {
  static constexpr std::string_view kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((raw.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 3 <= raw.size(); i += 3) {
    std::uint32_t v = (static_cast<unsigned char>(raw[i]) << 16) |
                      (static_cast<unsigned char>(raw[i + 1]) << 8) |
                      static_cast<unsigned char>(raw[i + 2]);
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    out += kAlphabet[v & 63];
  }
  if (std::size_t rest = raw.size() - i; rest > 0) {
    std::uint32_t v = static_cast<std::uint32_t>(static_cast<unsigned char>(raw[i]) << 16);
    if (rest == 2) v |= static_cast<std::uint32_t>(static_cast<unsigned char>(raw[i + 1]) << 8);
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += rest == 2 ? kAlphabet[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// A mailbox with a non-ASCII display name gets the name encoded; the address stays as is.
std::string encodeMailbox(std::string_view mailbox) {
  auto open = mailbox.rfind('<');
  if (isAscii(mailbox) || open == std::string_view::npos) return std::string(mailbox);
  auto name = trim(mailbox.substr(0, open));
  if (name.size() >= 2 && name.front() == '"' && name.back() == '"')
    name = name.substr(1, name.size() - 2);
  return encodeHeaderText(name) + " " + std::string(mailbox.substr(open));
}

std::string normalizeBody(std::string_view body) {
  std::string out;
  out.reserve(body.size() + body.size() / 32 + 2);
  for (std::size_t i = 0; i < body.size(); ++i) {
    char c = body[i];
    if (c == '\r') {
      if (i + 1 < body.size() && body[i + 1] == '\n') ++i;
      out += kCrlf;
    } else if (c == '\n') {
      out += kCrlf;
    } else {
      out += c;
    }
  }
  if (!out.empty() && !out.ends_with(kCrlf)) out += kCrlf;
  return out;
}

struct UtcParts {
  int year;
  unsigned month, day, weekday;
  long hour, minute, second;
};

UtcParts utcParts(core::Seconds t) {
  using namespace std::chrono;
  sys_seconds tp{seconds{t}};
  auto day = floor<days>(tp);
  year_month_day ymd{day};
  hh_mm_ss hms{tp - day};
  return UtcParts{static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()),
                  static_cast<unsigned>(ymd.day()),
                  weekday{day}.c_encoding(),
                  static_cast<long>(hms.hours().count()),
                  static_cast<long>(hms.minutes().count()),
                  static_cast<long>(hms.seconds().count())};
}

}  // namespace

std::string formatRfc5322Date(core::Seconds t) {
  static constexpr std::array<std::string_view, 7> kDays = {"Sun", "Mon", "Tue", "Wed",
                                                            "Thu", "Fri", "Sat"};
  static constexpr std::array<std::string_view, 12> kMonths = {
      "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  auto p = utcParts(t);
  return fmt::format("{}, {:02} {} {:04} {:02}:{:02}:{:02} +0000", kDays[p.weekday], p.day,
                     kMonths[p.month - 1], p.year, p.hour, p.minute, p.second);
}

std::string formatCompactUtc(core::Seconds t) {
  auto p = utcParts(t);
  return fmt::format("{:04}{:02}{:02}T{:02}{:02}{:02}Z", p.year, p.month, p.day, p.hour, p.minute,
                     p.second);
}

std::string encodeHeaderText(std::string_view text) {
  if (isAscii(text)) return std::string(text);
  std::string out;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = std::min(text.size(), start + kEncodedWordRawBytes);
    // Back off to a character boundary: continuation bytes look like 10xxxxxx.
    while (end < text.size() && end > start + 1 &&
           (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80)
      --end;
    if (!out.empty()) out += "\r\n ";
    out += "=?UTF-8?B?" + base64(text.substr(start, end - start)) + "?=";
    start = end;
  }
  return out;
}

std::string envelopeAddress(std::string_view mailbox) {
  auto open = mailbox.rfind('<');
  auto close = mailbox.rfind('>');
  if (open != std::string_view::npos && close != std::string_view::npos && close > open)
    return std::string(trim(mailbox.substr(open + 1, close - open - 1)));
  return std::string(trim(mailbox));
}

std::string randomHex(core::Random& random, std::size_t bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::vector<std::byte> raw(bytes);
  random.fill(raw);
  std::string out;
  out.reserve(bytes * 2);
  for (auto b : raw) {
    auto v = std::to_integer<unsigned>(b);
    out += kHex[v >> 4];
    out += kHex[v & 0x0f];
  }
  return out;
}

std::string newMessageId(core::Seconds date, core::Random& random, std::string_view from) {
  auto address = envelopeAddress(from);
  auto at = address.rfind('@');
  std::string domain = at == std::string::npos || at + 1 == address.size()
                           ? std::string("keygate.invalid")
                           : address.substr(at + 1);
  return formatCompactUtc(date) + "." + randomHex(random, 8) + "@" + domain;
}

core::Result<std::string> renderMessage(const Message& message, core::Seconds date,
                                        std::string_view message_id) {
  struct Field {
    std::string_view name, value;
  };
  for (auto [name, value] : {Field{"from", message.from}, Field{"to", message.to},
                             Field{"subject", message.subject}, Field{"messageId", message_id}}) {
    if (breaksHeader(value))
      return core::fieldError(core::Errc::kValidationFailed, std::string(name),
                              "must not contain line breaks");
  }
  if (trim(message.from).empty())
    return core::fieldError(core::Errc::kValidationFailed, "from", "is required");
  if (trim(message.to).empty())
    return core::fieldError(core::Errc::kValidationFailed, "to", "is required");
  if (message_id.empty() || message_id.find_first_of("<> ") != std::string_view::npos)
    return core::fieldError(core::Errc::kValidationFailed, "messageId",
                            "must be a bare id without brackets or spaces");

  std::string out;
  out.reserve(512 + message.text_body.size());
  auto header = [&out](std::string_view name, std::string_view value) {
    out.append(name).append(": ").append(value).append(kCrlf);
  };
  header("Date", formatRfc5322Date(date));
  header("From", encodeMailbox(message.from));
  header("To", encodeMailbox(message.to));
  header("Subject", encodeHeaderText(message.subject));
  header("Message-ID", "<" + std::string(message_id) + ">");
  header("MIME-Version", "1.0");
  header("Content-Type", "text/plain; charset=utf-8");
  header("Content-Transfer-Encoding", "8bit");
  out += kCrlf;
  out += normalizeBody(message.text_body);
  return out;
}

}  // namespace keygate::mail
