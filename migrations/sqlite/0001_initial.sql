-- 0001: the initial Keygate schema for SQLite (DESIGN §1, §2).
--
-- Migrations are append-only: never edit a file once released, add the next number instead.
-- Each file runs inside one transaction opened by the migration runner (storage/sqlite), so it
-- must not contain BEGIN / COMMIT. Times are INTEGER unix seconds (UTC); enums are stored as
-- their text names (core::toString). STRICT tables reject values of the wrong type.

CREATE TABLE organizations (
  id                INTEGER PRIMARY KEY,
  -- NOCASE: "Acme" and "acme" are the same organization to a human.
  name              TEXT    NOT NULL COLLATE NOCASE UNIQUE,
  type              TEXT    NOT NULL CHECK (type IN ('client', 'supplier', 'msp')),
  login_method      TEXT    NOT NULL CHECK (login_method IN ('basic', 'two_factor', 'sso')),
  key_lifetime_days INTEGER NOT NULL CHECK (key_lifetime_days IN (30, 60, 90, 180)),
  api_tier          TEXT    NOT NULL
                    CHECK (api_tier IN ('core', 'professional', 'enterprise', 'unlimited')),
  created_at        INTEGER NOT NULL
) STRICT;

CREATE TABLE users (
  id                     INTEGER PRIMARY KEY,
  org_id                 INTEGER NOT NULL REFERENCES organizations (id) ON DELETE RESTRICT,
  -- Sign-in names are case-insensitive, so "Alice" cannot impersonate "alice".
  username               TEXT    NOT NULL COLLATE NOCASE UNIQUE,
  email                  TEXT    NOT NULL,
  display_name           TEXT    NOT NULL,
  role                   TEXT    NOT NULL
                         CHECK (role IN ('client_manager', 'supplier_user', 'msp_admin', 'org_admin')),
  permissions            INTEGER NOT NULL CHECK (permissions BETWEEN 0 AND 4294967295),
  password_hash          TEXT    NOT NULL,
  totp_secret_encrypted  TEXT    NOT NULL DEFAULT '',
  totp_pending_encrypted TEXT    NOT NULL DEFAULT '',
  link_group             INTEGER,
  disabled               INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
  created_at             INTEGER NOT NULL
) STRICT;

CREATE INDEX users_by_org ON users (org_id);
CREATE INDEX users_by_link_group ON users (link_group);

-- AUTOINCREMENT (with the sqlite_sequence seed below) makes Credential Keys start at 100001
-- and never reuses an id, so a number once shown to a user always means the same key.
CREATE TABLE credentials (
  id               INTEGER PRIMARY KEY AUTOINCREMENT,
  user_id          INTEGER NOT NULL REFERENCES users (id) ON DELETE RESTRICT,
  org_id           INTEGER NOT NULL REFERENCES organizations (id) ON DELETE RESTRICT,
  name             TEXT    NOT NULL,
  client_key       TEXT    NOT NULL UNIQUE,
  secret_hash      TEXT    NOT NULL,
  secret_encrypted TEXT    NOT NULL,
  scopes           INTEGER NOT NULL CHECK (scopes BETWEEN 0 AND 4294967295),
  created_at       INTEGER NOT NULL,
  expires_at       INTEGER NOT NULL,
  status           TEXT    NOT NULL CHECK (status IN ('active', 'inactive')),
  inactivated_at   INTEGER,
  inactivated_by   INTEGER REFERENCES users (id) ON DELETE RESTRICT,
  last_used_at     INTEGER,
  shortened_at     INTEGER,
  expiry_recorded  INTEGER NOT NULL DEFAULT 0 CHECK (expiry_recorded IN (0, 1))
) STRICT;

INSERT INTO sqlite_sequence (name, seq) VALUES ('credentials', 100000);

CREATE INDEX credentials_by_user ON credentials (user_id);
CREATE INDEX credentials_by_org ON credentials (org_id);
CREATE INDEX credentials_by_status_expiry ON credentials (status, expires_at);

-- DESIGN §2.2 at the database level too: an expiration date is never extended and an
-- inactivation is never undone, whatever code path issues the UPDATE. The messages are stable
-- error names that storage/sqlite maps to core::Errc.
CREATE TRIGGER credentials_expiry_never_extended
BEFORE UPDATE OF expires_at ON credentials
WHEN NEW.expires_at > OLD.expires_at
BEGIN
  SELECT RAISE(ABORT, 'expiry_immutable');
END;

CREATE TRIGGER credentials_inactivation_irreversible
BEFORE UPDATE OF status ON credentials
WHEN OLD.status = 'inactive' AND NEW.status <> 'inactive'
BEGIN
  SELECT RAISE(ABORT, 'inactivation_irreversible');
END;

CREATE TABLE view_codes (
  id            INTEGER PRIMARY KEY,
  credential_id INTEGER NOT NULL REFERENCES credentials (id) ON DELETE RESTRICT,
  user_id       INTEGER NOT NULL REFERENCES users (id) ON DELETE RESTRICT,
  code_hash     TEXT    NOT NULL,
  created_at    INTEGER NOT NULL,
  expires_at    INTEGER NOT NULL,
  tries_left    INTEGER NOT NULL CHECK (tries_left BETWEEN 0 AND 5),
  state         TEXT    NOT NULL CHECK (state IN ('active', 'used', 'burned', 'superseded'))
) STRICT;

CREATE INDEX view_codes_by_credential ON view_codes (credential_id, created_at);
-- Only the newest code of a credential is valid (DESIGN §2.3): at most one active row.
CREATE UNIQUE INDEX view_codes_one_active ON view_codes (credential_id) WHERE state = 'active';

-- user_id is NULL while a session has not signed in yet (core::Session uses 0 for that).
CREATE TABLE sessions (
  id_hash             TEXT    PRIMARY KEY,
  user_id             INTEGER REFERENCES users (id) ON DELETE RESTRICT,
  login_user_id       INTEGER REFERENCES users (id) ON DELETE RESTRICT,
  csrf_token          TEXT    NOT NULL,
  created_at          INTEGER NOT NULL,
  last_seen_at        INTEGER NOT NULL,
  absolute_expires_at INTEGER NOT NULL,
  totp_verified       INTEGER NOT NULL CHECK (totp_verified IN (0, 1)),
  ip                  TEXT    NOT NULL,
  user_agent          TEXT    NOT NULL
) STRICT, WITHOUT ROWID;

CREATE INDEX sessions_by_last_seen ON sessions (last_seen_at);
CREATE INDEX sessions_by_absolute_expiry ON sessions (absolute_expires_at);

-- The append-only, hash-chained event log (DESIGN §2.6). No foreign keys on purpose: an event
-- may name an id that does not exist (a token call with an unknown Credential Key is still
-- worth recording), and the log must outlive whatever it describes.
CREATE TABLE events (
  seq           INTEGER PRIMARY KEY AUTOINCREMENT,
  at            INTEGER NOT NULL,
  type          TEXT    NOT NULL,
  org_id        INTEGER,
  actor_user_id INTEGER,
  credential_id INTEGER,
  ip            TEXT    NOT NULL,
  user_agent    TEXT    NOT NULL,
  details       TEXT    NOT NULL,
  prev_hash     TEXT    NOT NULL,
  hash          TEXT    NOT NULL
) STRICT;

CREATE INDEX events_by_org ON events (org_id, seq);
CREATE INDEX events_by_credential ON events (credential_id, seq);

CREATE TRIGGER events_no_update
BEFORE UPDATE ON events
BEGIN
  SELECT RAISE(ABORT, 'events_append_only');
END;

CREATE TRIGGER events_no_delete
BEFORE DELETE ON events
BEGIN
  SELECT RAISE(ABORT, 'events_append_only');
END;
