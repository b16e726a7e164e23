// Worker profiles (see workers.h).
#include "services/supplier/workers.h"

#include "services/supplier/supplier_reads.h"

namespace keygate::services::supplier {
namespace {

core::Error invalid(std::string_view field, std::string message) {
  return core::fieldError(core::Errc::kValidationFailed, std::string(field), std::move(message));
}

bool hasControlCharacters(std::string_view text) {
  for (unsigned char c : text)
    if (c < 0x20 || c == 0x7f) return true;
  return false;
}

core::Status checkText(std::string_view field, std::string_view value, std::size_t max,
                       bool required) {
  if (required && value.empty())
    return invalid(field, "The field '" + std::string(field) + "' is required.");
  if (value.size() > max)
    return invalid(field, "The field '" + std::string(field) + "' is longer than " +
                              std::to_string(max) + " characters.");
  if (hasControlCharacters(value))
    return invalid(field, "The field '" + std::string(field) + "' contains control characters.");
  return core::ok();
}

bool plausibleEmail(std::string_view email) {
  const auto at = email.find('@');
  if (at == std::string_view::npos || at == 0 || at + 1 >= email.size()) return false;
  if (email.find('@', at + 1) != std::string_view::npos) return false;
  if (email.find(' ') != std::string_view::npos) return false;
  return email.find('.', at) != std::string_view::npos;
}

bool plausiblePhone(std::string_view phone) {
  int digits = 0;
  for (char c : phone) {
    if (c >= '0' && c <= '9') {
      ++digits;
    } else if (c != '+' && c != ' ' && c != '-' && c != '(' && c != ')' && c != '.') {
      return false;
    }
  }
  return digits >= 4;
}

}  // namespace

core::Status validateWorker(const core::Worker& w) {
  KG_TRY(checkText("externalId", w.external_id, 64, true));
  KG_TRY(checkText("firstName", w.first_name, 100, true));
  KG_TRY(checkText("lastName", w.last_name, 100, true));
  KG_TRY(checkText("email", w.email, 254, false));
  if (!w.email.empty() && !plausibleEmail(w.email))
    return invalid("email", "The field 'email' must be an email address.");
  KG_TRY(checkText("phone", w.phone, 32, false));
  if (!w.phone.empty() && !plausiblePhone(w.phone))
    return invalid("phone", "The field 'phone' must be a phone number.");
  KG_TRY(checkText("jobTitle", w.job_title, 200, false));
  KG_TRY(checkText("location", w.location, 200, false));
  return core::ok();
}

core::Result<core::Worker> WorkerService::create(core::Id org_id, const NewWorker& input) {
  core::Worker w;
  w.supplier_org_id = org_id;
  w.external_id = input.external_id;
  w.first_name = input.first_name;
  w.last_name = input.last_name;
  w.email = input.email;
  w.phone = input.phone;
  w.job_title = input.job_title;
  w.location = input.location;
  w.status = input.status;
  w.created_at = w.updated_at = clock_.now();
  KG_TRY(validateWorker(w));
  KG_TRY(store_.write([&](storage::Repositories& repos) -> core::Status {
    KG_ASSIGN_OR_RETURN(w.id, repos.supplier.workers.create(w));
    return core::ok();
  }));
  return w;
}

core::Result<core::Worker> WorkerService::get(core::Id org_id, core::Id id) {
  std::optional<core::Worker> found;
  KG_TRY(store_.read([&](storage::Repositories& repos) -> core::Status {
    KG_ASSIGN_OR_RETURN(found, repos.supplier.workers.find(org_id, id));
    return core::ok();
  }));
  if (!found) return notFound("worker");
  return std::move(*found);
}

core::Result<storage::Page<core::Worker>> WorkerService::list(core::Id org_id,
                                                              const storage::WorkerFilter& filter,
                                                              const storage::PageRequest& page) {
  storage::Page<core::Worker> out;
  KG_TRY(store_.read([&](storage::Repositories& repos) -> core::Status {
    KG_ASSIGN_OR_RETURN(out, repos.supplier.workers.list(org_id, filter, page));
    return core::ok();
  }));
  return out;
}

core::Result<core::Worker> WorkerService::patch(core::Id org_id, core::Id id,
                                                const WorkerPatch& p) {
  core::Worker w;
  KG_TRY(store_.write([&](storage::Repositories& repos) -> core::Status {
    KG_ASSIGN_OR_RETURN(auto found, repos.supplier.workers.find(org_id, id));
    if (!found) return notFound("worker");
    w = std::move(*found);
    if (p.external_id) w.external_id = *p.external_id;
    if (p.first_name) w.first_name = *p.first_name;
    if (p.last_name) w.last_name = *p.last_name;
    if (p.email) w.email = *p.email;
    if (p.phone) w.phone = *p.phone;
    if (p.job_title) w.job_title = *p.job_title;
    if (p.location) w.location = *p.location;
    if (p.status) w.status = *p.status;
    KG_TRY(validateWorker(w));
    w.updated_at = clock_.now();
    return repos.supplier.workers.update(w);
  }));
  return w;
}

}  // namespace keygate::services::supplier
