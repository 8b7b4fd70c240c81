-- 005: メールアドレス登録・変更 with confirmation (D16, issue 17).
--
-- members.email stays the registered address, the only one any mail but a
-- confirmation mail ever goes to (R1 イ/ウ). It now records where it came
-- from: 'insurer' (import-members, member add: the insurer vouches for it)
-- or 'member' (confirmed by the member through the link, at
-- email_confirmed_at). Addresses already stored came from the insurer.
ALTER TABLE members
  ADD COLUMN email_source VARCHAR(16) CHARACTER SET ascii NULL AFTER email,
  ADD COLUMN email_confirmed_at DATETIME(6) NULL AFTER email_source;
UPDATE members SET email_source = 'insurer' WHERE email IS NOT NULL AND email_source IS NULL;

-- A requested change waits here until its link is pressed. Only the SHA-256
-- of the 32-byte token is stored (D4); consumed_at / superseded_at /
-- expires_at carry single use, newest wins and the validity (R6-R8 as for
-- the ID mail). old_email is the registered address when the change was
-- asked for: the confirmation holds only while it is still the member's
-- address, so a link cannot undo a change made since.
CREATE TABLE email_changes (
  change_id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  token_hash BINARY(32) NOT NULL,
  member_id BIGINT UNSIGNED NOT NULL,
  new_email VARCHAR(254) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
  old_email VARCHAR(254) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL,
  created_at DATETIME(6) NOT NULL,
  expires_at DATETIME(6) NOT NULL,
  consumed_at DATETIME(6) NULL,
  superseded_at DATETIME(6) NULL,
  PRIMARY KEY (change_id),
  UNIQUE KEY uq_email_changes_hash (token_hash),
  KEY idx_email_changes_member (member_id, consumed_at, superseded_at),
  KEY idx_email_changes_expires (expires_at),
  CONSTRAINT fk_email_changes_member FOREIGN KEY (member_id) REFERENCES members (member_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
