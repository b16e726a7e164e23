#include "services/event_log.h"

#include "crypto/crypto.h"

namespace keygate::services {
namespace {

void field(std::string& out, std::string_view value) {
  out += std::to_string(value.size());
  out += ':';
  out += value;
  out += ';';
}

void field(std::string& out, const std::optional<core::Id>& value) {
  field(out, value ? std::to_string(*value) : std::string("-"));
}

void jsonEscape(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  for (unsigned char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20) {
          out += "\\u00";
          out += kHex[c >> 4];
          out += kHex[c & 15];
        } else {
          out += static_cast<char>(c);
        }
    }
  }
}

}  // namespace

std::string eventHash(const core::Event& e) {
  std::string text = "keygate-event-v1;";
  field(text, e.prev_hash);
  field(text, std::to_string(e.at));
  field(text, e.type);
  field(text, e.org_id);
  field(text, e.actor_user_id);
  field(text, e.credential_id);
  field(text, e.ip);
  field(text, e.user_agent);
  field(text, e.details);
  return crypto::sha256Hex(text);
}

core::Status EventLog::append(storage::Repositories& repos, core::Event event) const {
  if (event.at == 0) event.at = clock_.now();
  if (event.details.empty()) event.details = "{}";
  KG_ASSIGN_OR_RETURN(auto last, repos.events.last());
  event.prev_hash = last ? last->hash : std::string();
  event.hash = eventHash(event);
  KG_TRY(repos.events.append(event));
  return core::ok();
}

core::Result<EventLog::Verification> EventLog::verify(storage::Store& store) const {
  Verification result;
  std::string expected_prev;
  KG_TRY(store.read([&](storage::Repositories& repos) -> core::Status {
    return repos.events.forEach([&](const core::Event& e) {
      ++result.rows;
      if (e.prev_hash != expected_prev) {
        result.first_broken_seq = e.seq;
        result.problem = "prev_hash does not match the hash of the row before it";
        return false;
      }
      if (eventHash(e) != e.hash) {
        result.first_broken_seq = e.seq;
        result.problem = "row contents do not match its hash";
        return false;
      }
      expected_prev = e.hash;
      return true;
    });
  }));
  return result;
}

EventDetails& EventDetails::add(std::string_view key, std::string_view value) {
  if (!body_.empty()) body_ += ',';
  body_ += '"';
  jsonEscape(body_, key);
  body_ += "\":\"";
  jsonEscape(body_, value);
  body_ += '"';
  return *this;
}

EventDetails& EventDetails::add(std::string_view key, std::int64_t value) {
  if (!body_.empty()) body_ += ',';
  body_ += '"';
  jsonEscape(body_, key);
  body_ += "\":";
  body_ += std::to_string(value);
  return *this;
}

}  // namespace keygate::services
