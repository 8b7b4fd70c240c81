// background_work: the threads that run a screen's work after its answers
// (ScreenSpec::background, e.g. forgot-id's identity check, D1), each with its
// own database connection, and the alarm clock that wakes them: a handler's
// wake_background() takes effect once its answer has left, never before, so
// the answer's time does not depend on the work (D1). BackgroundWork and
// wake_background() are declared in screen.h for the screens.
#pragma once

#include "screen.h"

namespace kosmo {

// Called by a worker after FCGX_Finish_r: wakes a background thread if the
// request's handler called wake_background().
void notify_background_after_answer();

// Ends every BackgroundWork::wait() with false; called once the workers stopped.
void stop_background();

// The body of one background thread.
void run_background_thread(const ScreenSpec& screen, const Config& config, Connection& db);

}  // namespace kosmo
