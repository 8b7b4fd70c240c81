// rate_limits: the abuse limits of D7, counted in the database so they hold
// across processes and web nodes. (Not "limits.h": fcgi/lib is on the include
// path, and that name would hide <limits.h>.)
//
// Identity attempts (per address, per card) and failed logins per address
// are rows of rate_limit_events, counted over a sliding window: every event is
// an INSERT under a new primary key, so two Galera nodes counting for one
// office address never write the same row (a shared counter row made every
// concurrent request from one address a certification conflict). The count
// is read in the caller's transaction right after its own insert.
// Failed logins per login ID are one row of rate_limits per fixed window,
// counted by an atomic INSERT ... ON DUPLICATE KEY UPDATE hits = hits + 1
// and holding the lockout (blocked_until) of the growing wait; only parallel
// guesses at one login ID contend there, and run_screen retries a conflict.
// No GET_LOCK or LOCK TABLES anywhere (Galera replicates neither).
//
// Subjects (client address, card, login ID) are stored only as
// HMAC-SHA256(limits key, scope ":" subject), where the limits key is derived
// from the secret csrf_key: a plain SHA-256 of a 13-digit login ID or a card
// number could be reversed by trying them all, the keyed hash cannot.
#pragma once

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "config.h"
#include "db.h"

namespace kosmo {

enum class LimitScope {
  IdentityIp,    // identity attempts per client address (IPv6: per /64)
  IdentityCard,  // identity attempts per card (symbol and number, normalised)
  LoginIp,       // failed logins per client address (IPv6: per /64)
  LoginId,       // failed logins per login ID, known or not; locks with a growing wait
  EmailChange,   // D16: address confirmation mails per member (subject: the member_id in decimal)
};
std::string_view to_string(LimitScope scope);
std::ostream& operator<<(std::ostream& out, LimitScope scope);

// The value stored as subject_hash (32 raw bytes). Addresses are
// reduced first: an IPv6 address to its /64, since one host holds a whole /64.
std::string limit_subject_hash(const Config& config, LimitScope scope, std::string_view subject);

// The subject of IdentityCard: both normalised card fields (normalize_card_field).
std::string card_subject(std::string_view card_symbol, std::string_view card_number);

// The wait after the n-th failure of a login ID within its window: none below
// max_failures, then lockout, doubling per further failure, at most lockout_max.
int login_lockout_seconds(const AbuseLimits& limits, int failures);

// One 本人確認 attempt: where it came from and the card it named
// (normalised by normalize_card_field).
struct IdentityAttempt {
  std::string_view client_ip;
  std::string_view card_symbol;
  std::string_view card_number;
};

// D7, for 本人確認 (forgot_id): counts each attempt of a batch against its
// client address and its card, always both, and says for each, in the
// batch's order, whether both were still within their limits (the n-th
// attempt of an address counts the n - 1 before it). kosmo-forgot-id calls
// it in the check after the answer (D1: the answer's time must not depend on
// a subject's history), for every well-formed submission, before looking
// for the member; over the limit it looks nothing up and sends nothing, and
// the member already has the usual answer. Two statements for the batch.
std::vector<bool> identity_attempts_allowed(Transaction& tx, const Config& config,
                                            const std::vector<IdentityAttempt>& attempts);

// Why a login is refused before its password is looked at.
struct LoginLock {
  LimitScope scope;         // LoginId or LoginIp
  int retry_after_seconds;  // at least 1
};

// D7, for ログイン: reads (does not count) whether the login ID is locked or
// the address has used up its failures. Unknown login IDs are locked alike,
// so the answer says nothing about whether an ID exists.
std::optional<LoginLock> find_login_lock(Transaction& tx, const Config& config, std::string_view client_ip,
                                         std::string_view login_id);

// Counts a failed login against the address and the login ID (known or not).
// Returns the lockout this failure started for the login ID (0: none).
int record_login_failure(Transaction& tx, const Config& config, std::string_view client_ip,
                         std::string_view login_id);

// D16, limits.email_change: in how many seconds the member may ask for
// another confirmation mail (0: now). Reads only; the caller holds the
// member's row (lock_member), so two requests cannot both pass at N-1.
int email_change_wait_seconds(Transaction& tx, const Config& config, std::uint64_t member_id);
// Counts one confirmation mail of the member.
void record_email_change(Transaction& tx, const Config& config, std::uint64_t member_id);

// A successful login forgets the login ID's failures (not the address's).
void clear_login_failures(Transaction& tx, const Config& config, std::string_view login_id);

// kosmo-admin limits reset: removes every counter and lock of the subject in
// the scope. Returns the number of rows removed.
int reset_limit(Transaction& tx, const Config& config, LimitScope scope, std::string_view subject);

// The purge of what no limit reads any more is expired_limits.h's.

}  // namespace kosmo
