// What kosmo-admin purge would remove from the D7 tables, counted with
// SELECTs only, for `purge --dry-run`: a dry run that deleted and rolled back
// locked every expired row, a million of them at a large society's scale.
#pragma once

#include "config.h"
#include "db.h"

namespace kosmo {

// The rows purge_expired_limits (rate_limits.h) removes when called until it
// returns 0: events older than the longest window, and login-ID windows that
// are over and not locked. Consistent reads only: no row lock is taken.
long count_expired_limits(Transaction& tx, const Config& config);

}  // namespace kosmo
