// Domain types shared by every layer (DESIGN §1, §2). Plain values, no I/O.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"

namespace keygate::core {

using Id = std::int64_t;

enum class OrgType { kClient, kSupplier, kMsp };
enum class LoginMethod { kBasic, kTwoFactor, kSso };
enum class ApiTier { kCore, kProfessional, kEnterprise, kUnlimited };
enum class Role { kClientManager, kSupplierUser, kMspAdmin, kOrgAdmin };

std::string_view toString(OrgType v);
std::string_view toString(LoginMethod v);
std::string_view toString(ApiTier v);
std::string_view toString(Role v);
std::optional<OrgType> parseOrgType(std::string_view s);
std::optional<LoginMethod> parseLoginMethod(std::string_view s);
std::optional<ApiTier> parseApiTier(std::string_view s);
std::optional<Role> parseRole(std::string_view s);

// Calls per UTC day; nullopt for unlimited.
std::optional<std::int64_t> dailyQuota(ApiTier tier);
bool isAllowedKeyLifetime(int days);   // 30, 60, 90 or 180
int defaultKeyLifetime(OrgType type);  // 90 for clients, 180 otherwise

// Permission bits of a user account.
enum Permission : std::uint32_t {
  kPermRaas = 1u << 0,         // may hold API keys
  kPermReportAdmin = 1u << 1,  // sees all records of the organization
};

struct Organization {
  Id id = 0;
  std::string name;
  OrgType type = OrgType::kClient;
  LoginMethod login_method = LoginMethod::kBasic;
  int key_lifetime_days = 90;
  ApiTier api_tier = ApiTier::kCore;
  Seconds created_at = 0;
};

struct User {
  Id id = 0;
  Id org_id = 0;
  std::string username;  // unique across the installation; used to sign in
  std::string email;
  std::string display_name;
  Role role = Role::kSupplierUser;
  std::uint32_t permissions = kPermRaas;
  std::string password_hash;           // argon2id string (libsodium crypto_pwhash_str)
  std::string totp_secret_encrypted;   // AEAD ciphertext of the confirmed TOTP secret, or empty
  std::string totp_pending_encrypted;  // AEAD ciphertext of a secret awaiting confirmation
  std::optional<Id> link_group;        // accounts sharing a link group belong to one person
  bool disabled = false;
  Seconds created_at = 0;

  bool hasPermission(Permission p) const { return (permissions & p) != 0; }
  bool totpEnabled() const { return !totp_secret_encrypted.empty(); }
};

enum class CredentialStatus { kActive, kInactive };

struct Credential {
  Id id = 0;  // the Credential Key
  Id user_id = 0;
  Id org_id = 0;
  std::string name;
  std::string client_key;        // kgck_…, not secret, shown masked
  std::string secret_hash;       // keyed hash of the Client Secret, algorithm-tagged
  std::string secret_encrypted;  // AEAD copy of the Client Secret, key-id-tagged
  std::uint32_t scopes = 0;      // Scope bits
  Seconds created_at = 0;
  Seconds expires_at = 0;
  CredentialStatus status = CredentialStatus::kActive;
  std::optional<Seconds> inactivated_at;
  std::optional<Id> inactivated_by;
  std::optional<Seconds> last_used_at;
  std::optional<Seconds> shortened_at;  // set when rotation moved expires_at earlier
  bool expiry_recorded = false;         // the key.expired event has been written
  std::uint32_t reminders_sent = 0;     // bit i: the i-th expiry reminder was mailed

  bool isExpired(Seconds now) const { return now >= expires_at; }
  bool isUsable(Seconds now) const {
    return status == CredentialStatus::kActive && !isExpired(now);
  }
};

enum class ViewCodeState { kActive, kUsed, kBurned, kSuperseded };

struct ViewCode {
  Id id = 0;
  Id credential_id = 0;
  Id user_id = 0;
  std::string code_hash;  // keyed hash; the code itself is never stored
  Seconds created_at = 0;
  Seconds expires_at = 0;
  int tries_left = 5;
  ViewCodeState state = ViewCodeState::kActive;
};

struct Session {
  std::string id_hash;   // keyed hash of the session cookie value
  Id user_id = 0;        // the account currently acted as (may be a linked account)
  Id login_user_id = 0;  // the account that signed in
  std::string csrf_token;
  Seconds created_at = 0;
  Seconds last_seen_at = 0;
  Seconds absolute_expires_at = 0;
  bool totp_verified = false;
  std::string ip;
  std::string user_agent;
};

// One row of the append-only, hash-chained event log (DESIGN §2.6).
struct Event {
  Id seq = 0;  // assigned on append, strictly increasing
  Seconds at = 0;
  std::string type;  // e.g. "key.generated", "key.revealed"
  std::optional<Id> org_id;
  std::optional<Id> actor_user_id;
  std::optional<Id> credential_id;
  std::string ip;
  std::string user_agent;
  std::string details;    // compact JSON object, never holds a secret or code
  std::string prev_hash;  // hex SHA-256 of the previous row ("" for the first)
  std::string hash;       // hex SHA-256 over prev_hash and this row's fields
};

// Who did something and from where; carried from the edge into services for the event log.
struct RequestContext {
  std::string ip;
  std::string user_agent;
  std::string request_id;
};

}  // namespace keygate::core
