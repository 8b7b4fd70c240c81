// listen_socket: the one listening socket of a screen program, from
// --listen PATH|HOST:PORT, from systemd socket activation (LISTEN_FDS) or as
// fd 0 (spawn-fcgi, StandardInput=socket), in that order of precedence, made
// non-blocking. Every failure ends the start with one log line (64 usage,
// 69 bind/listen, 71 fcntl), as OpenBSD's slowcgi does.
#pragma once

#include "screen_options.h"

namespace kosmo {

int acquire_listen_socket(const ScreenOptions& options);

}  // namespace kosmo
