// identity_check_loop: the background threads of kosmo-forgot-id (D1). They
// drain identity_requests in batches after the answers have left, each batch
// in one transaction, and sleep until a POST wakes them or the poll interval
// passes (rows another web node queued).
#pragma once

#include "screen.h"

namespace kosmo {

// One: a batch is checked set-based (identity_check.h), so one thread keeps
// well ahead of four workers' answers (bench/README.md, issue 16), and two
// threads of one process cannot deadlock on each other's queue rows. Several
// web nodes still check side by side (SKIP LOCKED, then certification).
inline constexpr int kIdentityCheckThreads = 1;

// ScreenSpec::background of kosmo-forgot-id: returns when the program stops.
void check_queued_identities(BackgroundWork& work);

}  // namespace kosmo
