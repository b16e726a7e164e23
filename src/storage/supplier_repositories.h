// Repository interfaces of the Supplier API's data (DESIGN §4.2). Tenant scoping is part of
// every signature: each read and write of supplier-owned data takes the organization id, and
// an id of another organization's row reads as "not found". Lists page with offset/limit and
// report the total number of matching rows; every filter is optional.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/supplier_model.h"

namespace keygate::storage {

using core::Id;
using core::Result;
using core::Seconds;
using core::Status;

struct PageRequest {
  std::int64_t offset = 0;
  std::int64_t limit = 500;
};

template <class T>
struct Page {
  std::vector<T> items;
  std::int64_t total = 0;  // rows matching the filter, across all pages
};

struct EngagementFilter {
  std::optional<core::EngagementStatus> status;
  std::optional<Seconds> updated_since;
  std::optional<Id> worker_id;
  std::optional<Seconds> start_date_from;
  std::optional<Seconds> start_date_to;
};

struct BillingItemFilter {
  std::optional<core::BillingItemStatus> status;
  std::optional<Seconds> updated_since;
  std::optional<Id> engagement_id;
  std::optional<core::BillingItemType> type;
  std::optional<Seconds> service_date_from;
  std::optional<Seconds> service_date_to;
  std::optional<bool> invoiced;
};

struct InvoiceFilter {
  std::optional<core::InvoiceStatus> status;
  std::optional<Seconds> updated_since;
  std::optional<Seconds> invoice_date_from;
  std::optional<Seconds> invoice_date_to;
};

struct TimecardFilter {
  std::optional<core::TimecardStatus> status;
  std::optional<Seconds> updated_since;
  std::optional<Id> engagement_id;
  std::optional<Seconds> week_ending;
};

struct WorkerFilter {
  std::optional<core::WorkerStatus> status;
  std::optional<Seconds> updated_since;
  std::optional<std::string> external_id;
};

struct StaffingRequestFilter {
  std::optional<core::RequestStatus> status;
  std::optional<Seconds> updated_since;
};

class AgreementRepository {
 public:
  virtual ~AgreementRepository() = default;
  virtual Result<Id> create(const core::Agreement& agreement) = 0;
  // The supplier's agreement with a client, if any (the newest when there are several).
  virtual Result<std::optional<core::Agreement>> findWithClient(Id supplier_org_id,
                                                                Id client_org_id) = 0;
};

class StaffingRequestRepository {
 public:
  virtual ~StaffingRequestRepository() = default;
  // Inserts the request with its skills. kConflict when the number is taken.
  virtual Result<Id> create(const core::StaffingRequest& request) = 0;
  // Makes the request visible to a supplier.
  virtual Status release(Id staffing_request_id, Id supplier_org_id, Seconds at) = 0;
  // Only requests released to the supplier are found and listed.
  virtual Result<std::optional<core::StaffingRequest>> find(Id supplier_org_id, Id id) = 0;
  virtual Result<Page<core::StaffingRequest>> list(Id supplier_org_id,
                                                   const StaffingRequestFilter& filter,
                                                   const PageRequest& page) = 0;
};

class CandidateRepository {
 public:
  virtual ~CandidateRepository() = default;
  virtual Result<Id> create(const core::Candidate& candidate) = 0;  // with its skills
  virtual Result<std::optional<core::Candidate>> find(Id supplier_org_id, Id id) = 0;
};

class SubmittalRepository {
 public:
  virtual ~SubmittalRepository() = default;
  // kConflict when the candidate was already submitted to the request.
  virtual Result<Id> create(const core::Submittal& submittal) = 0;
};

class WorkerRepository {
 public:
  virtual ~WorkerRepository() = default;
  // kConflict when the external id is taken within the organization.
  virtual Result<Id> create(const core::Worker& worker) = 0;
  virtual Result<std::optional<core::Worker>> find(Id supplier_org_id, Id id) = 0;
  virtual Result<Page<core::Worker>> list(Id supplier_org_id, const WorkerFilter& filter,
                                          const PageRequest& page) = 0;
  // Updates every mutable field of the row with worker.id within worker.supplier_org_id;
  // kNotFound when there is none, kConflict when the new external id is taken.
  virtual Status update(const core::Worker& worker) = 0;
};

class EngagementRepository {
 public:
  virtual ~EngagementRepository() = default;
  virtual Result<Id> create(const core::Engagement& engagement) = 0;
  virtual Result<std::optional<core::Engagement>> find(Id supplier_org_id, Id id) = 0;
  virtual Result<Page<core::Engagement>> list(Id supplier_org_id, const EngagementFilter& filter,
                                              const PageRequest& page) = 0;
};

class TimecardRepository {
 public:
  virtual ~TimecardRepository() = default;
  // Inserts the timecard and its entries. kConflict when the engagement has one that week.
  virtual Result<Id> create(const core::Timecard& timecard) = 0;
  virtual Result<std::optional<core::Timecard>> find(Id supplier_org_id, Id id) = 0;
  // With entries.
  virtual Result<Page<core::Timecard>> list(Id supplier_org_id, const TimecardFilter& filter,
                                            const PageRequest& page) = 0;
  // Updates status, totals, timestamps and rejection reason, and replaces the entries.
  virtual Status update(const core::Timecard& timecard) = 0;
};

class BillingItemRepository {
 public:
  virtual ~BillingItemRepository() = default;
  virtual Result<Id> create(const core::BillingItem& item) = 0;
  virtual Result<std::optional<core::BillingItem>> find(Id supplier_org_id, Id id) = 0;
  virtual Result<Page<core::BillingItem>> list(Id supplier_org_id, const BillingItemFilter& filter,
                                               const PageRequest& page) = 0;
  // Moves the timecard's items in status `from` to `to`; returns how many moved.
  virtual Result<std::int64_t> setStatusForTimecard(Id supplier_org_id, Id timecard_id,
                                                    core::BillingItemStatus from,
                                                    core::BillingItemStatus to, Seconds at) = 0;
  // Marks the item invoiced on the invoice.
  virtual Status markInvoiced(Id supplier_org_id, Id id, Id invoice_id, Seconds at) = 0;
};

class InvoiceRepository {
 public:
  virtual ~InvoiceRepository() = default;
  // Inserts the invoice with its lines (line_count is taken from lines).
  virtual Result<Id> create(const core::Invoice& invoice) = 0;
  virtual Result<std::optional<core::Invoice>> find(Id supplier_org_id, Id id) = 0;  // + lines
  virtual Result<Page<core::Invoice>> list(Id supplier_org_id, const InvoiceFilter& filter,
                                           const PageRequest& page) = 0;  // without lines
};

class CandidateInsightRepository {
 public:
  virtual ~CandidateInsightRepository() = default;
  virtual Result<Id> create(const core::CandidateInsightRecord& insight) = 0;
  virtual Result<std::optional<core::CandidateInsightRecord>> find(Id supplier_org_id, Id id) = 0;
};

// The Supplier API repositories bound to one transaction; reached as Repositories::supplier.
struct SupplierRepositories {
  AgreementRepository& agreements;
  StaffingRequestRepository& staffing_requests;
  CandidateRepository& candidates;
  SubmittalRepository& submittals;
  WorkerRepository& workers;
  EngagementRepository& engagements;
  TimecardRepository& timecards;
  BillingItemRepository& billing_items;
  InvoiceRepository& invoices;
  CandidateInsightRepository& candidate_insights;
};

}  // namespace keygate::storage
