// screen_options: the command line of every screen program (--config,
// --listen, --socket-mode, --help, --list-sql). A wrong option exits 64
// before anything else starts.
#pragma once

#include <string>
#include <string_view>

namespace kosmo {

struct ScreenOptions {
  std::string config_path;
  std::string listen;  // PATH or IPv4:PORT; empty: systemd's socket or fd 0
  int socket_mode = 0660;
};

ScreenOptions parse_screen_options(std::string_view program, int argc, char** argv);

}  // namespace kosmo
