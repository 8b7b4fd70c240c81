-- 004: a queued identity whose check fails for a reason other than a
-- conflict or a lost connection (a row the database refuses somewhere in the
-- check, a bug) is set aside instead of blocking the queue: kosmo-forgot-id
-- stamps failed_at (and what failed, errno or exception kind, never a value)
-- and audits identity_check outcome=fault; the checks skip such rows. Set
-- aside means kept, not deleted: the row stays in this table until an
-- operator has looked (README, "Watch") and either releases it
-- (failed_at = NULL: checked again) or deletes it.
--
-- Also what D1's move of the limits into the check left behind: is_limited
-- (set only by programs that counted D7 in the answer; none queue such rows
-- any more), and request_id, named apart from http_request_id now (the id of
-- the POST in logs and audit rows) as identity_request_id.
--
-- Programs older than this migration can neither take nor count queued rows
-- after it (their SELECT names the old columns); their POSTs still queue.
-- The rows wait until the new programs run: migrate, then restart.
ALTER TABLE identity_requests
  DROP COLUMN is_limited,
  RENAME COLUMN request_id TO identity_request_id,
  ADD COLUMN failed_at DATETIME(6) NULL AFTER created_at,
  ADD COLUMN failure VARCHAR(64) CHARACTER SET ascii NULL AFTER failed_at,
  ADD KEY idx_identity_requests_waiting (failed_at, identity_request_id);
