// Client Secret and view-code checks:
//   BM_SecretChecksum  the offline wire-format check of a Client Secret (prefix, length, base62,
//                      CRC32 tail), run before any database read at token issuance;
//   BM_SecretHashCheck Keyring::verifySecret, the keyed hash (HMAC-SHA256 under the pepper) of
//                      a presented Client Secret and its constant-time comparison with the
//                      stored hash — the call TokenService::issue makes;
//   BM_ViewCodeCheck   an 8-digit view code checked as KeyService::reveal does: the keyed code
//                      hash of "viewcode:v1:<credential>:<code>" and a constant-time comparison
//                      with the stored hash. KeyService keeps that hash private, so the message
//                      is built here the same way; the set-up check compares the result with
//                      the hash KeyService stored, so a drift fails loudly.
#include <benchmark/benchmark.h>

#include <string>

#include "core/credential_format.h"
#include "crypto/crypto.h"
#include "environment.h"

namespace keygate::bench {
namespace {

void BM_SecretChecksum(benchmark::State& state) {
  auto& env = Environment::get();
  const std::string& secret = env.client_secret;
  std::string typo = secret;
  typo[10] = typo[10] == 'a' ? 'b' : 'a';
  require(core::isWellFormedClientSecret(secret) && !core::isWellFormedClientSecret(typo),
          "the Client Secret checksum accepts a typo or rejects a generated secret");
  for (auto _ : state) {
    bool ok = core::isWellFormedClientSecret(secret);
    benchmark::DoNotOptimize(ok);
  }
}
BENCHMARK(BM_SecretChecksum);

void BM_SecretHashCheck(benchmark::State& state) {
  auto& env = Environment::get();
  const std::string& secret = env.client_secret;
  const std::string& stored = env.credential.secret_hash;
  require(
      env.keyring.verifySecret(secret, stored) && !env.keyring.verifySecret(secret + "x", stored),
      "Keyring::verifySecret does not match the stored hash of the generated secret");
  for (auto _ : state) {
    bool ok = env.keyring.verifySecret(secret, stored);
    benchmark::DoNotOptimize(ok);
  }
}
BENCHMARK(BM_SecretHashCheck);

// KeyService::viewCodeHash plus the comparison in KeyService::reveal.
bool viewCodeMatches(const crypto::Keyring& keyring, core::Id credential_id,
                     const std::string& code, const std::string& stored_hash) {
  const std::string hash =
      keyring.codeHash("viewcode:v1:" + std::to_string(credential_id) + ":" + std::string(code));
  return crypto::constantTimeEquals(hash, stored_hash);
}

void BM_ViewCodeCheck(benchmark::State& state) {
  auto& env = Environment::get();
  const core::Id id = env.credential.id;
  const std::string& code = env.view_code;
  const std::string& stored = env.view_code_hash;
  std::string wrong = code;
  wrong[0] = wrong[0] == '0' ? '1' : '0';
  require(viewCodeMatches(env.keyring, id, code, stored) &&
              !viewCodeMatches(env.keyring, id, wrong, stored),
          "the view-code check here no longer matches the hash KeyService stores");
  for (auto _ : state) {
    bool ok = viewCodeMatches(env.keyring, id, code, stored);
    benchmark::DoNotOptimize(ok);
  }
}
BENCHMARK(BM_ViewCodeCheck);

}  // namespace
}  // namespace keygate::bench
