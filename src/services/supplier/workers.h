// Worker profiles of a supplier (DESIGN §4.2, scope workers:write): create, read, list and
// change with JSON merge patch semantics (RFC 7396) — the handler turns the patch document into
// a WorkerPatch, this service merges it into the stored worker, validates the result and saves
// it in one transaction.
#pragma once

#include <optional>
#include <string>

#include "core/clock.h"
#include "core/error.h"
#include "core/supplier_model.h"
#include "storage/repositories.h"
#include "storage/supplier_repositories.h"

namespace keygate::services::supplier {

struct NewWorker {
  std::string external_id;
  std::string first_name;
  std::string last_name;
  std::string email;  // "" = not given
  std::string phone;
  std::string job_title;
  std::string location;
  core::WorkerStatus status = core::WorkerStatus::kActive;
};

// Absent members stay as they are; a present "" clears an optional field (JSON null).
struct WorkerPatch {
  std::optional<std::string> external_id;
  std::optional<std::string> first_name;
  std::optional<std::string> last_name;
  std::optional<std::string> email;
  std::optional<std::string> phone;
  std::optional<std::string> job_title;
  std::optional<std::string> location;
  std::optional<core::WorkerStatus> status;
};

// Field limits and formats; errors are kValidationFailed naming the wire field.
core::Status validateWorker(const core::Worker& worker);

class WorkerService {
 public:
  WorkerService(storage::Store& store, const core::Clock& clock) : store_(store), clock_(clock) {}

  // kConflict when the external id is already used in the organization.
  core::Result<core::Worker> create(core::Id org_id, const NewWorker& input);
  core::Result<core::Worker> get(core::Id org_id, core::Id id);
  core::Result<storage::Page<core::Worker>> list(core::Id org_id,
                                                 const storage::WorkerFilter& filter,
                                                 const storage::PageRequest& page);
  core::Result<core::Worker> patch(core::Id org_id, core::Id id, const WorkerPatch& patch);

 private:
  storage::Store& store_;
  const core::Clock& clock_;
};

}  // namespace keygate::services::supplier
