-- 009: GET /metrics reads the mail backlog (outbox.depth: how many mails wait
-- and since when) from idx_mail_outbox_due alone. With (status,
-- next_attempt_at) only, MIN(created_at) needed every waiting row, and once a
-- relay outage made the waiting mails a sixth of the table the optimizer read
-- all of mail_outbox, bodies included: 77 ms a scrape warm, 974 ms cold, for
-- 54,070 waiting mails of 354,070 (issue 16, data scale). With created_at in
-- the index the scrape counts index entries only (13 ms for those 54,070).
-- The mailer's claim, the purge and `outbox` keep using the (status,
-- next_attempt_at) prefix. Built in place, without blocking writes.
ALTER TABLE mail_outbox
  DROP KEY idx_mail_outbox_due,
  ADD KEY idx_mail_outbox_due (status, next_attempt_at, created_at),
  ALGORITHM = INPLACE, LOCK = NONE;
