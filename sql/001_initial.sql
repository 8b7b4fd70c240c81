-- 001: members, sessions, recovery tokens and grants, mail outbox, audit
-- events and abuse-limit counters. InnoDB, utf8mb4, a primary key on every
-- table (Galera needs one), times in UTC as DATETIME(6) set from the
-- database clock (UTC_TIMESTAMP(6)), never from a web node's clock.

CREATE TABLE members (
  member_id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  -- The login ID printed on the member's papers (13 digits in the manual).
  login_id VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  -- 保険証の記号 / 番号 as normalised by the program (NFKC, no spaces or hyphens: D10).
  card_symbol VARCHAR(32) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
  card_number VARCHAR(32) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
  birth_date DATE NOT NULL,
  display_name VARCHAR(100) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci NULL,
  -- The registered address, exactly as registered: every mail goes here (D10).
  email VARCHAR(254) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL,
  -- NULL while no password works (after 「パスワード初期化」 until the temporary one is set).
  password_hash VARCHAR(255) CHARACTER SET ascii COLLATE ascii_bin NULL,
  password_is_temporary TINYINT(1) NOT NULL DEFAULT 0,
  password_expires_at DATETIME(6) NULL,
  password_changed_at DATETIME(6) NULL,
  -- R1 (ア): the recovery works only for a member who has logged in before.
  last_login_at DATETIME(6) NULL,
  previous_login_at DATETIME(6) NULL,
  is_disabled TINYINT(1) NOT NULL DEFAULT 0,
  created_at DATETIME(6) NOT NULL,
  updated_at DATETIME(6) NOT NULL,
  PRIMARY KEY (member_id),
  UNIQUE KEY uq_members_login_id (login_id),
  KEY idx_members_card (card_symbol, card_number, birth_date)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Only the SHA-256 of a session id is stored: a copy of this table does not
-- let anyone into a session.
CREATE TABLE sessions (
  session_hash BINARY(32) NOT NULL,
  member_id BIGINT UNSIGNED NOT NULL,
  created_at DATETIME(6) NOT NULL,
  last_seen_at DATETIME(6) NOT NULL,
  ended_at DATETIME(6) NULL,
  end_reason VARCHAR(32) CHARACTER SET ascii NULL,
  PRIMARY KEY (session_hash),
  KEY idx_sessions_member (member_id, ended_at),
  KEY idx_sessions_last_seen (last_seen_at),
  CONSTRAINT fk_sessions_member FOREIGN KEY (member_id) REFERENCES members (member_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- The URL of ログインID再通知のお知らせ: 32 random bytes in the mail, their
-- SHA-256 here (D4). consumed_at / superseded_at / expires_at carry R6-R8.
CREATE TABLE recovery_tokens (
  token_id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  token_hash BINARY(32) NOT NULL,
  member_id BIGINT UNSIGNED NOT NULL,
  created_at DATETIME(6) NOT NULL,
  expires_at DATETIME(6) NOT NULL,
  consumed_at DATETIME(6) NULL,
  superseded_at DATETIME(6) NULL,
  failed_confirmations INT NOT NULL DEFAULT 0,
  PRIMARY KEY (token_id),
  UNIQUE KEY uq_recovery_tokens_hash (token_hash),
  KEY idx_recovery_tokens_member (member_id, consumed_at, superseded_at),
  KEY idx_recovery_tokens_expires (expires_at),
  CONSTRAINT fk_recovery_tokens_member FOREIGN KEY (member_id) REFERENCES members (member_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- D5: after an opening, the browser holds a short-lived grant (cookie), and
-- 「パスワード初期化」 works once under it.
CREATE TABLE recovery_grants (
  grant_hash BINARY(32) NOT NULL,
  member_id BIGINT UNSIGNED NOT NULL,
  token_id BIGINT UNSIGNED NOT NULL,
  created_at DATETIME(6) NOT NULL,
  expires_at DATETIME(6) NOT NULL,
  reset_used_at DATETIME(6) NULL,
  PRIMARY KEY (grant_hash),
  KEY idx_recovery_grants_member (member_id),
  KEY idx_recovery_grants_expires (expires_at),
  CONSTRAINT fk_recovery_grants_member FOREIGN KEY (member_id) REFERENCES members (member_id),
  CONSTRAINT fk_recovery_grants_token FOREIGN KEY (token_id) REFERENCES recovery_tokens (token_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- D11: a mail is a row written in the transaction that causes it; kosmo-mailer
-- claims, sends and then wipes the body (it holds a URL or a temporary password).
CREATE TABLE mail_outbox (
  mail_id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  kind VARCHAR(40) CHARACTER SET ascii NOT NULL,
  member_id BIGINT UNSIGNED NULL,
  to_address VARCHAR(254) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
  subject VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
  body MEDIUMTEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL,
  message_id VARCHAR(255) CHARACTER SET ascii NOT NULL,
  status VARCHAR(16) CHARACTER SET ascii NOT NULL DEFAULT 'queued',  -- queued | sending | sent | failed
  attempts INT NOT NULL DEFAULT 0,
  next_attempt_at DATETIME(6) NOT NULL,
  claimed_by VARCHAR(64) CHARACTER SET ascii NULL,
  claimed_until DATETIME(6) NULL,
  last_error VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL,
  created_at DATETIME(6) NOT NULL,
  sent_at DATETIME(6) NULL,
  PRIMARY KEY (mail_id),
  KEY idx_mail_outbox_due (status, next_attempt_at),
  KEY idx_mail_outbox_member (member_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- D8: who did what, when, from where, with what outcome. Never a token, a
-- password, a session id or a full card number.
CREATE TABLE audit_events (
  audit_id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  occurred_at DATETIME(6) NOT NULL,
  event VARCHAR(40) CHARACTER SET ascii NOT NULL,
  outcome VARCHAR(40) CHARACTER SET ascii NOT NULL,
  member_id BIGINT UNSIGNED NULL,
  ip VARCHAR(45) CHARACTER SET ascii NULL,
  user_agent VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL,
  request_id VARCHAR(32) CHARACTER SET ascii NULL,
  detail VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL,
  PRIMARY KEY (audit_id),
  KEY idx_audit_events_time (occurred_at),
  KEY idx_audit_events_member (member_id, occurred_at),
  KEY idx_audit_events_event (event, occurred_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- D7: fixed-window counters shared by every process and web node. The key is
-- a SHA-256 of scope and subject, so no card number or login ID is stored here.
CREATE TABLE rate_limits (
  scope VARCHAR(32) CHARACTER SET ascii NOT NULL,
  subject_hash BINARY(32) NOT NULL,
  window_start DATETIME NOT NULL,
  hits INT NOT NULL DEFAULT 0,
  blocked_until DATETIME(6) NULL,
  PRIMARY KEY (scope, subject_hash, window_start),
  KEY idx_rate_limits_window (window_start)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
