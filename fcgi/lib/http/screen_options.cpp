// screen_options: see screen_options.h.
#include "screen_options.h"

#include <sysexits.h>

#include <charconv>
#include <cstdlib>
#include <iostream>

#include "config.h"
#include "statement_list.h"

namespace kosmo {
namespace {

void print_usage(std::string_view program) {
  std::cout << "usage: " << program << " [--config FILE] [--listen PATH|HOST:PORT] [--socket-mode OCTAL]\n"
            << "       " << program << " --list-sql\n"
            << "Serves one KOSMO screen over FastCGI. Without --listen the listening socket is\n"
            << "taken from systemd (LISTEN_FDS) or from fd 0 (spawn-fcgi, StandardInput=socket).\n"
            << "SIGTERM finishes the requests in flight and exits 0. --list-sql prints every SQL\n"
            << "statement the program can run (name, tab, text) and exits.\n";
}

}  // namespace

ScreenOptions parse_screen_options(std::string_view program, int argc, char** argv) {
  ScreenOptions options;
  options.config_path = default_config_path();
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    const bool has_value = i + 1 < argc;
    if (arg == "--help" || arg == "-h") {
      print_usage(program);
      std::exit(0);
    } else if (arg == "--list-sql") {
      write_statement_list(std::cout);
      std::exit(0);
    } else if (arg == "--config" && has_value) {
      options.config_path = argv[++i];
    } else if (arg == "--listen" && has_value) {
      options.listen = argv[++i];
    } else if (arg == "--socket-mode" && has_value) {
      const std::string_view value = argv[++i];
      const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), options.socket_mode, 8);
      if (ec != std::errc() || end != value.data() + value.size() || options.socket_mode > 0777) {
        std::cerr << program << ": --socket-mode expects an octal mode such as 0660\n";
        std::exit(EX_USAGE);
      }
    } else {
      std::cerr << program << ": unknown or incomplete option '" << arg << "' (see --help)\n";
      std::exit(EX_USAGE);
    }
  }
  return options;
}

}  // namespace kosmo
