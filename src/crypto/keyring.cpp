// Master key file handling and the subkeys derived from it (see keyring.h).
#include "crypto/keyring.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <utility>

#include "crypto/crypto.h"

namespace keygate::crypto {
namespace {

constexpr std::size_t kMasterKeyBytes = crypto_kdf_KEYBYTES;
constexpr std::size_t kSubkeyBytes = 32;
constexpr char kKdfContext[crypto_kdf_CONTEXTBYTES + 1] = "keygate1";
static_assert(sizeof kKdfContext == crypto_kdf_CONTEXTBYTES + 1);

// Subkey ids are part of the on-disk format: changing one invalidates every stored hash.
enum class Subkey : std::uint64_t { kPepper = 1, kAead = 2, kCode = 3, kSession = 4, kToken = 5 };

constexpr std::string_view kHashTag = "hmac-sha256";
constexpr std::string_view kAeadTag = "xc20p1";
constexpr std::size_t kNonceBytes = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
constexpr std::size_t kTagBytes = crypto_aead_xchacha20poly1305_ietf_ABYTES;

static_assert(crypto_aead_xchacha20poly1305_ietf_KEYBYTES == kSubkeyBytes);

const unsigned char* bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  // Closes explicitly so a failing close (lost write) is reported.
  int close() { return ::close(std::exchange(fd_, -1)); }

 private:
  int fd_;
};

core::Error fileError(const std::filesystem::path& path, std::string what) {
  return core::makeError(core::Errc::kInternal,
                         "master key file " + path.string() + ": " + std::move(what));
}

std::string errnoText(int err) {
  return std::strerror(err);
}

std::string keyIdOf(std::string_view master_key) {
  return sha256Hex(master_key).substr(0, 8);
}

// Creates missing directories of `dir` with mode 0700: they hold nothing but key material.
core::Status createPrivateDirectories(const std::filesystem::path& dir) {
  if (dir.empty()) return core::ok();
  std::error_code ec;
  if (std::filesystem::is_directory(dir, ec)) return core::ok();
  KG_TRY(createPrivateDirectories(dir.parent_path()));
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST)
    return fileError(dir, "cannot create directory: " + errnoText(errno));
  return core::ok();
}

// Reads and validates an existing master key file; returns the raw 32-byte key.
core::Result<std::string> loadMasterKey(const std::filesystem::path& path) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY));
  if (fd.get() < 0) return fileError(path, "cannot open: " + errnoText(errno));
  // fstat on the opened descriptor, so the checked file is the one read.
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return fileError(path, "cannot stat: " + errnoText(errno));
  if (!S_ISREG(st.st_mode)) return fileError(path, "is not a regular file");
  if ((st.st_mode & 077) != 0)
    return fileError(path,
                     "must not be readable by group or others (chmod 600 " + path.string() + ")");

  // Anything longer than a key line is malformed; read one byte more to notice it.
  std::string text(kMasterKeyBytes * 2 + 3, '\0');
  std::size_t used = 0;
  while (used < text.size()) {
    ssize_t n = ::read(fd.get(), text.data() + used, text.size() - used);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      secureZero(text);
      return fileError(path, "cannot read: " + errnoText(errno));
    }
    if (n == 0) break;
    used += static_cast<std::size_t>(n);
  }
  std::string_view content(text.data(), used);
  if (content.ends_with('\n')) content.remove_suffix(1);
  std::optional<std::string> key;
  if (content.size() == kMasterKeyBytes * 2) key = fromHex(content);
  secureZero(text);
  if (!key)
    return fileError(path,
                     "is malformed: expected exactly 64 hexadecimal characters and a "
                     "newline (move it away to have a new key generated, which makes "
                     "existing stored secrets unreadable)");
  return std::move(*key);
}

// Writes a fresh random key; fails with EEXIST semantics when another process was faster.
core::Status createMasterKey(const std::filesystem::path& path, core::Random& random,
                             bool& lost_race) {
  lost_race = false;
  KG_TRY(createPrivateDirectories(path.parent_path()));
  Fd fd(::open(path.c_str(), O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC | O_NOCTTY, 0600));
  if (fd.get() < 0) {
    if (errno == EEXIST) {
      lost_race = true;
      return core::ok();
    }
    return fileError(path, "cannot create: " + errnoText(errno));
  }
  std::string key(kMasterKeyBytes, '\0');
  random.fill(std::as_writable_bytes(std::span(key.data(), key.size())));
  std::string line = toHex(key) + "\n";
  secureZero(key);
  std::size_t written = 0;
  int write_errno = 0;
  while (written < line.size()) {
    ssize_t n = ::write(fd.get(), line.data() + written, line.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      write_errno = errno;
      break;
    }
    written += static_cast<std::size_t>(n);
  }
  secureZero(line);
  if (write_errno == 0 && ::fsync(fd.get()) != 0) write_errno = errno;
  if (fd.close() != 0 && write_errno == 0) write_errno = errno;
  if (write_errno != 0) {
    // A half-written key file would be refused as malformed on the next start anyway.
    ::unlink(path.c_str());
    return fileError(path, "cannot write: " + errnoText(write_errno));
  }
  return core::ok();
}

std::string deriveSubkey(std::string_view master_key, Subkey id) {
  std::string out(kSubkeyBytes, '\0');
  if (crypto_kdf_derive_from_key(reinterpret_cast<unsigned char*>(out.data()), out.size(),
                                 static_cast<std::uint64_t>(id), kKdfContext,
                                 bytes(master_key)) != 0)
    throw std::logic_error("crypto_kdf_derive_from_key rejected constant parameters");
  return out;
}

// The key schedule of a derived subkey; the raw subkey is wiped.
HmacSha256Key macKey(std::string raw) {
  HmacSha256Key key(raw);
  secureZero(raw);
  return key;
}

std::string macHex(const HmacSha256Key& key, std::string_view message) {
  return toHex(key.mac(message));
}

// Splits "<tag>$<kid>$<payload>"; nullopt when the tag differs or a part is missing.
std::optional<std::pair<std::string_view, std::string_view>> splitTagged(std::string_view stored,
                                                                         std::string_view tag) {
  if (!stored.starts_with(tag) || stored.size() <= tag.size() || stored[tag.size()] != '$')
    return std::nullopt;
  stored.remove_prefix(tag.size() + 1);
  auto dollar = stored.find('$');
  if (dollar == std::string_view::npos || dollar == 0) return std::nullopt;
  return std::pair{stored.substr(0, dollar), stored.substr(dollar + 1)};
}

void wipe(std::map<std::string, std::string, std::less<>>& keys) {
  for (auto& [kid, key] : keys) secureZero(key);
  keys.clear();
}

}  // namespace

core::Result<Keyring> Keyring::openOrCreate(const std::filesystem::path& path,
                                            core::Random& random) {
  initialize();
  std::error_code ec;
  auto status = std::filesystem::symlink_status(path, ec);
  if (ec && ec != std::errc::no_such_file_or_directory)
    return fileError(path, "cannot stat: " + ec.message());
  if (!std::filesystem::exists(status)) {
    bool lost_race = false;
    KG_TRY(createMasterKey(path, random, lost_race));
  }
  KG_ASSIGN_OR_RETURN(std::string master, loadMasterKey(path));
  Keyring keyring = fromMasterKey(master);
  secureZero(master);
  return keyring;
}

Keyring Keyring::fromMasterKey(std::string_view master_key) {
  if (master_key.size() != kMasterKeyBytes)
    throw std::invalid_argument("a master key is exactly 32 bytes");
  initialize();
  return Keyring(keyIdOf(master_key), derive(master_key));
}

Keyring::Keyring(std::string key_id, Keys keys)
    : key_id_(std::move(key_id)), keys_(std::move(keys)) {
  aead_by_kid_.emplace(key_id_, keys_.aead);
  pepper_by_kid_.emplace(key_id_, keys_.pepper);
}

Keyring::Keys Keyring::derive(std::string_view master_key) {
  return Keys{deriveSubkey(master_key, Subkey::kAead),
              macKey(deriveSubkey(master_key, Subkey::kPepper)),
              macKey(deriveSubkey(master_key, Subkey::kCode)),
              macKey(deriveSubkey(master_key, Subkey::kSession)),
              macKey(deriveSubkey(master_key, Subkey::kToken))};
}

core::Status Keyring::addRetiredKeyFile(const std::filesystem::path& path) {
  KG_ASSIGN_OR_RETURN(std::string master, loadMasterKey(path));
  auto kid = keyIdOf(master);
  if (kid != key_id_ && !aead_by_kid_.contains(kid)) {
    // Only the pepper and AEAD key of a retired master key are needed (verify and decrypt).
    HmacSha256Key pepper = macKey(deriveSubkey(master, Subkey::kPepper));
    std::string aead = deriveSubkey(master, Subkey::kAead);
    pepper_by_kid_.emplace(kid, std::move(pepper));
    aead_by_kid_.emplace(kid, std::move(aead));
  }
  secureZero(master);
  return core::ok();
}

std::string Keyring::hashSecret(std::string_view secret) const {
  return std::string(kHashTag) + "$" + key_id_ + "$" + macHex(keys_.pepper, secret);
}

bool Keyring::verifySecret(std::string_view secret, std::string_view stored) const {
  auto parts = splitTagged(stored, kHashTag);
  if (!parts) return false;
  auto pepper = pepper_by_kid_.find(parts->first);
  if (pepper == pepper_by_kid_.end()) return false;
  auto expected_mac = fromHex(parts->second);
  if (!expected_mac) return false;
  return pepper->second.verify(secret, *expected_mac);
}

std::string Keyring::encrypt(std::string_view plaintext, std::string_view associated_data,
                             core::Random& random) const {
  std::string sealed(kNonceBytes + plaintext.size() + kTagBytes, '\0');
  auto* nonce = reinterpret_cast<unsigned char*>(sealed.data());
  // 24-byte random nonces: collisions are negligible, so no counter state is needed.
  random.fill(std::as_writable_bytes(std::span(sealed.data(), kNonceBytes)));
  unsigned long long cipher_len = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(
      nonce + kNonceBytes, &cipher_len, bytes(plaintext), plaintext.size(), bytes(associated_data),
      associated_data.size(), nullptr, nonce, bytes(keys_.aead));
  sealed.resize(kNonceBytes + static_cast<std::size_t>(cipher_len));
  return std::string(kAeadTag) + "$" + key_id_ + "$" + base64UrlEncode(sealed);
}

core::Result<std::string> Keyring::decrypt(std::string_view stored,
                                           std::string_view associated_data) const {
  auto fail = [](std::string detail) {
    return core::makeError(core::Errc::kInternal, "a stored secret could not be decrypted",
                           std::move(detail));
  };
  auto parts = splitTagged(stored, kAeadTag);
  if (!parts) return fail("ciphertext is not in the xc20p1$<kid>$<data> format");
  auto key = aead_by_kid_.find(parts->first);
  if (key == aead_by_kid_.end())
    return fail("ciphertext was written under unknown master key id " + std::string(parts->first) +
                " (load it with a retired key file)");
  auto sealed = base64UrlDecode(parts->second);
  if (!sealed) return fail("ciphertext is not valid base64url");
  if (sealed->size() < kNonceBytes + kTagBytes) return fail("ciphertext is truncated");

  std::string plain(sealed->size() - kNonceBytes - kTagBytes, '\0');
  unsigned long long plain_len = 0;
  const auto* nonce = bytes(*sealed);
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(
          reinterpret_cast<unsigned char*>(plain.data()), &plain_len, nullptr, nonce + kNonceBytes,
          sealed->size() - kNonceBytes, bytes(associated_data), associated_data.size(), nonce,
          bytes(key->second)) != 0) {
    secureZero(plain);
    return fail("authentication failed: ciphertext modified or associated data does not match");
  }
  plain.resize(static_cast<std::size_t>(plain_len));
  return plain;
}

std::string Keyring::codeHash(std::string_view message) const {
  return macHex(keys_.code, message);
}

std::string Keyring::sessionHash(std::string_view token) const {
  return macHex(keys_.session, token);
}

std::string Keyring::tokenMac(std::string_view payload) const {
  return keys_.token.mac(payload);
}

bool Keyring::verifyTokenMac(std::string_view payload, std::string_view mac) const {
  return keys_.token.verify(payload, mac);
}

// The HmacSha256Key members zero their own state.
Keyring::~Keyring() {
  secureZero(keys_.aead);
  wipe(aead_by_kid_);
}

// The AEAD keys are 32 bytes, beyond the small-string buffer, and the MAC keys are heap
// states, so moving hands over the heap blocks and leaves no copy behind in the moved-from
// object.
Keyring::Keyring(Keyring&&) noexcept = default;

Keyring& Keyring::operator=(Keyring&& other) noexcept {
  if (this != &other) {
    secureZero(keys_.aead);
    wipe(aead_by_kid_);
    pepper_by_kid_.clear();
    key_id_ = std::move(other.key_id_);
    keys_ = std::move(other.keys_);
    aead_by_kid_ = std::move(other.aead_by_kid_);
    pepper_by_kid_ = std::move(other.pepper_by_kid_);
  }
  return *this;
}

}  // namespace keygate::crypto
