// The Supplier API repositories (storage/supplier_repositories.h) over one SQLite Connection.
// Like the other SQLite repositories they run no transactions of their own. Every statement
// filters on the caller's organization. List statements are composed from fixed fragments,
// one per filter that is present, always with bind parameters, so each combination is one
// cached prepared statement that can use the matching index. Internal to storage/sqlite.
#pragma once

#include "storage/sqlite/sqlite_handle.h"
#include "storage/supplier_repositories.h"

namespace keygate::storage::sqlite {

class SqliteAgreementRepository final : public AgreementRepository {
 public:
  explicit SqliteAgreementRepository(Connection& db) : db_(db) {}
  Result<Id> create(const core::Agreement& agreement) override;
  Result<std::optional<core::Agreement>> findWithClient(Id supplier_org_id,
                                                        Id client_org_id) override;

 private:
  Connection& db_;
};

class SqliteStaffingRequestRepository final : public StaffingRequestRepository {
 public:
  explicit SqliteStaffingRequestRepository(Connection& db) : db_(db) {}
  Result<Id> create(const core::StaffingRequest& request) override;
  Status release(Id staffing_request_id, Id supplier_org_id, Seconds at) override;
  Result<std::optional<core::StaffingRequest>> find(Id supplier_org_id, Id id) override;
  Result<Page<core::StaffingRequest>> list(Id supplier_org_id, const StaffingRequestFilter& filter,
                                           const PageRequest& page) override;

 private:
  Status loadSkills(core::StaffingRequest& request);
  Connection& db_;
};

class SqliteCandidateRepository final : public CandidateRepository {
 public:
  explicit SqliteCandidateRepository(Connection& db) : db_(db) {}
  Result<Id> create(const core::Candidate& candidate) override;
  Result<std::optional<core::Candidate>> find(Id supplier_org_id, Id id) override;

 private:
  Connection& db_;
};

class SqliteSubmittalRepository final : public SubmittalRepository {
 public:
  explicit SqliteSubmittalRepository(Connection& db) : db_(db) {}
  Result<Id> create(const core::Submittal& submittal) override;

 private:
  Connection& db_;
};

class SqliteWorkerRepository final : public WorkerRepository {
 public:
  explicit SqliteWorkerRepository(Connection& db) : db_(db) {}
  Result<Id> create(const core::Worker& worker) override;
  Result<std::optional<core::Worker>> find(Id supplier_org_id, Id id) override;
  Result<Page<core::Worker>> list(Id supplier_org_id, const WorkerFilter& filter,
                                  const PageRequest& page) override;
  Status update(const core::Worker& worker) override;

 private:
  Connection& db_;
};

class SqliteEngagementRepository final : public EngagementRepository {
 public:
  explicit SqliteEngagementRepository(Connection& db) : db_(db) {}
  Result<Id> create(const core::Engagement& engagement) override;
  Result<std::optional<core::Engagement>> find(Id supplier_org_id, Id id) override;
  Result<Page<core::Engagement>> list(Id supplier_org_id, const EngagementFilter& filter,
                                      const PageRequest& page) override;

 private:
  Connection& db_;
};

class SqliteTimecardRepository final : public TimecardRepository {
 public:
  explicit SqliteTimecardRepository(Connection& db) : db_(db) {}
  Result<Id> create(const core::Timecard& timecard) override;
  Result<std::optional<core::Timecard>> find(Id supplier_org_id, Id id) override;
  Result<Page<core::Timecard>> list(Id supplier_org_id, const TimecardFilter& filter,
                                    const PageRequest& page) override;
  Status update(const core::Timecard& timecard) override;

 private:
  Status insertEntries(Id timecard_id, const std::vector<core::TimecardEntry>& entries);
  Status loadEntries(core::Timecard& timecard);
  Connection& db_;
};

class SqliteBillingItemRepository final : public BillingItemRepository {
 public:
  explicit SqliteBillingItemRepository(Connection& db) : db_(db) {}
  Result<Id> create(const core::BillingItem& item) override;
  Result<std::optional<core::BillingItem>> find(Id supplier_org_id, Id id) override;
  Result<Page<core::BillingItem>> list(Id supplier_org_id, const BillingItemFilter& filter,
                                       const PageRequest& page) override;
  Result<std::int64_t> setStatusForTimecard(Id supplier_org_id, Id timecard_id,
                                            core::BillingItemStatus from,
                                            core::BillingItemStatus to, Seconds at) override;
  Status markInvoiced(Id supplier_org_id, Id id, Id invoice_id, Seconds at) override;

 private:
  Connection& db_;
};

class SqliteInvoiceRepository final : public InvoiceRepository {
 public:
  explicit SqliteInvoiceRepository(Connection& db) : db_(db) {}
  Result<Id> create(const core::Invoice& invoice) override;
  Result<std::optional<core::Invoice>> find(Id supplier_org_id, Id id) override;
  Result<Page<core::Invoice>> list(Id supplier_org_id, const InvoiceFilter& filter,
                                   const PageRequest& page) override;

 private:
  Connection& db_;
};

class SqliteCandidateInsightRepository final : public CandidateInsightRepository {
 public:
  explicit SqliteCandidateInsightRepository(Connection& db) : db_(db) {}
  Result<Id> create(const core::CandidateInsightRecord& insight) override;
  Result<std::optional<core::CandidateInsightRecord>> find(Id supplier_org_id, Id id) override;

 private:
  Connection& db_;
};

// Every Supplier API repository bound to one connection, built once per connection.
class SqliteSupplierRepositories {
 public:
  explicit SqliteSupplierRepositories(Connection& db);
  SqliteSupplierRepositories(const SqliteSupplierRepositories&) = delete;
  SqliteSupplierRepositories& operator=(const SqliteSupplierRepositories&) = delete;

  SupplierRepositories& repositories() { return repositories_; }

 private:
  SqliteAgreementRepository agreements_;
  SqliteStaffingRequestRepository staffing_requests_;
  SqliteCandidateRepository candidates_;
  SqliteSubmittalRepository submittals_;
  SqliteWorkerRepository workers_;
  SqliteEngagementRepository engagements_;
  SqliteTimecardRepository timecards_;
  SqliteBillingItemRepository billing_items_;
  SqliteInvoiceRepository invoices_;
  SqliteCandidateInsightRepository candidate_insights_;
  SupplierRepositories repositories_;
};

}  // namespace keygate::storage::sqlite
