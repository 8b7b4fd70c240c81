-- 003: the identity check runs after the answer (D1). POST /forgot-id only
-- queues what the member typed, the same single INSERT whoever typed it; the
-- matching, the token and the mail happen in kosmo-forgot-id's background
-- worker, which deletes the row in the transaction that handles it. A row
-- lives for milliseconds: the typed card data does not stay at rest.
CREATE TABLE identity_requests (
  request_id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  card_symbol VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
  card_number VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
  birth_date DATE NOT NULL,
  email VARCHAR(254) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
  -- D7: over an abuse limit the request is queued all the same (the answer
  -- must not differ) and the worker only audits it.
  is_limited TINYINT(1) NOT NULL DEFAULT 0,
  ip VARCHAR(45) CHARACTER SET ascii NULL,
  user_agent VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL,
  http_request_id VARCHAR(32) CHARACTER SET ascii NULL,
  created_at DATETIME(6) NOT NULL,
  PRIMARY KEY (request_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
