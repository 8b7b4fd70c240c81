-- 010: recovery_token_redeem (sql/008, whose header says what it keeps) as
-- before, except how it names a superseded URL (D3). The identity check no
-- longer marks a member's URLs that expired more than 10 minutes ago when it
-- issues a new one (fcgi/lib/recovery/tokens.cpp, kSupersedeOpenTokens):
-- they open nothing either way, and marking them cost an UPDATE that
-- changes an index per old URL on every request of a member who asked
-- before (bench/README.md, Data scale). Such a URL is still reported
-- superseded, as before: a newer token of the same member exists. The
-- member's index (idx_recovery_tokens_member) finds it, and only for a
-- refused token (the CASE stops at 'granted').
--
-- CREATE OR REPLACE (MariaDB): the procedure is replaced in one step, so a
-- token POST during the migration runs either the old or the new one. The
-- account needs ALTER ROUTINE, which README.md's GRANT gives.
DELIMITER //
CREATE OR REPLACE PROCEDURE recovery_token_redeem(
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
               -- R8, D3: marked when a newer mail was issued, or, for a
               -- URL that had expired by then (not marked: tokens.cpp,
               -- kSupersedeOpenTokens), a newer token of the member.
               WHEN superseded_at IS NOT NULL OR EXISTS (
                      SELECT 1 FROM recovery_tokens AS newer
                       WHERE newer.member_id = this_token.member_id AND newer.token_id > this_token.token_id)
                 THEN 'superseded'
               WHEN expires_at <= UTC_TIMESTAMP(6) THEN 'expired'
               -- Usable, yet not ours: someone else's consumption that
               -- this read does not see yet. Never a grant without our UPDATE.
               ELSE 'already_used'
             END)
    INTO v_token_id, v_member_id, v_outcome
    FROM recovery_tokens AS this_token WHERE token_hash = p_token_hash;
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
