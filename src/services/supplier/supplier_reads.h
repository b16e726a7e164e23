// Read-only use cases of the Supplier API: engagements, billing items, invoices and staffing
// requests, always within the caller's organization. An id of another organization's record
// is answered exactly like an id that does not exist (kNotFound), so a key learns nothing about
// other tenants.
#pragma once

#include "core/error.h"
#include "core/supplier_model.h"
#include "storage/repositories.h"
#include "storage/supplier_repositories.h"

namespace keygate::services::supplier {

class SupplierReadService {
 public:
  explicit SupplierReadService(storage::Store& store) : store_(store) {}

  core::Result<storage::Page<core::Engagement>> listEngagements(
      core::Id org_id, const storage::EngagementFilter& filter, const storage::PageRequest& page);
  core::Result<core::Engagement> engagement(core::Id org_id, core::Id id);

  core::Result<storage::Page<core::BillingItem>> listBillingItems(
      core::Id org_id, const storage::BillingItemFilter& filter, const storage::PageRequest& page);
  core::Result<core::BillingItem> billingItem(core::Id org_id, core::Id id);

  core::Result<storage::Page<core::Invoice>> listInvoices(core::Id org_id,
                                                          const storage::InvoiceFilter& filter,
                                                          const storage::PageRequest& page);
  core::Result<core::Invoice> invoice(core::Id org_id, core::Id id);

  core::Result<storage::Page<core::StaffingRequest>> listStaffingRequests(
      core::Id org_id, const storage::StaffingRequestFilter& filter,
      const storage::PageRequest& page);
  core::Result<core::StaffingRequest> staffingRequest(core::Id org_id, core::Id id);

 private:
  storage::Store& store_;
};

// The one "not found" every supplier resource answers with (same text for missing and foreign).
core::Error notFound(std::string_view what);

}  // namespace keygate::services::supplier
