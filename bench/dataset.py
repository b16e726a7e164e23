"""Bulk data for benchmarks and scale tests, written straight into Keygate's SQLite file.

Shared by the benchmark harness (bench/harness.py) and the RaaS scale test
(tests/e2e/raas_scale_test.py, which imports this file through a sys.path entry relative to
its own location). Both first run `keygate seed-demo`, then call these functions while no
server has the database open. Each table is filled by one INSERT … SELECT over a recursive
counter, so a million rows take seconds even when the server binary is a sanitizer build.

Python standard library only.
"""
import sqlite3
import time

LINES_PER_TIMECARD = 5
WEEKS = 50
ENGAGEMENTS = 4000  # 4,000 × 50 × 5 = 1,000,000 timecard lines
BASE_ID = 1_000_000  # ids of the inserted workers, engagements and timecards start here
WEEK0 = 1735344000  # Saturday 2024-12-28, 00:00 UTC

SUPPLIER_NAME = "Benchmark Unlimited"  # the demo's unlimited-tier supplier
CLIENT_NAME = "Globex Corporation"
BENCH_USERNAME = "bench.unlimited"
DEMO_PASSWORD = "keygate-demo"

# The RaaS report both the test and the harness build through the UI's JSON API
# (POST /api/v1/reports). The prompt is optional: left unbound it adds no filter.
TIMECARD_LINES_REPORT = {
    "name": "All timecard lines",
    "source": "timecard_lines",
    "columns": ["timecard_id", "line_number", "work_date", "rate_type",
                {"column": "hours", "displayName": "Hours Worked"}],
    "prompts": [{"name": "timecard", "column": "timecard_id", "op": "eq"}],
}


def timecard_lines_sql(supplier_org_id):
    """The statement the RaaS engine runs for TIMECARD_LINES_REPORT requested by a supplier.

    Assembled by storage/sqlite/sqlite_raas_repositories.cpp (buildRowQuery) from the
    expressions of storage/sqlite/sqlite_raas_sources.cpp: the five column expressions, the
    source's FROM, the supplier scope predicate and the source's stable order. The engine binds
    the organization id; here it is a literal so the sqlite3 command line can run it.
    """
    return ("SELECT t.id, te.position, te.work_date, te.rate_type, te.hours "
            "FROM timecards t JOIN timecard_entries te ON te.timecard_id = t.id "
            f"WHERE (t.supplier_org_id = {int(supplier_org_id)}) ORDER BY t.id, te.position")


def organization_id(db, name):
    row = db.execute("SELECT id FROM organizations WHERE name = ?", (name,)).fetchone()
    if row is None:
        raise RuntimeError(f"no organization named {name!r}: run `keygate seed-demo` first")
    return row[0]


def insert_timecard_lines(db_path, engagements=ENGAGEMENTS, weeks=WEEKS,
                          lines_per_timecard=LINES_PER_TIMECARD):
    """engagements × weeks × lines_per_timecard timecard lines of Benchmark Unlimited for Globex.

    One agreement, then one worker and one engagement per index, one approved timecard per
    engagement and week, and its lines (the last one OT, the first with a time-in), in four
    INSERT … SELECT in one transaction. Returns (supplier org id, lines inserted, seconds).
    """
    started = time.time()
    db = sqlite3.connect(db_path)
    try:
        supplier = organization_id(db, SUPPLIER_NAME)
        client = organization_id(db, CLIENT_NAME)
        db.execute("BEGIN")
        db.execute("INSERT INTO agreements (id, supplier_org_id, client_org_id, number, status, currency, "
                   "effective_from, created_at, updated_at) VALUES (?, ?, ?, 'E2E-SCALE', 'active', 'USD', 0, 0, 0)",
                   (BASE_ID, supplier, client))
        db.execute(f"""
            WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < {engagements - 1})
            INSERT INTO workers (id, supplier_org_id, external_id, first_name, last_name, email, phone,
                                 job_title, location, status, created_at, updated_at)
            SELECT {BASE_ID} + i, {supplier}, 'E2E-' || i, 'Scale', 'Worker ' || i, 'w' || i || '@bench.example',
                   '', 'Contractor', 'Remote', 'active', 0, 0 FROM n""")
        db.execute(f"""
            WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < {engagements - 1})
            INSERT INTO engagements (id, supplier_org_id, client_org_id, agreement_id, worker_id, number, title,
                                     status, start_date, rate_unit, currency, st_rate, ot_rate, dt_rate,
                                     cost_center, created_at, updated_at)
            SELECT {BASE_ID} + i, {supplier}, {client}, {BASE_ID}, {BASE_ID} + i, 'E2E-ENG-' || i, 'Contractor',
                   'active', {WEEK0}, 'hour', 'USD', 6000 + (i % 40) * 125, 9000, NULL, 'GLX-E2E-' || (i % 10), 0, 0
            FROM n""")
        db.execute(f"""
            WITH RECURSIVE w(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM w WHERE k < {weeks - 1})
            INSERT INTO timecards (id, supplier_org_id, client_org_id, engagement_id, week_ending, status,
                                   rate_unit, currency, st_rate, ot_rate, dt_rate, total_hours, total_amount,
                                   created_at, updated_at)
            SELECT {BASE_ID} + (e.id - {BASE_ID}) * {weeks} + w.k, e.supplier_org_id, e.client_org_id, e.id,
                   {WEEK0} + (w.k + 1) * 604800, 'approved', 'hour', 'USD', e.st_rate, e.ot_rate, NULL, 0, 0, 0, 0
            FROM engagements e, w WHERE e.id >= {BASE_ID}""")
        db.execute(f"""
            WITH RECURSIVE p(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM p WHERE n < {lines_per_timecard})
            INSERT INTO timecard_entries (timecard_id, position, work_date, rate_type, hours, time_in, time_out)
            SELECT t.id, p.n, t.week_ending - ({lines_per_timecard} + 1 - p.n) * 86400,
                   CASE WHEN p.n = {lines_per_timecard} THEN 'OT' ELSE 'ST' END,
                   600 + (t.id * 7 + p.n * 13) % 250, CASE WHEN p.n = 1 THEN 480 END, NULL
            FROM timecards t, p WHERE t.id >= {BASE_ID}""")
        db.commit()
        lines = db.execute("SELECT COUNT(*) FROM timecard_entries WHERE timecard_id >= ?", (BASE_ID,)).fetchone()[0]
    finally:
        db.close()
    return supplier, lines, time.time() - started


def timecard_lines_truth(db_path, supplier):
    """Row count and column checksums of the supplier's timecard lines, straight from SQLite."""
    db = sqlite3.connect(db_path)
    try:
        row = db.execute("SELECT COUNT(*), SUM(te.hours), SUM(t.id), SUM(te.position) FROM timecard_entries te "
                         "JOIN timecards t ON t.id = te.timecard_id WHERE t.supplier_org_id = ?",
                         (supplier,)).fetchone()
    finally:
        db.close()
    return {"rows": row[0], "hours_hundredths": row[1] or 0, "timecard_ids": row[2] or 0, "lines": row[3] or 0}


def insert_credentials(db_path, total, now=None, lifetime_days=180):
    """Fills the credentials table up to `total` rows, so the server loads that many into its
    in-memory status view (services::CredentialStatusView) at start-up.

    The rows are active keys of bench.unlimited expiring in `lifetime_days` (beyond the expiry
    reminder horizon, so no mail is sent for them), with unique Client Keys and the hash and
    encrypted secret of an existing key copied, so every row has realistic column sizes. No
    secret works for them: they exist to be loaded. Returns (rows inserted, rows now, seconds).
    """
    started = time.time()
    now = int(time.time()) if now is None else now
    db = sqlite3.connect(db_path)
    try:
        user_id, org_id = db.execute(
            "SELECT u.id, u.org_id FROM users u WHERE u.username = ?", (BENCH_USERNAME,)).fetchone()
        template = db.execute("SELECT secret_hash, secret_encrypted FROM credentials ORDER BY id LIMIT 1").fetchone()
        if template is None:
            raise RuntimeError("no credential to copy column sizes from: generate a key first")
        existing = db.execute("SELECT COUNT(*) FROM credentials").fetchone()[0]
        missing = max(0, total - existing)
        if missing:
            db.execute("BEGIN")
            db.execute("""
                WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
                INSERT INTO credentials (user_id, org_id, name, client_key, secret_hash, secret_encrypted,
                                         scopes, created_at, expires_at, status)
                SELECT ?, ?, 'bulk ' || i, 'kgck_bulk' || printf('%025d', i), ?, ?, 1, ?, ?, 'active' FROM n""",
                       (missing, user_id, org_id, template[0], template[1], now, now + lifetime_days * 86400))
            db.commit()
        count = db.execute("SELECT COUNT(*) FROM credentials").fetchone()[0]
    finally:
        db.close()
    return missing, count, time.time() - started
