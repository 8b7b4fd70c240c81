-- 007: the event counters of GET /metrics (mails delivered and failed,
-- lockouts started) without counting audit_events on every scrape: that was
-- COUNT(*) over every row of the event, 5.1-5.4 s a scrape at 4.7 million
-- rows (issue 16). A row here holds how many audit rows of its event (and
-- outcome, '' for any) occurred before counted_before. kosmo-metrics adds
-- the rows since then, a range on idx_audit_events_event, and moves
-- counted_before forward to five minutes ago when it is older than ten
-- minutes: a row that old has committed, so none is missed or counted twice.
-- kosmo-admin purge moves it forward before it deletes audit rows, so the
-- totals keep what the purge deletes and the counters never go down.
-- A few rows, read by primary key, written at most every ten minutes by a
-- scrape: no hot row for the screens, which never write here.
CREATE TABLE audit_event_totals (
  event VARCHAR(40) CHARACTER SET ascii NOT NULL,
  outcome VARCHAR(40) CHARACTER SET ascii NOT NULL,
  n BIGINT UNSIGNED NOT NULL,
  counted_before DATETIME(6) NOT NULL,
  PRIMARY KEY (event, outcome)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- The counters the metrics page shows, counted once here (an index range per
-- event) so that the first scrape after the upgrade is as fast as the rest.
INSERT INTO audit_event_totals (event, outcome, n, counted_before)
SELECT t.event, t.outcome,
       (SELECT COUNT(*) FROM audit_events a
         WHERE a.event = t.event AND (t.outcome = '' OR a.outcome = t.outcome)
           AND a.occurred_at < t.cut),
       t.cut
FROM (SELECT 'mail_sent' AS event, '' AS outcome, UTC_TIMESTAMP(6) - INTERVAL 5 MINUTE AS cut
      UNION ALL SELECT 'mail_failed', '', UTC_TIMESTAMP(6) - INTERVAL 5 MINUTE
      UNION ALL SELECT 'login_locked', 'lockout_started', UTC_TIMESTAMP(6) - INTERVAL 5 MINUTE) AS t;
