-- 002: D7 counters as an append-only log. One row per counted event (an
-- identity attempt, a failed login), counted over a sliding window. Rows are
-- only ever inserted, under distinct primary keys, so two web nodes counting
-- for the same office address or the same card never write the same row:
-- no Galera certification conflict, whatever the concurrency (a single
-- counter row per address was one). The subject is an HMAC, as in
-- rate_limits, so no address, card number or login ID is stored. The
-- per-login-ID lockout (a growing wait) stays in rate_limits.blocked_until.
CREATE TABLE rate_limit_events (
  event_id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  scope VARCHAR(32) CHARACTER SET ascii NOT NULL,
  subject_hash BINARY(32) NOT NULL,
  occurred_at DATETIME(6) NOT NULL,
  PRIMARY KEY (event_id),
  KEY idx_rate_limit_events_subject (scope, subject_hash, occurred_at),
  KEY idx_rate_limit_events_time (occurred_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
