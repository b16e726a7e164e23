-- 0003: the Supplier API's domain data (DESIGN §4.2): agreements between client and supplier
-- organizations, staffing requests (released to some suppliers), candidates and submittals,
-- workers, engagements, timecards with entries, billing items, invoices with lines, and stored
-- candidate insights.
--
-- Tenant scoping: every supplier-owned row carries supplier_org_id, and every query of
-- storage/sqlite filters on it, so a key only ever reaches its own organization's rows.
-- Money is INTEGER minor units (cents), quantities INTEGER hundredths (7.25 h = 725), dates
-- INTEGER unix seconds of 00:00 UTC, enums their text names (core/supplier_model.h).

CREATE TABLE agreements (
  id              INTEGER PRIMARY KEY,
  supplier_org_id INTEGER NOT NULL REFERENCES organizations (id) ON DELETE RESTRICT,
  client_org_id   INTEGER NOT NULL REFERENCES organizations (id) ON DELETE RESTRICT,
  number          TEXT    NOT NULL,
  status          TEXT    NOT NULL CHECK (status IN ('active', 'suspended', 'ended')),
  currency        TEXT    NOT NULL CHECK (length(currency) = 3),
  effective_from  INTEGER NOT NULL,
  effective_to    INTEGER,
  created_at      INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL,
  UNIQUE (supplier_org_id, number)
) STRICT;

CREATE INDEX agreements_by_client ON agreements (client_org_id);

CREATE TABLE staffing_requests (
  id            INTEGER PRIMARY KEY,
  client_org_id INTEGER NOT NULL REFERENCES organizations (id) ON DELETE RESTRICT,
  number        TEXT    NOT NULL UNIQUE,
  title         TEXT    NOT NULL,
  description   TEXT    NOT NULL,
  location      TEXT    NOT NULL,
  remote_type   TEXT    NOT NULL CHECK (remote_type IN ('onsite', 'hybrid', 'remote')),
  bill_rate_min INTEGER NOT NULL CHECK (bill_rate_min >= 0),
  bill_rate_max INTEGER NOT NULL CHECK (bill_rate_max >= bill_rate_min),
  currency      TEXT    NOT NULL CHECK (length(currency) = 3),
  rate_unit     TEXT    NOT NULL CHECK (rate_unit IN ('hour', 'day')),
  start_date    INTEGER NOT NULL,
  positions     INTEGER NOT NULL CHECK (positions >= 1),
  status        TEXT    NOT NULL
                CHECK (status IN ('open', 'on_hold', 'filled', 'closed', 'cancelled')),
  created_at    INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL
) STRICT;

CREATE TABLE staffing_request_skills (
  staffing_request_id INTEGER NOT NULL REFERENCES staffing_requests (id) ON DELETE CASCADE,
  position            INTEGER NOT NULL,
  name                TEXT    NOT NULL,
  min_years           INTEGER NOT NULL CHECK (min_years BETWEEN 0 AND 50),
  required            INTEGER NOT NULL CHECK (required IN (0, 1)),
  PRIMARY KEY (staffing_request_id, position)
) STRICT, WITHOUT ROWID;

-- A client releases a request to chosen suppliers; only they see it.
CREATE TABLE staffing_request_releases (
  staffing_request_id INTEGER NOT NULL REFERENCES staffing_requests (id) ON DELETE CASCADE,
  supplier_org_id     INTEGER NOT NULL REFERENCES organizations (id) ON DELETE RESTRICT,
  released_at         INTEGER NOT NULL,
  PRIMARY KEY (supplier_org_id, staffing_request_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE candidates (
  id                  INTEGER PRIMARY KEY,
  supplier_org_id     INTEGER NOT NULL REFERENCES organizations (id) ON DELETE RESTRICT,
  first_name          TEXT    NOT NULL,
  last_name           TEXT    NOT NULL,
  email               TEXT    NOT NULL,
  location            TEXT    NOT NULL,
  open_to_remote      INTEGER NOT NULL CHECK (open_to_remote IN (0, 1)),
  willing_to_relocate INTEGER NOT NULL CHECK (willing_to_relocate IN (0, 1)),
  desired_rate        INTEGER CHECK (desired_rate >= 0),
  currency            TEXT    NOT NULL CHECK (length(currency) = 3),
  rate_unit           TEXT    NOT NULL CHECK (rate_unit IN ('hour', 'day')),
  available_from      INTEGER,
  resume_text         TEXT    NOT NULL,
  created_at          INTEGER NOT NULL,
  updated_at          INTEGER NOT NULL
) STRICT;

CREATE INDEX candidates_by_supplier ON candidates (supplier_org_id, id);

CREATE TABLE candidate_skills (
  candidate_id INTEGER NOT NULL REFERENCES candidates (id) ON DELETE CASCADE,
  position     INTEGER NOT NULL,
  name         TEXT    NOT NULL,
  years        INTEGER NOT NULL CHECK (years BETWEEN 0 AND 6000),
  PRIMARY KEY (candidate_id, position)
) STRICT, WITHOUT ROWID;

CREATE TABLE submittals (
  id                  INTEGER PRIMARY KEY,
  supplier_org_id     INTEGER NOT NULL REFERENCES organizations (id) ON DELETE RESTRICT,
  client_org_id       INTEGER NOT NULL REFERENCES organizations (id) ON DELETE RESTRICT,
  staffing_request_id INTEGER NOT NULL REFERENCES staffing_requests (id) ON DELETE RESTRICT,
  candidate_id        INTEGER NOT NULL REFERENCES candidates (id) ON DELETE RESTRICT,
  status              TEXT    NOT NULL CHECK (status IN ('submitted', 'interviewing', 'offered',
                                                         'hired', 'rejected', 'withdrawn')),
  bill_rate           INTEGER NOT NULL CHECK (bill_rate >= 0),
  submitted_at        INTEGER NOT NULL,
  updated_at          INTEGER NOT NULL,
  UNIQUE (staffing_request_id, candidate_id)
) STRICT;

CREATE INDEX submittals_by_supplier ON submittals (supplier_org_id, id);

CREATE TABLE workers (
  id              INTEGER PRIMARY KEY,
  supplier_org_id INTEGER NOT NULL REFERENCES organizations (id) ON DELETE RESTRICT,
  external_id     TEXT    NOT NULL,
  first_name      TEXT    NOT NULL,
  last_name       TEXT    NOT NULL,
  email           TEXT    NOT NULL,
  phone           TEXT    NOT NULL,
  job_title       TEXT    NOT NULL,
  location        TEXT    NOT NULL,
  status          TEXT    NOT NULL CHECK (status IN ('active', 'inactive')),
  created_at      INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL,
  -- The supplier's own worker id is unique within the supplier (409 on a duplicate).
  UNIQUE (supplier_org_id, external_id)
) STRICT;

CREATE INDEX workers_by_supplier ON workers (supplier_org_id, id);

CREATE TABLE engagements (
  id                  INTEGER PRIMARY KEY,
  supplier_org_id     INTEGER NOT NULL REFERENCES organizations (id) ON DELETE RESTRICT,
  client_org_id       INTEGER NOT NULL REFERENCES organizations (id) ON DELETE RESTRICT,
  agreement_id        INTEGER NOT NULL REFERENCES agreements (id) ON DELETE RESTRICT,
  staffing_request_id INTEGER REFERENCES staffing_requests (id) ON DELETE RESTRICT,
  worker_id           INTEGER NOT NULL REFERENCES workers (id) ON DELETE RESTRICT,
  number              TEXT    NOT NULL,
  title               TEXT    NOT NULL,
  status              TEXT    NOT NULL
                      CHECK (status IN ('pending', 'active', 'ended', 'cancelled')),
  start_date          INTEGER NOT NULL,
  end_date            INTEGER CHECK (end_date IS NULL OR end_date >= start_date),
  rate_unit           TEXT    NOT NULL CHECK (rate_unit IN ('hour', 'day')),
  currency            TEXT    NOT NULL CHECK (length(currency) = 3),
  st_rate             INTEGER NOT NULL CHECK (st_rate >= 0),
  ot_rate             INTEGER CHECK (ot_rate >= 0),
  dt_rate             INTEGER CHECK (dt_rate >= 0),
  cost_center         TEXT    NOT NULL,
  created_at          INTEGER NOT NULL,
  updated_at          INTEGER NOT NULL,
  UNIQUE (supplier_org_id, number)
) STRICT;

CREATE INDEX engagements_by_supplier ON engagements (supplier_org_id, id);
CREATE INDEX engagements_by_worker ON engagements (supplier_org_id, worker_id);

CREATE TABLE timecards (
  id               INTEGER PRIMARY KEY,
  supplier_org_id  INTEGER NOT NULL REFERENCES organizations (id) ON DELETE RESTRICT,
  client_org_id    INTEGER NOT NULL REFERENCES organizations (id) ON DELETE RESTRICT,
  engagement_id    INTEGER NOT NULL REFERENCES engagements (id) ON DELETE RESTRICT,
  week_ending      INTEGER NOT NULL,
  status           TEXT    NOT NULL
                   CHECK (status IN ('draft', 'submitted', 'approved', 'rejected', 'invoiced')),
  rate_unit        TEXT    NOT NULL CHECK (rate_unit IN ('hour', 'day')),
  currency         TEXT    NOT NULL CHECK (length(currency) = 3),
  st_rate          INTEGER NOT NULL,
  ot_rate          INTEGER,
  dt_rate          INTEGER,
  total_hours      INTEGER NOT NULL,
  total_amount     INTEGER NOT NULL,
  submitted_at     INTEGER,
  approved_at      INTEGER,
  rejection_reason TEXT    NOT NULL DEFAULT '',
  created_at       INTEGER NOT NULL,
  updated_at       INTEGER NOT NULL,
  -- One timecard per engagement and week (409 on a second).
  UNIQUE (engagement_id, week_ending)
) STRICT;

CREATE INDEX timecards_by_supplier ON timecards (supplier_org_id, id);
CREATE INDEX timecards_by_engagement ON timecards (supplier_org_id, engagement_id);

CREATE TABLE timecard_entries (
  timecard_id INTEGER NOT NULL REFERENCES timecards (id) ON DELETE CASCADE,
  position    INTEGER NOT NULL,
  work_date   INTEGER NOT NULL,
  rate_type   TEXT    NOT NULL CHECK (rate_type IN ('ST', 'OT', 'DT')),
  hours       INTEGER NOT NULL CHECK (hours BETWEEN 0 AND 2400),
  time_in     INTEGER CHECK (time_in BETWEEN 0 AND 1439),
  time_out    INTEGER CHECK (time_out BETWEEN 0 AND 1439),
  PRIMARY KEY (timecard_id, position)
) STRICT, WITHOUT ROWID;

CREATE TABLE invoices (
  id              INTEGER PRIMARY KEY,
  supplier_org_id INTEGER NOT NULL REFERENCES organizations (id) ON DELETE RESTRICT,
  client_org_id   INTEGER NOT NULL REFERENCES organizations (id) ON DELETE RESTRICT,
  number          TEXT    NOT NULL,
  status          TEXT    NOT NULL CHECK (status IN ('issued', 'paid', 'void')),
  invoice_date    INTEGER NOT NULL,
  due_date        INTEGER NOT NULL,
  period_start    INTEGER NOT NULL,
  period_end      INTEGER NOT NULL,
  currency        TEXT    NOT NULL CHECK (length(currency) = 3),
  subtotal        INTEGER NOT NULL,
  tax             INTEGER NOT NULL,
  total           INTEGER NOT NULL CHECK (total = subtotal + tax),
  line_count      INTEGER NOT NULL,
  created_at      INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL,
  UNIQUE (supplier_org_id, number)
) STRICT;

CREATE INDEX invoices_by_supplier ON invoices (supplier_org_id, id);
CREATE INDEX invoices_by_date ON invoices (supplier_org_id, invoice_date);

CREATE TABLE invoice_lines (
  invoice_id      INTEGER NOT NULL REFERENCES invoices (id) ON DELETE CASCADE,
  line_number     INTEGER NOT NULL,
  billing_item_id INTEGER,
  engagement_id   INTEGER NOT NULL REFERENCES engagements (id) ON DELETE RESTRICT,
  description     TEXT    NOT NULL,
  quantity        INTEGER NOT NULL,
  rate            INTEGER NOT NULL,
  amount          INTEGER NOT NULL,
  PRIMARY KEY (invoice_id, line_number)
) STRICT, WITHOUT ROWID;

CREATE TABLE billing_items (
  id              INTEGER PRIMARY KEY,
  supplier_org_id INTEGER NOT NULL REFERENCES organizations (id) ON DELETE RESTRICT,
  client_org_id   INTEGER NOT NULL REFERENCES organizations (id) ON DELETE RESTRICT,
  engagement_id   INTEGER NOT NULL REFERENCES engagements (id) ON DELETE RESTRICT,
  timecard_id     INTEGER REFERENCES timecards (id) ON DELETE RESTRICT,
  invoice_id      INTEGER REFERENCES invoices (id) ON DELETE RESTRICT,
  type            TEXT    NOT NULL CHECK (type IN ('time', 'expense', 'adjustment')),
  status          TEXT    NOT NULL CHECK (status IN ('pending', 'approved', 'invoiced', 'void')),
  rate_type       TEXT    CHECK (rate_type IN ('ST', 'OT', 'DT')),
  description     TEXT    NOT NULL,
  service_date    INTEGER NOT NULL,
  quantity        INTEGER NOT NULL,
  unit            TEXT    NOT NULL CHECK (unit IN ('hour', 'day', 'each')),
  rate            INTEGER NOT NULL,
  amount          INTEGER NOT NULL,
  currency        TEXT    NOT NULL CHECK (length(currency) = 3),
  created_at      INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL
) STRICT;

CREATE INDEX billing_items_by_supplier ON billing_items (supplier_org_id, id);
CREATE INDEX billing_items_by_engagement ON billing_items (supplier_org_id, engagement_id);
CREATE INDEX billing_items_by_timecard ON billing_items (timecard_id);
CREATE INDEX billing_items_by_invoice ON billing_items (invoice_id);

CREATE TABLE candidate_insights (
  id                  INTEGER PRIMARY KEY,
  supplier_org_id     INTEGER NOT NULL REFERENCES organizations (id) ON DELETE RESTRICT,
  staffing_request_id INTEGER NOT NULL REFERENCES staffing_requests (id) ON DELETE RESTRICT,
  candidate_id        INTEGER REFERENCES candidates (id) ON DELETE RESTRICT,
  overall             INTEGER NOT NULL CHECK (overall BETWEEN 0 AND 100),
  band                TEXT    NOT NULL,
  recommendation      TEXT    NOT NULL,
  model_version       TEXT    NOT NULL,
  result_json         TEXT    NOT NULL,
  created_at          INTEGER NOT NULL
) STRICT;

CREATE INDEX candidate_insights_by_supplier ON candidate_insights (supplier_org_id, id);
