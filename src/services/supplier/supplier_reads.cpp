// Read-only Supplier API use cases (see supplier_reads.h).
#include "services/supplier/supplier_reads.h"

namespace keygate::services::supplier {
namespace {

// Runs a repository call on a read snapshot and hands back its value.
template <class T, class F>
core::Result<T> readValue(storage::Store& store, F f) {
  std::optional<T> out;
  KG_TRY(store.read([&](storage::Repositories& repos) -> core::Status {
    KG_ASSIGN_OR_RETURN(out, f(repos.supplier));
    return core::ok();
  }));
  return std::move(*out);
}

template <class T, class F>
core::Result<T> readOne(storage::Store& store, std::string_view what, F f) {
  KG_ASSIGN_OR_RETURN(auto found, readValue<std::optional<T>>(store, f));
  if (!found) return notFound(what);
  return std::move(*found);
}

}  // namespace

core::Error notFound(std::string_view what) {
  return core::makeError(core::Errc::kNotFound, "No " + std::string(what) + " with that id.");
}

core::Result<storage::Page<core::Engagement>> SupplierReadService::listEngagements(
    core::Id org_id, const storage::EngagementFilter& filter, const storage::PageRequest& page) {
  return readValue<storage::Page<core::Engagement>>(store_, [&](storage::SupplierRepositories& r) {
    return r.engagements.list(org_id, filter, page);
  });
}

core::Result<core::Engagement> SupplierReadService::engagement(core::Id org_id, core::Id id) {
  return readOne<core::Engagement>(store_, "engagement", [&](storage::SupplierRepositories& r) {
    return r.engagements.find(org_id, id);
  });
}

core::Result<storage::Page<core::BillingItem>> SupplierReadService::listBillingItems(
    core::Id org_id, const storage::BillingItemFilter& filter, const storage::PageRequest& page) {
  return readValue<storage::Page<core::BillingItem>>(store_, [&](storage::SupplierRepositories& r) {
    return r.billing_items.list(org_id, filter, page);
  });
}

core::Result<core::BillingItem> SupplierReadService::billingItem(core::Id org_id, core::Id id) {
  return readOne<core::BillingItem>(store_, "billing item", [&](storage::SupplierRepositories& r) {
    return r.billing_items.find(org_id, id);
  });
}

core::Result<storage::Page<core::Invoice>> SupplierReadService::listInvoices(
    core::Id org_id, const storage::InvoiceFilter& filter, const storage::PageRequest& page) {
  return readValue<storage::Page<core::Invoice>>(store_, [&](storage::SupplierRepositories& r) {
    return r.invoices.list(org_id, filter, page);
  });
}

core::Result<core::Invoice> SupplierReadService::invoice(core::Id org_id, core::Id id) {
  return readOne<core::Invoice>(store_, "invoice", [&](storage::SupplierRepositories& r) {
    return r.invoices.find(org_id, id);
  });
}

core::Result<storage::Page<core::StaffingRequest>> SupplierReadService::listStaffingRequests(
    core::Id org_id, const storage::StaffingRequestFilter& filter,
    const storage::PageRequest& page) {
  return readValue<storage::Page<core::StaffingRequest>>(
      store_, [&](storage::SupplierRepositories& r) {
        return r.staffing_requests.list(org_id, filter, page);
      });
}

core::Result<core::StaffingRequest> SupplierReadService::staffingRequest(core::Id org_id,
                                                                         core::Id id) {
  return readOne<core::StaffingRequest>(
      store_, "staffing request",
      [&](storage::SupplierRepositories& r) { return r.staffing_requests.find(org_id, id); });
}

}  // namespace keygate::services::supplier
