// Bearer-token verification, the work done for every Supplier API and RaaS call:
//   BM_TokenDecode        TokenCodec::decode alone (base64url, HMAC-SHA256, constant-time
//                         compare, claim parsing);
//   BM_BearerVerify       TokenService::verify of one valid token (decode, expiry, status-view
//                         lookup), with the token's credential alone in the view and among
//                         1,000,000 synthetic credentials;
//   BM_BearerVerifySpread verify over 4,096 valid tokens of credentials spread across the
//                         1,000,000-credential view, so the lookup misses the CPU caches the
//                         way it does when many clients call.
#include <benchmark/benchmark.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "environment.h"

namespace keygate::bench {
namespace {

constexpr std::int64_t kSyntheticCredentials = 1'000'000;
constexpr std::size_t kSpreadTokens = 4096;  // a power of two: the loop indexes with a mask

// A status view with the environment's real credential and 1,000,000 synthetic ones (ids
// following it, as the database assigns them), and a TokenService reading it. Built once, on
// first use, so runs filtered to other benchmarks do not pay for it.
struct LargeView {
  services::CredentialStatusView view;
  std::unique_ptr<services::TokenService> tokens;
  std::vector<std::string> spread_tokens;
};

LargeView& largeView() {
  static const std::unique_ptr<LargeView> large = [] {
    auto& env = Environment::get();
    auto out = std::make_unique<LargeView>();
    out->view.put(env.credential);
    core::Credential synthetic;
    synthetic.status = core::CredentialStatus::kActive;
    for (std::int64_t i = 1; i <= kSyntheticCredentials; ++i) {
      synthetic.id = env.credential.id + i;
      synthetic.user_id = 1000 + i % 5000;
      synthetic.org_id = 10 + i % 300;
      synthetic.expires_at = Environment::kNow + 30 * core::kSecondsPerDay + i % 86400;
      out->view.put(synthetic);
    }
    require(out->view.size() == static_cast<std::size_t>(kSyntheticCredentials) + 1,
            "the large status view does not hold 1,000,001 credentials");
    out->tokens = std::make_unique<services::TokenService>(
        *env.store, env.clock, env.random, env.keyring, *env.events, out->view, env.settings);
    // Tokens minted by the real codec under the real token key, as TokenService::issue does.
    const services::TokenCodec codec(env.keyring, env.random);
    std::mt19937_64 pick(20260921);  // fixed seed: the same spread in every run
    std::uniform_int_distribution<std::int64_t> which(1, kSyntheticCredentials);
    out->spread_tokens.reserve(kSpreadTokens);
    for (std::size_t i = 0; i < kSpreadTokens; ++i) {
      const core::Id id = env.credential.id + which(pick);
      const auto state = out->view.find(id);
      require(state.has_value(), "a synthetic credential is missing from the view");
      // The same user and organization as the synthetic credential was given above.
      services::TokenClaims claims{id,
                                   1000 + (id - env.credential.id) % 5000,
                                   10 + (id - env.credential.id) % 300,
                                   env.credential.scopes,
                                   Environment::kNow,
                                   Environment::kNow + env.settings.token_ttl};
      out->spread_tokens.push_back(codec.encode(claims));
    }
    return out;
  }();
  return *large;
}

void BM_TokenDecode(benchmark::State& state) {
  auto& env = Environment::get();
  const services::TokenCodec codec(env.keyring, env.random);
  const std::string& token = env.access_token;
  auto once = codec.decode(token);
  require(once && once->credential_id == env.credential.id,
          "TokenCodec::decode rejects the token TokenService::issue returned");
  for (auto _ : state) {
    auto claims = codec.decode(token);
    benchmark::DoNotOptimize(claims);
  }
}
BENCHMARK(BM_TokenDecode);

void BM_BearerVerify(benchmark::State& state) {
  auto& env = Environment::get();
  const services::TokenService& tokens = state.range(0) == 0 ? *env.tokens : *largeView().tokens;
  const std::string& token = env.access_token;
  auto once = tokens.verify(token);
  require(once && once->credential_id == env.credential.id && once->user_id == env.holder.user.id,
          "TokenService::verify rejects a freshly issued token, or returns the wrong claims");
  for (auto _ : state) {
    auto claims = tokens.verify(token);
    benchmark::DoNotOptimize(claims);
  }
}
BENCHMARK(BM_BearerVerify)->ArgName("synthetic_credentials")->Arg(0)->Arg(kSyntheticCredentials);

void BM_BearerVerifySpread(benchmark::State& state) {
  auto& large = largeView();
  const services::TokenService& tokens = *large.tokens;
  for (const auto& token : large.spread_tokens)
    require(static_cast<bool>(tokens.verify(token)),
            "TokenService::verify rejects a token of a synthetic credential");
  std::size_t next = 0;
  for (auto _ : state) {
    auto claims = tokens.verify(large.spread_tokens[next++ & (kSpreadTokens - 1)]);
    benchmark::DoNotOptimize(claims);
  }
}
BENCHMARK(BM_BearerVerifySpread);

}  // namespace
}  // namespace keygate::bench
