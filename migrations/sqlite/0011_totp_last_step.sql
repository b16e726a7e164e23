-- TOTP replay protection: the last 30-second step whose code signed this account in (or
-- confirmed its enrollment). A code is accepted only for a later step, so a code seen by
-- someone else cannot be used again within its validity window.
ALTER TABLE users ADD COLUMN totp_last_step INTEGER NOT NULL DEFAULT 0
  CHECK (totp_last_step >= 0);
