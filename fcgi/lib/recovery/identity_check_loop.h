// identity_check_loop: the background threads of kosmo-forgot-id (D1). They
// drain identity_requests in batches after the answers have left, each batch
// in one transaction, and sleep until a POST wakes them or the poll interval
// passes (rows another web node queued).
#pragma once

#include "screen.h"

namespace kosmo {

// As many as a program's default workers, so in a wave the checks get about
// the CPU the answers get (bench/README.md: one thread fell far behind).
inline constexpr int kIdentityCheckThreads = 1;

// ScreenSpec::background of kosmo-forgot-id: returns when the program stops.
void check_queued_identities(BackgroundWork& work);

}  // namespace kosmo
