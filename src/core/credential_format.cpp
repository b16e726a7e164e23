#include "core/credential_format.h"

#include <boost/crc.hpp>
#include <cstdint>

namespace keygate::core {
namespace {

constexpr std::string_view kAlphabet =
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

std::string checksum(std::string_view text) {
  boost::crc_32_type crc;
  crc.process_bytes(text.data(), text.size());
  std::uint32_t value = crc.checksum();
  std::string out(kChecksumLength, '0');
  for (std::size_t i = kChecksumLength; i-- > 0;) {
    out[i] = kAlphabet[value % 62];
    value /= 62;
  }
  return out;
}

bool isBase62(char c) {
  return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

std::string generate(Random& random, std::string_view prefix, std::size_t body_length) {
  std::string value(prefix);
  value += randomBase62(random, body_length);
  value += checksum(value);
  return value;
}

}  // namespace

std::string randomBase62(Random& random, std::size_t length) {
  std::string out;
  out.reserve(length);
  for (std::size_t i = 0; i < length; ++i) out.push_back(kAlphabet[random.uniform(62)]);
  return out;
}

std::string generateClientKey(Random& random) {
  return generate(random, kClientKeyPrefix, kClientKeyBodyLength);
}

std::string generateClientSecret(Random& random) {
  return generate(random, kClientSecretPrefix, kClientSecretBodyLength);
}

bool hasValidChecksum(std::string_view value, std::string_view prefix, std::size_t body_length) {
  if (value.size() != prefix.size() + body_length + kChecksumLength) return false;
  if (!value.starts_with(prefix)) return false;
  for (char c : value.substr(prefix.size()))
    if (!isBase62(c)) return false;
  const auto head = value.substr(0, prefix.size() + body_length);
  return checksum(head) == value.substr(head.size());
}

std::string maskClientKey(std::string_view client_key) {
  if (client_key.size() < 13) return std::string(client_key.size(), '*');
  std::string out(client_key.substr(0, 9));
  out += "••••••••";
  out += client_key.substr(client_key.size() - 4);
  return out;
}

}  // namespace keygate::core
