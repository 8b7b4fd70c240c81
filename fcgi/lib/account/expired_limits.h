// What no abuse limit (D7) reads any more, for kosmo-admin purge: deleted by
// purge_expired_limits, counted for `purge --dry-run` by count_expired_limits.
// Both take their rows from one WHERE per table (expired_limits.cpp), so the
// dry run counts exactly what the purge deletes.
#pragma once

#include "config.h"
#include "db.h"

namespace kosmo {

// Removes up to `batch` rows of each table that no limit reads any more
// (events older than the longest window, login-ID windows that are over and
// not locked). Returns the number removed; call again until it is 0.
int purge_expired_limits(Transaction& tx, const Config& config, int batch = 10000);

// The rows purge_expired_limits removes when called until it returns 0,
// counted with SELECTs only: a dry run that deleted and rolled back locked
// every expired row, a million of them at a large society's scale.
// Consistent reads only: no row lock is taken.
long count_expired_limits(Transaction& tx, const Config& config);

}  // namespace kosmo
