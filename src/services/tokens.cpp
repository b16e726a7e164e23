#include "services/tokens.h"

#include <array>
#include <cstring>

#include "core/credential_format.h"
#include "core/scopes.h"
#include "crypto/crypto.h"

namespace keygate::services {
namespace {

constexpr std::string_view kTokenPrefix = "kgat_";
constexpr std::uint8_t kTokenVersion = 1;
// version(1) credential(8) user(8) org(8) scopes(4) issued(8) expires(8) nonce(8)
constexpr std::size_t kPayloadSize = 1 + 8 + 8 + 8 + 4 + 8 + 8 + 8;
constexpr std::size_t kMacSize = 32;

void putU64(std::string& out, std::uint64_t v) {
  for (int i = 7; i >= 0; --i) out.push_back(static_cast<char>((v >> (i * 8)) & 0xff));
}
void putU32(std::string& out, std::uint32_t v) {
  for (int i = 3; i >= 0; --i) out.push_back(static_cast<char>((v >> (i * 8)) & 0xff));
}
std::uint64_t getU64(std::string_view in, std::size_t at) {
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < 8; ++i) v = (v << 8) | static_cast<std::uint8_t>(in[at + i]);
  return v;
}
std::uint32_t getU32(std::string_view in, std::size_t at) {
  std::uint32_t v = 0;
  for (std::size_t i = 0; i < 4; ++i) v = (v << 8) | static_cast<std::uint8_t>(in[at + i]);
  return v;
}

core::Error invalidToken() {
  return core::makeError(core::Errc::kUnauthenticated,
                         "The access token is missing, invalid or expired.");
}

}  // namespace

std::string TokenCodec::encode(const TokenClaims& c) const {
  std::string payload;
  payload.reserve(kPayloadSize + kMacSize);
  payload.push_back(static_cast<char>(kTokenVersion));
  putU64(payload, static_cast<std::uint64_t>(c.credential_id));
  putU64(payload, static_cast<std::uint64_t>(c.user_id));
  putU64(payload, static_cast<std::uint64_t>(c.org_id));
  putU32(payload, c.scopes);
  putU64(payload, static_cast<std::uint64_t>(c.issued_at));
  putU64(payload, static_cast<std::uint64_t>(c.expires_at));
  std::array<std::byte, 8> nonce{};
  random_.fill(nonce);
  payload.append(reinterpret_cast<const char*>(nonce.data()), nonce.size());
  payload += keyring_.tokenMac(payload);
  return std::string(kTokenPrefix) + crypto::base64UrlEncode(payload);
}

core::Result<TokenClaims> TokenCodec::decode(std::string_view token) const {
  if (!token.starts_with(kTokenPrefix)) return invalidToken();
  auto raw = crypto::base64UrlDecode(token.substr(kTokenPrefix.size()));
  if (!raw || raw->size() != kPayloadSize + kMacSize) return invalidToken();
  const std::string_view bytes(*raw);
  const auto payload = bytes.substr(0, kPayloadSize);
  if (!keyring_.verifyTokenMac(payload, bytes.substr(kPayloadSize))) return invalidToken();
  if (static_cast<std::uint8_t>(payload[0]) != kTokenVersion) return invalidToken();
  TokenClaims c;
  c.credential_id = static_cast<core::Id>(getU64(payload, 1));
  c.user_id = static_cast<core::Id>(getU64(payload, 9));
  c.org_id = static_cast<core::Id>(getU64(payload, 17));
  c.scopes = getU32(payload, 25);
  c.issued_at = static_cast<core::Seconds>(getU64(payload, 29));
  c.expires_at = static_cast<core::Seconds>(getU64(payload, 37));
  return c;
}

TokenService::TokenService(storage::Store& store, const core::Clock& clock, core::Random& random,
                           const crypto::Keyring& keyring, const EventLog& events,
                           CredentialStatusView& status_view, const Settings& settings)
    : store_(store),
      clock_(clock),
      keyring_(keyring),
      events_(events),
      status_view_(status_view),
      settings_(settings),
      codec_(keyring, random),
      by_credential_(clock, settings.token_max_failures, settings.token_window),
      by_ip_(clock, settings.token_max_failures_per_ip, settings.token_window) {}

core::Error TokenService::rejected() const {
  return core::makeError(core::Errc::kUnauthenticated,
                         "The credentials are invalid, or the key is inactive or expired.");
}

core::Result<IssuedToken> TokenService::issue(core::Id credential_key, std::string_view client_key,
                                              std::string_view client_secret,
                                              const core::RequestContext& context) {
  return issueFor(
      "credential:" + std::to_string(credential_key), client_key, client_secret, context,
      [&](storage::Repositories& repos) { return repos.credentials.findById(credential_key); });
}

core::Result<IssuedToken> TokenService::issueForClientKey(std::string_view client_key,
                                                          std::string_view client_secret,
                                                          const core::RequestContext& context) {
  const std::string key(client_key.substr(0, 128));
  return issueFor(
      "client:" + key, client_key, client_secret, context,
      [&](storage::Repositories& repos) { return repos.credentials.findByClientKey(key); });
}

core::Result<IssuedToken> TokenService::issueFor(
    const std::string& credential_throttle_key, std::string_view client_key,
    std::string_view client_secret, const core::RequestContext& context,
    const std::function<core::Result<std::optional<core::Credential>>(storage::Repositories&)>&
        find) {
  const std::string ip_throttle_key = context.ip;
  auto blocked = by_ip_.blockedFor(ip_throttle_key);
  if (!blocked) blocked = by_credential_.blockedFor(credential_throttle_key);
  if (blocked) {
    core::Error e = core::makeError(core::Errc::kRateLimited,
                                    "Too many failed token requests. Try again later.");
    e.retry_after_seconds = *blocked;
    return e;
  }
  auto fail = [&]() {
    by_credential_.recordFailure(credential_throttle_key);
    by_ip_.recordFailure(ip_throttle_key);
    return rejected();
  };
  // Typos are caught offline, before any database read.
  if (!core::isWellFormedClientKey(client_key) || !core::isWellFormedClientSecret(client_secret))
    return fail();

  const core::Seconds now = clock_.now();
  std::optional<core::Credential> credential;
  KG_TRY(store_.read([&](storage::Repositories& repos) -> core::Status {
    KG_ASSIGN_OR_RETURN(credential, find(repos));
    return core::ok();
  }));
  // Evaluate both comparisons whatever the first one says, to keep timing uniform.
  const bool key_ok = credential && crypto::constantTimeEquals(credential->client_key, client_key);
  const bool secret_ok =
      credential && keyring_.verifySecret(client_secret, credential->secret_hash);
  if (!key_ok || !secret_ok || !credential->isUsable(now)) return fail();

  TokenClaims claims{credential->id,
                     credential->user_id,
                     credential->org_id,
                     credential->scopes,
                     now,
                     std::min(now + settings_.token_ttl, credential->expires_at)};
  IssuedToken issued;
  issued.access_token = codec_.encode(claims);
  issued.expires_in = claims.expires_at - now;
  issued.scopes = claims.scopes;
  issued.claims = claims;

  KG_TRY(store_.write([&](storage::Repositories& repos) -> core::Status {
    KG_ASSIGN_OR_RETURN(auto current, repos.credentials.findById(credential->id));
    if (!current || !current->isUsable(now)) return rejected();
    current->last_used_at = now;
    KG_TRY(repos.credentials.update(*current));
    core::Event event;
    event.type = "token.issued";
    event.org_id = current->org_id;
    event.actor_user_id = current->user_id;
    event.credential_id = current->id;
    event.ip = context.ip;
    event.user_agent = context.user_agent;
    event.details = EventDetails().add("expiresIn", issued.expires_in).str();
    return events_.append(repos, std::move(event));
  }));
  by_credential_.reset(credential_throttle_key);
  return issued;
}

core::Result<TokenClaims> TokenService::verify(std::string_view token) const {
  KG_ASSIGN_OR_RETURN(auto claims, codec_.decode(token));
  const core::Seconds now = clock_.now();
  if (now >= claims.expires_at) return invalidToken();
  const auto state = status_view_.find(claims.credential_id);
  if (!state || !state->usableAt(now)) return invalidToken();
  claims.key_expires_at = state->expires_at;
  return claims;
}

}  // namespace keygate::services
