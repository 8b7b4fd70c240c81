// delivery_loop: what one delivery thread of kosmo-mailer does until a stop
// (D11): claim a batch, deliver it mail by mail, sleep a poll interval when
// nothing is due, and wait out a database outage. Each thread runs this with
// its own Connection, SmtpSender and claimer name, so threads share nothing
// but the read-only Config and the StopSignal.
#pragma once

#include "delivery.h"

namespace kosmo {

// Time kept back after a send for recording its result inside the claim.
constexpr int kRecordMarginSeconds = 5;

// Runs until a stop arrives (0), or with `once` until nothing is due (0), a
// database fault (EX_TEMPFAIL) or a fault of ours (EX_SOFTWARE).
int serve(Mailer& mailer, bool once);

}  // namespace kosmo
