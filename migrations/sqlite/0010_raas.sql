-- 0010: RaaS, Reporting as a Service (DESIGN §4.1): customizable reports with their shares,
-- the queue of report runs (which survives a restart), and the cost centers a client user
-- without report_admin may see.
--
-- A report's columns, filters, sort and prompts are JSON documents owned by services/raas
-- (validated there against the source catalogue); the database only checks they are JSON.
-- Run results are not stored here: they stream into files under <data_dir>/raas, one per
-- run, deleted with the run when it expires (docs/raas.md).

CREATE TABLE raas_reports (
  id            INTEGER PRIMARY KEY,
  org_id        INTEGER NOT NULL REFERENCES organizations (id) ON DELETE RESTRICT,
  owner_user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE RESTRICT,
  name          TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  description   TEXT    NOT NULL DEFAULT '',
  source        TEXT    NOT NULL,
  columns_json  TEXT    NOT NULL CHECK (json_valid(columns_json)),
  filters_json  TEXT    NOT NULL CHECK (json_valid(filters_json)),
  sort_json     TEXT    NOT NULL CHECK (json_valid(sort_json)),
  prompts_json  TEXT    NOT NULL CHECK (json_valid(prompts_json)),
  -- Bumped on every edit; part of a run's dedup key, so a request after an edit never gets
  -- the result of the old definition.
  version       INTEGER NOT NULL CHECK (version >= 1),
  created_at    INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL
) STRICT;

CREATE INDEX raas_reports_by_owner ON raas_reports (owner_user_id, id);
CREATE INDEX raas_reports_by_org ON raas_reports (org_id, id);

-- Shared only within the owner's organization (services/raas checks it).
CREATE TABLE raas_report_shares (
  report_id INTEGER NOT NULL REFERENCES raas_reports (id) ON DELETE CASCADE,
  user_id   INTEGER NOT NULL REFERENCES users (id) ON DELETE RESTRICT,
  shared_at INTEGER NOT NULL,
  PRIMARY KEY (report_id, user_id)
) STRICT, WITHOUT ROWID;

CREATE INDEX raas_report_shares_by_user ON raas_report_shares (user_id, report_id);

-- The run queue. AUTOINCREMENT: a runid handed to a client never names another run later.
-- spec_json is the report definition with its prompts bound, frozen when the run was
-- requested, so an edit of the report never changes a queued run. params_hash is the SHA-256
-- of it: identical requests by the same user within 15 minutes share one run.
CREATE TABLE raas_runs (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  report_id     INTEGER NOT NULL REFERENCES raas_reports (id) ON DELETE CASCADE,
  user_id       INTEGER NOT NULL REFERENCES users (id) ON DELETE RESTRICT,
  org_id        INTEGER NOT NULL REFERENCES organizations (id) ON DELETE RESTRICT,
  params_hash   TEXT    NOT NULL,
  spec_json     TEXT    NOT NULL CHECK (json_valid(spec_json)),
  status        TEXT    NOT NULL
                CHECK (status IN ('queued', 'running', 'completed', 'failed', 'cancelled')),
  message       TEXT    NOT NULL DEFAULT '',
  progress      INTEGER NOT NULL DEFAULT 0 CHECK (progress >= 0),
  total_records INTEGER CHECK (total_records >= 0),
  attempts      INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  created_at    INTEGER NOT NULL,
  started_at    INTEGER,
  finished_at   INTEGER,
  -- Set when the run ends: its result (and the run) is purged at this time.
  expires_at    INTEGER
) STRICT;

CREATE INDEX raas_runs_by_status ON raas_runs (status, id);
CREATE INDEX raas_runs_by_request ON raas_runs (user_id, report_id, params_hash, created_at);
CREATE INDEX raas_runs_by_expiry ON raas_runs (expires_at) WHERE expires_at IS NOT NULL;

-- The cost centers (departments) whose rows a client user without report_admin may see.
CREATE TABLE raas_cost_center_assignments (
  user_id     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  cost_center TEXT    NOT NULL CHECK (length(cost_center) BETWEEN 1 AND 100),
  assigned_at INTEGER NOT NULL,
  PRIMARY KEY (user_id, cost_center)
) STRICT, WITHOUT ROWID;
