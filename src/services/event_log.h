// The append-only, hash-chained event log (DESIGN §2.6). Each row's hash covers the previous
// row's hash and every field of the row, so editing, deleting or reordering rows breaks the
// chain at a row that `keygate audit verify` names.
#pragma once

#include <optional>
#include <string>

#include "core/clock.h"
#include "core/error.h"
#include "core/model.h"
#include "storage/repositories.h"

namespace keygate::services {

// Hash of one row given its prev_hash: hex SHA-256 over a length-prefixed encoding of
// every field, so no choice of field contents can make two rows encode alike.
std::string eventHash(const core::Event& event);

class EventLog {
 public:
  explicit EventLog(const core::Clock& clock) : clock_(clock) {}

  // Appends inside the caller's transaction: sets `at` (if 0), prev_hash and hash.
  core::Status append(storage::Repositories& repos, core::Event event) const;

  struct Verification {
    std::int64_t rows = 0;
    std::optional<core::Id> first_broken_seq;
    std::string problem;  // why that row is broken
  };
  core::Result<Verification> verify(storage::Store& store) const;

 private:
  const core::Clock& clock_;
};

// Builds a compact JSON object from key/value pairs whose values are plain strings or
// integers (no secret may be passed here).
class EventDetails {
 public:
  EventDetails& add(std::string_view key, std::string_view value);
  EventDetails& add(std::string_view key, std::int64_t value);
  std::string str() const { return "{" + body_ + "}"; }

 private:
  std::string body_;
};

}  // namespace keygate::services
