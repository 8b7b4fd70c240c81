-- 008: the token POST (ログインIDを表示する) in one statement and its COMMIT
-- (issue 16). It sent five: the consuming UPDATE, the SELECT of the token's
-- state, the audit INSERT, the grant INSERT, COMMIT; a third of MariaDB's
-- CPU per redemption was receiving statements and sending answers
-- (bench/README.md, "Cut 3"). Called by redeem_token() in
-- fcgi/lib/recovery/tokens.cpp, which names the rules; this is its SQL.
-- sql/010 replaces it with the same body but how it names a superseded URL.
--
-- What stays as it was:
-- * R7, D4: the token is consumed by one conditional UPDATE of its row, so
--   two presses (two tabs, two web nodes, two Galera nodes) never both win:
--   Galera certifies the row's write set at COMMIT.
-- * D3: the state is read after the UPDATE; a used token is reported used
--   even when it has expired since.
-- * D8: the audit row is written for every outcome, before the grant.
-- * D18: an audit row the database refuses (strict mode, errno 1366) is not
--   swallowed: its errno and SQLSTATE come back in the answer, and the
--   program logs and counts it and decides (today: the request fails and
--   rolls back, as audit() does). A lost conflict (1213, 1205, SQLSTATE
--   40001) or an interrupted statement is never handled here: it reaches the
--   program, which rolls back and retries the whole transaction.
-- * D5: the grant row, for a granted redemption only; the program makes the
--   cookie and passes only its SHA-256.
--
-- The audit values come in as bytes (VARBINARY, as long as their columns
-- can hold in utf8mb4), so a value the column refuses fails in the audit
-- INSERT, where it is reported, and not in the CALL before anything ran.
--
-- SQL SECURITY INVOKER: the routine runs with the calling account's rights
-- (SELECT, INSERT, UPDATE on these tables, and EXECUTE), never with those
-- of the account that ran the migration. A procedure, not a function: with
-- binary logging on, a function that writes needs
-- log_bin_trust_function_creators or SUPER, a procedure does not.
--
-- The DELIMITER lines are read by kosmo-admin migrate as the mariadb client
-- reads them, so the file also loads with `mariadb kosmo < 008_...`.
-- Outcome names are to_string(Redemption) in tokens.cpp.
DELIMITER //
CREATE PROCEDURE recovery_token_redeem(
  IN p_token_hash BINARY(32),
  IN p_max_failures INT,
  IN p_grant_hash BINARY(32),
  IN p_grant_ttl INT,
  IN p_ip VARBINARY(180),
  IN p_user_agent VARBINARY(1020),
  IN p_request_id VARBINARY(128))
  MODIFIES SQL DATA
  SQL SECURITY INVOKER
BEGIN
  DECLARE v_consumed_now INT DEFAULT 0;
  DECLARE v_token_id BIGINT UNSIGNED DEFAULT NULL;
  DECLARE v_member_id BIGINT UNSIGNED DEFAULT NULL;
  DECLARE v_outcome VARCHAR(40) CHARACTER SET ascii DEFAULT 'unknown';
  DECLARE v_audit_errno INT DEFAULT 0;
  DECLARE v_audit_sqlstate CHAR(5) CHARACTER SET ascii DEFAULT '00000';

  -- R7, D4: exactly one caller changes the row.
  UPDATE recovery_tokens SET consumed_at = UTC_TIMESTAMP(6)
   WHERE token_hash = p_token_hash AND consumed_at IS NULL AND superseded_at IS NULL
     AND expires_at > UTC_TIMESTAMP(6);
  SET v_consumed_now = ROW_COUNT();

  -- D3: why it failed. An aggregate answers one row even for an unknown
  -- token (no NOT FOUND warning); its NULLs leave 'unknown'.
  SELECT MAX(token_id), MAX(member_id),
         MAX(CASE
               WHEN v_consumed_now = 1 THEN 'granted'
               WHEN consumed_at IS NOT NULL AND failed_confirmations >= p_max_failures THEN 'too_many_failures'
               WHEN consumed_at IS NOT NULL THEN 'already_used'
               WHEN superseded_at IS NOT NULL THEN 'superseded'
               WHEN expires_at <= UTC_TIMESTAMP(6) THEN 'expired'
               -- Usable, yet not ours: someone else's consumption that
               -- this read does not see yet. Never a grant without our UPDATE.
               ELSE 'already_used'
             END)
    INTO v_token_id, v_member_id, v_outcome
    FROM recovery_tokens WHERE token_hash = p_token_hash;
  SET v_outcome = COALESCE(v_outcome, 'unknown');

  -- D8, D18: a refused row is reported, not raised; a conflict is raised.
  BEGIN
    DECLARE EXIT HANDLER FOR SQLEXCEPTION
    BEGIN
      GET DIAGNOSTICS CONDITION 1 v_audit_errno = MYSQL_ERRNO, v_audit_sqlstate = RETURNED_SQLSTATE;
      -- 1213 deadlock or certification, 1205 lock wait, 40001 a lost
      -- conflict, 1317 interrupted, 1927 killed, 1053 shutdown, 1047 Galera
      -- node not ready: the transaction's failure, not the row's.
      IF v_audit_sqlstate = '40001' OR v_audit_errno IN (1213, 1205, 1317, 1927, 1053, 1047) THEN
        RESIGNAL;
      END IF;
    END;
    INSERT INTO audit_events (occurred_at, event, outcome, member_id, ip, user_agent, request_id, detail)
    VALUES (UTC_TIMESTAMP(6), 'token_redeem', v_outcome, v_member_id, p_ip, p_user_agent, p_request_id, NULL);
  END;

  -- D5: the grant of this browser, for the token just consumed.
  IF v_outcome = 'granted' THEN
    INSERT INTO recovery_grants (grant_hash, member_id, token_id, created_at, expires_at)
    VALUES (p_grant_hash, v_member_id, v_token_id, UTC_TIMESTAMP(6),
            DATE_ADD(UTC_TIMESTAMP(6), INTERVAL p_grant_ttl SECOND));
  END IF;

  SELECT v_outcome AS outcome, v_member_id AS member_id, v_token_id AS token_id,
         v_audit_errno AS audit_errno, v_audit_sqlstate AS audit_sqlstate;
END //
DELIMITER ;
