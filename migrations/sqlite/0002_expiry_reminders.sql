-- Expiry reminders (DESIGN §2.2 rule 6): which reminder thresholds were already mailed,
-- as bits (1 = 14 days before, 2 = 7 days, 4 = 1 day).
ALTER TABLE credentials ADD COLUMN reminders_sent INTEGER NOT NULL DEFAULT 0
  CHECK (reminders_sent BETWEEN 0 AND 7);
